"""Every public page under the enforced Content-Security-Policy: no violation, no JS error.

The wrapped `page` fixture (tests/browser/conftest.py) fails a test on any console error; an init
script also records `securitypolicyviolation` events, which name the blocked directive.
"""

import re

import pytest

from .. import public_pages

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS_JS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} `
    + `(${event.sourceFile || ''}:${event.lineNumber || ''}) ${event.sample || ''}`);
}, true);
"""

INLINE_SCRIPTS_JS = """() => Array.from(document.querySelectorAll('script:not([src])'))
  .filter((s) => !['application/json', 'application/ld+json'].includes(s.type))
  .map((s) => s.nonce)"""


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0].lower()] = words[1:]
    return parsed


def check_policy(headers: dict) -> tuple[list[str], str | None]:
    """Problems with a response's CSP header, and the script nonce it names (if any).

    Django's CSP middleware puts the nonce in the header only when the page used it (an inline
    script or style carrying it); a page without inline code gets 'self' alone, which is
    stricter. The page check below requires a nonce whenever the page has inline code.
    """
    problems = []
    if "content-security-policy-report-only" in headers:
        problems.append("Content-Security-Policy-Report-Only sent (the policy must be enforced)")
    header = headers.get("content-security-policy")
    if not header:
        return [*problems, "no Content-Security-Policy header"], None
    policy = directives(header)
    nonce = None
    for directive in ("script-src", "style-src"):
        sources = policy.get(directive) or policy.get("default-src", [])
        nonces = [s for s in sources if re.fullmatch(r"'nonce-[A-Za-z0-9+/_=-]{16,}'", s)]
        if nonces and directive == "script-src":
            nonce = nonces[0][len("'nonce-") : -1]
        for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:"):
            if unsafe in sources:
                problems.append(f"{directive} allows {unsafe}")
    for directive in ("default-src", "object-src", "base-uri", "frame-ancestors"):
        if directive not in policy:
            problems.append(f"no {directive}")
    return problems, nonce


def page_problems(page, response) -> list[str]:
    problems, nonce = check_policy(response.all_headers())
    if response.status != 200:
        problems.append(f"status {response.status}")
    inline = page.evaluate(INLINE_SCRIPTS_JS)
    if inline and not nonce:
        problems.append(f"{len(inline)} inline script(s) but no nonce in the policy")
    for script_nonce in inline:
        if script_nonce != nonce:
            problems.append(f"inline script with nonce {script_nonce!r}, policy {nonce!r}")
    # Open a map popup too: its content is built by our script after load.
    marker = page.locator(".leaflet-marker-icon").first
    if marker.count():
        marker.click()
        page.wait_for_selector(".leaflet-popup-content")
    problems += page.evaluate("() => window.__cspViolations")
    problems += page.console_errors
    page.console_errors.clear()
    return problems


def test_public_pages_run_under_an_enforced_nonce_policy_without_violations(live_server, page):
    """Every public page, Swedish and English, twice: the second answer may come from the page
    cache, which must stamp the fresh nonce into the stored page."""
    public_pages.load_demo_data()
    page.add_init_script(RECORD_VIOLATIONS_JS)
    pages = public_pages.public_pages()
    failures = {}
    nonces = {}
    for name, path in pages:
        for visit in ("first visit", "second visit"):
            response = page.goto(live_server.url + path)
            public_pages.wait_until_ready(page)
            if problems := page_problems(page, response):
                failures[f"{name} {path} ({visit})"] = problems
            nonces.setdefault(path, []).append(check_policy(response.all_headers())[1])
    # The pages with maps start them with an inline script, so their policy names a nonce,
    # and a new one for every response.
    for path in ("/", "/testbaddar/", "/en/", "/en/testbaddar/"):
        first, second = nonces[path]
        assert first and second and first != second, (path, nonces[path])
    assert not failures, public_pages.report(failures)


def test_a_violation_would_be_reported(live_server, page):
    """The harness can fail: an inline script without the nonce is blocked and recorded."""
    page.add_init_script(RECORD_VIOLATIONS_JS)
    public_pages.load_demo_data()
    page.goto(f"{live_server.url}/kommuner/")
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__ran = true'; document.body.append(s); }"""
    )
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert page.evaluate("() => window.__ran") is None
    assert "script-src-elem blocked inline" in page.evaluate("() => window.__cspViolations")[0]
    assert page.console_errors, "Chromium also logs the violation as a console error"
    page.console_errors.clear()


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
    assert problems == []
    assert nonce == "abcdefghijklmnop1234"
