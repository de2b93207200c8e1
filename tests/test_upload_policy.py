"""One upload policy for every file field (issue 11, finding 1).

The review found that the admin's menu-item photo accepted any file and that its URL served it
inline with a type guessed from the name, so an uploaded .html or .svg "photo" could load an
uploaded .js "photo" as same-origin script. Here: every file field is under core.uploads, each
upload path refuses what is not a JPG/PNG/PDF/Word/Excel file by its bytes, images are stored
re-encoded, and every stored file is served with its real type, nosniff and a sandbox.
"""

import contextlib
import io
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.apps import apps
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from core import uploads
from core.uploads import POLICIES, PolicyFileField, UploadRefused
from dashboards.models import DashboardExport
from menu import services as menu_services
from menu.models import MenuItem, OrderPhoto
from projects.models import ReportAttachment
from tests.factories import huaiyin_orders, the_day_comes
from tests.test_menu_workflow import TOMORROW, at_window
from tests.test_portal import latest_report
from tests.upload_files import (
    HTML,
    PDF,
    SCRIPT,
    SVG,
    docx_bytes,
    jpeg_bytes,
    png_bytes,
    xlsx_bytes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.demo("menu")]

ATTACKS = [
    pytest.param("photo.html", HTML, id="html"),
    pytest.param("photo.svg", SVG, id="svg"),
    pytest.param("photo.js", SCRIPT, id="js"),
    # The name of an allowed type changes nothing: the bytes decide.
    pytest.param("photo.png", SVG, id="svg-named-png"),
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def assert_served_safely(response, content_type, inline):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline" if inline else "attachment"), disposition


def reencoded_picture(data: bytes, image_format: str):
    from PIL import Image

    assert b"<script" not in data and b"__xss" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == image_format
        return image.size


# (a) The walk ----------------------------------------------------------------------------------


def test_every_file_field_of_every_model_is_under_the_upload_policy():
    found, outside = [], []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.FileField):  # ImageField is a FileField too
                continue
            label = f"{model._meta.label}.{field.name}"
            found.append(label)
            policy = getattr(field, "policy", None)
            if not isinstance(field, PolicyFileField) or policy not in POLICIES.values():
                outside.append(label)
    assert outside == [], f"file fields outside core.uploads: {outside}"
    assert {
        "menu.MenuItem.photo",
        "menu.OrderPhoto.file",
        "projects.ReportAttachment.file",
        "dashboards.DashboardExport.file",
    } <= set(found)


def test_each_fields_policy():
    policy = {
        (model, name): model._meta.get_field(name).policy
        for model, name in [
            (MenuItem, "photo"),
            (OrderPhoto, "file"),
            (ReportAttachment, "file"),
            (DashboardExport, "file"),
        ]
    }
    assert policy[MenuItem, "photo"] is uploads.PHOTOS
    assert policy[OrderPhoto, "file"] is uploads.PHOTOS
    assert policy[ReportAttachment, "file"] is uploads.DOCUMENTS
    assert policy[DashboardExport, "file"] is uploads.SERVER_EXPORTS
    assert not uploads.SERVER_EXPORTS.uploaded
    for each in POLICIES.values():
        assert each.max_bytes > 0
        assert {file_type.name for file_type in each.types} <= {
            "jpeg",
            "png",
            "pdf",
            "docx",
            "xlsx",
        }


def test_no_view_serves_a_stored_file_but_through_the_policy():
    """FileResponse and opening a stored file for reading happen in core/uploads.py only."""
    root = Path(__file__).resolve().parent.parent
    # The project's own apps: those whose folder sits right in the project's root.
    sources = [root / "config"] + [
        Path(config.path) for config in apps.get_app_configs() if Path(config.path).parent == root
    ]
    assert len(sources) > 5
    offenders = sorted(
        str(path.relative_to(root))
        for source in sources
        for path in source.rglob("*.py")
        if path != root / "core" / "uploads.py"
        and "migrations" not in path.parts
        and ("FileResponse" in path.read_text() or '.open("rb")' in path.read_text())
    )
    assert offenders == []


