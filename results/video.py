"""YouTube and Vimeo addresses: parse them, keep the video id, build the embed address.

Only these two hosts are accepted, matched exactly (no look-alike domains, no other schemes,
no credentials or ports in the address). The embed address is built from the parsed id,
never taken from the input: YouTube through youtube-nocookie.com, Vimeo with dnt=1.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
                 "youtube-nocookie.com", "www.youtube-nocookie.com"}  # fmt: skip
YOUTU_BE_HOSTS = {"youtu.be", "www.youtu.be"}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")
MAX_LENGTH = 500

YOUTUBE = "youtube"
VIMEO = "vimeo"
PROVIDERS = [(YOUTUBE, "YouTube"), (VIMEO, "Vimeo")]
EMBED_HOSTS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")


@dataclass(frozen=True)
class Video:
    provider: str
    video_id: str
    vimeo_hash: str = ""

    @property
    def embed_url(self) -> str:
        return embed_url(self.provider, self.video_id, self.vimeo_hash)


def embed_url(provider: str, video_id: str, vimeo_hash: str = "") -> str:
    if provider == YOUTUBE and YOUTUBE_ID.match(video_id):
        return f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1&rel=0"
    if provider == VIMEO and VIMEO_ID.match(video_id):
        suffix = f"&h={vimeo_hash}" if vimeo_hash and VIMEO_HASH.match(vimeo_hash) else ""
        return f"https://player.vimeo.com/video/{video_id}?dnt=1&autoplay=1{suffix}"
    raise ValueError("not a parsed video")


def _refuse():
    return ValidationError(
        _(
            "Give the address of a film on YouTube or Vimeo, for example "
            "https://www.youtube.com/watch?v=… or https://vimeo.com/123456789."
        ),
        code="video_url",
    )


def parse_video_url(url: str) -> Video:
    """The provider and id of a YouTube or Vimeo address; ValidationError for anything else."""
    if not isinstance(url, str) or not url.strip() or len(url) > MAX_LENGTH:
        raise _refuse()
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise _refuse() from None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or parts.username or parts.password or port:
        raise _refuse()
    segments = [s for s in parts.path.split("/") if s]

    if host in YOUTU_BE_HOSTS and len(segments) == 1 and YOUTUBE_ID.match(segments[0]):
        return Video(YOUTUBE, segments[0])
    if host in YOUTUBE_HOSTS:
        if segments == ["watch"]:
            ids = parse_qs(parts.query).get("v", [])
            if len(ids) == 1 and YOUTUBE_ID.match(ids[0]):
                return Video(YOUTUBE, ids[0])
        embedded = len(segments) == 2 and segments[0] in ("embed", "shorts", "live", "v")
        if embedded and YOUTUBE_ID.match(segments[1]):
            return Video(YOUTUBE, segments[1])
        raise _refuse()
    if host in VIMEO_HOSTS:
        if host == "player.vimeo.com":
            if len(segments) == 2 and segments[0] == "video" and VIMEO_ID.match(segments[1]):
                vimeo_hash = parse_qs(parts.query).get("h", [""])[0]
                return Video(VIMEO, segments[1], vimeo_hash if VIMEO_HASH.match(vimeo_hash) else "")
            raise _refuse()
        if len(segments) == 1 and VIMEO_ID.match(segments[0]):
            return Video(VIMEO, segments[0])
        if len(segments) == 2 and VIMEO_ID.match(segments[0]) and VIMEO_HASH.match(segments[1]):
            return Video(VIMEO, segments[0], segments[1])
        if len(segments) == 3 and segments[0] == "channels" and VIMEO_ID.match(segments[2]):
            return Video(VIMEO, segments[2])
        raise _refuse()
    raise _refuse()
