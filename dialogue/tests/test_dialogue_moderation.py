"""Citizen dialogue moderation: admin actions, permissions, answers, notifying curators."""

import datetime
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from dialogue import services
from dialogue.models import Contribution, ModerationNotice, Response
from dialogue.tests.factories import (
    AnswererFactory,
    ContributionFactory,
    ModeratorFactory,
    RoundFactory,
    form_data,
)
from sodertorn.tests.factories import CuratorFactory, MemberUserFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/dialogue/contribution/"
QUEUE = "/admin/dialogue/pendingcontribution/"


@pytest.fixture
def pending():
    return ContributionFactory(status="pending", text="Väntar på granskning")


def action(client, url, name, items, **extra):
    return client.post(url, {"action": name, ACTION_CHECKBOX_NAME: [i.pk for i in items], **extra})


# Approve and hide --------------------------------------------------------------------------


def test_moderator_approves_from_the_queue(client, pending):
    moderator = ModeratorFactory()
    client.force_login(moderator)
    queue = client.get(QUEUE)
    assert queue.status_code == 200 and "Väntar på granskning" in queue.content.decode()
    response = action(client, QUEUE, "approve", [pending])
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.moderated_by == moderator
    assert pending.moderated_at is not None
    assert "Väntar på granskning" not in client.get(QUEUE).content.decode()
    client.logout()
    assert "Väntar på granskning" in client.get(pending.round.get_absolute_url()).content.decode()


def test_curators_may_moderate_too(client, pending):
    client.force_login(CuratorFactory())
    action(client, CHANGELIST, "approve", [pending])
    pending.refresh_from_db()
    assert pending.status == "approved"


def test_queue_is_linked_from_the_admin_index(client):
    client.force_login(ModeratorFactory())
    assert QUEUE in client.get("/admin/").content.decode()


def test_hide_asks_for_a_reason_and_keeps_text_and_reason(client, pending):
    client.force_login(ModeratorFactory())
    page = action(client, CHANGELIST, "hide", [pending])
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    blank = action(client, CHANGELIST, "hide", [pending], apply="1", reason="  ")
    assert blank.status_code == 200 and "errorlist" in blank.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"
    done = action(client, CHANGELIST, "hide", [pending], apply="1", reason="Personuppgifter")
    assert done.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "hidden" and pending.hidden_reason == "Personuppgifter"
    change = client.get(f"{CHANGELIST}{pending.pk}/change/").content.decode()
    assert "Väntar på granskning" in change and "Personuppgifter" in change
    assert (
        "Väntar på granskning" not in client.get(pending.round.get_absolute_url()).content.decode()
    )