# The policy on its own ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (png_bytes(), "image/png"),
        (jpeg_bytes(), "image/jpeg"),
        (PDF, "application/pdf"),
        (docx_bytes(), uploads.DOCX.content_type),
        (xlsx_bytes(), uploads.XLSX.content_type),
    ],
    ids=["png", "jpeg", "pdf", "docx", "xlsx"],
)
def test_what_users_attach_today_is_still_accepted(data, content_type):
    checked = uploads.DOCUMENTS.check(SimpleUploadedFile("any name at all.bin", data))
    assert checked.content_type == content_type
    assert checked.name == "any name at all" + checked.file_type.extension


@pytest.mark.parametrize(
    "data",
    [
        HTML,
        SVG,
        SCRIPT,
        b"MZ\x90\x00",
        b"PK\x03\x04 not a zip",
        b"",
        b"\x89PNG\r\n\x1a\n" + b"0" * 64,
    ],
    ids=["html", "svg", "js", "exe", "broken-zip", "empty", "png-header-only"],
)
def test_anything_else_is_refused(data):
    with pytest.raises(UploadRefused) as refusal:
        uploads.DOCUMENTS.check(SimpleUploadedFile("a.pdf", data))
    assert str(refusal.value.message)


def test_a_zip_that_is_no_office_file_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", HTML)
    with pytest.raises(UploadRefused):
        uploads.DOCUMENTS.check(SimpleUploadedFile("report.docx", buffer.getvalue()))


def test_too_large_is_refused_before_reading():
    upload = SimpleUploadedFile("big.pdf", PDF)
    upload.size = 21 * 1024 * 1024
    with pytest.raises(UploadRefused) as refusal:
        uploads.DOCUMENTS.check(upload)
    assert refusal.value.message == uploads.DOCUMENTS.too_large


def test_a_picture_claiming_a_huge_size_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_IMAGE_PIXELS", 100)
    with pytest.raises(UploadRefused):
        uploads.PHOTOS.check(SimpleUploadedFile("a.png", png_bytes(size=(20, 20))))


def test_images_are_reencoded_without_what_was_appended():
    for data, image_format in [(png_bytes(), "PNG"), (jpeg_bytes(), "JPEG")]:
        checked = uploads.PHOTOS.check(SimpleUploadedFile("x.html", data + HTML + SCRIPT))
        stored = checked.read()
        assert reencoded_picture(stored, image_format) == (8, 6)
        assert checked.name.endswith(checked.file_type.extension)


def test_refusals_are_translated():
    from django.utils import translation

    with translation.override("zh-hans"):
        with pytest.raises(UploadRefused) as refusal:
            uploads.PHOTOS.check(SimpleUploadedFile("a.svg", SVG))
        assert str(refusal.value.message) == "照片请用 JPG 或 PNG 格式。"


# (b) Finding 1 as it was found: the admin's menu-item photo -------------------------------------


def admin_change_data(response) -> dict:
    """What the admin change form would post back unchanged: its fields and its inlines."""
    data = {}

    def put(form, name):
        value = form[name].value()
        if value is None or value is False or isinstance(value, File):
            return
        if isinstance(value, list | tuple):
            data[form.add_prefix(name)] = [str(each) for each in value]
        else:
            data[form.add_prefix(name)] = "on" if value is True else str(value)

    form = response.context["adminform"].form
    for name in form.fields:
        put(form, name)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = str(value)
        for inline_form in formset.forms:
            for name in inline_form.fields:
                put(inline_form, name)
    return data


def post_admin_photo(client, item, name, data):
    url = f"/admin/menu/menuitem/{item.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    return client.post(
        url, {**admin_change_data(page), "photo": SimpleUploadedFile(name, data), "_save": "1"}
    )


