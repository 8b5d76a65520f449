"""Keyboard use: Tab order, visible focus, the skip link, and maps that work without a mouse.

Runs on the home page, the catalogue and every other public page found by tests/public_pages.py.
"""

import pytest

from .. import public_pages

pytestmark = pytest.mark.django_db(transaction=True)

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
  // Tab "from the top": start sequential navigation before the first element of <body>, even on
  // a page that focuses a field on load (the login form).
  const start = document.createElement('span');
  start.tabIndex = -1;
  document.body.prepend(start);
  start.focus();
}"""

# After each Tab: the focused element, whether it follows the previous one in DOM order, its
# focus styles and whether it is on screen. null once focus has left the page or wrapped round.
STEP_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  if (el === window.__seq[0]) return null;
  const previous = window.__seq[window.__seq.length - 1];
  window.__seq.push(el);
  const box = el.getBoundingClientRect();
  return {
    expected: el.dataset ? (el.dataset.tabExpected ?? null) : null,
    description: window.__describe(el),
    inOrder: !previous || previous === el
      || Boolean(previous.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING),
    style: window.__style(el),
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < innerHeight && box.left < innerWidth,
  };
}"""

UNFOCUSED_JS = """() => { document.activeElement.blur();
  return window.__seq.map((el) => window.__style(el)); }"""


def focus_indicator_visible(style) -> bool:
    outline_style, outline_width, _colour, box_shadow = style
    outline = outline_style != "none" and float(outline_width.removesuffix("px") or 0) >= 1
    return outline or box_shadow != "none"


def pages_in(language=None):
    return [
        (name, path)
        for name, path in public_pages.public_pages()
        if language is None or public_pages.page_language(path) == language
    ]


def open_page(page, url):
    page.goto(url)
    public_pages.wait_until_ready(page)
    page.evaluate(SETUP_JS)


def tab_through(page) -> tuple[list[str], list[dict]]:
    """Press Tab from the top until focus leaves the page: (expected elements, focus steps)."""
    expected = page.evaluate(FOCUSABLES_JS)
    steps = []
    for _ in range(len(expected) * 2 + 20):
        page.keyboard.press("Tab")
        step = page.evaluate(STEP_JS)
        if step is None:
            break
        steps.append(step)
    for step, unfocused in zip(steps, page.evaluate(UNFOCUSED_JS), strict=True):
        step["unfocused"] = unfocused
    return expected, steps


def tab_order_problems(page) -> list[str]:
    """Tab reaches every expected element in DOM order, each with a visible focus indicator.

    Elements the browser focuses beyond the expected ones (Chromium also tabs to Leaflet's
    vector areas that carry a tooltip) are allowed, but must keep DOM order and show focus too.
    """
    problems = []
    if page.locator("[tabindex]:not([tabindex='0']):not([tabindex='-1'])").count():
        problems.append("a positive tabindex breaks the DOM order")
    expected, steps = tab_through(page)
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


def test_tab_reaches_every_control_in_dom_order_with_visible_focus(live_server, page):
    """Home, catalogue and every other public page, in Swedish and English."""
    public_pages.load_demo_data()
    pages = pages_in()
    assert {"testbeds:home", "testbeds:list"} <= {name for name, _path in pages}
    failures = {}
    for name, path in pages:
        open_page(page, live_server.url + path)
        if problems := tab_order_problems(page):
            failures[f"{name} {path}"] = problems
    assert not failures, public_pages.report(failures)


def test_skip_link_first_map_internals_in_order(live_server, page):
    """On the home page and the catalogue: the skip link is the first stop and moves focus to
    <main>; the map container, every marker, the zoom buttons and the attribution links are
    reached by Tab in DOM order."""
    public_pages.load_demo_data()
    for path, map_id in [
        ("/", "home-map"),
        ("/testbaddar/", "catalogue-map"),
        ("/en/", "home-map"),
        ("/en/testbaddar/", "catalogue-map"),
    ]:
        open_page(page, live_server.url + path)
        expected, steps = tab_through(page)
        focused = [s["description"] for s in steps]
        assert focused[0].startswith("a.skip-link"), focused[:3]
        assert steps[0]["onScreen"], "the skip link must show when it has focus"
        titles = page.locator(f"#{map_id} .leaflet-marker-icon").evaluate_all(
            "els => els.map(e => e.title)"
        )
        assert len(titles) >= 10
        map_stops = [d for d in focused if d.startswith(f"div#{map_id}")]
        marker_stops = [d for d in focused if d.startswith("img.leaflet-marker-icon")]
        assert len(map_stops) == 1, f"the map {map_id} is not a Tab stop"
        assert [d.split('"')[1] for d in marker_stops] == [t[:40] for t in titles]
        zoom_in = focused.index(next(d for d in focused if "leaflet-control-zoom-in" in d))
        assert "leaflet-control-zoom-out" in focused[zoom_in + 1]
        assert focused.index(map_stops[0]) < focused.index(marker_stops[0]) < zoom_in
        assert any(d == 'a "OpenStreetMap"' for d in focused[zoom_in:]), focused[zoom_in:]
        assert tab_order_problems_from(expected, steps) == []

        # The skip link moves focus to <main>; the next Tab stays inside it.
        open_page(page, live_server.url + path)
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className") == "skip-link"
        assert page.locator(".skip-link").get_attribute("href") == "#main-content"
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main-content"
        assert page.evaluate("() => document.activeElement.tagName") == "MAIN"
        page.keyboard.press("Tab")
        assert page.evaluate(
            "() => document.querySelector('main').contains(document.activeElement)"
        )


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


def test_every_map_has_a_name_and_a_text_alternative(live_server, page):
    """Each .map is named, its markers are named and reachable by Tab, and each marker's testbed
    is also a link on the same page (the cards, the map's own list) or the page's heading (the
    map of the page's own place)."""
    public_pages.load_demo_data()
    seen_maps = 0
    failures = {}
    for name, path in pages_in():
        open_page(page, live_server.url + path)
        maps = page.evaluate(MAPS_JS)
        links = set(page.evaluate(LINK_TEXTS_JS))
        heading = page.locator("h1").first.inner_text().strip()
        for found in maps:
            seen_maps += 1
            problems = failures.setdefault(f"{name} {path} #{found['id']}", [])
            if not found["label"]:
                problems.append("no aria-label")
            for marker in found["markers"]:
                title = marker["title"]
                if not title or marker["alt"] != title:
                    problems.append(f"marker without a name: {marker}")
                elif marker["tabIndex"] < 0:
                    problems.append(f"marker not reachable by Tab: {title}")
                elif title not in links and title != heading:
                    problems.append(f"marker {title!r} has no link on the page")
    failures = {where: problems for where, problems in failures.items() if problems}
    assert seen_maps >= 8
    assert not failures, public_pages.report(failures)


def test_the_check_finds_a_hidden_focus_indicator(live_server, page):
    """The harness can fail: links whose focus ring is removed are reported."""
    public_pages.load_demo_data()
    open_page(page, f"{live_server.url}/kommuner/")
    page.evaluate(
        """() => document.querySelectorAll('table a').forEach((a) => {
             a.style.setProperty('outline', 'none', 'important');
             a.style.setProperty('box-shadow', 'none', 'important'); })"""
    )
    problems = tab_order_problems(page)
    assert problems and all("no visible focus indicator" in p for p in problems)
    assert any('"Botkyrka"' in p for p in problems)
