"""gunicorn.conf.py: worker recycling is a safety net, not a memory limit (bench/memory.py
measured flat memory per worker under the benchmark load)."""

import runpy
from pathlib import Path

CONF = str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py")


def test_workers_are_recycled_rarely_with_jitter_and_the_environment_decides(monkeypatch):
    monkeypatch.delenv("GUNICORN_MAX_REQUESTS", raising=False)
    monkeypatch.delenv("GUNICORN_MAX_REQUESTS_JITTER", raising=False)
    conf = runpy.run_path(CONF)
    assert conf["max_requests"] == 50_000
    assert 0 < conf["max_requests_jitter"] < conf["max_requests"]
    assert conf["preload_app"] is True
    monkeypatch.setenv("GUNICORN_MAX_REQUESTS", "0")  # off
    assert runpy.run_path(CONF)["max_requests"] == 0
