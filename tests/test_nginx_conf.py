"""docs/nginx/sodertorn.conf caches what the portal marks cacheable and nothing else.

The committed file, with the bench's substitutions (bench/nginx_conf.py), runs in Debian's nginx
in front of a small upstream that answers as the portal's headers promise (docs/deploy.md,
"nginx in front"): public pages with s-maxage and stale-while-revalidate, an ETag and Vary;
private answers; answers setting a cookie; answers without Cache-Control. Skipped when nginx is
not installed.
"""

import http.client
import os
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.nginx_conf import SITE, main_config, site_config

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


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
