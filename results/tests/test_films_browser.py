"""Films in headless Chromium: click-to-load, privacy and the transcript by keyboard."""

import pytest
from playwright.sync_api import expect

from results.models import Film
from testbeds.tests.factories import TestbedFactory

pytestmark = pytest.mark.django_db(transaction=True)

VIDEO_HOSTS = ("youtube", "ytimg", "vimeo", "googlevideo", "doubleclick")


@pytest.mark.parametrize(
    ("url", "embed_prefix"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ],
)
def test_no_request_to_the_video_host_before_play(live_server, page, url, embed_prefix):
    film = Film.objects.create(
        title="Dagvattenparken",
        slug="dagvattenparken",
        video_url=url,
        duration=185,
        transcript="Berättare: När det regnar rinner vattnet ut i rännorna.",
        testbed=TestbedFactory(),
        published=True,
    )
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.route(
        "https://**/*",
        lambda route: (
            route.fulfill(status=200, content_type="text/html", body="<p>film</p>")
            if any(host in route.request.url for host in VIDEO_HOSTS)
            else route.continue_()
        ),
    )
    page.goto(live_server.url + film.get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if any(host in u for host in VIDEO_HOSTS)]
    expect(page.locator("iframe")).to_have_count(0)

    play = page.locator(".film-play")
    expect(play).to_contain_text("Dagvattenparken")
    expect(play).to_contain_text("3:05")
    play.focus()
    # Waits for the player's request itself: the page was network-idle before the frame was
    # added, so waiting for "networkidle" again could return before the frame asked for it.
    with page.expect_request(lambda request: request.url.startswith(embed_prefix)):
        page.keyboard.press("Enter")
    frame = page.locator("iframe.film-frame")
    expect(frame).to_have_count(1)
    assert frame.get_attribute("src").startswith(embed_prefix)
    assert frame.get_attribute("title") == "Dagvattenparken"


def test_transcript_opens_by_keyboard(live_server, page):
    film = Film.objects.create(
        title="Trygga stråk",
        slug="trygga-strak",
        video_url="https://vimeo.com/76979871",
        duration=60,
        transcript="Handlare: Det känns mer befolkat nu.",
        testbed=TestbedFactory(),
        published=True,
    )
    page.goto(live_server.url + film.get_absolute_url())
    text = page.get_by_text("Handlare: Det känns mer befolkat nu.")
    expect(text).not_to_be_visible()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    expect(page.locator("details.transcript summary")).to_be_focused()
    page.keyboard.press("Enter")
    expect(text).to_be_visible()
