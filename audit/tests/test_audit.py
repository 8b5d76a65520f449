"""The audit log: logins, failed logins, lockouts, group and permission changes, staff flips,
publishing, moderation, deletes and imports; visible, read-only, to superusers only."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from audit.models import AuditEntry
from dialogue.models import Contribution
from dialogue.services import approve, hide
from dialogue.tests.factories import ContributionFactory, ModeratorFactory
from ideagroups.services import publish_entry
from ideagroups.tests.factories import WorkEntryFactory
from indicators.services import import_observations
from indicators.tests.factories import IndicatorFactory, municipality_area
from sodertorn.tests.factories import CuratorFactory, UserFactory
from testbeds.models import Testbed
from testbeds.tests.factories import TestbedFactory

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"
ADDRESS = "203.0.113.7"
AUDIT_LIST = "/admin/audit/auditentry/"


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("at", "id"))


def login(client, username, password):
    return client.post(
        ADMIN_LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ADDRESS
    )


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_user(
        "curator", password="rätt-lösenord-123", is_staff=True
    )


# Logins -------------------------------------------------------------------------------------


def test_a_login_is_logged_with_user_and_address(client, curator):
    assert login(client, "curator", "rätt-lösenord-123").status_code == 302
    [entry] = entries("login")
    assert entry.user == curator and entry.username == "curator"
    assert entry.address == ADDRESS


def test_a_failed_login_is_logged_with_the_name_tried_and_no_password(client, curator):
    login(client, "curator", "fel-lösenord")
    [entry] = entries("login_failed")
    assert entry.user is None
    assert entry.username == "curator" and entry.address == ADDRESS
    assert "fel-lösenord" not in str(entry.details)


def test_a_lockout_is_logged(client, curator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "curator", "fel")
    assert login(client, "curator", "rätt-lösenord-123").status_code == 429
    locked = entries("locked_out")
    assert locked and locked[0].username == "curator" and locked[0].address == ADDRESS


# Permissions and groups ------------------------------------------------------------------


def test_group_changes_of_a_user_are_logged():
    user = UserFactory(username="anna")
    group = Group.objects.create(name="Kuratorer i test")
    user.groups.add(group)
    user.groups.remove(group)
    user.groups.add(group)
    user.groups.clear()
    changes = [(e.details["change"], e.details["names"]) for e in entries("groups")]
    assert changes == [
        ("add", ["Kuratorer i test"]),
        ("remove", ["Kuratorer i test"]),
        ("add", ["Kuratorer i test"]),
        ("clear", ["Kuratorer i test"]),
    ]
    assert {e.object_repr for e in entries("groups")} == {"anna"}


def test_adding_a_user_from_the_group_side_is_logged_too():
    user = UserFactory(username="bertil")
    group = Group.objects.create(name="Moderatorer i test")
    group.user_set.add(user)
    [entry] = entries("groups")
    assert entry.object_repr == "Moderatorer i test" and entry.details["names"] == ["bertil"]


def test_permission_changes_of_users_and_groups_are_logged():
    # Only this test's changes: the role groups are set again after every flush (post_migrate)
    # by an earlier transactional test on this worker, which is logged and committed.
    AuditEntry.objects.all().delete()
    user = UserFactory()
    group = Group.objects.create(name="Redaktörer")
    permission = Permission.objects.get(codename="delete_testbed")
    user.user_permissions.add(permission)
    group.permissions.add(permission)
    logged = [(e.object_repr, e.details["names"]) for e in entries("permissions")]
    assert logged == [
        (str(user), ["testbeds.delete_testbed"]),
        ("Redaktörer", ["testbeds.delete_testbed"]),
    ]


def test_staff_and_superuser_flips_are_logged_but_not_login_time_updates(client, curator):
    [created] = entries("staff_status")  # a new staff account
    assert created.details == {"changed": {"is_staff": [False, True]}, "created": True}
    curator.is_superuser = True
    curator.save()
    entry = entries("staff_status")[-1]
    assert entry.details["changed"] == {"is_superuser": [False, True]}
    login(client, "curator", "rätt-lösenord-123")  # saves last_login only
    curator.first_name = "Carl"
    curator.save()
    assert len(entries("staff_status")) == 2
    curator.is_staff = False
    curator.save(update_fields=["is_staff"])
    assert entries("staff_status")[-1].details["changed"] == {"is_staff": [True, False]}


# Publishing, moderation, deletes, imports -------------------------------------------------


def test_publishing_from_the_admin_is_logged_with_who_and_where(client):
    curator = CuratorFactory(is_superuser=True)
    client.force_login(curator)
    draft = TestbedFactory(title="Utkastet", published=False)
    client.post(
        reverse("admin:testbeds_testbed_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        REMOTE_ADDR=ADDRESS,
    )
    [entry] = entries("publish")
    assert entry.user == curator and entry.address == ADDRESS
    assert entry.object_repr == "Utkastet" and entry.object_id == str(draft.pk)
    client.post(
        reverse("admin:testbeds_testbed_changelist"),
        {"action": "unpublish", "_selected_action": [draft.pk]},
    )
    assert [e.object_id for e in entries("unpublish")] == [str(draft.pk)]


def test_publishing_by_saving_is_logged():
    testbed = TestbedFactory(published=False)
    assert not entries("publish")
    testbed.published = True
    testbed.save()
    assert [e.object_id for e in entries("publish")] == [str(testbed.pk)]
    testbed.summary = "Ändrad."
    testbed.save()  # no change of the flag: nothing more
    assert len(entries("publish")) == 1


def test_publishing_a_work_entry_is_logged():
    entry = WorkEntryFactory(status="submitted")
    curator = CuratorFactory()
    publish_entry(entry=entry, by=curator)
    [logged] = [e for e in entries("publish") if e.content_type.model == "workentry"]
    assert logged.object_id == str(entry.pk) and logged.user == curator


def test_hiding_and_approving_contributions_is_logged():
    moderator = ModeratorFactory()
    contribution = ContributionFactory(status=Contribution.Status.PENDING)
    queryset = Contribution.objects.filter(pk=contribution.pk)
    hide(queryset, by=moderator, reason="Personuppgifter")
    approve(queryset, by=moderator)
    [hidden] = entries("hide")
    assert hidden.user == moderator
    assert hidden.details == {"count": 1, "ids": [contribution.pk], "reason": "Personuppgifter"}
    [approved] = entries("approve")
    assert approved.details["ids"] == [contribution.pk]


def test_an_admin_delete_is_logged_with_who_and_what(admin_client, admin_user):
    testbed = TestbedFactory(title="Borttagen bädd")
    admin_client.post(
        reverse("admin:testbeds_testbed_delete", args=(testbed.pk,)),
        {"post": "yes"},
        REMOTE_ADDR=ADDRESS,
    )
    deleted = [e for e in entries("delete") if e.content_type.model == "testbed"]
    assert len(deleted) == 1
    assert deleted[0].user == admin_user and deleted[0].object_repr == "Borttagen bädd"
    assert deleted[0].address == ADDRESS
    assert not Testbed.objects.filter(pk=testbed.pk).exists()


def test_an_indicator_import_is_one_entry_with_the_row_counts():
    municipality_area(code="0126", name="Huddinge", slug="huddinge")
    IndicatorFactory(code="syss")
    good = "indicator,area,year,value\nsyss,0126,2019,71.5\nsyss,0126,2020,72.0\n"
    import_observations(good, name="syss.csv")
    import_observations(good.replace("72.0", "73.0"), name="syss.csv")
    import_observations("indicator,area,year,value\nsyss,9999,2019,1\n", name="fel.csv")
    logged = [
        (e.details["file"], e.details["created"], e.details["updated"], e.details["ok"])
        for e in entries("import")
    ]
    assert logged == [("syss.csv", 2, 0, True), ("syss.csv", 0, 1, True), ("fel.csv", 0, 0, False)]


# Who may see it -----------------------------------------------------------------------------


def test_only_superusers_see_the_log_and_nobody_changes_it(client, admin_client):
    UserFactory(username="anna").groups.add(Group.objects.create(name="G"))
    entry = AuditEntry.objects.get(action="groups")
    listing = admin_client.get(AUDIT_LIST)
    assert listing.status_code == 200 and "anna" in listing.content.decode()
    assert admin_client.get(f"{AUDIT_LIST}{entry.pk}/change/").status_code == 200
    assert admin_client.get(f"{AUDIT_LIST}add/").status_code == 403
    assert admin_client.post(f"{AUDIT_LIST}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client.post(f"{AUDIT_LIST}{entry.pk}/change/", {"action": "login"})
    entry.refresh_from_db()
    assert entry.action == "groups"

    curator = CuratorFactory()
    curator.user_permissions.add(*Permission.objects.filter(content_type__app_label="audit"))
    client.force_login(curator)
    assert client.get(AUDIT_LIST).status_code == 403
    assert "audit" not in client.get("/admin/").content.decode().lower().split("/admin/")[0]


def test_moderating_the_pending_list_keeps_the_ids_of_what_was_approved():
    from dialogue.models import PendingContribution

    moderator = ModeratorFactory()
    pending = [ContributionFactory(status=Contribution.Status.PENDING) for _ in range(2)]
    approve(PendingContribution.objects.filter(status=Contribution.Status.PENDING), by=moderator)
    [entry] = entries("approve")
    assert entry.details["ids"] == sorted(c.pk for c in pending)
    assert entry.details["count"] == 2
