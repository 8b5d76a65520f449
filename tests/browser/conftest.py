import pytest

# 1x1 transparent PNG served instead of map tiles: the test machine has no network.
BLANK_TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.fixture
def page(page, settings):
    """A Playwright page that fails the test on console errors (CSP violations, JS errors)."""
    settings.DEBUG = False
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.route(
        "https://*.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_TILE),
    )
    page.console_errors = errors
    yield page
    assert errors == [], f"browser console errors: {errors}"
