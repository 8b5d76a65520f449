"""Load for bench/run.sh: every row of issue 14's table in one run, driven by wrk.

    python bench/loadgen.py --server bare=http://127.0.0.1:18768 \
        --server portal=http://127.0.0.1:18765 --server second=http://127.0.0.1:18766 \
        --server uncached=http://127.0.0.1:18767 --server nginx=http://127.0.0.1:18769 \
        --duration 10 --concurrency 8

The servers (bench/run.sh starts them): bare Django's trivial view (bench/bare/); the portal
with its page cache (portal), a second portal server sharing its PostgreSQL and Redis
(second), the portal with the page cache off (uncached); nginx in front of the portal with
docs/nginx/sodertorn.conf (nginx). Any of them but portal may be left out; its rows are then
skipped.

The client is wrk (Debian's package) for every row, so every row is measured by the same
client: a Python client on this 2-core machine tops out near the trivial views' own speed and
could not show nginx at ten times them. wrk keeps CONCURRENCY connections busy (closed loop),
asks for gzip as browsers do, and bench/wrk.lua prints its latency quantiles, so each row is
DURATION seconds split into up to five slices of at least 2 s that take turns with every other
row (a burst of other work on the machine hits every row alike), merged afterwards.

Ratios, each against the reference issue 14 names, measured in the same rounds: uncached pages
as a share of the 24-card template rendered with no database (bench/render.py's template,
served at /bench/cards by the portal's gunicorn and middleware, bench/portal/); the portal's
trivial view, cached pages and the cached GeoJSON as a share of bare Django's trivial view;
nginx as a multiple of bare Django's trivial view (the full map's GeoJSON, 124 KB an answer,
against nginx serving the same bytes as a static file). Then, on the portal alone: the cached pages
while bench/editor.py saves one testbed a second through the ORM (p95 < 100 ms, and the slowest
request no slower than one uncached render of the slowest of those pages); and how long an edit
takes to show on each portal server and through nginx. Exits 1 when a target is missed.
"""

import argparse
import http.client
import ipaddress
import math
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
WRK_SCRIPT = HERE / "wrk.lua"
ACCEPT_ENCODING = "gzip, deflate, br"
# Every request names the host without the port (Host: 127.0.0.1), as nginx passes it on and
# as a load balancer does: the portal servers then share their entries in Redis, one per page.
PYTHON = sys.executable


# Results ------------------------------------------------------------------------------------


@dataclass
class Result:
    """Requests measured in one or more slices; latencies as a histogram in microseconds
    (value: number of requests, possibly fractional)."""

    seconds: float = 0.0
    requests: int = 0
    errors: int = 0
    bytes: int = 0
    histogram: Counter = field(default_factory=Counter)

    def add(self, other: "Result") -> None:
        self.seconds += other.seconds
        self.requests += other.requests
        self.errors += other.errors
        self.bytes += other.bytes
        self.histogram.update(other.histogram)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def ms(self, fraction: float) -> float:
        """The latency below which FRACTION of the requests were answered, in milliseconds."""
        total = sum(self.histogram.values())
        if not total:
            return math.nan
        rank = fraction * total * (1 - 1e-9)  # weights are shares of requests
        seen = 0.0
        for value in sorted(self.histogram):
            seen += self.histogram[value]
            if seen >= rank:
                return value / 1000
        return max(self.histogram) / 1000

    @property
    def max_ms(self) -> float:
        return max(self.histogram) / 1000 if self.histogram else math.nan


