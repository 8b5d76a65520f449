"""The checks of the public-page sweep (tests/browser/test_public_page_sweep.py), for reuse.

* axe-core: WCAG 2.1 A/AA rules, none disabled but those in ``DISABLED_RULES`` (``violations``).
* Content-Security-Policy: an enforced policy of 'self' with no nonce and no inline script,
  ``securitypolicyviolation`` events recorded by an init script (``RECORD_VIOLATIONS_JS``).
* Keyboard: Tab reaches every interactive element in DOM order, each with a visible focus
  indicator and on screen. The Tab sequence is recorded inside the page by one injected
  listener (``SETUP_JS``) and read once after all Tab presses (``tab_through``), instead of one
  browser round trip per Tab.
"""

import re

from axe_playwright_python.sync_playwright import Axe

from .. import public_pages

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The pages with a map of testbeds (started by static/js/maps.js from its data attributes), with
# the id of their map: the skip link and the map internals are checked there in detail.
MAP_PAGES = {"testbeds:home": "home-map", "testbeds:list": "catalogue-map"}
# axe rules the sweep turns off, rule id -> reason. Empty: no rule is disabled (Leaflet's own
# controls and markers are checked like everything else). Every rule listed here must be a
# shortcoming in the accessibility statement (about/tests/test_statement.py checks it).
DISABLED_RULES: dict[str, str] = {}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
    "rules": {rule: {"enabled": False} for rule in DISABLED_RULES},
}
axe = Axe()


def violations(page) -> list[str]:
    public_pages.wait_until_ready(page)
    result = axe.run(page, options=AXE_OPTIONS)
    found = []
    for violation in result.response["violations"]:
        for node in violation["nodes"]:
            found.append(
                f"{violation['id']} ({violation['impact']}): {node['target']} – "
                f"{node.get('failureSummary', '').splitlines()[-1:]}"
            )
    return found


def goto_error_page(page, url, status):
    """Chromium logs the document's own error status as a console error: drop exactly that
    one (a missing stylesheet or script on the page would still fail the test)."""
    before = len(page.console_errors)
    response = page.goto(url)
    assert response.status == status, url
    public_pages.wait_until_ready(page)
    new = page.console_errors[before:]
    assert len(new) == 1 and str(status) in new[0], new
    del page.console_errors[before]


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

    No page has inline code, so a nonce in the policy is a problem too: a page that used one
    would differ for every visitor and could not be kept by a shared cache.
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
        if nonces:
            problems.append(f"{directive} names a nonce")
            if directive == "script-src":
                nonce = nonces[0][len("'nonce-") : -1]
        for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:"):
            if unsafe in sources:
                problems.append(f"{directive} allows {unsafe}")
    for directive in ("default-src", "object-src", "base-uri", "frame-ancestors"):
        if directive not in policy:
            problems.append(f"no {directive}")
    return problems, nonce


def page_problems(page, response) -> list[str]:
    problems, _nonce = check_policy(response.all_headers())
    if response.status != 200:
        problems.append(f"status {response.status}")
    if inline := page.evaluate(INLINE_SCRIPTS_JS):
        problems.append(f"{len(inline)} inline script(s)")
    # Open a map popup too: its content is built by our script after load.
    marker = page.locator(".leaflet-marker-icon").first
    if marker.count():
        marker.click()
        page.wait_for_selector(".leaflet-popup-content")
    problems += page.evaluate("() => window.__cspViolations")
    problems += page.console_errors
    page.console_errors.clear()
    return problems