@pytest.mark.parametrize(("name", "data"), ATTACKS)
def test_the_admin_refuses_html_svg_and_script_as_a_menu_photo(
    admin_client_as, workshop, media, name, data
):
    response = post_admin_photo(admin_client_as("jinan"), workshop, name, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "photo" in errors, errors
    assert str(errors["photo"][0]) in {
        "照片请用 JPG 或 PNG 格式。",
        "文件内容与其类型不符。",
    }
    workshop.refresh_from_db()
    assert not workshop.photo
    assert stored_files(media) == []


def test_the_admin_stores_a_menu_photo_reencoded_and_serves_it_as_an_image(
    admin_client_as, workshop, media
):
    client = admin_client_as("jinan")
    response = post_admin_photo(client, workshop, "工坊.png", png_bytes() + SCRIPT + HTML)
    assert response.status_code == 302, response.context["adminform"].form.errors
    workshop.refresh_from_db()
    assert workshop.photo.name.endswith(".png")
    assert reencoded_picture(Path(workshop.photo.path).read_bytes(), "PNG") == (8, 6)

    served = client.get(f"/menu/items/{workshop.pk}/photo/")
    assert_served_safely(served, "image/png", inline=True)
    assert reencoded_picture(body(served), "PNG") == (8, 6)


def test_a_real_picture_named_html_is_stored_as_a_picture(admin_client_as, workshop, media):
    client = admin_client_as("jinan")
    response = post_admin_photo(client, workshop, "photo.html", jpeg_bytes() + HTML)
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.photo.name.endswith("photo.jpg")
    assert_served_safely(client.get(f"/menu/items/{workshop.pk}/photo/"), "image/jpeg", True)


def test_the_portals_service_form_goes_through_the_same_policy(admin_client_as, workshop, media):
    from tests.test_menu_pages import service_form

    response = admin_client_as("jinan-org").post(
        f"/portal/services/{workshop.pk}/",
        {
            **service_form(workshop.organization, title=workshop.title),
            "photo": SimpleUploadedFile("photo.svg", SVG),
        },
    )
    assert response.status_code == 200
    assert "照片请用 JPG 或 PNG 格式。" in response.content.decode()
    assert stored_files(media) == []


@pytest.mark.parametrize(("name", "data"), ATTACKS)
def test_a_photo_stored_before_the_policy_is_served_as_an_opaque_download(
    admin_client_as, workshop, media, name, data
):
    """Files uploaded before the fix stay where they are; they are never rendered."""
    workshop.photo.name = f"menu/items/old/{name}"
    (media / "menu/items/old").mkdir(parents=True, exist_ok=True)
    (media / workshop.photo.name).write_bytes(data)
    MenuItem.objects.filter(pk=workshop.pk).update(photo=workshop.photo.name)
    served = admin_client_as("huaiyin").get(f"/menu/items/{workshop.pk}/photo/")
    assert_served_safely(served, "application/octet-stream", inline=False)
    assert ".bin" in served["Content-Disposition"]


def test_saving_past_the_form_still_goes_through_the_policy(workshop, media):
    with pytest.raises(UploadRefused):
        workshop.photo.save("photo.html", ContentFile(HTML))
    assert stored_files(media) == []
    workshop.photo.save("photo.png", ContentFile(png_bytes() + SCRIPT))
    assert reencoded_picture(Path(workshop.photo.path).read_bytes(), "PNG") == (8, 6)


# (c) Report attachments and order photos ----------------------------------------------------------


REPORT_FORM = {
    "narrative": "开展汽车故障速解工坊",
    "activities_held": "2",
    "women_served": "25",
    "children_served": "0",
    "families_served": "0",
    "spending": "1500.00",
    "save": "1",
}


def attach(client, report, name, data):
    return client.post(
        f"/portal/reports/{report.pk}/",
        {**REPORT_FORM, "attachment": SimpleUploadedFile(name, data)},
    )


@pytest.mark.parametrize(("name", "data"), ATTACKS)
def test_a_report_attachment_of_html_svg_or_script_is_refused(
    admin_client_as, demo, media, name, data
):
    report = latest_report("JN-2024-001")
    response = attach(admin_client_as("jinan-org"), report, name, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "只能上传 PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）文件。" in page or (
        "文件内容与其类型不符。" in page
    )
    assert report.attachments.count() == 0
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("预算.pdf", PDF, "application/pdf"),
        ("总结.docx", docx_bytes(), uploads.DOCX.content_type),
        ("签到表.xlsx", xlsx_bytes(), uploads.XLSX.content_type),
    ],
    ids=["pdf", "docx", "xlsx"],
)
def test_a_document_attachment_is_served_as_a_download(
    admin_client_as, demo, media, name, data, content_type
):
    report = latest_report("JN-2024-001")
    client = admin_client_as("jinan-org")
    assert attach(client, report, name, data).status_code == 302
    attachment = report.attachments.get()
    assert (attachment.content_type, attachment.original_name) == (content_type, name)
    served = client.get(f"/attachments/{attachment.pk}/")
    assert_served_safely(served, content_type, inline=False)
    assert body(served) == data


