"""Dialogue writes that lose nothing and cannot be gamed (issue 12): posts are stored with the
cache down, the rate limit and support are kept in the database, atomic under parallel
requests, and a form stamp is good for one post."""

import datetime
import io
import re
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from dialogue import services
from dialogue.models import AddressThrottle, Contribution, PostEvent, Support, UsedFormStamp
from dialogue.tests.factories import ContributionFactory, RoundFactory, form_data, old_token

pytestmark = pytest.mark.each_database  # behaviour depends on the database: run on each

# Nothing listens here (a port of this branch's own range): the cache is "unreachable".
CLOSED_PORT = 23101
UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{CLOSED_PORT}/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}
ADDRESS = "10.1.2.3"
SUPPORTED = "Du stöder det här förslaget."  # "You support this proposal." (Swedish by default)


def post(client, round_, address=ADDRESS, **data):
    return client.post(round_.get_absolute_url(), form_data(**data), REMOTE_ADDR=address)


def support(client, item, address=ADDRESS):
    return client.post(f"/dialog/{item.round.slug}/stod/{item.pk}/", REMOTE_ADDR=address)


@pytest.fixture
def cache_down(settings):
    settings.CACHES = UNREACHABLE_CACHE
    from django.core.cache import cache

    with pytest.raises(Exception):  # noqa: B017 (redis-py's ConnectionError)
        cache.get("probe")
    return settings


# Posting with the cache down ---------------------------------------------------------------


@pytest.mark.django_db
def test_post_is_stored_with_the_cache_unreachable(client, cache_down):
    round_ = RoundFactory()
    response = post(client, round_, text="Sparas utan cache")
    assert response.status_code == 302
    assert response["Location"].endswith("#tack")
    assert Contribution.objects.filter(text="Sparas utan cache", status="pending").exists()
    assert "moderator" in client.get(response["Location"]).text  # the thank-you message


@pytest.mark.django_db
def test_rate_limit_holds_with_the_cache_unreachable(client, cache_down):
    cache_down.DIALOGUE_RATE_LIMIT = 5
    round_ = RoundFactory()
    for n in range(5):
        assert post(client, round_, text=f"Bidrag {n}").status_code == 302
    response = post(client, round_, text="Det sjätte bidraget")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert "Det sjätte bidraget" in response.text  # the resident's text is kept
    assert Contribution.objects.filter(round=round_).count() == 5


@pytest.mark.django_db
def test_support_counts_with_the_cache_unreachable(client, cache_down):
    item = ContributionFactory(support_count=2)
    assert support(client, item).status_code == 302
    assert support(client, item).status_code == 302
    item.refresh_from_db()
    assert item.support_count == 3
    assert SUPPORTED in client.get(item.round.get_absolute_url()).text


# The rate limit in the database ----------------------------------------------------------------


@pytest.mark.django_db
def test_rate_limit_window_slides_and_old_events_are_pruned(client, settings):
    settings.DIALOGUE_RATE_LIMIT = 2
    settings.DIALOGUE_RATE_WINDOW = 600
    round_ = RoundFactory()
    assert post(client, round_, text="Första").status_code == 302
    assert post(client, round_, text="Andra").status_code == 302
    response = post(client, round_, text="Tredje")
    assert response.status_code == 429
    # Eleven minutes later the two earlier posts have left the window.
    PostEvent.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=11))
    assert post(client, round_, text="Tredje").status_code == 302
    assert PostEvent.objects.count() == 1  # the old events were pruned on write
    assert Contribution.objects.filter(round=round_).count() == 3


@pytest.mark.django_db
def test_retry_after_counts_from_the_oldest_post_in_the_window(client, settings):
    settings.DIALOGUE_RATE_LIMIT = 1
    round_ = RoundFactory()
    assert post(client, round_, text="Första").status_code == 302
    PostEvent.objects.update(created_at=timezone.now() - datetime.timedelta(seconds=500))
    response = post(client, round_, text="Andra")
    assert response.status_code == 429
    assert 95 <= int(response["Retry-After"]) <= 100


