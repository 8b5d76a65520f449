"""The work-entry workflow: only the allowed transitions happen, each is recorded, and a refused
one changes nothing. Also the membership constraints."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from collaboration.tests.factories import ActorFactory
from ideagroups import services
from ideagroups.models import Membership, Transition, WorkEntry
from ideagroups.tests.factories import IdeaGroupFactory, MembershipFactory, WorkEntryFactory
from sodertorn.tests.factories import CuratorFactory

pytestmark = pytest.mark.django_db
S = WorkEntry.Status


@pytest.fixture
def people():
    group = IdeaGroupFactory()
    author = MembershipFactory(group=group).user
    return {"group": group, "author": author, "curator": CuratorFactory()}


def make(people, status):
    return WorkEntryFactory(group=people["group"], author=people["author"], status=status)


def do(action, entry, people):
    if action == "submit":
        return services.submit_entry(entry=entry, by=people["author"])
    if action == "publish":
        return services.publish_entry(entry=entry, by=people["curator"])
    return services.send_back_entry(entry=entry, by=people["curator"], comment="Ändra rubriken.")


ALLOWED = {
    ("submit", S.DRAFT): S.SUBMITTED,
    ("submit", S.RETURNED): S.SUBMITTED,
    ("publish", S.SUBMITTED): S.PUBLISHED,
    ("send_back", S.SUBMITTED): S.RETURNED,
    ("send_back", S.PUBLISHED): S.RETURNED,
}
CASES = [(action, status) for action in ("submit", "publish", "send_back") for status in S.values]


@pytest.mark.parametrize(("action", "status"), CASES)
def test_transition_table(people, action, status):
    entry = make(people, status)
    before = (entry.status, entry.published_at, entry.curator_comment)
    if (action, status) in ALLOWED:
        do(action, entry, people)
        entry.refresh_from_db()
        assert entry.status == ALLOWED[(action, status)]
        transition = Transition.objects.get(entry=entry)
        assert (transition.from_status, transition.to_status) == (status, entry.status)
        assert transition.by in (people["author"], people["curator"])
        assert transition.at is not None
    else:
        with pytest.raises(services.InvalidTransition):
            do(action, entry, people)
        entry.refresh_from_db()
        assert (entry.status, entry.published_at, entry.curator_comment) == before
        assert not Transition.objects.filter(entry=entry).exists()


def test_full_round_trip_records_every_step(people):
    entry = make(people, S.DRAFT)
    services.submit_entry(entry=entry, by=people["author"])
    services.send_back_entry(entry=entry, by=people["curator"], comment="Lägg till bilagan.")
    assert entry.curator_comment == "Lägg till bilagan."
    services.submit_entry(entry=entry, by=people["author"])
    services.publish_entry(entry=entry, by=people["curator"])
    assert entry.status == S.PUBLISHED and entry.published_at is not None
    assert entry.curator_comment == ""
    steps = list(entry.transitions.values_list("from_status", "to_status", "by", "comment"))
    author, curator = people["author"].pk, people["curator"].pk
    assert steps == [
        ("draft", "submitted", author, ""),
        ("submitted", "returned", curator, "Lägg till bilagan."),
        ("returned", "submitted", author, ""),
        ("submitted", "published", curator, ""),
    ]


def test_sending_back_a_published_entry_unpublishes_it(people):
    entry = make(people, S.PUBLISHED)
    services.send_back_entry(entry=entry, by=people["curator"], comment="Fel uppgift.")
    assert entry.status == S.RETURNED and entry.published_at is None
    assert not WorkEntry.objects.published().filter(pk=entry.pk).exists()


@pytest.mark.parametrize("comment", ["", "   "])
def test_send_back_needs_a_comment(people, comment):
    entry = make(people, S.SUBMITTED)
    with pytest.raises(ValidationError):
        services.send_back_entry(entry=entry, by=people["curator"], comment=comment)
    entry.refresh_from_db()
    assert entry.status == S.SUBMITTED


def test_only_curators_publish_and_send_back(people):
    entry = make(people, S.SUBMITTED)
    lead = MembershipFactory(group=people["group"], role="lead").user
    for person in (people["author"], lead):
        with pytest.raises(PermissionDenied):
            services.publish_entry(entry=entry, by=person)
        with pytest.raises(PermissionDenied):
            services.send_back_entry(entry=entry, by=person, comment="x")
    entry.refresh_from_db()
    assert entry.status == S.SUBMITTED and not entry.transitions.exists()


def test_curator_cannot_submit_for_a_group(people):
    entry = make(people, S.DRAFT)
    with pytest.raises(PermissionDenied):
        services.submit_entry(entry=entry, by=people["curator"])


@pytest.mark.parametrize("status", [S.SUBMITTED, S.PUBLISHED])
def test_locked_entries_cannot_be_edited(people, status):
    entry = make(people, status)
    with pytest.raises(services.InvalidTransition):
        services.update_entry(
            entry=entry,
            by=people["author"],
            kind="report",
            title="Ny",
            date=entry.date,
            text="Ny text",
        )
    entry.refresh_from_db()
    assert entry.title != "Ny"


def test_stale_object_cannot_skip_the_check(people):
    """The status is read from the database under a lock, not from the object in hand."""
    entry = make(people, S.DRAFT)
    stale = WorkEntry.objects.get(pk=entry.pk)
    services.submit_entry(entry=entry, by=people["author"])
    services.publish_entry(entry=entry, by=people["curator"])
    with pytest.raises(services.InvalidTransition):
        services.submit_entry(entry=stale, by=people["author"])  # stale says "draft"
    entry.refresh_from_db()
    assert entry.status == S.PUBLISHED


@pytest.mark.each_database  # a database constraint or text lookup
def test_database_refuses_inconsistent_states(people):
    entry = make(people, S.DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkEntry.objects.filter(pk=entry.pk).update(status=S.RETURNED, curator_comment="")
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkEntry.objects.filter(pk=entry.pk).update(status=S.PUBLISHED, published_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkEntry.objects.filter(pk=entry.pk).update(status="archived")


# Memberships -------------------------------------------------------------------------------------


@pytest.mark.each_database  # a database constraint or text lookup
def test_one_active_membership_per_person_and_group():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=membership.user, group=membership.group, actor=membership.actor, role="lead"
        )


def test_a_person_may_rejoin_after_leaving():
    membership = MembershipFactory(joined=datetime.date(2015, 1, 1))
    membership.left = datetime.date(2016, 1, 1)
    membership.save()
    again = Membership.objects.create(
        user=membership.user, group=membership.group, actor=ActorFactory(), role="member"
    )
    assert list(Membership.objects.active().filter(user=membership.user)) == [again]


@pytest.mark.each_database  # a database constraint or text lookup
def test_membership_dates_are_checked():
    membership = MembershipFactory(joined=datetime.date(2016, 1, 1))
    membership.left = datetime.date(2015, 1, 1)
    with pytest.raises(ValidationError):
        membership.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_membership_full_clean_reports_the_duplicate():
    membership = MembershipFactory()
    duplicate = Membership(
        user=membership.user, group=membership.group, actor=membership.actor, role="member"
    )
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "already an active member" in str(excinfo.value)


# The author is told when the work is published or sent back ----------------------------------


@pytest.fixture
def mailed_people(people, settings):
    settings.SITE_URL = "https://sodertornsmodellen.se"
    people["author"].email = "mira@example.com"
    people["author"].save()
    people["group"].published = True
    people["group"].save()
    return people


def test_the_author_is_mailed_when_the_work_is_published(
    client, mailed_people, mailoutbox, django_capture_on_commit_callbacks, swedish_messages
):
    swedish_messages(
        "Your work “%(title)s” has been published", "Ditt arbete ”%(title)s” har publicerats"
    )
    entry = make(mailed_people, S.SUBMITTED)
    client.force_login(mailed_people["curator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/ideagroups/submittedworkentry/",
            {"action": "publish", "_selected_action": [entry.pk]},
        )
    entry.refresh_from_db()
    assert entry.status == S.PUBLISHED
    (message,) = mailoutbox
    assert message.to == ["mira@example.com"]
    # in the language of the admin (Swedish), like the invitations
    assert message.subject == f"Ditt arbete ”{entry.title}” har publicerats"
    group = mailed_people["group"].slug
    assert f"https://sodertornsmodellen.se/idegrupper/{group}/arbete/{entry.pk}/" in message.body
    assert f"https://sodertornsmodellen.se/mina-sidor/arbete/{entry.pk}/" in message.body


def test_the_author_is_mailed_with_the_reason_when_the_work_is_sent_back(
    mailed_people, mailoutbox, django_capture_on_commit_callbacks
):
    entry = make(mailed_people, S.PUBLISHED)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        do("send_back", entry, mailed_people)
    (message,) = mailoutbox
    assert message.to == ["mira@example.com"]
    assert message.subject == f"Your work “{entry.title}” was sent back"
    assert "The curator’s comment:\n\nÄndra rubriken." in message.body
    assert f"https://sodertornsmodellen.se/en/mina-sidor/arbete/{entry.pk}/" in message.body


def test_submitting_mails_no_one_and_an_author_without_address_is_not_mailed(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    people["author"].email = ""
    people["author"].save()
    with django_capture_on_commit_callbacks(execute=True):
        entry = do("submit", make(people, S.DRAFT), people)
        do("publish", entry, people)
    assert WorkEntry.objects.get(pk=entry.pk).status == S.PUBLISHED
    assert mailoutbox == []


def test_a_failing_mail_server_loses_no_publication_or_sending_back(
    mailed_people, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("sodertorn.mail.EmailMessage.send", broken)
    published, returned = make(mailed_people, S.SUBMITTED), make(mailed_people, S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        do("publish", published, mailed_people)
        do("send_back", returned, mailed_people)
    assert WorkEntry.objects.get(pk=published.pk).status == S.PUBLISHED
    assert WorkEntry.objects.get(pk=returned.pk).status == S.RETURNED
    assert Transition.objects.filter(entry__in=[published, returned]).count() == 2
