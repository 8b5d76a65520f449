"""Property-based fuzzing of every public URL: random queries and path segments never give a 500.

The URL patterns come from tests/public_pages.py (HTML pages and data endpoints alike), so a new
page is fuzzed as soon as it is routed. Bad input must give a clear answer — 200 with a form
error, a redirect, 400 or 404 — never a server error.

50 examples per test keep the suite fast; search deeper with e.g. FUZZ_EXAMPLES=2000.
"""

import os
from urllib.parse import quote, urlencode

import django_filters
import pytest
from django.conf import settings
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from testbeds.filters import TestbedFilter

from . import public_pages

ALLOWED = {200, 301, 302, 400, 404}
PATTERNS = public_pages.discover_patterns()
WITH_KWARGS = [p for p in PATTERNS if p.kwarg_names]
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def query_names() -> list[str]:
    """Every filter of the project's FilterSets and every field of the views' forms."""
    names = {"page", "q", "sort", "format", "next", "lang"}
    for filterset in subclasses(django_filters.FilterSet):
        if not filterset.__module__.startswith("django_filters"):
            names |= set(filterset.base_filters)
    for pattern in PATTERNS:
        form_class = getattr(pattern.view_class, "form_class", None)
        if form_class is not None and hasattr(form_class, "base_fields"):
            names |= set(form_class.base_fields)
    return sorted(names)


FILTER_NAMES = query_names()

FRAGMENTS = [
    "' OR '1'='1",
    "1; DROP TABLE testbeds_testbed; --",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "%00",
    "\x00",
    "../../etc/passwd",
    "{{ 7*7 }}",
    "{% debug %}",
    "%(name)s",
    "NaN",
    "-1",
    "0",
    "1e309",
    "99999999999999999999999999",
    "-99999999999999999999",
    "2016.5",
    "１９９９",
    "\u202e",
    "🏙️",
    "Å" * 300,
]

any_text = st.text(st.characters(codec="utf-8"), max_size=60)
values = st.one_of(
    any_text,
    st.sampled_from(FRAGMENTS),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=10_000, alphabet=st.characters(codec="utf-8")).filter(lambda s: len(s) > 500),
    st.integers(min_value=1000, max_value=10_000).map(lambda n: "x" * n),
)
keys = st.one_of(st.sampled_from(FILTER_NAMES), any_text.filter(bool))
query_params = st.lists(st.tuples(keys, values), max_size=8)
# Raw query strings: broken percent-escapes, invalid UTF-8, separators in odd places.
raw_query = st.lists(
    st.one_of(
        st.sampled_from(["%", "%zz", "%00", "%ff", "%c3", "%e2%82", "&", "=", ";", "+", "#"]),
        st.sampled_from(FILTER_NAMES),
        any_text.map(lambda s: quote(s, safe="=&")),
    ),
    max_size=12,
).map("".join)
segments = st.one_of(
    any_text.filter(bool),
    st.sampled_from(FRAGMENTS),
    st.text(max_size=2_000, alphabet=st.characters(codec="utf-8")).filter(bool),
)

FUZZ = hypothesis_settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "50")),
    deadline=None,
    database=None,  # nothing written to .hypothesis/ in the work tree
    # The demo data is loaded once per test and only read by the GET requests.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


demo_media, _media_root, demo_db, demo = public_pages.demo_fixtures()


@pytest.fixture
def demo_kwargs(demo):
    """Real kwargs for the pages; placeholders (404) for what the demo data cannot show."""
    return {
        pattern.name: pattern.fill() if pattern.page else pattern.placeholder_kwargs()
        for pattern in PATTERNS
    }


def assert_no_server_error(client, path, **extra):
    response = client.get(path, **extra)
    assert response.status_code in ALLOWED, (
        f"{response.status_code} for {path!r} {extra!r}: {response.content[:300]!r}"
    )
    return response


def fuzz_client():
    client = Client()
    client.raise_request_exception = False  # an exception shows as the 500 it would give
    return client


@FUZZ
@given(
    pattern=st.sampled_from(PATTERNS),
    language=st.sampled_from(LANGUAGES),
    params=query_params,
)
def test_random_query_strings_never_give_a_server_error(demo_kwargs, pattern, language, params):
    path = pattern.reverse(demo_kwargs[pattern.name], language)
    assert_no_server_error(fuzz_client(), path, QUERY_STRING=urlencode(params))


@FUZZ
@given(pattern=st.sampled_from(PATTERNS), language=st.sampled_from(LANGUAGES), raw=raw_query)
def test_malformed_query_strings_never_give_a_server_error(demo_kwargs, pattern, language, raw):
    path = pattern.reverse(demo_kwargs[pattern.name], language)
    assert_no_server_error(fuzz_client(), path, QUERY_STRING=raw)


@pytest.mark.skipif(not WITH_KWARGS, reason="no public URL pattern takes arguments")
@FUZZ
@given(
    pattern=st.sampled_from(WITH_KWARGS or PATTERNS),
    language=st.sampled_from(LANGUAGES),
    data=st.data(),
    params=query_params,
)
def test_random_path_segments_never_give_a_server_error(
    demo_kwargs, pattern, language, data, params
):
    placeholders = pattern.placeholder_kwargs()
    path = pattern.reverse(placeholders, language)
    for sentinel in placeholders.values():
        segment = data.draw(segments, label="segment")
        path = path.replace(sentinel, quote(segment, safe=""))
    assert_no_server_error(fuzz_client(), path, QUERY_STRING=urlencode(params))


def test_nul_bytes_never_give_a_server_error(demo_kwargs):
    """NUL cannot be stored in PostgreSQL text: every page answers it without a 500."""
    client = fuzz_client()
    for pattern in PATTERNS:
        path = pattern.reverse(demo_kwargs[pattern.name])
        query = "&".join(f"{name}=a%00b" for name in FILTER_NAMES)
        assert_no_server_error(client, path, QUERY_STRING=query)


def test_nul_bytes_in_catalogue_filters_give_a_form_error(demo_kwargs):
    client = fuzz_client()
    for name in TestbedFilter.base_filters:
        response = assert_no_server_error(client, "/testbaddar/", QUERY_STRING=f"{name}=a%00b")
        assert response.status_code == 200
        if name != "sort":
            assert "filter-errors" in response.text, name
        response = assert_no_server_error(
            client, "/testbaddar.geojson", QUERY_STRING=f"{name}=a%00b"
        )
        assert response.status_code == 400, name