@pytest.mark.django_db
def test_addresses_are_stored_only_as_keyed_hashes(client):
    round_ = RoundFactory()
    item = ContributionFactory(round=round_)
    post(client, round_, text="Hashad adress")
    support(client, item)
    stored = [
        *PostEvent.objects.values_list("address_hash", flat=True),
        *AddressThrottle.objects.values_list("address_hash", flat=True),
        *Support.objects.values_list("address_hash", flat=True),
    ]
    assert stored and all(re.fullmatch(r"[0-9a-f]{64}", value) for value in stored)
    assert ADDRESS not in str(stored)
    assert len(set(stored)) == 1  # one address, one hash


@pytest.mark.django_db
def test_closed_round_refuses_even_an_invalid_form_with_403(client):
    round_ = RoundFactory(closed=True)
    response = post(client, round_, text="")
    assert response.status_code == 403
    assert 'name="text"' not in response.text


# The form stamp is good for one post -----------------------------------------------------------


@pytest.mark.django_db
def test_a_form_stamp_is_good_for_one_post(client):
    round_ = RoundFactory()
    stamp = old_token()
    assert post(client, round_, text="Första gången", started=stamp).status_code == 302
    response = post(client, round_, text="Samma formulär igen", started=stamp)
    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert "already sent once" in response.text or "redan skickats" in response.text
    assert "Samma formulär igen" in response.text  # the text is kept
    assert not Contribution.objects.filter(text="Samma formulär igen").exists()
    # The form shown again carries a fresh stamp that can be sent.
    fresh = response.context["form"].data["started"]
    assert fresh != stamp
    assert UsedFormStamp.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_post_does_not_use_up_its_stamp(client, settings):
    settings.DIALOGUE_RATE_LIMIT = 1
    round_ = RoundFactory()
    assert post(client, round_, text="Första").status_code == 302
    stamp = old_token()
    assert post(client, round_, text="För många", started=stamp).status_code == 429
    assert post(client, round_, address="10.9.9.9", text="Annan", started=stamp).status_code == 302


@pytest.mark.django_db
def test_old_style_stamps_without_a_nonce_are_refused_with_a_fresh_form(client):
    from django.core import signing

    from dialogue.forms import SIGNING_SALT

    round_ = RoundFactory()
    legacy = signing.dumps(1.0, salt=SIGNING_SALT)
    response = post(client, round_, text="Gammal stämpel", started=legacy)
    assert response.status_code == 200 and "Gammal stämpel" in response.text
    assert not Contribution.objects.filter(text="Gammal stämpel").exists()


# Support ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_25_fresh_browsers_from_one_address_count_at_most_the_daily_limit(settings):
    settings.DIALOGUE_SUPPORT_PER_ADDRESS_DAY = 3
    item = ContributionFactory(support_count=14)
    for _n in range(25):
        assert support(Client(), item).status_code == 302
    item.refresh_from_db()
    assert item.support_count == 17
    assert Support.objects.filter(contribution=item).count() == 3
    # The refused browser is told why.
    browser = Client()
    page = browser.get(support(browser, item)["Location"]).text
    assert "Försök igen i morgon" in page
    # Another address, another proposal: counted.
    assert support(Client(), item, address="10.7.7.7").status_code == 302
    other = ContributionFactory(round=item.round, support_count=0)
    support(Client(), other)
    item.refresh_from_db()
    other.refresh_from_db()
    assert (item.support_count, other.support_count) == (18, 1)


@pytest.mark.django_db
def test_the_address_limit_is_per_day(settings):
    settings.DIALOGUE_SUPPORT_PER_ADDRESS_DAY = 1
    item = ContributionFactory(support_count=0)
    support(Client(), item)
    support(Client(), item)
    assert Support.objects.count() == 1
    Support.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    support(Client(), item)
    item.refresh_from_db()
    assert item.support_count == 2


