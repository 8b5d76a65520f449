import pytest
from django.core.exceptions import ValidationError

from results.video import VIMEO, YOUTUBE, embed_url, parse_video_url


@pytest.mark.parametrize(
    ("url", "provider", "video_id"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", YOUTUBE, "dQw4w9WgXcQ"),
        ("https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s", YOUTUBE, "dQw4w9WgXcQ"),
        ("http://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ", YOUTUBE, "dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", YOUTUBE, "dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", YOUTUBE, "dQw4w9WgXcQ"),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", YOUTUBE, "dQw4w9WgXcQ"),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", YOUTUBE, "dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", YOUTUBE, "dQw4w9WgXcQ"),
        ("  https://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ  ", YOUTUBE, "dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", VIMEO, "76979871"),
        ("https://www.vimeo.com/76979871", VIMEO, "76979871"),
        ("https://player.vimeo.com/video/76979871", VIMEO, "76979871"),
        ("https://vimeo.com/channels/staffpicks/76979871", VIMEO, "76979871"),
    ],
)
def test_usual_youtube_and_vimeo_addresses_are_accepted(url, provider, video_id):
    video = parse_video_url(url)
    assert (video.provider, video.video_id) == (provider, video_id)


def test_unlisted_vimeo_hash_is_kept():
    video = parse_video_url("https://vimeo.com/76979871/abc123def4")
    assert video.vimeo_hash == "abc123def4"
    assert (
        video.embed_url == "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1&h=abc123def4"
    )


def test_embed_addresses_are_built_from_the_id():
    assert parse_video_url("https://youtu.be/dQw4w9WgXcQ").embed_url == (
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&rel=0"
    )
    assert parse_video_url("https://vimeo.com/76979871").embed_url == (
        "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"
    )
    with pytest.raises(ValueError):
        embed_url(YOUTUBE, 'x" onload="alert(1)')


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert('https://youtu.be/dQw4w9WgXcQ')",
        "data:text/html,<script>alert(1)</script>",
        "ftp://youtube.com/watch?v=dQw4w9WgXcQ",
        "//youtube.com/watch?v=dQw4w9WgXcQ",
        "youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://evilyoutube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.co/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
        "https://user:pw@www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:8080/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&v=aaaaaaaaaaa",
        "https://www.youtube.com/watch?v=dQw4w9WgXc%22",
        "https://www.youtube.com/playlist?list=PL123",
        "https://www.youtube.com/",
        "https://vimeo.com/",
        "https://vimeo.com/abc",
        "https://vimeo.com.evil.example/76979871",
        "https://notvimeo.com/76979871",
        "https://player.vimeo.com/76979871",
        "https://www.dailymotion.com/video/x7u5ts",
        "https://example.se/film.mp4",
        "",
        "   ",
        "not a url at all",
        "https://[::1]/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:99999/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/" + "a" * 600,
    ],
)
def test_other_hosts_lookalikes_schemes_and_garbage_are_refused(url):
    with pytest.raises(ValidationError) as excinfo:
        parse_video_url(url)
    assert excinfo.value.code == "video_url"