def test_a_picture_attachment_is_reencoded_and_shown(admin_client_as, demo, media):
    report = latest_report("JN-2024-001")
    client = admin_client_as("jinan-org")
    assert attach(client, report, "签到表.jpg", jpeg_bytes() + SCRIPT).status_code == 302
    attachment = report.attachments.get()
    assert attachment.content_type == "image/jpeg"
    assert attachment.size == attachment.file.size
    served = client.get(f"/attachments/{attachment.pk}/")
    assert_served_safely(served, "image/jpeg", inline=True)
    assert reencoded_picture(body(served), "JPEG") == (8, 6)


def test_an_attachment_whose_stored_type_disagrees_with_its_bytes_is_opaque(
    admin_client_as, demo, media
):
    report = latest_report("JN-2024-001")
    client = admin_client_as("jinan-org")
    assert attach(client, report, "预算.pdf", PDF).status_code == 302
    attachment = report.attachments.get()
    ReportAttachment.objects.filter(pk=attachment.pk).update(content_type="text/html")
    served = client.get(f"/attachments/{attachment.pk}/")
    assert_served_safely(served, "application/octet-stream", inline=False)


@pytest.fixture
def scheduled_order(workshop, places, user_named):
    order = huaiyin_orders(workshop, places.yingshijie, days=7, participants=12)
    organization = user_named("jinan-org")
    menu_services.order_accept(actor=organization, order=order)
    menu_services.order_schedule(
        actor=organization, order=order, scheduled_at=at_window(order), place="社区"
    )
    return the_day_comes(order)


def deliver(client, order, name, data):
    return client.post(
        f"/menu/orders/{order.pk}/deliver/",
        {
            "deliver-actual_participants": "9",
            "deliver-volunteers": "1",
            "deliver-photo": SimpleUploadedFile(name, data),
        },
    )


@pytest.mark.parametrize(("name", "data"), [*ATTACKS, pytest.param("scan.pdf", PDF, id="pdf")])
def test_an_order_photo_of_anything_but_a_picture_is_refused(
    admin_client_as, scheduled_order, media, name, data
):
    response = deliver(admin_client_as("jinan-org"), scheduled_order, name, data)
    assert response.status_code == 400
    assert "照片请用 JPG 或 PNG 格式。" in response.content.decode() or (
        "文件内容与其类型不符。" in response.content.decode()
    )
    scheduled_order.refresh_from_db()
    assert scheduled_order.status == "scheduled" and not scheduled_order.photos.exists()
    assert stored_files(media) == []


def test_an_order_photo_is_reencoded_and_served_as_an_image(
    admin_client_as, scheduled_order, media
):
    response = deliver(
        admin_client_as("jinan-org"), scheduled_order, "现场.jpg", jpeg_bytes() + HTML
    )
    assert response.status_code == 302
    photo = scheduled_order.photos.get()
    assert (photo.content_type, photo.original_name) == ("image/jpeg", "现场.jpg")
    served = admin_client_as("huaiyin").get(f"/menu/photos/{photo.pk}/")
    assert_served_safely(served, "image/jpeg", inline=True)
    assert reencoded_picture(body(served), "JPEG") == (8, 6)


