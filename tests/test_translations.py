"""Message catalogues complete, compiled and in step with the source; a working language switch.

Catalogues live in locale/{sv,en}/LC_MESSAGES/django.po with the compiled .mo committed (a fresh
machine may lack GNU gettext). After adding strings, run the makemessages command in the README,
fill every msgstr, and compile.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import polib
import pytest
from django.conf import settings

from . import public_pages

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# The same arguments as the makemessages command in the README and the common brief.
MAKEMESSAGES_IGNORE = [".venv", "var", "tests", "fixtures"]
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", "var", ".git", "__pycache__", "*.pyc", ".ruff_cache", ".pytest_cache", "node_modules"
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def po_file(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def key(entry: polib.POEntry) -> tuple:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def live_keys(po: polib.POFile) -> set[tuple]:
    return {key(e) for e in po if not e.obsolete}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    po = po_file(language)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated in {language}:\n" + "\n".join(
        untranslated
    )
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}:\n" + "\n".join(fuzzy)
    assert len(po.translated_entries()) > 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_the_msgid(language):
    """A lost or renamed %(name)s would raise KeyError (a 500) when the page renders."""
    wrong = []
    for entry in po_file(language).translated_entries():
        expected = set(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            for text in entry.msgstr_plural.values():
                if set(PLACEHOLDER.findall(text)) - set(PLACEHOLDER.findall(entry.msgid_plural)):
                    wrong.append((entry.msgid, text))
        elif set(PLACEHOLDER.findall(entry.msgstr)) != expected:
            wrong.append((entry.msgid, entry.msgstr))
    assert wrong == []


def test_swedish_and_english_catalogues_have_the_same_entries():
    assert live_keys(po_file("sv")) == live_keys(po_file("en"))


def read_mo(path) -> gettext.GNUTranslations:
    with open(path, "rb") as handle:
        return gettext.GNUTranslations(handle)


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_mo_file_is_compiled_from_the_po_file(language, tmp_path):
    po = po_file(language)
    fresh = tmp_path / "django.mo"
    po.save_as_mofile(str(fresh))
    committed = read_mo(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo")
    expected = read_mo(fresh)
    committed_catalog = {k: v for k, v in committed._catalog.items() if k != ""}
    expected_catalog = {k: v for k, v in expected._catalog.items() if k != ""}
    stale = set(committed_catalog.keys() ^ expected_catalog.keys())
    stale |= {
        k
        for k in committed_catalog.keys() & expected_catalog.keys()
        if committed_catalog[k] != expected_catalog[k]
    }
    assert not stale, (
        f"locale/{language}/LC_MESSAGES/django.mo is out of date with the .po file "
        f"(run compilemessages): {sorted(map(str, stale))[:10]}"
    )
    assert committed._info.get("plural-forms") == expected._info.get("plural-forms")
    assert [committed.plural(n) for n in range(4)] == [expected.plural(n) for n in range(4)]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogue makemessages makes from the source, merged into a copy of locale/.

    The project (without .venv, var, .git) is copied to a temporary folder and makemessages runs
    there, so the committed catalogues are never touched.
    """
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext (xgettext) is not installed: makemessages cannot run")
    copy = tmp_path_factory.mktemp("project") / "project"
    shutil.copytree(settings.BASE_DIR, copy, ignore=COPY_IGNORE)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    env["DJANGO_DEBUG"] = "1"
    env["DJANGO_SETTINGS_MODULE"] = "sodertorn.settings"
    command = [sys.executable, "manage.py", "makemessages", "--locale", "sv", "--no-location"]
    command += [f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORE]
    result = subprocess.run(
        command, cwd=copy, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    return polib.pofile(str(copy / "locale" / "sv" / "LC_MESSAGES" / "django.po"))


def test_catalogue_holds_exactly_the_strings_makemessages_extracts(extracted):
    committed = live_keys(po_file("sv"))
    current = live_keys(extracted)
    missing = sorted(current - committed)
    stale = sorted(committed - current)
    assert not missing, (
        "strings in the code or templates that are missing from locale/ (run makemessages "
        "and translate them):\n" + "\n".join(map(repr, missing))
    )
    assert not stale, (
        "strings in locale/ that are no longer in the code (run makemessages):\n"
        + "\n".join(map(repr, stale))
    )


class LanguageLinks(HTMLParser):
    """<html lang>, the hreflang alternates in <head> and the language switch links (those in
    the switch's own ``<nav>``: a page's links to Swedish-only sources carry hreflang too)."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.alternates = {}
        self.switch = {}
        self.in_switch = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.alternates[attrs["hreflang"]] = attrs["href"]
        elif tag == "nav" and "lang-switch" in (attrs.get("class") or "").split():
            self.in_switch = True
        elif tag == "a" and "hreflang" in attrs and self.in_switch:
            self.switch[attrs["hreflang"]] = attrs["href"]

    def handle_endtag(self, tag):
        if tag == "nav":
            self.in_switch = False


def language_links(response) -> LanguageLinks:
    parser = LanguageLinks()
    parser.feed(response.text)
    return parser


demo_media, _media_root, demo_db, demo = public_pages.demo_fixtures()


def test_language_switch_keeps_the_page_and_the_query(client, demo):
    query = "?q=gr%C3%B6na+str%C3%A5k&sort=title"
    swedish = [path for _name, path in public_pages.public_pages() if not path.startswith("/en/")]
    assert len(swedish) >= 4
    for sv_path in swedish:
        sv_page = client.get(sv_path + query)
        assert sv_page.status_code == 200, sv_path
        links = language_links(sv_page)
        assert links.lang == "sv", sv_path
        en_url = links.switch["en"]
        assert en_url == f"/en{sv_path}{query}", (sv_path, en_url)
        assert urlsplit(links.alternates["en"]).path == f"/en{sv_path}"
        assert "sv" not in links.switch  # the current language is not a link

        en_page = client.get(en_url)
        assert en_page.status_code == 200, en_url
        back = language_links(en_page)
        assert back.lang == "en", en_url
        assert back.switch["sv"] == sv_path + query
        assert "en" not in back.switch
