"""Every admin page, as each demo user sees it, is in Chinese: no English word outside a small
allow-list (brand names, units, codes)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import NoReverseMatch, reverse

from tests.conftest import EVERY_DEMO

pytestmark = [pytest.mark.django_db, pytest.mark.demo(*EVERY_DEMO)]

DEMO_STAFF = ["admin", "shandong", "jinan", "huaiyin", "dongying", "fuzhou"]
# Words that stay as they are in Chinese use: names of things, units and codes.
ALLOWED = {
    "API",
    "Excel",
    "PDF",
    "JPG",
    "PNG",
    "Word",
    "docx",
    "xlsx",
    "csv",
    "CSV",
    "JSON",
    "json",
    "SLA",
    "ID",
    "URL",
    "TOTP",
    "QR",
    "MB",
    "KB",
    "GB",
    "OK",
    "yaml",
    "tsv",
    "xls",
    "ods",
    "html",
    "HTML",
    "LDAP",  # in Django's own (translated) password help
    "HTTP",
    "unknown",  # django-axes records a missing user agent as "<unknown>"
    "CALL",  # the demo's open call is coded JN-2027-CALL
    # Key names in Django's own (translated) help for multiple choice.
    "Control",
    "Command",
    "Mac",
    # The demo's sign-in names: data, not words of the interface.
    *["admin", "shandong", "jinan", "huaiyin", "dongying", "fuzhou", "org", "worker", "volunteer"],
    *["dandong", "village", "county", "city", "officer"],
}


class VisibleText(HTMLParser):
    """The words a reader sees: text and the labels of buttons, not scripts or styles."""

    def __init__(self):
        super().__init__()
        self.words, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "noscript"}:
            self.hidden += 1
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.words.append(attributes.get("value") or "")
        for name in ("placeholder", "title", "aria-label"):
            if attributes.get(name):
                self.words.append(attributes[name])

    def handle_endtag(self, tag):
        if tag in {"script", "style", "noscript"}:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.words.append(data)


def english_words(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    # A masked value (a password hash's salt "beb******", a masked phone) is not a word.
    text = re.sub(r"\S*\*{3,}\S*", " ", " ".join(parser.words))
    return {word for word in re.findall(r"[A-Za-z]{3,}", text) if word not in ALLOWED}


def admin_pages(client) -> list[str]:
    """The index, and every changelist and add page it links to, with the import and export
    pages of the models that have them."""
    index = client.get("/admin/")
    pages = ["/admin/"]
    for app in index.context["app_list"]:
        for model in app["models"]:
            pages += [url for url in (model.get("admin_url"), model.get("add_url")) if url]
            for page in ("import", "export"):
                try:
                    url = reverse(f"admin:{app['app_label']}_{model['object_name'].lower()}_{page}")
                except NoReverseMatch:
                    continue
                if client.get(url).status_code == 200:
                    pages.append(url)
    return pages


@pytest.mark.parametrize("username", DEMO_STAFF)
def test_no_english_on_the_admin_pages(admin_client_as, demo, username):
    client = admin_client_as(username)
    found = {}
    for url in admin_pages(client):
        response = client.get(url)
        assert response.status_code == 200, url
        words = english_words(response.content.decode())
        if words:
            found[url] = sorted(words)
    assert found == {}


def test_the_check_sees_english():
    assert english_words("<p>选择 <b>Select all</b> Add</p><script>var x</script>") == {
        "Select",
        "all",
        "Add",
    }
    assert english_words("<p>盐: fdef******</p><p>bEb*****</p>") == set()  # masked values


def test_every_admin_change_page_of_a_demo_record_is_in_chinese(admin_client_as, demo):
    """The first record of each model, opened by the superuser."""
    client = admin_client_as("admin")
    found = {}
    for app in client.get("/admin/").context["app_list"]:
        for model in app["models"]:
            changelist = client.get(model["admin_url"])
            result = changelist.context.get("cl") if changelist.context else None
            if result is None or not result.result_list:
                continue
            record = result.result_list[0]
            try:
                url = reverse(
                    f"admin:{record._meta.app_label}_{record._meta.model_name}_change",
                    args=[record.pk],
                )
            except NoReverseMatch:
                continue
            words = english_words(client.get(url).content.decode())
            if words:
                found[url] = sorted(words)
    assert found == {}


def test_labels_that_were_other_words(admin_client_as, demo):
    """Seen: the volunteer model was called "志愿者人数", opportunities were "待回应 / 已结项",
    the access log's list was titled "选择个案查看查看", export choices read "Name (姓名)"."""
    from volunteers.choices import OpportunityStatus
    from volunteers.models import Volunteer

    assert str(Volunteer._meta.verbose_name_plural) == "志愿者"
    assert [str(label) for label in OpportunityStatus.labels] == ["报名中", "已截止"]
    client = admin_client_as("admin")
    assert "个案查看查看" not in client.get("/admin/cases/accesslog/").content.decode()
    export = client.get("/admin/volunteers/volunteer/export/").content.decode()
    assert ">姓名<" in export and "Name (" not in export
