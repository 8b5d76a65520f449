"""Following without an account, end to end with the locmem mail backend: subscribe, the
confirmation (and nothing else) to an unconfirmed address, confirm, a digest with the news
and the unsubscribe links and headers, one-click unsubscribe, and nothing after."""

import datetime
import re
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dialogue.tests.factories import ContributionFactory, ResponseFactory, RoundFactory
from follow import services
from follow.models import Subscription
from follow.tests.factories import SubscriptionFactory, form_data
from indicators.tests.factories import AreaFactory, IndicatorFactory, ObservationFactory
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def link(body: str, name: str) -> str:
    return re.search(rf"https?://[^/\s]+(/\S*/{name}/[\w-]+/)", body).group(1)


def a_result_happens(testbed, days_ago=0):
    """A round of the testbed opens: a line on its timeline."""
    return RoundFactory(
        testbed=testbed,
        title="Samråd om torget",
        opens_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )


def test_subscribe_confirm_digest_unsubscribe_end_to_end(client, post, digest):
    testbed = TestbedFactory(title="Stationsområdet")
    page = client.get(f"/en{testbed.get_absolute_url()}").content.decode()
    assert "Follow by e-mail" in page and f"/en/folj/testbad/{testbed.slug}/" in page
    form_page = client.get(f"/en/folj/testbad/{testbed.slug}/")
    assert form_page.status_code == 200 and "Cache-Control" in form_page
    assert "private" in form_page["Cache-Control"]

    response = post(f"/en/folj/testbad/{testbed.slug}/", form_data(email="Ada@Example.com"))
    assert response.status_code == 302 and response["Location"] == "/en/folj/skickat/"
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()
    subscription = Subscription.objects.get()
    assert subscription.email == "ada@example.com" and not subscription.is_confirmed
    (confirmation,) = mail.outbox
    assert confirmation.to == ["ada@example.com"]
    assert "Stationsområdet" in confirmation.subject
    confirm_path = link(confirmation.body, "bekrafta")

    # An event before confirming: nothing goes to an unconfirmed address.
    a_result_happens(testbed)
    assert digest() == 0 and len(mail.outbox) == 1

    assert "Yes, follow" in client.get(confirm_path).content.decode()
    assert "You follow it now" in client.post(confirm_path).content.decode()
    subscription.refresh_from_db()
    assert subscription.is_confirmed
    # What happened before confirming is not news.
    assert digest() == 0 and len(mail.outbox) == 1

    RoundFactory(testbed=testbed, title="Medborgardialog om parken")
    assert digest(days=2) == 1
    message = mail.outbox[-1]
    assert message.to == ["ada@example.com"]
    assert "Medborgardialog om parken" in message.body
    assert "Samråd om torget" not in message.body
    unsubscribe = link(message.body, "avsluta")
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http") and header.endswith(f"{unsubscribe}>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # RFC 8058: a POST without a CSRF token, body "List-Unsubscribe=One-Click".
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.filter(email="ada@example.com").exists()

    RoundFactory(testbed=testbed, title="Ännu en runda")
    assert digest(days=3) == 0 and len(mail.outbox) == 2
    assert client.get(unsubscribe).status_code == 404
    assert "Stop following" in message.body


def test_a_weekly_subscription_is_not_sent_daily(digest):
    weekly = SubscriptionFactory(confirmed=True, frequency="weekly", email="vecka@example.com")
    daily = SubscriptionFactory(confirmed=True, frequency="daily", email="dag@example.com")
    a_result_happens(weekly.testbed)
    a_result_happens(daily.testbed)
    assert digest(days=1) == 1
    assert mail.outbox[-1].to == ["dag@example.com"]
    assert digest(days=7) == 1
    assert mail.outbox[-1].to == ["vecka@example.com"]


def test_one_mail_per_address_for_everything_due(digest):
    first = SubscriptionFactory(confirmed=True, email="ada@example.com")
    second = SubscriptionFactory(confirmed=True, email="ada@example.com")
    a_result_happens(first.testbed)
    a_result_happens(second.testbed)
    assert digest() == 1
    (message,) = mail.outbox
    assert first.testbed.title in message.body and second.testbed.title in message.body
    assert f"/folj/avsluta/{first.token}/" in message.body
    assert f"/folj/avsluta/{second.token}/" in message.body


def test_no_news_no_mail(digest):
    SubscriptionFactory(confirmed=True)
    assert digest() == 0 and not mail.outbox


