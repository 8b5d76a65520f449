"""Closed-loop HTTP load generator for bench/run.sh (standard library only).

    python bench/loadgen.py --base http://127.0.0.1:18765 --duration 10 --concurrency 8

Each of CONCURRENCY threads keeps one HTTP/1.1 connection open and sends the next request as
soon as the last answer is read. Every page gets DURATION seconds in all, in ROUNDS slices
that take turns with the other pages (so a burst of other work on the machine hits every page
alike), after a short warm-up. Requests ask for gzip as browsers do. Only loopback addresses
are accepted. Prints one row per page: requests/s, latency percentiles, errors (anything but
200, or a failed connection), bytes per answer and the throughput as a share of the ceiling
(a trivial view behind the same server and middleware). Exits 1 when a page misses the
targets (share >= --min-ratio, p95 < --max-p95-ms, no errors).
"""

import argparse
import http.client
import ipaddress
import re
import socket
import sys
import threading
import time
from urllib.parse import urlsplit


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


class Worker(threading.Thread):
    def __init__(self, host, port, path, stop_at, headers):
        super().__init__(daemon=True)
        self.host, self.port, self.path, self.stop_at = host, port, path, stop_at
        self.headers = headers
        self.latencies: list[float] = []
        self.errors = 0
        self.bytes = 0

    def connect(self):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        conn.connect()
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    def run(self):
        conn = None
        while True:
            started = time.perf_counter()
            if started >= self.stop_at:
                break
            try:
                if conn is None:
                    conn = self.connect()
                conn.request("GET", self.path, headers=self.headers)
                response = conn.getresponse()
                body = response.read()
                if response.status != 200:
                    self.errors += 1
                self.bytes += len(body)
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                self.errors += 1
                if conn is not None:
                    conn.close()
                conn = None
                time.sleep(0.01)
                continue
            self.latencies.append(time.perf_counter() - started)
        if conn is not None:
            conn.close()


def run_slice(base, path, duration, concurrency, headers):
    parts = urlsplit(base)
    stop_at = time.perf_counter() + duration
    workers = [
        Worker(parts.hostname, parts.port or 80, path, stop_at, headers) for _ in range(concurrency)
    ]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join(duration + 30)
    return {
        "elapsed": time.perf_counter() - started,
        "latencies": [x for w in workers for x in w.latencies],
        "errors": sum(w.errors for w in workers),
        "bytes": sum(w.bytes for w in workers),
    }


def summary(slices):
    latencies = sorted(x for s in slices for x in s["latencies"])
    return {
        "rps": len(latencies) / sum(s["elapsed"] for s in slices),
        "p50": percentile(latencies, 0.50) * 1000,
        "p95": percentile(latencies, 0.95) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "errors": sum(s["errors"] for s in slices),
        "kb": sum(s["bytes"] for s in slices) / max(1, len(latencies)) / 1024,  # as sent
    }


def fetch(base, path):
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status}")
    return body


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:18765")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per page")
    parser.add_argument("--rounds", type=int, default=5, help="slices per page, interleaved")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds per page, unmeasured")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--min-ratio", type=float, default=0.5)
    parser.add_argument("--max-p95-ms", type=float, default=30.0)
    args = parser.parse_args()

    parts = urlsplit(args.base)
    if not ipaddress.ip_address(socket.gethostbyname(parts.hostname)).is_loopback:
        raise SystemExit(f"{parts.hostname} is not a loopback address: refusing to send load")
    if not (1 <= args.concurrency <= 64 and 0 < args.duration <= 120 and 1 <= args.rounds <= 50):
        raise SystemExit("concurrency 1..64, duration up to 120 s per page, rounds 1..50")

    # A real testbed page: the first card of the catalogue.
    slug = re.search(r'href="/testbaddar/([\w-]+)/"', fetch(args.base, "/testbaddar/")).group(1)
    pages = [
        ("ceiling (trivial view)", "/bench/ceiling"),
        ("home", "/"),
        ("catalogue", "/testbaddar/"),
        ("filtered catalogue", "/testbaddar/?municipality=huddinge&theme=mobilitet&status=ongoing"),
        ("testbed detail", f"/testbaddar/{slug}/"),
        ("GeoJSON (all)", "/testbaddar.geojson"),
        ("GeoJSON (filtered)", "/testbaddar.geojson?municipality=huddinge&theme=mobilitet"),
    ]
    headers = {"Host": parts.netloc, "Accept-Encoding": "gzip, deflate, br"}
    for _name, path in pages:
        fetch(args.base, path)  # every page answers 200 before any load is sent
        run_slice(args.base, path, args.warmup, args.concurrency, headers)

    slices = {path: [] for _name, path in pages}
    for round_number in range(args.rounds):
        for _name, path in pages:
            slices[path].append(
                run_slice(args.base, path, args.duration / args.rounds, args.concurrency, headers)
            )
        print(f"  round {round_number + 1}/{args.rounds}", file=sys.stderr, flush=True)
    results = [(name, summary(slices[path])) for name, path in pages]

    ceiling = results[0][1]["rps"]
    title = (
        f"{'page':<24}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'KiB':>8}{'ratio':>8}  verdict"
    )
    print(
        f"\nconcurrency {args.concurrency}, {args.duration:g} s per page in {args.rounds} rounds,"
        f" {args.base}\n"
    )
    print(title)
    print("-" * len(title))
    failed = False
    for index, (name, r) in enumerate(results):
        ratio = r["rps"] / ceiling if ceiling else 0
        ok = r["errors"] == 0 and r["p95"] < args.max_p95_ms
        if index:
            ok = ok and ratio >= args.min_ratio
        failed |= not ok
        print(
            f"{name:<24}{r['rps']:>8.0f}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}"
            f"{r['errors']:>8}{r['kb']:>8.1f}{ratio:>8.0%}  {'ok' if ok else 'MISSED'}"
        )
    print(
        f"\ntargets: ratio >= {args.min_ratio:.0%} of the ceiling, p95 < {args.max_p95_ms:g} ms,"
        " no errors"
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