# What the browser should put in the Tab sequence: natively focusable controls plus anything
# with a tabindex (Leaflet's map container and markers), minus tabindex="-1" and what is not
# rendered (closed <details>, display:none). A group of radio buttons is one Tab stop (the
# arrow keys move within it): its checked button, or its first when none is checked. Each gets
# data-tab-expected="<position>".
FOCUSABLES_JS = """() => {
  const selector = 'a[href], area[href], button, input, select, textarea, summary, iframe, '
    + '[tabindex], [contenteditable="true"]';
  const shown = Array.from(document.querySelectorAll(selector)).filter((el) => {
    if (el.tabIndex < 0 || el.disabled) return false;
    if (el.matches('input[type="hidden"]')) return false;
    if (el.closest('[inert]')) return false;
    return el.checkVisibility({visibilityProperty: true}) && el.getClientRects().length > 0;
  });
  const radioStop = new Map();
  for (const el of shown) {
    if (!el.matches('input[type="radio"][name]')) continue;
    const group = `${el.form ? Array.from(document.forms).indexOf(el.form) : -1}/${el.name}`;
    const stop = radioStop.get(group);
    if (!stop || (el.checked && !stop.checked)) radioStop.set(group, el);
  }
  return shown.filter((el) => {
    if (!el.matches('input[type="radio"][name]')) return true;
    return Array.from(radioStop.values()).includes(el);
  }).map((el, index) => {
    el.dataset.tabExpected = String(index);
    return window.__describe(el);
  });
}"""

# Injected once per visit: helpers, and a listener that records every Tab stop in the page (the
# focused element, whether it follows the previous one in DOM order, its focus styles and
# whether it is on screen), read once by tab_through() after all the Tab presses. It listens to
# keyup, i.e. after the browser has moved focus and scrolled, as a read after each press did.
# Recording stops once focus has left the page or wrapped round to the first stop.
SETUP_JS = """() => {
  window.__describe = (el) => {
    const text = (el.getAttribute('aria-label') || el.getAttribute('title') || el.textContent
      || el.getAttribute('alt') || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    const name = typeof el.className === 'string' ? el.className : '';
    const classes = name.trim() ? '.' + name.trim().split(/\\s+/).slice(0, 2).join('.') : '';
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${classes}`
      + (text ? ` "${text}"` : '');
  };
  window.__style = (el) => {
    const s = getComputedStyle(el);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow];
  };
  window.__seq = [];
  window.__steps = [];
  window.__tabDone = false;
  if (!window.__tabListener) {
    window.__tabListener = (event) => {
      if (event.key !== 'Tab' || window.__tabDone) return;
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement
          || el === window.__seq[0]) {
        window.__tabDone = true;
        return;
      }
      const previous = window.__seq[window.__seq.length - 1];
      window.__seq.push(el);
      const box = el.getBoundingClientRect();
      window.__steps.push({
        expected: el.dataset ? (el.dataset.tabExpected ?? null) : null,
        description: window.__describe(el),
        inOrder: !previous || previous === el
          || Boolean(previous.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING),
        style: window.__style(el),
        onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
          && box.top < innerHeight && box.left < innerWidth,
      });
    };
    document.addEventListener('keyup', window.__tabListener, true);
  }
  // Tab "from the top": start sequential navigation before the first element of <body>, even on
  // a page that focuses a field on load (the login form).
  let start = document.getElementById('__tab-start');
  if (!start) {
    start = document.createElement('span');
    start.id = '__tab-start';
    start.tabIndex = -1;
    document.body.prepend(start);
  }
  start.focus();
}"""

# Once, after the Tab presses: the recorded steps, each with its element's styles unfocused.
STEPS_JS = """() => { document.activeElement.blur();
  return window.__steps.map((step, i) => ({...step, unfocused: window.__style(window.__seq[i])}));
}"""


def focus_indicator_visible(style) -> bool:
    outline_style, outline_width, _colour, box_shadow = style
    outline = outline_style != "none" and float(outline_width.removesuffix("px") or 0) >= 1
    return outline or box_shadow != "none"


def open_page(page, url):
    page.goto(url)
    public_pages.wait_until_ready(page)
    page.evaluate(SETUP_JS)


# Tab presses between two looks at whether the page has seen focus leave (window.__tabDone).
TAB_BATCH = 10