def test_an_unconfirmed_address_gets_no_digest_and_expires(digest):
    subscription = SubscriptionFactory()
    a_result_happens(subscription.testbed)
    assert digest() == 0 and not mail.outbox
    assert digest(days=services.PENDING_DAYS + 1) == 0
    assert not Subscription.objects.exists()


def test_the_command_sends_what_is_due(django_capture_on_commit_callbacks, capsys):
    subscription = SubscriptionFactory(confirmed=True)
    Subscription.objects.update(last_digest_at=timezone.now() - datetime.timedelta(days=1))
    assert subscription.seen
    a_result_happens(subscription.testbed)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_follow_digests")
    assert len(mail.outbox) == 1
    assert "1 digest" in capsys.readouterr().out


def test_invalid_tokens_are_404(client):
    assert client.get("/folj/bekrafta/inte-en-nyckel/").status_code == 404
    assert client.post("/folj/bekrafta/inte-en-nyckel/").status_code == 404
    assert client.get("/folj/avsluta/inte-en-nyckel/").status_code == 404
    assert client.post("/folj/avsluta/inte-en-nyckel/").status_code == 404
    old = SubscriptionFactory()
    Subscription.objects.update(
        created_at=timezone.now() - datetime.timedelta(days=services.PENDING_DAYS + 1)
    )
    assert client.get(f"/folj/bekrafta/{old.token}/").status_code == 404


def test_unknown_things_are_404(client):
    assert client.get("/folj/testbad/finns-inte/").status_code == 404
    assert client.get("/folj/planet/mars/").status_code == 404
    assert client.get("/folj/kommun/finns-inte/flode/").status_code == 404
    hidden = TestbedFactory(published=False)
    assert client.get(f"/folj/testbad/{hidden.slug}/").status_code == 404