@pytest.mark.django_db
def test_a_browser_supports_once_and_a_forged_cookie_is_a_new_browser(client):
    item = ContributionFactory(support_count=0)
    support(client, item)
    support(client, item)
    item.refresh_from_db()
    assert item.support_count == 1
    assert "dialogue_browser" in client.cookies
    page = client.get(item.round.get_absolute_url()).text
    assert SUPPORTED in page
    forged = Client()
    forged.cookies["dialogue_browser"] = "made-up-token"
    support(forged, item)
    item.refresh_from_db()
    assert item.support_count == 2
    assert forged.cookies["dialogue_browser"].value != "made-up-token"


@pytest.mark.django_db
def test_the_shown_count_matches_the_stored_supports(client):
    item = ContributionFactory(support_count=0)
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        support(Client(), item, address=address)
    item.refresh_from_db()
    assert item.support_count == Support.objects.filter(contribution=item).count() == 3
    assert re.search(r"\b3 (supporters|stödjare)", client.get(item.round.get_absolute_url()).text)


# Pruning ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_prune_deletes_what_the_limits_no_longer_need(client):
    round_ = RoundFactory()
    item = ContributionFactory(round=round_)
    post(client, round_, text="Gammalt")
    support(client, item)
    long_ago = timezone.now() - datetime.timedelta(days=2)
    PostEvent.objects.update(created_at=long_ago)
    UsedFormStamp.objects.update(used_at=long_ago)
    AddressThrottle.objects.update(last_seen=long_ago)
    Support.objects.update(created_at=long_ago)
    call_command("prune_dialogue", stdout=io.StringIO())
    assert not PostEvent.objects.exists()
    assert not UsedFormStamp.objects.exists()
    assert not AddressThrottle.objects.exists()
    (kept,) = Support.objects.all()  # support stays (once per browser), its address goes
    assert kept.address_hash == "" and kept.browser_hash


# Parallel requests (PostgreSQL: real row locks between connections) --------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel writes are tested on PostgreSQL"
)


def run_parallel(count, request):
    """``request(n)`` in ``count`` threads started together; returns their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(n):
        from django.db import connections

        try:
            barrier.wait()
            results[n] = request(n)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_20_parallel_posts_from_one_address_store_at_most_the_limit(settings):
    settings.DIALOGUE_RATE_LIMIT = 5
    round_ = RoundFactory()
    statuses = run_parallel(
        20, lambda n: post(Client(), round_, text=f"Parallellt bidrag {n}").status_code
    )
    stored = Contribution.objects.filter(round=round_).count()
    assert stored == 5
    assert sorted(statuses) == [302] * 5 + [429] * 15


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_stamp_sent_in_parallel_stores_one_post():
    round_ = RoundFactory()
    stamp = old_token()
    statuses = run_parallel(
        10,
        lambda n: (
            post(
                Client(), round_, address=f"10.3.0.{n}", text=f"Samma stämpel {n}", started=stamp
            ).status_code
        ),
    )
    assert Contribution.objects.filter(round=round_).count() == 1
    assert sorted(statuses) == [200] * 9 + [302]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_25_parallel_fresh_browsers_count_at_most_the_daily_limit(settings):
    settings.DIALOGUE_SUPPORT_PER_ADDRESS_DAY = 3
    item = ContributionFactory(support_count=14)
    statuses = run_parallel(25, lambda n: support(Client(), item).status_code)
    assert statuses == [302] * 25
    item.refresh_from_db()
    assert item.support_count == 17
    assert Support.objects.filter(contribution=item).count() == 3


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_support_from_one_browser_counts_once():
    item = ContributionFactory(support_count=0)
    outcomes = run_parallel(
        10,
        lambda n: services.support(contribution=item, browser="one-browser", address=f"10.4.0.{n}"),
    )
    item.refresh_from_db()
    assert item.support_count == 1
    assert sorted(outcomes) == sorted(
        [services.SupportOutcome.COUNTED] + [services.SupportOutcome.ALREADY] * 9
    )