def press_tab_until_done(page, limit: int) -> None:
    """Press Tab until the recording listener has seen focus leave the page (at most `limit`
    times). Real key presses are needed (a key event made in JavaScript does not move focus);
    the page is asked only once per TAB_BATCH presses."""
    pressed = 0
    while pressed < limit:
        for _ in range(min(TAB_BATCH, limit - pressed)):
            page.keyboard.press("Tab")
        pressed += TAB_BATCH
        if page.evaluate("() => window.__tabDone"):
            return


def tab_through(page) -> tuple[list[str], list[dict]]:
    """Press Tab from the top until focus leaves the page: (expected elements, focus steps).

    The page records each stop itself (SETUP_JS); the steps are read once at the end."""
    page.evaluate(SETUP_JS)
    expected = page.evaluate(FOCUSABLES_JS)
    press_tab_until_done(page, len(expected) * 2 + 20)
    return expected, page.evaluate(STEPS_JS)


def tab_order_problems(page) -> list[str]:
    """Tab reaches every expected element in DOM order, each with a visible focus indicator.

    Elements the browser focuses beyond the expected ones (Chromium also tabs to Leaflet's
    vector areas that carry a tooltip) are allowed, but must keep DOM order and show focus too.
    """
    problems = []
    if page.locator("[tabindex]:not([tabindex='0']):not([tabindex='-1'])").count():
        problems.append("a positive tabindex breaks the DOM order")
    expected, steps = tab_through(page)
    return problems + steps_problems(expected, steps)


def steps_problems(expected, steps) -> list[str]:
    problems = []
    reached = [int(s["expected"]) for s in steps if s["expected"] is not None]
    if reached != sorted(set(reached)):
        problems.append(f"Tab order differs from the DOM order: {reached}")
    missing = [expected[i] for i in range(len(expected)) if i not in reached]
    if missing:
        problems.append(f"never reached by Tab: {missing}")
    for number, step in enumerate(steps, start=1):
        where = f"Tab {number} ({step['description']})"
        if not step["inOrder"]:
            problems.append(f"{where}: comes before the previous element in the DOM")
        if step["style"] == step["unfocused"] or not focus_indicator_visible(step["style"]):
            problems.append(f"{where}: no visible focus indicator {step['style']}")
        if not step["onScreen"]:
            problems.append(f"{where}: focused but not on screen")
    return problems


def tab_order_problems_from(expected, steps) -> list[str]:
    reached = [int(s["expected"]) for s in steps if s["expected"] is not None]
    return [] if reached == list(range(len(expected))) else [f"reached {reached}"]


MAPS_JS = """() => Array.from(document.querySelectorAll('.map')).map((map) => ({
  id: map.id,
  label: (map.getAttribute('aria-label') || '').trim(),
  markers: Array.from(map.querySelectorAll('.leaflet-marker-icon')).map((m) => ({
    title: m.title, tabIndex: m.tabIndex, alt: m.alt,
  })),
}))"""