def test_a_dashboard_export_is_a_server_written_workbook_served_as_a_download(
    admin_client_as, places, user_named, media
):
    export = DashboardExport.objects.create(
        user=user_named("jinan"),
        federation=places.jinan,
        start=TOMORROW,
        end=TOMORROW,
        status="done",
    )
    with pytest.raises(UploadRefused):
        export.file.save("dashboard.xlsx", ContentFile(HTML))
    export.file.save("dashboard.xlsx", ContentFile(xlsx_bytes()))
    served = admin_client_as("jinan").get(f"/dashboards/exports/{export.pk}/download/")
    assert_served_safely(served, uploads.XLSX.content_type, inline=False)
    # Named for whose figures they are (济南市妇联及下级数据看板_…), written as RFC 5987 asks.
    assert unquote(served["Content-Disposition"]).endswith(".xlsx")
    assert "济南市妇联及下级数据看板" in unquote(served["Content-Disposition"])


def test_no_form_offers_to_upload_a_server_written_export():
    from django.forms import modelform_factory

    form = modelform_factory(DashboardExport, fields="__all__")()
    assert "file" not in form.fields


def test_a_stored_file_gone_from_storage_is_404_not_500(admin_client_as, workshop, media):
    MenuItem.objects.filter(pk=workshop.pk).update(photo="menu/items/gone.png")
    assert admin_client_as("jinan").get(f"/menu/items/{workshop.pk}/photo/").status_code == 404


# (d) The stored-XSS chain, replayed in headless Chromium ---------------------------------------


def planted_photo(item, media, name, data):
    """A file put straight into storage, as if uploaded before the policy existed."""
    path = media / "menu/items/before-the-policy" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    MenuItem.objects.filter(pk=item.pk).update(photo=str(path.relative_to(media)))
    return f"/menu/items/{item.pk}/photo/"


def another_item(workshop, title):
    return MenuItem.objects.create(
        organization=workshop.organization,
        title=title,
        domain=workshop.domain,
        format=workshop.format,
        duration_minutes=60,
        capacity_per_session=10,
        sessions_per_month=1,
        unit_cost=workshop.unit_cost,
    )


LOAD_SCRIPT = """(src) => new Promise((resolve) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => resolve("ran");
    script.onerror = () => resolve("blocked");
    document.head.appendChild(script);
})"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_stored_xss_chain_runs_no_script_in_chromium(live_server, workshop, browser, media):
    from playwright.sync_api import Error as PlaywrightError

    from tests.conftest import sign_in_to_admin

    script_url = planted_photo(
        another_item(workshop, "脚本"), media, "payload.js", b"window.__xss = 1; alert(1);\n"
    )
    html_url = planted_photo(
        workshop,
        media,
        "photo.html",
        f'<!doctype html><script src="{script_url}"></script><p id="page">x</p>'.encode(),
    )
    svg_url = planted_photo(
        another_item(workshop, "矢量图"),
        media,
        "photo.svg",
        f'<svg xmlns="http://www.w3.org/2000/svg"><script href="{script_url}"/></svg>'.encode(),
    )
    picture = another_item(workshop, "照片")
    picture.photo.save("photo.png", ContentFile(png_bytes() + SCRIPT))

    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    dialogs, downloads = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("download", lambda download: downloads.append(download))
    sign_in_to_admin(page, live_server.url, "jinan")

    # The "photos" an attacker would link to: each is a download of opaque bytes, never a page
    # (before the policy, the .html and the .svg rendered and ran the .js: window.__xss was 1).
    for url in [html_url, svg_url, script_url]:
        # Chromium aborts a navigation that turns into a download.
        with contextlib.suppress(PlaywrightError):
            page.goto(live_server.url + url)
        page.wait_for_timeout(300)
        assert page.evaluate("() => window.__xss") is None, url
    assert [download.suggested_filename[-4:] for download in downloads] == [".bin"] * 3

    # The second half of the chain: a page of the site loading the .js "photo" as a script.
    page.goto(f"{live_server.url}/menu/")
    assert page.evaluate(LOAD_SCRIPT, script_url) == "blocked"
    assert page.evaluate("() => window.__xss") is None

    # A real, re-encoded photo still opens as a picture.
    response = page.goto(f"{live_server.url}/menu/items/{picture.pk}/photo/")
    assert response.headers["content-type"] == "image/png"
    assert page.evaluate("() => document.images.length && document.images[0].naturalWidth") == 8
    assert page.evaluate("() => window.__xss") is None
    assert dialogs == []
    context.close()