def test_a_bad_address_is_a_form_error_with_the_value_kept(post):
    testbed = TestbedFactory()
    response = post(f"/en/folj/testbad/{testbed.slug}/", form_data(email="inte en adress"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="form-errors"' in page and 'value="inte en adress"' in page
    assert not Subscription.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    "bad",
    [{"website": "http://spam.example"}, {"started": "förfalskad"}, {"frequency": "hourly"}],
)
def test_the_honeypot_stamp_and_choices_refuse(post, bad):
    testbed = TestbedFactory()
    response = post(f"/folj/testbad/{testbed.slug}/", form_data(**bad))
    assert response.status_code == 200 and 'id="form-errors"' in response.content.decode()
    assert not Subscription.objects.exists() and not mail.outbox


def test_a_form_sent_at_once_is_refused(post):
    from sodertorn.formguard import form_token

    testbed = TestbedFactory()
    response = post(
        f"/en/folj/testbad/{testbed.slug}/", form_data(started=form_token("follow.subscribe"))
    )
    assert "That was quick" in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_rate_limit_per_connection(post, settings):
    settings.DIALOGUE_RATE_LIMIT = 2
    testbeds = TestbedFactory.create_batch(3)
    for testbed in testbeds[:2]:
        assert post(f"/folj/testbad/{testbed.slug}/", form_data()).status_code == 302
    response = post(f"/folj/testbad/{testbeds[2].slug}/", form_data(email="ada@example.com"))
    assert response.status_code == 429 and response["Retry-After"]
    assert 'value="ada@example.com"' in response.content.decode()
    assert Subscription.objects.count() == 2


def test_no_mail_bombing_of_a_third_party(post, settings):
    settings.DIALOGUE_RATE_LIMIT = 100
    testbeds = TestbedFactory.create_batch(services.CONFIRMATIONS_PER_ADDRESS_DAY + 2)
    # The same thing twice: one pending confirmation.
    for _ in range(3):
        assert post(f"/folj/testbad/{testbeds[0].slug}/", form_data()).status_code == 302
    assert len(mail.outbox) == 1
    for testbed in testbeds[1:]:
        assert post(f"/folj/testbad/{testbed.slug}/", form_data()).status_code == 302
    assert len(mail.outbox) == services.CONFIRMATIONS_PER_ADDRESS_DAY
    assert {m.to[0] for m in mail.outbox} == {"ada@example.com"}


def test_a_follower_is_not_told_again(post):
    subscription = SubscriptionFactory(confirmed=True, email="ada@example.com")
    response = post(f"/folj/testbad/{subscription.testbed.slug}/", form_data(frequency="weekly"))
    assert response.status_code == 302 and not mail.outbox
    subscription.refresh_from_db()
    assert subscription.frequency == "daily"  # a stranger cannot change it


def test_the_subscription_is_saved_when_the_mail_queue_is_down(post, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("the task queue is down")

    monkeypatch.setattr("sodertorn.mail._enqueue", broken)
    testbed = TestbedFactory()
    response = post(f"/folj/testbad/{testbed.slug}/", form_data())
    assert response.status_code == 302
    assert Subscription.objects.filter(email="ada@example.com").exists()
    assert not mail.outbox


def test_unsubscribe_page_stops_one_or_everything(client):
    first = SubscriptionFactory(confirmed=True, email="ada@example.com")
    second = SubscriptionFactory(confirmed=True, email="ada@example.com")
    other = SubscriptionFactory(confirmed=True)
    page = client.get(f"/en{first.get_absolute_url()}").content.decode()
    assert first.testbed.title in page and "Stop everything" in page
    client.post(first.get_absolute_url(), {"scope": "one"})
    assert set(Subscription.objects.all()) == {second, other}
    client.post(second.get_absolute_url(), {"scope": "all"})
    assert set(Subscription.objects.all()) == {other}


def test_a_municipality_digest_names_the_testbed(digest, client):
    municipality = MunicipalityFactory(name="Huddinge")
    testbed = TestbedFactory(title="Flemingsberg", municipalities=[municipality])
    SubscriptionFactory(confirmed=True, testbed=None, municipality=municipality)
    RoundFactory(testbed=testbed, title="Samråd om stationen")
    assert digest() == 1
    assert "Samråd om stationen" in mail.outbox[0].body
    assert "Huddinge" in mail.outbox[0].body
    page = client.get(municipality.get_absolute_url()).content.decode()
    assert f"/folj/kommun/{municipality.slug}/" in page
    assert f'href="/folj/kommun/{municipality.slug}/flode/"' in page


def test_a_round_digest_tells_of_answers(digest):
    round_ = RoundFactory(title="Samråd om torget")
    SubscriptionFactory(confirmed=True, testbed=None, round=round_)
    ResponseFactory(contribution=ContributionFactory(round=round_))
    assert digest() == 1
    assert "1 answer published" in mail.outbox[0].body


def test_an_indicator_digest_tells_of_a_new_year(digest, client):
    indicator = IndicatorFactory(name="Andel i arbete")
    area = AreaFactory()
    ObservationFactory(indicator=indicator, area=area, year=2020)
    SubscriptionFactory(confirmed=True, testbed=None, indicator=indicator)
    ObservationFactory(indicator=indicator, area=area, year=2021)
    assert digest() == 1
    body = mail.outbox[0].body
    assert "Values for 2021" in body and "Values for 2020" not in body
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert f"/folj/indikator/{indicator.code}/" in page


@pytest.mark.parametrize("kind", ["municipality", "indicator", "round"])
def test_the_feeds_are_atom_with_the_events(client, kind):
    testbed = TestbedFactory(title="Flemingsberg")
    round_ = RoundFactory(testbed=testbed, title="Samråd om stationen")
    indicator = IndicatorFactory()
    ObservationFactory(indicator=indicator, area=AreaFactory(), year=2021)
    url, expected = {
        "municipality": (
            f"/folj/kommun/{testbed.municipalities.get().slug}/flode/",
            "Samråd om stationen",
        ),
        "indicator": (f"/en/folj/indikator/{indicator.code}/flode/", "Values for 2021"),
        "round": (f"/folj/dialog/{round_.slug}/flode/", "Samråd om stationen"),
    }[kind]
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    assert any(expected in title for title in titles), titles


def test_the_digest_reads_each_thing_once(digest):
    testbed = TestbedFactory()

    def queries(count):
        Subscription.objects.all().delete()
        SubscriptionFactory.create_batch(count, confirmed=True, testbed=testbed)
        with CaptureQueriesContext(connection) as captured:
            digest()
        return len(captured)

    assert queries(2) == queries(20)


def test_the_personal_data_page_explains_following(client):
    page = client.get("/personuppgifter/").content.decode()
    assert 'id="folja"' in page
    page = client.get("/en/personuppgifter/").content.decode()
    assert 'id="following"' in page