LINK_TEXTS_JS = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter((a) => !a.closest('.leaflet-container'))
  .map((a) => a.textContent.trim().replace(/\\s+/g, ' '))"""


def map_problems(page) -> tuple[int, list[str]]:
    """(number of maps, problems): each .map is named, its markers are named and reachable by
    Tab, and each marker's testbed is also a link on the same page (the cards, the map's own
    list) or the page's heading (the map of the page's own place)."""
    maps = page.evaluate(MAPS_JS)
    links = set(page.evaluate(LINK_TEXTS_JS))
    heading = page.locator("h1").first.inner_text().strip()
    problems = []
    for found in maps:
        where = f"#{found['id']}"
        if not found["label"]:
            problems.append(f"{where}: no aria-label")
        for marker in found["markers"]:
            title = marker["title"]
            if not title or marker["alt"] != title:
                problems.append(f"{where}: marker without a name: {marker}")
            elif marker["tabIndex"] < 0:
                problems.append(f"{where}: marker not reachable by Tab: {title}")
            elif title not in links and title != heading:
                problems.append(f"{where}: marker {title!r} has no link on the page")
    return len(maps), problems


# How the 320 px visit is judged, in the page: the document's width, what sticks out of it
# (elements and text runs not inside a clipping or scrolling box, for the report), and every
# box that scrolls sideways but cannot be reached by keyboard or has no name.
REFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const describe = (el) => {
    const classes = typeof el.className === 'string' ? el.className.trim().split(/\\s+/) : [];
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + classes.filter(Boolean).map((c) => '.' + c).join('');
  };
  const inClippingBox = (node) => {
    for (let el = node.parentElement; el && el !== document.body; el = el.parentElement) {
      if (getComputedStyle(el).overflowX !== 'visible') return true;
    }
    return false;
  };
  const sticking = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    const parent = el.parentElement.getBoundingClientRect();
    if (box.width && box.right > width + 0.5 && parent.right <= width + 0.5 && !inClippingBox(el)) {
      sticking.push(`${describe(el)} ends at ${Math.round(box.right)} px`);
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || inClippingBox(node)) continue;
    if (node.parentElement.getBoundingClientRect().right > width + 0.5) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if (Array.from(range.getClientRects()).some((r) => r.right > width + 0.5)) {
      const text = node.textContent.trim().slice(0, 40);
      sticking.push(`text "${text}" in ${describe(node.parentElement)}`);
    }
  }
  const regions = [];
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    const scrolls = ['auto', 'scroll'].includes(style.overflowX);
    if (!scrolls || el.scrollWidth <= el.clientWidth + 1) continue;
    if (el.closest('.leaflet-container')) continue;
    if (el.tabIndex < 0) regions.push(`${describe(el)} scrolls sideways but is not a Tab stop`);
    if (!el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) {
      regions.push(`${describe(el)} scrolls sideways and has no name`);
    }
  }
  const hidden = [document.documentElement, document.body]
    .filter((el) => getComputedStyle(el).overflowX !== 'visible')
    .map((el) => `${describe(el)} hides its overflow (that cuts content off, it does not reflow)`);
  return {scrollWidth: document.documentElement.scrollWidth, width, sticking: sticking.slice(0, 8),
          problems: [...hidden, ...regions]};
}"""


REFLOW_WIDTH = 320


def reflow_problems(page) -> list[str]:
    """What keeps the page, as shown now, from reflowing: sideways scrolling (with what
    sticks out), a box scrolling sideways that is no named Tab stop, a clipped document."""
    found = page.evaluate(REFLOW_JS)
    problems = list(found["problems"])
    if found["scrollWidth"] > found["width"]:
        problems.insert(0, f"scrolls sideways to {found['scrollWidth']} px")
        problems += found["sticking"]
    return problems


# English pages say in English what their Swedish pages say (test_public_page_sweep.py) -----

# The texts compared: their text as shown, and the part of it not inside an element with a lang
# of its own (Swedish content marked as such: WCAG 3.1.2 language of parts).
TEXTS_JS = """() => {
  const kinds = 'p, h1, h2, h3, h4, h5, h6, li, td, th, dt, dd, caption, figcaption, legend, label';
  const squash = (s) => s.replace(/\\s+/g, ' ').trim();
  const unmarked = (el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const parts = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // Text whose language is marked on an element of its own (lang="sv" on Swedish content,
      // lang="en" on the language switch's "English") is not the page's unmarked text.
      const owner = node.parentElement.closest('[lang]');
      if (owner && owner !== document.documentElement) continue;
      // Code (cookie names, API paths, parameter names, area codes) is in no human language.
      if (node.parentElement.closest('code, kbd, samp')) continue;
      // An SVG chart's <title> and <desc> are its accessible name, not text on the page (the
      // element's innerText leaves them out too).
      if (node.parentElement.closest('svg title, svg desc')) continue;
      // Residents' contributions are in whatever language they were written in, so they are
      // not marked, by decision (sodertorn/content_language.py).
      if (node.parentElement.closest('.contribution-text, .report-said')) continue;
      const style = getComputedStyle(node.parentElement);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      parts.push(node.textContent);
    }
    return squash(parts.join(' '));
  };
  const found = [...document.body.querySelectorAll(kinds)]
    .filter((el) => el.getClientRects().length || el.closest('.visually-hidden, .sr-only'))
    .map((el) => ({tag: el.tagName.toLowerCase(), text: squash(el.innerText || el.textContent),
                   unmarked: unmarked(el)}));
  return {title: squash(document.title), texts: found};
}"""
EMAIL = re.compile(r"\S+@\S+")
# Codes and numbers: any word with a digit in it ("0180-akalla", "59.22760°").
CODE = re.compile(r"\S*\d\S*")


