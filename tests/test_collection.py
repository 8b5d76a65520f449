"""The suite's own set-up: which tests are browser tests, and what a missing Chromium skips."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:xdist", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def collected(output: str) -> int:
    match = re.search(r"(\d+)(?:/\d+)? tests? collected", output)
    return int(match.group(1)) if match else 0


def test_only_browser_tests_are_marked_browser():
    """`-m "not browser"` keeps the whole suite except the browser tests (in tests/browser/ and
    the apps' test_*_browser.py modules; one collection)."""
    result = pytest_run("--collect-only", "-q", "-m", "not browser")
    ids = [line for line in result.stdout.splitlines() if "::" in line]
    assert collected(result.stdout) > 1000, result.stdout[-2000:]
    assert len(ids) == collected(result.stdout)
    assert not [i for i in ids if "/browser/" in i or "_browser.py::" in i]
    assert [i for i in ids if i.startswith("tests/test_collection.py::")]
    # a check of the browser sweep's own rules that starts no Chromium is not a browser test
    assert (
        "tests/test_browser_checks.py::test_policy_check_rejects_unsafe_inline_and_report_only"
        in ids
    )


def test_a_missing_chromium_skips_only_browser_tests_visibly():
    result = pytest_run(
        "-rs",
        "-q",
        "tests/browser/test_public_page_sweep.py::test_the_check_finds_a_real_violation",
        "tests/test_browser_checks.py::test_policy_check_rejects_unsafe_inline_and_report_only",
        env={
            "CHROMIUM_PATH": "/nonexistent/chromium",
            "PATH": "/usr/sbin:/sbin",
            "REQUIRE_BROWSER": "",
        },
    )
    assert "1 passed, 1 skipped" in result.stdout, result.stdout[-2000:]
    assert "chromium not found at /nonexistent/chromium: browser test skipped" in result.stdout


def test_collected_counts_are_read():
    assert collected("1940 tests collected in 10.59s") == 1940
    assert collected("12/1940 tests collected (1928 deselected) in 7s") == 12


def test_make_run_serves_on_the_port_given():
    def command(*args):
        # Run as a top-level make, also when the suite itself runs under `make test`
        # (a sub-make prints "Entering/Leaving directory" lines).
        env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
        result = subprocess.run(
            ["make", "--no-print-directory", "-n", "run", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        return result.stdout.splitlines()[-1]

    assert command("PORT=8001").endswith("runserver 127.0.0.1:8001")
    assert command().endswith("runserver 127.0.0.1:8000")


# Search indexing on save: paused outside the search tests (conftest.py::_search_index).


@pytest.mark.django_db
def test_saves_are_not_indexed_outside_the_search_tests():
    from search.models import SearchDocument
    from testbeds.tests.factories import TestbedFactory

    TestbedFactory()
    assert not SearchDocument.objects.exists()


@pytest.mark.django_db
@pytest.mark.search_index
def test_a_test_marked_search_index_keeps_indexing_on_save():
    from search.models import SearchDocument
    from testbeds.tests.factories import TestbedFactory

    testbed = TestbedFactory()
    assert SearchDocument.objects.filter(source="testbeds", object_id=testbed.pk).exists()


GROUPED_MODULE = """
import pytest

pytestmark = pytest.mark.xdist_group("servers")


@pytest.mark.parametrize("n", range(6))
def test_grouped(n):
    pass


def test_also_grouped():
    pass
"""


def test_tests_of_one_xdist_group_run_on_one_worker(tmp_path):
    """`make test` runs `--dist loadgroup`: the page-size and fault modules build their catalogue
    and servers once for the group. pytest 9.2 with pytest-xdist 3.8 dropped the grouping
    silently (each worker built them again, at the same time), hence the pin in pyproject.toml."""
    (tmp_path / "test_grouped.py").write_text(GROUPED_MODULE)
    result = subprocess.run(  # only xdist: the other plugins take seconds to load per worker
        [sys.executable, "-m", "pytest", "-p", "xdist.plugin", "-p", "no:cacheprovider"]
        + ["-n", "2", "--dist", "loadgroup", "-v", "test_grouped.py"],
        cwd=tmp_path,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    workers = re.findall(r"\[(gw\d+)\] \[ *\d+%\] PASSED", result.stdout)
    assert len(workers) == 7, result.stdout[-2000:]
    assert len(set(workers)) == 1, result.stdout[-2000:]
