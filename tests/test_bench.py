"""The pure parts of bench/loadgen.py (`make bench` itself is not part of the tests): the wrk
output parser, percentiles merged over slices, and the table's ratios and verdicts."""

import math
from collections import Counter

from bench.loadgen import Result, Row, parse_wrk, print_table


def test_wrk_output_is_parsed_and_slices_merge_into_percentiles():
    steps = " ".join(f"{q}:{1000 if q <= 50 else 3000}" for q in range(1, 100))
    output = (
        "Running 1s test\n"
        "BENCH requests=100 duration_us=1000000 bytes=400 connect=0 read=1 write=0 status=2"
        f" timeout=0\nBENCH-Q {steps} 100:9000\n"
    )
    merged = parse_wrk(output)
    assert (merged.requests, merged.errors, merged.seconds) == (100, 3, 1.0)
    assert (merged.ms(0.5), merged.ms(0.51), merged.ms(0.99), merged.max_ms) == (1, 3, 3, 9)
    # Another slice of 100 requests, all at 2 ms: the merged median is 2 ms.
    merged.add(Result(seconds=1.0, requests=100, histogram=Counter({2000: 100})))
    assert merged.rps == 100.0
    assert (merged.ms(0.25), merged.ms(0.5), merged.ms(0.76), merged.max_ms) == (1, 2, 3, 9)
    assert math.isnan(Result().ms(0.5))  # no requests


def test_the_table_gives_each_row_its_ratio_to_its_reference_and_a_verdict(capsys):
    def row(label, rps, reference, kind="share", check=None, errors=0):
        made = Row(label, [("x", ["/"])], reference=reference, kind=kind, check=check)
        made.result = Result(seconds=1, requests=rps, errors=errors, histogram=Counter({1000: rps}))
        return made

    rows = [
        row("bare", 2000, "bare"),
        row("cards", 400, "cards"),
        row("page", 100, "cards", check=lambda r, ratio: ratio >= 0.5),
        row("nginx", 30000, "bare", kind="multiple", check=lambda r, ratio: ratio >= 10),
        row("broken", 50, "bare", errors=3),
    ]
    all_ok = print_table(rows, {"bare": 2000, "cards": 400})
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[2:]}
    assert not all_ok
    assert "100%" in lines["bare"] and lines["bare"].rstrip().endswith("ok")
    assert "25%" in lines["page"] and "MISSED" in lines["page"]
    assert "15.0×" in lines["nginx"] and lines["nginx"].rstrip().endswith("ok")
    assert "MISSED" in lines["broken"]  # errors miss whatever the ratio


def test_the_portal_serves_bench_render_s_24_card_template_at_bench_cards(client, settings):
    from django.urls import clear_url_caches

    from bench.portal.urls import CARDS, REFERENCE

    assert len(CARDS) == 24 and "{% for card in cards %}" in REFERENCE
    settings.ROOT_URLCONF = "bench.portal.urls"
    clear_url_caches()
    try:
        response = client.get("/bench/cards")
    finally:
        clear_url_caches()
    assert response.status_code == 200
    assert response.content.count(b'<article class="card">') == 24
