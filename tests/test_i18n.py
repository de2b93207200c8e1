"""Simplified Chinese by default, English selectable, and a complete compiled catalogue."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.conftest import require_or_skip

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def untranslated(po: polib.POFile) -> list[str]:
    return [entry.msgid for entry in po.untranslated_entries() + po.fuzzy_entries()]


def test_catalogue_is_complete():
    po = polib.pofile(str(PO))
    assert untranslated(po) == []
    assert not po.metadata_is_fuzzy


def test_compiled_catalogue_matches_the_source():
    def entries(catalogue):
        return {(entry.msgctxt, entry.msgid): entry.msgstr for entry in catalogue}

    po = entries(entry for entry in polib.pofile(str(PO)) if not entry.obsolete)
    mo = entries(polib.mofile(str(PO.with_suffix(".mo"))))
    stale = {key for key, msgstr in po.items() if key[1] and mo.get(key) != msgstr}
    assert stale == set(), "run `make messages` to recompile"


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages on a copy of the tree finds nothing new to translate."""
    require_or_skip(shutil.which("xgettext") is not None, "gettext (xgettext) is not installed")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "__pycache__"),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "zh_Hans",
            "--no-obsolete",
            "--ignore",
            "tests/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=300,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", **dict(__import__("os").environ)},
    )
    assert untranslated(polib.pofile(str(copy / PO.relative_to(ROOT)))) == []


@pytest.mark.django_db
def test_admin_speaks_chinese_by_default(admin_client_as):
    page = admin_client_as("huaiyin").get("/admin/").content.decode()
    assert "妇联项目服务平台" in page
    assert "工作台" in page
    assert "阵地" in page


@pytest.mark.django_db
def test_english_is_selectable(admin_client_as):
    client = admin_client_as("huaiyin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert "Workbench" in client.get("/admin/").content.decode()
