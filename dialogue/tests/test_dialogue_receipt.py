"""A resident's private receipt link (issue 18, part 2): given when they post, it shows their
contribution's status (waiting, published, answered, not published) and nothing that tells
who they are."""

import re

import pytest
from django.core import signing

from dialogue import receipts
from dialogue.models import Contribution
from dialogue.tests.factories import (
    ContributionFactory,
    ResponseFactory,
    RoundFactory,
    form_data,
)
from sodertorn import hooks

pytestmark = pytest.mark.django_db

STATUS = re.compile(r'<strong class="receipt-status receipt-([a-z-]+)">([^<]+)</strong>')


def status_on_page(client, contribution) -> tuple[str, str]:
    response = client.get(receipts.url(contribution))
    assert response.status_code == 200
    return STATUS.search(response.content.decode()).groups()


def test_the_post_gives_the_receipt_link_which_says_waiting(client):
    round_ = RoundFactory()
    response = client.post(
        round_.get_absolute_url(), form_data(text="Belysning vid gångtunneln"), follow=True
    )
    page = response.content.decode()
    link = re.search(r'href="(/dialog/kvitto/[^"]+/)"', page)
    assert link, "the thank-you message links the receipt"
    receipt = client.get(link.group(1))
    assert receipt.status_code == 200
    text = receipt.content.decode()
    assert "Belysning vid gångtunneln" in text
    assert STATUS.search(text).groups() == ("waiting", "Väntar på moderering")


def test_the_status_follows_moderation_and_the_answer(client):
    contribution = ContributionFactory(status=Contribution.Status.PENDING)
    assert status_on_page(client, contribution)[0] == "waiting"
    contribution.status = Contribution.Status.APPROVED
    contribution.save()
    assert status_on_page(client, contribution)[0] == "published"
    ResponseFactory(contribution=contribution, text="Vi sätter upp fler lampor i höst.")
    assert status_on_page(client, contribution)[0] == "answered"
    assert "Vi sätter upp fler lampor i höst." in client.get(receipts.url(contribution)).text


def test_a_hidden_contribution_is_not_published_and_its_reason_is_not_shown(client):
    contribution = ContributionFactory(
        status=Contribution.Status.HIDDEN, hidden_reason="Namngav en granne"
    )
    response = client.get(receipts.url(contribution))
    assert STATUS.search(response.text).groups()[0] == "not-published"
    assert "Namngav en granne" not in response.text


def test_the_receipt_shows_neither_name_nor_area_and_is_private(client):
    contribution = ContributionFactory(name="Amina Yusuf", area="Tumba")
    response = client.get(receipts.url(contribution))
    assert "Amina Yusuf" not in response.text and "Tumba" not in response.text
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    "forge",
    [
        lambda pk: "inte-en-kvittolank",
        lambda pk: signing.Signer(salt="another.salt").sign_object(pk),
        lambda pk: signing.Signer(salt=receipts.SALT).sign_object(str(pk)),
        lambda pk: receipts.token(type("C", (), {"pk": pk})())[:-2] + "xx",
    ],
    ids=["mistyped", "another-salt", "not-an-id", "tampered"],
)
def test_a_forged_or_mistyped_link_is_a_404(client, forge):
    contribution = ContributionFactory()
    assert client.get(f"/dialog/kvitto/{forge(contribution.pk)}/").status_code == 404


def test_the_link_of_a_removed_contribution_is_a_404(client):
    contribution = ContributionFactory()
    url = receipts.url(contribution)
    contribution.delete()
    assert client.get(url).status_code == 404


def test_one_contribution_s_link_does_not_open_another(client):
    first, second = ContributionFactory(text="Första"), ContributionFactory(text="Andra")
    assert receipts.token(first) != receipts.token(second)
    assert receipts.token(first) == receipts.token(first)  # the same link in every mail
    assert "Andra" not in client.get(receipts.url(first)).text


# "Tell me when the municipality answers": the address goes to the listening apps only ------


@pytest.fixture
def listener(monkeypatch):
    calls = []

    def hook(*, contribution, email, receipt_url, request):
        calls.append((contribution, email, receipt_url))
        return "Kolla din e-post."

    monkeypatch.setitem(hooks._hooks, "contribution_posted", [(0, hook)])
    return calls


def test_the_address_is_handed_to_the_hook_with_the_receipt_and_never_stored(client, listener):
    round_ = RoundFactory()
    page = client.get(round_.get_absolute_url()).text
    assert 'name="notify_email"' in page
    response = client.post(
        round_.get_absolute_url(), form_data(notify_email="boende@example.org"), follow=True
    )
    [(contribution, email, receipt_url)] = listener
    assert email == "boende@example.org" and receipt_url == receipts.url(contribution)
    assert "Kolla din e-post." in response.text
    stored = Contribution.objects.filter(pk=contribution.pk).values()[0]
    assert "boende@example.org" not in {str(value) for value in stored.values()}


def test_no_address_calls_no_hook(client, listener):
    client.post(RoundFactory().get_absolute_url(), form_data())
    assert listener == [] and Contribution.objects.count() == 1


def test_a_bad_address_is_a_form_error_that_keeps_the_text(client, listener):
    round_ = RoundFactory()
    response = client.post(
        round_.get_absolute_url(), form_data(text="Mörk gångväg", notify_email="inte-en-adress")
    )
    assert response.status_code == 200
    assert 'id="id_notify_email_error"' in response.text and "Mörk gångväg" in response.text
    assert Contribution.objects.count() == 0 and listener == []


def test_a_failing_hook_costs_the_notice_never_the_contribution(client, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("mail queue gone")

    monkeypatch.setitem(hooks._hooks, "contribution_posted", [(0, broken)])
    round_ = RoundFactory()
    response = client.post(
        round_.get_absolute_url(), form_data(notify_email="boende@example.org"), follow=True
    )
    assert response.status_code == 200
    assert Contribution.objects.count() == 1
    assert "kvitto" in response.text  # the receipt link is still given


def test_without_a_listening_app_the_form_asks_for_no_address(client, monkeypatch):
    monkeypatch.setitem(hooks._hooks, "contribution_posted", [])
    assert 'name="notify_email"' not in client.get(RoundFactory().get_absolute_url()).text