def parse_wrk(output: str) -> Result:
    """The BENCH and BENCH-Q lines that bench/wrk.lua's done() prints. The quantiles become a
    histogram: each step's share of the requests at the step's upper value (so merged
    percentiles are exact to the step: 1 % up to p90, 0.2 % to p99, 0.05 % above)."""
    totals = re.search(r"^BENCH (.*)$", output, re.MULTILINE)
    quantiles = re.search(r"^BENCH-Q (.*)$", output, re.MULTILINE)
    if not totals or not quantiles:
        raise RuntimeError(f"no results from wrk:\n{output[-2000:]}")
    values = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", totals.group(1))}
    histogram = Counter()
    below = 0.0
    if values["requests"]:
        for pair in quantiles.group(1).split():
            q, value = pair.split(":")
            histogram[int(value)] += (float(q) - below) / 100 * values["requests"]
            below = float(q)
    errors = sum(values[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Result(
        seconds=values["duration_us"] / 1e6,
        requests=values["requests"],
        errors=errors,
        bytes=values["bytes"],
        histogram=histogram,
    )


def start_wrk(base: str, paths: list[str], seconds: int, connections: int, threads: int):
    command = [
        "wrk",
        f"-t{max(1, min(threads, connections))}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-H",
        f"Accept-Encoding: {ACCEPT_ENCODING}",
        "-H",
        f"Host: {urlsplit(base).hostname}",
        "-s",
        str(WRK_SCRIPT),
        base + paths[0],
    ]
    env = {**os.environ, "BENCH_PATHS": " ".join(paths)}
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def run_wrk(targets: list[tuple[str, list[str]]], seconds: int, connections: int) -> Result:
    """One slice: CONNECTIONS in all, split over the targets (one wrk process each, at once)."""
    share = [
        connections // len(targets) + (i < connections % len(targets)) for i in range(len(targets))
    ]
    threads = max(1, 2 // len(targets))
    processes = [
        start_wrk(base, paths, seconds, n, threads)
        for (base, paths), n in zip(targets, share, strict=True)
    ]
    merged = Result()
    longest = 0.0
    for process in processes:
        output, _ = process.communicate(timeout=seconds + 60)
        part = parse_wrk(output.decode("utf-8", "replace"))
        longest = max(longest, part.seconds)
        part.seconds = 0
        merged.add(part)
    merged.seconds = longest
    return merged


# Rows ----------------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    targets: list[tuple[str, list[str]]]  # (server name, paths); several servers: load spread
    _: KW_ONLY
    reference: str | None = None  # "bare" or "cards": the ratio's reference row
    kind: str = "share"  # "share" (x % of the reference) or "multiple" (x times it)
    goal: str = ""  # what the verdict checks, for the table
    check: object = None  # callable(row, ratio) -> bool, or None: no target beyond no errors
    result: Result = field(default_factory=Result)
    group: str = ""
    note: str = ""  # e.g. pages the cache did not answer before the load
    connections: int | None = None  # wrk's connections for this row; None: --concurrency


def fmt_ms(value: float) -> str:
    return "–" if math.isnan(value) else (f"{value:.0f}" if value >= 100 else f"{value:.1f}")


def fmt_ratio(ratio: float | None, kind: str) -> str:
    if ratio is None:
        return "–"
    return f"{ratio:.1f}×" if kind == "multiple" else f"{ratio:.0%}"


HEADER = (
    f"{'row':<44}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}"
    f"{'errors':>7}{'KiB':>7}{'ratio':>8}  {'target':<26}verdict"
)


def table_line(row: Row, ratio: float | None, ok: bool | None) -> str:
    r = row.result
    kib = r.bytes / r.requests / 1024 if r.requests else 0
    verdict = "" if ok is None else ("ok" if ok else "MISSED")
    verdict += f"  ({row.note})" if row.note else ""
    return (
        f"{row.label:<44}{r.rps:>8.0f}{fmt_ms(r.ms(0.5)):>8}{fmt_ms(r.ms(0.95)):>8}"
        f"{fmt_ms(r.ms(0.99)):>8}{fmt_ms(r.max_ms):>8}{r.errors:>7}{kib:>7.1f}"
        f"{fmt_ratio(ratio, row.kind):>8}  {row.goal:<26}{verdict}"
    )


def print_table(rows: list[Row], references: dict[str, float]) -> bool:
    """Prints the rows; True when every target is met."""
    print(HEADER)
    print("-" * len(HEADER))
    all_ok = True
    group = None
    for row in rows:
        if row.group != group:
            group = row.group
            print(f"{group}:")
        reference = references.get(row.reference) if row.reference else None
        ratio = row.result.rps / reference if reference else None
        ok = row.result.errors == 0 and row.result.requests > 0
        if row.check is not None:
            ok = ok and bool(row.check(row, ratio))
        all_ok &= ok
        print(table_line(row, ratio, ok))
    return all_ok


# HTTP helpers --------------------------------------------------------------------------------


def request(base: str, path: str, timeout: float = 60) -> tuple[int, dict, str]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": parts.hostname})
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def fetch(base: str, path: str) -> str:
    status, _headers, body = request(base, path)
    if status != 200:
        raise SystemExit(f"GET {base}{path}: {status}")
    return body


def s_maxage(headers: dict) -> int | None:
    found = re.search(r"s-maxage=(\d+)", headers.get("cache-control", ""))
    return int(found.group(1)) if found else None


class Poller(threading.Thread):
    """GETs PATH on BASE back to back (one keep-alive connection) until TOKEN has been in
    every answer for SETTLE seconds; `since` is when the first request of that run started."""

    def __init__(self, base: str, path: str, token: str, settle: float, deadline: float):
        super().__init__(daemon=True)
        parts = urlsplit(base)
        self.host, self.port, self.path, self.token = parts.hostname, parts.port, path, token
        self.settle, self.deadline = settle, deadline
        self.since: float | None = None
        self.errors = 0

    def run(self):
        conn = None
        while time.time() < self.deadline:
            started = time.time()
            try:
                conn = conn or http.client.HTTPConnection(self.host, self.port, timeout=30)
                conn.request("GET", self.path, headers={"Host": self.host})
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                self.errors += 1
                conn = None
                time.sleep(0.05)
                continue
            if response.status == 200 and self.token.encode() in body:
                self.since = self.since or started
                if time.time() - self.since >= self.settle:
                    return
            else:
                self.since = None
            time.sleep(0.01)


def edit(slug: str, count: int = 1, interval: float = 1.0, tag: str | None = None):
    """bench/editor.py, started and set up (it prints "ready" before its first save)."""
    command = [PYTHON, str(HERE / "editor.py"), slug, "--count", str(count)]
    command += ["--interval", str(interval)] + (["--tag", tag] if tag else [])
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    if process.stdout.readline().strip() != "ready":
        raise SystemExit("bench/editor.py did not start")
    return process


def saved_times(process) -> list[float]:
    output, _ = process.communicate(timeout=120)
    if process.returncode:
        raise SystemExit("bench/editor.py failed")
    return [float(line.split()[1]) for line in output.splitlines() if line.startswith("saved ")]


# The run -------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", action="append", default=[], help="name=http://host:port")
    parser.add_argument("--duration", type=int, default=10, help="seconds per row")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--trials", type=int, default=2, help="edits timed for visibility")
    parser.add_argument("--nginx-log", help="nginx's log of $upstream_cache_status")
    args = parser.parse_args()

    servers = dict(item.split("=", 1) for item in args.server)
    for name, base in servers.items():
        host = urlsplit(base).hostname
        if not ipaddress.ip_address(socket.gethostbyname(host)).is_loopback:
            raise SystemExit(f"{name}: {host} is not a loopback address: refusing to send load")
    if "portal" not in servers:
        raise SystemExit("--server portal=... is needed")
    if not (1 <= args.concurrency <= 64 and 1 <= args.duration <= 120):
        raise SystemExit("concurrency 1..64, duration 1..120 s per row")
    # Slices of at least 2 s (wrk counts whole seconds; a slow page needs time to answer at all).
    rounds = max(1, min(5, args.duration // 2))
    slice_seconds = max(1, round(args.duration / rounds))
    portal = servers["portal"]

    # The pages: a real testbed (the catalogue's first card) and indicator.
    catalogue = fetch(portal, "/testbaddar/")
    slug = re.search(r'href="/testbaddar/([\w-]+)/"', catalogue).group(1)
    code = re.search(r'href="/indikatorer/([\w-]+)/"', fetch(portal, "/indikatorer/")).group(1)
    detail = f"/testbaddar/{slug}/"
    html_pages = [
        ("home", "/"),
        ("catalogue", "/testbaddar/"),
        ("catalogue page 2", "/testbaddar/?page=2"),
        ("catalogue filtered", "/testbaddar/?municipality=huddinge&theme=mobilitet&status=ongoing"),
        ("testbed detail", detail),
        ("indicator list", "/indikatorer/"),
        ("indicator detail", f"/indikatorer/{code}/"),
        ("analysis /analys/", "/analys/"),
        ("results /resultat/", "/resultat/"),
        ("municipality /kommuner/huddinge/", "/kommuner/huddinge/"),
    ]
    searches = [
        ("search, common word", "/sok/?q=kommunen"),
        ("search, rare word", "/sok/?q=Flemingsberg"),
        ("search, typo", "/sok/?q=Flemingberg"),
    ]
    api = [("API list /api/v1/testbeds/", "/api/v1/testbeds/")]
    geojson = ("GeoJSON, all testbeds", "/testbaddar.geojson")
    four_times = {"home", "catalogue", "testbed detail", "indicator list", "indicator detail"}

    def share_at_least(goal):
        return lambda row, ratio: ratio is not None and ratio >= goal

    def p50_under(ms):
        return lambda row, ratio: row.result.ms(0.5) < ms

    def p99_under(ms):
        return lambda row, ratio: row.result.ms(0.99) < ms

    def p95_under(ms):
        return lambda row, ratio: row.result.ms(0.95) < ms

    refs = {"group": "references"}
    rows = [
        Row("bare Django, trivial view", [("bare", ["/"])], reference="bare", **refs),
        Row(
            "24-card template, no database",
            [("portal", ["/bench/cards"])],
            reference="cards",
            **refs,
        ),
        Row(
            "portal trivial view, its middleware",
            [("portal", ["/bench/ceiling"])],
            reference="bare",
            **refs,
        ),
    ]
    uncached_rows = {}
    group = "uncached (page cache off): share of the 24-card template"
    for label, path in [*html_pages, *searches, *api, geojson]:
        row = Row(label, [("uncached", [path])], reference="cards", group=group)
        if label in four_times:
            row.goal, row.check = "≥ 50% of template", share_at_least(0.5)
        uncached_rows[path] = row
        rows.append(row)
    # Items 3 and 4 set latencies of one request: measured with one client, so that the
    # p50 is the page's own time and not the queue of 8 clients on 2 cores (at 8 clients the
    # p50 of a page costing t of CPU is at least about 4 t). The rows above show the same
    # pages under the load.
    group = "uncached, one client at a time: the latency of one request"
    for label, path in [*searches, geojson]:
        row = Row(label, [("uncached", [path])], group=group, connections=1)
        if label == "search, common word":
            row.goal, row.check = "p50 < 50 ms", p50_under(50)
        elif label.startswith("search"):
            row.goal, row.check = "p99 < 300 ms", p99_under(300)
        else:
            row.goal, row.check = "p50 < 150 ms", p50_under(150)
        rows.append(row)
    group = "cached (portal page cache): share of bare Django's trivial view"
    for label, path in [*html_pages, *searches, *api, geojson]:
        rows.append(
            Row(
                label,
                [("portal", [path])],
                reference="bare",
                goal="p95 < 30 ms",
                check=p95_under(30),
                group=group,
            )
        )

    mix = [path for _label, path in html_pages]
    static_page = "/static/bench-catalogue.html"
    group = "nginx in front (docs/nginx/sodertorn.conf): multiple of bare Django's trivial view"
    nginx = {"reference": "bare", "kind": "multiple", "group": group}
    rows.append(Row("static file: the catalogue's HTML", [("nginx", [static_page])], **nginx))
    goal = {"goal": "≥ 10× bare trivial", "check": share_at_least(10)}
    for label, path in [html_pages[0], html_pages[1], html_pages[4]]:
        rows.append(Row(label, [("nginx", [path])], **nginx, **goal))
    # The full map's GeoJSON is not a page: 124 KB gzipped an answer, so ten times bare
    # Django's trivial view would be about 5 GB/s over loopback on 2 cores. Its measure is
    # nginx serving the same bytes as a static file (gzip_static) in the same run.
    static_map = "/static/bench-testbeds.geojson"
    static_geo = Row("static file: the full map's GeoJSON", [("nginx", [static_map])], **nginx)
    rows.append(static_geo)
    rows.append(
        Row(
            geojson[0],
            [("nginx", [geojson[1]])],
            **nginx,
            goal="≥ 90% of its static file",
            check=lambda row, ratio: row.result.rps >= 0.9 * static_geo.result.rps,
        )
    )
    rows.append(Row(f"{len(mix)} cached pages in turn", [("nginx", mix)], **nginx, **goal))
    group = "two app servers (shared PostgreSQL and Redis): share of bare Django's trivial view"
    both = {"reference": "bare", "group": group}
    rows.append(
        Row(
            "trivial view, spread over both",
            [("portal", ["/bench/ceiling"]), ("second", ["/bench/ceiling"])],
            **both,
        )
    )
    rows.append(
        Row(
            f"{len(mix)} cached pages, spread over both", [("portal", mix), ("second", mix)], **both
        )
    )
    rows = [row for row in rows if all(name in servers for name, _paths in row.targets)]

    # Every page answers 200 before any load (and is in the page cache or nginx's after this).
    if "nginx" in servers:
        static_root = Path(os.environ.get("DJANGO_STATIC_ROOT", "var/bench/static"))
        for static, body in ((static_page, catalogue), (static_map, fetch(portal, geojson[1]))):
            name = static.rsplit("/", 1)[1]
            static_root.joinpath(name).write_text(body)
            subprocess.run(["gzip", "-kf", str(static_root / name)], check=True)
    # The second answer says whether a cache answered it: the portal's X-Page-Cache, nginx's
    # X-Cache-Status. A cached row whose page no cache answers says so in the table.
    for row in rows:
        misses = []
        for name, paths in row.targets:
            for path in paths:
                if name != "uncached":  # fill the cache; the second answer is from it
                    fetch(servers[name], path)
                status, headers, _body = request(servers[name], path)
                if status != 200:
                    raise SystemExit(f"GET {servers[name]}{path}: {status}")
                page_cache = headers.get("x-page-cache")
                if name == "uncached" and page_cache == "hit":
                    raise SystemExit(f"{path}: the page cache answered on the uncached server")
                if name == "nginx":
                    hit = headers.get("x-cache-status") in {"HIT", "STALE", "UPDATING"}
                    if path not in {static_page, static_map} and not hit:
                        misses.append(headers.get("x-cache-status", "?"))
                elif name in {"portal", "second"} and page_cache not in {None, "hit"}:
                    misses.append(f"X-Page-Cache: {page_cache}")
                elif (
                    name in {"portal", "second"}
                    and page_cache is None
                    and row.group.startswith("cached")
                ):
                    misses.append("not page-cached")
        if misses:
            row.note = (
                f"cache missed: {misses[0]}"
                if len(misses) == 1
                else f"cache missed {len(misses)} of {sum(len(p) for _n, p in row.targets)}"
            )
    for name in servers:
        run_wrk([(servers[name], ["/"])], 1, args.concurrency)  # warm-up: every worker connected

    print(
        f"\n{len(rows)} rows, {args.duration} s each in {rounds} rounds of {slice_seconds} s,"
        f" {args.concurrency} connections, wrk; testbed {detail}, indicator {code}",
        file=sys.stderr,
        flush=True,
    )
    for round_number in range(rounds):
        for row in rows:
            targets = [(servers[name], paths) for name, paths in row.targets]
            row.result.add(run_wrk(targets, slice_seconds, row.connections or args.concurrency))
        print(f"  round {round_number + 1}/{rounds}", file=sys.stderr, flush=True)

    # Cached pages on the portal while one testbed is saved every second (the edits invalidate
    # the cache, so this runs on its own after the interleaved rounds).
    one_render = (
        max(uncached_rows[path].result.ms(0.99) for path in mix if path in uncached_rows)
        if "uncached" in servers
        else math.nan
    )
    editor = edit(slug, count=args.duration, interval=1.0)
    edited = Row(
        f"{len(mix)} cached pages, 1 edit/s",
        [("portal", mix)],
        reference="bare",
        goal=f"p95<100, max<{fmt_ms(one_render)} ms",
        group="edits: cached pages while bench/editor.py saves a testbed every second",
    )
    edited.check = lambda row, ratio: (
        row.result.ms(0.95) < 100 and not (row.result.max_ms > one_render)
    )
    edited.result = run_wrk([(portal, mix)], args.duration, args.concurrency)
    saves = saved_times(editor)
    rows.append(edited)

    # A reference row's own reference is itself: "bare" and "cards" are the first such rows.
    references = {}
    for row in rows:
        if row.targets[0][0] == "bare" or row.targets[0][1] == ["/bench/cards"]:
            references.setdefault(row.reference, row.result.rps)

    # How long an edit takes to show: on each portal server directly, and through nginx.
    status, headers, _body = request(portal, detail)
    maxage = s_maxage(headers)
    visibility: dict[str, list[float]] = {
        name: [] for name in ("portal", "second", "nginx") if name in servers
    }
    limits = {"portal": 1.0, "second": 1.0, "nginx": (maxage or 0) + 1.0}
    for trial in range(args.trials):
        tag = f"visible-{int(time.time() * 1000)}-{trial}"
        deadline = time.time() + 60
        pollers = {
            name: Poller(servers[name], detail, tag, settle=1.5, deadline=deadline)
            for name in visibility
            if name != "nginx" or maxage
        }
        for poller in pollers.values():
            poller.start()
        (saved,) = saved_times(edit(slug, tag=tag))
        for name, poller in pollers.items():
            poller.join(65)
            visibility[name].append(max(0.0, poller.since - saved) if poller.since else math.nan)

    print(
        f"\nconcurrency {args.concurrency}, {args.duration} s per row in {rounds} rounds,"
        f" wrk; {len(saves)} saves in the edit row; {slice_seconds} s slices\n"
    )
    ok = print_table(rows, references)
    print("\nedit visible (ORM save in another process; every answer new for 1.5 s after):")
    for name, delays in visibility.items():
        if name == "nginx" and not maxage:
            print(
                "  through nginx: not measured: the portal sends no s-maxage, so nginx caches"
                f" nothing (Cache-Control: {headers.get('cache-control', 'none')!r})"
            )
            continue
        worst = max(delays) if delays else math.nan
        met = not math.isnan(worst) and worst <= limits[name]
        ok &= met
        label = {
            "portal": "on the portal server",
            "second": "on the second server",
            "nginx": "through nginx",
        }[name]
        print(
            f"  {label:<22} after {', '.join(f'{d * 1000:.0f}' for d in delays)} ms"
            f"   target ≤ {limits[name] * 1000:.0f} ms  {'ok' if met else 'MISSED'}"
        )
    print(f"\nportal detail page: Cache-Control {headers.get('cache-control', 'none')!r}")
    if args.nginx_log and Path(args.nginx_log).exists():
        seen = Counter(Path(args.nginx_log).read_text().split())
        total = sum(seen.values()) or 1
        print(
            "nginx cache status of every answer: "
            + ", ".join(f"{k} {v / total:.1%}" for k, v in seen.most_common())
        )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
