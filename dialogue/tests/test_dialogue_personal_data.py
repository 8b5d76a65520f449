"""Names and areas of residence in contributions: removed automatically a configurable time
after the round closes, and by a curator on a contributor's request; the text stays."""

import datetime
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from dialogue import services
from dialogue.models import Contribution
from dialogue.tests.factories import (
    AnswererFactory,
    ContributionFactory,
    ModeratorFactory,
    RoundFactory,
)
from sodertorn.tests.factories import CuratorFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/dialogue/contribution/"


def closed_days_ago(days: int):
    today = timezone.localdate()
    return RoundFactory(
        opens_on=today - datetime.timedelta(days=days + 30),
        closes_on=today - datetime.timedelta(days=days),
    )


def action(client, name, items, **extra):
    return client.post(
        CHANGELIST, {"action": name, ACTION_CHECKBOX_NAME: [i.pk for i in items], **extra}
    )


# Automatic removal -----------------------------------------------------------------------------


def test_names_and_areas_go_the_set_time_after_the_round_closes(settings):
    settings.DIALOGUE_PERSONAL_DATA_DAYS = 90
    old = ContributionFactory(round=closed_days_ago(91), text="Fler bänkar", name="Amina")
    edge = ContributionFactory(round=closed_days_ago(90), name="Bo", area="Fittja")
    recent = ContributionFactory(round=closed_days_ago(10), name="Cecilia")
    open_round = ContributionFactory(name="David")  # the factory's round is open
    assert services.erase_expired_personal_data() == 1
    old.refresh_from_db()
    assert (old.name, old.area, old.text) == ("", "", "Fler bänkar")
    for kept, name in [(edge, "Bo"), (recent, "Cecilia"), (open_round, "David")]:
        kept.refresh_from_db()
        assert kept.name == name
    assert services.erase_expired_personal_data() == 0  # nothing left to erase


def test_the_time_is_a_setting(settings):
    contribution = ContributionFactory(round=closed_days_ago(10))
    settings.DIALOGUE_PERSONAL_DATA_DAYS = 30
    assert services.erase_expired_personal_data() == 0
    settings.DIALOGUE_PERSONAL_DATA_DAYS = 5
    assert services.erase_expired_personal_data() == 1
    contribution.refresh_from_db()
    assert contribution.name == contribution.area == ""


def test_the_setting_reads_the_environment(monkeypatch):
    import importlib

    import sodertorn.settings as project_settings

    monkeypatch.setenv("DJANGO_DEBUG", "1")
    monkeypatch.setenv("DJANGO_DIALOGUE_PERSONAL_DATA_DAYS", "30")
    try:
        assert importlib.reload(project_settings).DIALOGUE_PERSONAL_DATA_DAYS == 30
        monkeypatch.delenv("DJANGO_DIALOGUE_PERSONAL_DATA_DAYS")
        assert importlib.reload(project_settings).DIALOGUE_PERSONAL_DATA_DAYS == 90
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)


def test_the_cron_command_erases_and_audits_without_the_data(settings):
    settings.DIALOGUE_PERSONAL_DATA_DAYS = 90
    contribution = ContributionFactory(round=closed_days_ago(100), name="Amina", area="Tumba")
    out = io.StringIO()
    call_command("erase_personal_data", stdout=out)
    assert "contributions: 1" in out.getvalue()
    contribution.refresh_from_db()
    assert contribution.name == "" and contribution.area == ""
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ERASE)
    assert entry.details == {"count": 1, "ids": [contribution.pk], "automatic": True}
    assert entry.user is None
    assert "Amina" not in str(entry.details) + entry.object_repr
    assert "Tumba" not in str(entry.details) + entry.object_repr


def test_the_page_and_the_csv_no_longer_show_the_name(client, settings):
    settings.DIALOGUE_PERSONAL_DATA_DAYS = 1
    contribution = ContributionFactory(round=closed_days_ago(5), name="Amina Ek", area="Tumba")
    csv_url = contribution.round.get_csv_url()
    assert "Amina Ek" in client.get(csv_url).content.decode("utf-8-sig")
    services.erase_expired_personal_data()
    page = client.get(contribution.round.get_absolute_url()).content.decode()
    assert contribution.text in page and "Amina Ek" not in page
    assert "Amina Ek" not in client.get(csv_url).content.decode("utf-8-sig")


def test_erasure_cannot_be_undone_through_the_history():
    """Contributions have no change history (sodertorn.history): no version keeps a name."""
    assert not hasattr(Contribution, "history")


# On request, by a curator ----------------------------------------------------------------------


def test_curator_erases_one_contributors_data_with_a_reference(client):
    curator = CuratorFactory()
    client.force_login(curator)
    mine = ContributionFactory(name="Amina", area="Tumba", text="Mitt förslag")
    other = ContributionFactory(name="Bo", area="Fittja")
    page = action(client, "erase_personal_data", [mine])
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="reason"' in body and "Amina" in body
    blank = action(client, "erase_personal_data", [mine], apply="1", reason=" ")
    assert blank.status_code == 200 and "errorlist" in blank.content.decode()
    mine.refresh_from_db()
    assert mine.name == "Amina"  # not before the curator confirms with a reference
    done = action(client, "erase_personal_data", [mine], apply="1", reason="Ärende 2026-17")
    assert done.status_code == 302
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.name, mine.area, mine.text) == ("", "", "Mitt förslag")
    assert (other.name, other.area) == ("Bo", "Fittja")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ERASE)
    assert entry.user == curator
    assert entry.details == {
        "count": 1,
        "ids": [mine.pk],
        "automatic": False,
        "reason": "Ärende 2026-17",
    }
    assert "Amina" not in entry.object_repr


@pytest.mark.parametrize("factory", [ModeratorFactory, AnswererFactory])
def test_moderators_and_answerers_cannot_erase(client, factory):
    client.force_login(factory())
    contribution = ContributionFactory(name="Amina")
    changelist = client.get(CHANGELIST).content.decode()
    assert "erase_personal_data" not in changelist
    action(client, "erase_personal_data", [contribution], apply="1", reason="Ärende 1")
    contribution.refresh_from_db()
    assert contribution.name == "Amina"
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ERASE).exists()


def test_the_service_checks_the_permission_and_the_reference():
    contribution = ContributionFactory(name="Amina")
    queryset = Contribution.objects.filter(pk=contribution.pk)
    with pytest.raises(PermissionDenied):
        services.erase_personal_data(queryset, by=ModeratorFactory(), reason="Ärende 1")
    with pytest.raises(ValidationError):
        services.erase_personal_data(queryset, by=CuratorFactory(), reason="  ")
    contribution.refresh_from_db()
    assert contribution.name == "Amina"


def test_curators_see_the_action_on_the_moderation_queue_too(client):
    client.force_login(CuratorFactory())
    ContributionFactory(status="pending")
    queue = client.get("/admin/dialogue/pendingcontribution/").content.decode()
    assert "erase_personal_data" in queue


# The notice at the point of collection ---------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_form_says_when_names_go_and_links_the_privacy_page(client, settings, prefix):
    settings.DIALOGUE_PERSONAL_DATA_DAYS = 45
    round_ = RoundFactory()
    page = client.get(prefix + round_.get_absolute_url()).content.decode()
    assert "45" in page
    assert f'href="{prefix}/personuppgifter/"' in page