def known_names() -> set[str]:
    """Words that read the same in both languages and are not marked, by decision
    (sodertorn/content_language.py): municipality and area names, people's names, and the
    interface's words that Swedish writes as English does."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db.models import F
    from django.utils.translation import trans_real

    from collaboration.models import ContactPerson
    from indicators.models import Area
    from sodertorn.content_language import translated_fields
    from testbeds.models import Municipality, Testbed

    names = set(Municipality.objects.values_list("name", flat=True))
    # Interface words that are the same in both languages ("Status", "Period"): the Swedish
    # catalogue translates them as themselves.
    catalog = trans_real.translation("sv")._catalog
    names |= {key for key, value in catalog.items() if isinstance(key, str) and key == value}
    names |= set(Area.objects.exclude(own_name="").values_list("own_name", flat=True))
    names |= set(ContactPerson.objects.values_list("name", flat=True))
    # Place names ("Hallunda") are proper names like the areas'.
    names |= set(Testbed.objects.values_list("place_name_sv", flat=True))
    # Content whose English reads as its Swedish ("GIS", "index (Stockholm = 100)"): the
    # translator wrote the same, and the page rightly shows it as English.
    for model in apps.get_models():
        for field in translated_fields(model):
            names |= set(
                model._default_manager.filter(**{f"{field}_en": F(f"{field}_sv")})
                .exclude(**{f"{field}_sv": ""})
                .values_list(f"{field}_sv", flat=True)
            )
    for first, last in get_user_model().objects.values_list("first_name", "last_name"):
        names |= {first, last, f"{first} {last}"}
    return {name for name in names if name}


def carries_language(text: str, names: list[str]) -> bool:
    """Is there anything language-specific in this text: a word of two letters or more left
    once e-mail addresses, codes and numbers (any word with a digit) and the known names are
    taken out? (They read the same in both languages; so do "N" and "E" of coordinates.)"""
    text = EMAIL.sub(" ", text)
    # Names before codes: a name may hold a number ("index (Stockholm = 100)").
    for name in names:  # longest first: "Huddinge kommun" before "Huddinge"
        text = re.sub(rf"(?<!\w){re.escape(name)}(?:s)?(?!\w)", " ", text)
    text = CODE.sub(" ", text)
    return any(len(word) > 1 for word in re.findall(r"[^\W\d_]+", text))


def untranslated(swedish: dict, english: dict, names: list[str]) -> list[str]:
    """The English page's texts identical to a text of the Swedish page and not marked
    lang="sv" (what a reader of English is given in Swedish, unannounced)."""
    problems = []
    if english["title"] == swedish["title"]:
        problems.append(f"<title> is the Swedish page's: {english['title']!r}")
    seen = {(item["tag"], item["text"]) for item in swedish["texts"]}
    for item in english["texts"]:
        if (item["tag"], item["text"]) not in seen or not carries_language(item["unmarked"], names):
            continue
        problem = f"<{item['tag']}> as on the Swedish page, not marked lang=sv: {item['text']!r}"
        if problem not in problems:
            problems.append(problem)
    return problems
