"""'Tell me when the municipality answers' (issue 18, part 2), end to end with the locmem mail
backend: the dialogue form hands the address to the follow app, which confirms it like any
subscription (the confirmation carries the private receipt link), mails once when the answer
is published, and then deletes the address."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from dialogue import receipts
from dialogue.models import Contribution
from dialogue.tests.factories import ResponseFactory, RoundFactory, form_data
from follow.models import Subscription

pytestmark = pytest.mark.django_db

ADDRESS = "boende@example.org"


def confirm_link(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/\S*/bekrafta/[\w-]+/)", body).group(1)


def posted(post, round_, **extra):
    response = post(round_.get_absolute_url(), form_data(notify_email=ADDRESS, **extra))
    assert response.status_code == 302
    return Contribution.objects.get()


def test_confirm_then_one_mail_with_the_answer_then_the_address_is_gone(client, post, digest):
    round_ = RoundFactory(title="Trygga stråk")
    contribution = posted(post, round_, text="Mörkt vid tunneln")
    [confirmation] = mail.outbox
    assert confirmation.to == [ADDRESS]
    assert receipts.url(contribution) in confirmation.body  # the receipt link
    assert Subscription.objects.get().contribution == contribution

    # Nothing before the address is confirmed, even with a published answer.
    Contribution.objects.filter(pk=contribution.pk).update(status=Contribution.Status.APPROVED)
    ResponseFactory(contribution=contribution, text="Vi sätter upp lampor.")
    assert digest() == 0 and len(mail.outbox) == 1

    post(confirm_link(confirmation.body), {})
    assert Subscription.objects.get().is_confirmed
    assert digest() == 1  # the answer given before the confirmation is still news
    told = mail.outbox[-1]
    assert told.to == [ADDRESS]
    assert "Kommunen har svarat på ditt bidrag" in told.body
    assert receipts.url(contribution) in told.body
    assert told.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not Subscription.objects.exists()  # the one job is done: the address is deleted
    assert digest(days=2) == 0


def test_no_mail_while_the_contribution_waits_for_moderation(client, post, digest):
    round_ = RoundFactory()
    contribution = posted(post, round_)
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING
    post(confirm_link(mail.outbox[0].body), {})
    ResponseFactory(contribution=contribution)  # answered, but not published yet
    assert digest() == 0
    contribution.status = Contribution.Status.APPROVED
    contribution.save()
    assert digest(days=2) == 1


def test_a_hidden_contribution_s_request_is_deleted_without_mail(client, post, digest):
    contribution = posted(post, RoundFactory())
    post(confirm_link(mail.outbox[0].body), {})
    contribution.status = Contribution.Status.HIDDEN
    contribution.hidden_reason = "Namngav en granne"
    contribution.save()
    assert digest() == 0
    assert not Subscription.objects.exists()


def test_the_request_ends_with_the_round_s_personal_data(client, post, digest, settings):
    round_ = RoundFactory()
    posted(post, round_)
    post(confirm_link(mail.outbox[0].body), {})
    round_.opens_on = timezone.localdate() - datetime.timedelta(days=200)
    round_.closes_on = timezone.localdate() - datetime.timedelta(
        days=settings.DIALOGUE_PERSONAL_DATA_DAYS + 1
    )
    round_.save()
    digest()
    assert not Subscription.objects.exists()


def test_a_contribution_cannot_be_followed_from_a_url(client):
    contribution = ResponseFactory().contribution
    response = client.get(f"/folj/svar/{contribution.pk}/")
    assert response.status_code == 404