def test_hiding_in_the_change_form_needs_a_reason(client, pending):
    client.force_login(ModeratorFactory())
    url = f"{CHANGELIST}{pending.pk}/change/"
    data = {
        "status": "hidden",
        "hidden_reason": "",
        "responses-TOTAL_FORMS": "0",
        "responses-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == "pending"
    client.post(url, {**data, "hidden_reason": "Dubblett"})
    pending.refresh_from_db()
    assert pending.status == "hidden" and pending.hidden_reason == "Dubblett"


def test_nobody_but_superusers_deletes_contributions(client, pending):
    client.force_login(ModeratorFactory())
    assert client.get(f"{CHANGELIST}{pending.pk}/delete/").status_code == 403
    action(client, CHANGELIST, "delete_selected", [pending])
    assert Contribution.objects.filter(pk=pending.pk).exists()
    client.force_login(CuratorFactory())
    assert client.get(f"{CHANGELIST}{pending.pk}/delete/").status_code == 403


def test_contributions_are_not_added_in_the_admin(client):
    client.force_login(ModeratorFactory())
    assert client.get(f"{CHANGELIST}add/").status_code == 403


# Permissions -------------------------------------------------------------------------------


def test_anonymous_cannot_moderate(client, pending):
    response = action(client, CHANGELIST, "approve", [pending])
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    pending.refresh_from_db()
    assert pending.status == "pending"


@pytest.mark.parametrize("make_user", [MemberUserFactory, AnswererFactory])
def test_users_without_the_moderation_permission_cannot_approve(client, pending, make_user):
    user = make_user(is_staff=True)
    client.force_login(user)
    action(client, CHANGELIST, "approve", [pending])
    action(client, CHANGELIST, "hide", [pending], apply="1", reason="x")
    pending.refresh_from_db()
    assert pending.status == "pending"
    with pytest.raises(PermissionDenied):
        services.approve(Contribution.objects.all(), by=user)


def test_answerer_cannot_change_the_moderation_fields(client, pending):
    client.force_login(AnswererFactory())
    client.post(
        f"{CHANGELIST}{pending.pk}/change/",
        {"status": "approved", "responses-TOTAL_FORMS": "0", "responses-INITIAL_FORMS": "0"},
    )
    pending.refresh_from_db()
    assert pending.status == "pending"


def answer_data(text):
    return {
        "responses-TOTAL_FORMS": "1",
        "responses-INITIAL_FORMS": "0",
        "responses-0-text": text,
        "responses-0-signed": "Huddinge kommun",
    }


def test_answerer_answers_publicly(client):
    item = ContributionFactory()
    answerer = AnswererFactory()
    client.force_login(answerer)
    response = client.post(f"{CHANGELIST}{item.pk}/change/", answer_data("Vi tittar på det."))
    assert response.status_code == 302
    answer = Response.objects.get(contribution=item)
    assert answer.author == answerer and answer.text == "Vi tittar på det."
    item.refresh_from_db()
    assert item.status == "approved"
    client.logout()
    html = client.get(item.round.get_absolute_url()).content.decode()
    assert "Vi tittar på det." in html and "Huddinge kommun" in html


@pytest.mark.parametrize("make_user", [MemberUserFactory, UserFactory])
def test_member_without_the_permission_cannot_answer(client, make_user):
    item = ContributionFactory()
    client.force_login(make_user(is_staff=True))
    response = client.post(f"{CHANGELIST}{item.pk}/change/", answer_data("Obehörigt svar"))
    assert response.status_code == 403
    assert not Response.objects.exists()


def test_answers_to_pending_contributions_stay_hidden(client, pending):
    Response.objects.create(contribution=pending, text="Tidigt svar", signed="Kommunen")
    assert "Tidigt svar" not in client.get(pending.round.get_absolute_url()).content.decode()


# Notifying curators ------------------------------------------------------------------------


def test_curators_are_notified_at_most_once_an_hour(
    client, settings, django_capture_on_commit_callbacks
):
    settings.DIALOGUE_RATE_LIMIT = 100
    moderator = ModeratorFactory(email="moderator@example.com")
    curator = CuratorFactory(email="kurator@example.com")
    MemberUserFactory(email="member@example.com")
    ModeratorFactory(email="gone@example.com", is_active=False)
    round_ = RoundFactory()
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(round_.get_absolute_url(), form_data(text=f"Bidrag {n}"))
        assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([moderator.email, curator.email])
    assert "/admin/dialogue/pendingcontribution/" in message.body
    # Within the hour: nothing; after it: the command sends again.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_moderators", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    ModerationNotice.objects.update(sent_at=timezone.now() - datetime.timedelta(minutes=61))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_moderators", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    assert "3" in mail.outbox[1].subject


def test_no_notice_when_nothing_waits(django_capture_on_commit_callbacks):
    ModeratorFactory(email="moderator@example.com")
    ContributionFactory(status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_moderators() == 0
    assert mail.outbox == []
    ContributionFactory(status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_moderators() == 1
        assert services.notify_moderators() == 0  # within the hour
        later = timezone.now() + datetime.timedelta(hours=1, minutes=1)
        assert services.notify_moderators(now=later) == 1
    assert len(mail.outbox) == 2


def test_a_failing_mail_server_loses_no_contribution(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    ModeratorFactory(email="moderator@example.com")
    round_ = RoundFactory()

    def broken(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("sodertorn.mail.EmailMessage.send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(round_.get_absolute_url(), form_data(text="Sparas ändå"))
    assert response.status_code == 302
    assert Contribution.objects.filter(text="Sparas ändå", status="pending").exists()


def test_moderator_manages_rounds_in_the_admin(client):
    from testbeds.tests.factories import TestbedFactory

    testbed = TestbedFactory()
    client.force_login(ModeratorFactory())
    assert client.get("/admin/dialogue/dialogueround/add/").status_code == 200
    response = client.post(
        "/admin/dialogue/dialogueround/add/",
        {
            "testbed": testbed.pk,
            "title": "Ny runda",
            "slug": "ny-runda",
            "stage": "consultation",
            "question": "Vad tycker du?",
            "opens_on": "2030-05-02",
            "closes_on": "2030-05-01",
        },
    )
    assert response.status_code == 200  # closes before it opens: a form error
    assert "errornote" in response.content.decode()


# One moderation service (issue 13): the admin's change form calls it too -------------------


def test_moderate_stamps_the_moderator_for_a_hand_edit(pending):
    moderator = ModeratorFactory()
    pending.status = "approved"
    services.moderate(pending, by=moderator, changed_fields=["status"])
    assert pending.moderated_by == moderator and pending.moderated_at is not None


def test_moderate_refuses_someone_who_may_not_moderate(pending):
    pending.status = "hidden"
    with pytest.raises(PermissionDenied):
        services.moderate(pending, by=AnswererFactory(), changed_fields=["status"])


def test_moderate_ignores_edits_of_other_fields(pending):
    services.moderate(pending, by=AnswererFactory(), changed_fields=["text"])
    assert pending.moderated_by is None


def test_admin_change_form_goes_through_the_service(client, pending, monkeypatch):
    calls = []
    original = services.moderate
    monkeypatch.setattr(services, "moderate", lambda c, **kw: calls.append(kw) or original(c, **kw))
    client.force_login(ModeratorFactory())
    url = f"{CHANGELIST}{pending.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(status="approved", hidden_reason="")
    for prefix in ("responses",):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    client.post(url, data)
    assert calls and calls[0]["changed_fields"]
