"""The public-page sweep's own rules, checked without Chromium: which pages it visits and
how it reads a Content-Security-Policy (tests/browser/checks.py)."""

from . import public_pages
from .browser.checks import MAP_PAGES, carries_language, check_policy


def test_the_sweep_covers_the_home_page_and_the_catalogue_in_both_languages():
    ids = {(p.values[0].name, p.values[1]) for p in public_pages.page_params()}
    assert {(name, lang) for name in MAP_PAGES for lang in ("sv", "en")} <= ids
    assert len(ids) >= 10


def test_policy_check_rejects_unsafe_inline_and_report_only():
    problems, _nonce = check_policy(
        {"content-security-policy-report-only": "script-src 'self' 'unsafe-inline'"}
    )
    assert "no Content-Security-Policy header" in problems
    problems, nonce = check_policy(
        {"content-security-policy": "default-src 'self'; script-src 'self' 'unsafe-inline'"}
    )
    assert "script-src allows 'unsafe-inline'" in problems
    assert "no object-src" in problems
    assert nonce is None
    problems, nonce = check_policy(
        {
            "content-security-policy": "default-src 'self'; script-src 'self' "
            "'nonce-abcdefghijklmnop1234'; object-src 'none'; base-uri 'self'; "
            "frame-ancestors 'none'"
        }
    )
    # No page has inline code: a nonce means a page differs for every visitor.
    assert problems == ["script-src names a nonce"]
    assert nonce == "abcdefghijklmnop1234"
    problems, nonce = check_policy(
        {
            "content-security-policy": "default-src 'self'; script-src 'self'; style-src "
            "'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
        }
    )
    assert (problems, nonce) == ([], None)


def test_carries_language_ignores_names_numbers_and_addresses():
    names = ["index (Stockholm = 100)", "Huddinge kommun", "Huddinge", "Anna Berg"]
    for text in [
        "145 index (Stockholm = 100) (2019)",  # a unit translated as itself, with a number
        "2016–2018",
        "12.5 %",
        "Huddinge",
        "Huddinges",
        "Anna Berg, anna@example.se",
        "0180-akalla",
        "59.22760° N, 18.12910° E",
    ]:
        assert not carries_language(text, names), text
    for text in ["Huddinge kommun har", "Pågående", "Huddingebor", "Högst 2000 tecken."]:
        assert carries_language(text, names), text
