"""docs/nginx/sodertorn.conf caches what the portal marks cacheable and nothing else.

The committed file, with the bench's substitutions (bench/nginx_conf.py), runs in Debian's nginx
in front of a small upstream that answers as the portal's headers promise (docs/deploy.md,
"nginx in front"): public pages with s-maxage and stale-while-revalidate, an ETag and Vary;
private answers; answers setting a cookie; answers without Cache-Control. Skipped when nginx is
not installed.
"""

import gzip
import http.client
import os
import random
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.nginx_conf import SITE, main_config, site_config

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


# 124 KB that gzip cannot shrink, gzipped: the size of the full map's stored GeoJSON.
LARGE = gzip.compress(random.Random(14).randbytes(124_000))


class Upstream(BaseHTTPRequestHandler):
    """GET /public, /private, /cookie, /plain: counts requests per path, keeps their headers."""

    version = 1
    hits: dict[str, int] = {}
    seen: list[dict] = []

    def do_GET(self):
        cls = type(self)
        cls.hits[self.path] = cls.hits.get(self.path, 0) + 1
        cls.seen.append({k.lower(): v for k, v in self.headers.items()} | {"path": self.path})
        etag = f'"v{cls.version}"'
        if self.path == "/public" and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "public, s-maxage=1, stale-while-revalidate=30")
            self.end_headers()
            return
        if self.path == "/large.geojson":  # a big stored answer, as the full map's GeoJSON
            self.send_response(200)
            self.send_header("Content-Type", "application/geo+json")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(LARGE)))
            self.send_header("Cache-Control", "public, s-maxage=60")
            self.end_headers()
            self.wfile.write(LARGE)
            return
        body = f"{self.path} version {cls.version}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if self.path == "/public":
            self.send_header("Cache-Control", "public, s-maxage=1, stale-while-revalidate=30")
            self.send_header("ETag", etag)
            self.send_header("Vary", "Cookie, Accept-Language")
        elif self.path == "/private":
            self.send_header("Cache-Control", "private, no-cache")
        elif self.path == "/cookie":
            self.send_header("Cache-Control", "public, s-maxage=60")
            self.send_header("Set-Cookie", "csrftoken=abc; Path=/")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    if not NGINX:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx)")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    prefix = tmp_path_factory.mktemp("nginx")
    for folder in ("cache", "tmp", "static", "media"):
        (prefix / folder).mkdir()
    port = free_port()
    site = site_config(
        SITE.read_text(),
        upstream=f"127.0.0.1:{upstream.server_address[1]}",
        listen=f"127.0.0.1:{port}",
        cache=str(prefix / "cache"),
        static=str(prefix / "static"),
        media=str(prefix / "media"),
    )
    conf = prefix / "nginx.conf"
    conf.write_text(main_config(site, str(prefix)))
    command = [NGINX, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(process.stderr.read().decode())
            time.sleep(0.05)
    yield port
    process.terminate()
    process.wait(10)
    upstream.shutdown()


def get(port, path, **headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


def test_the_committed_file_has_every_value_the_bench_replaces():
    site = site_config(SITE.read_text(), "u:1", "l:2", "/c", "/s", "/m")
    assert "server u:1;" in site and "listen l:2;" in site and "alias /s/;" in site


def test_a_public_page_is_stored_and_served_stale_while_one_request_renews_it(nginx):
    Upstream.version = 1
    first, body = get(nginx, "/public")
    assert first.getheader("X-Cache-Status") == "MISS" and body == b"/public version 1"
    again, body = get(nginx, "/public")
    assert again.getheader("X-Cache-Status") == "HIT" and body == b"/public version 1"
    assert Upstream.hits["/public"] == 1
    # The portal asked for gzip whatever the visitor sent (one stored copy per page).
    assert Upstream.seen[-1]["accept-encoding"] == "gzip"

    Upstream.version = 2
    time.sleep(2.1)  # past s-maxage=1 (nginx counts whole seconds)
    stale, body = get(nginx, "/public")
    assert stale.getheader("X-Cache-Status") in {"STALE", "UPDATING"}
    assert body == b"/public version 1"
    for _ in range(50):  # the background request renews it
        fresh, body = get(nginx, "/public")
        if body == b"/public version 2":
            break
        time.sleep(0.05)
    assert body == b"/public version 2" and fresh.getheader("X-Cache-Status") == "HIT"


def test_a_stored_page_answers_304_to_a_conditional_request(nginx):
    get(nginx, "/public")
    response, _body = get(nginx, "/public")
    etag = response.getheader("ETag")
    conditional, body = get(nginx, "/public", **{"If-None-Match": etag})
    assert conditional.status == 304 and body == b""


@pytest.mark.parametrize("cookie", ["sessionid=s", "csrftoken=c", "messages=m"])
def test_a_visitor_with_a_session_csrf_or_messages_cookie_always_reaches_the_portal(nginx, cookie):
    get(nginx, "/public")
    before = Upstream.hits["/public"]
    response, _body = get(nginx, "/public", Cookie=cookie)
    assert response.getheader("X-Cache-Status") == "BYPASS"
    assert Upstream.hits["/public"] == before + 1


@pytest.mark.parametrize("path", ["/admin/", "/konto/logga-in/", "/en/mina-sidor/", "/i18n/x/"])
def test_personal_addresses_skip_the_cache(nginx, path):
    response, _body = get(nginx, path)
    assert response.getheader("X-Cache-Status") == "BYPASS"


def test_private_answers_answers_setting_a_cookie_and_unmarked_answers_are_never_stored(nginx):
    for path in ("/private", "/cookie", "/plain"):
        get(nginx, path)
        get(nginx, path)
        assert Upstream.hits[path] == 2, path


def test_each_language_is_stored_apart(nginx):
    get(nginx, "/public")
    response, _body = get(nginx, "/public", Cookie="django_language=en")
    assert response.getheader("X-Cache-Status") in {"MISS", "EXPIRED"}
    response, _body = get(nginx, "/public", **{"Accept-Language": "en"})
    assert response.getheader("X-Cache-Status") in {"MISS", "EXPIRED"}


def test_a_large_stored_answer_is_not_held_back_on_a_kept_alive_connection(nginx):
    """With Debian's tcp_nopush on (bench/nginx_conf.py's main configuration has it), the end
    of a stored answer larger than the socket's buffer waited for the client's delayed ACK:
    at least 40 ms per answer (Linux's minimum), so 20 answers took 0.8 s or more. The site's
    file turns it off for the GeoJSON; 20 answers then take a few milliseconds (0.4 s
    is a wide margin, not a speed target: the figures are the bench's)."""
    get(nginx, "/large.geojson")
    conn = http.client.HTTPConnection("127.0.0.1", nginx, timeout=10)
    started = time.perf_counter()
    for _ in range(20):
        conn.request("GET", "/large.geojson", headers={"Accept-Encoding": "gzip"})
        response = conn.getresponse()
        body = response.read()
        assert response.getheader("X-Cache-Status") == "HIT"
        assert body == LARGE
    elapsed = time.perf_counter() - started
    conn.close()
    assert elapsed < 0.4, f"20 stored answers took {elapsed:.2f} s: held back by TCP_CORK"
