"""Who may write what: every write of the idea-group workflow for every kind of person.

The people: anonymous, a member of group A (the entry's author), another member of group A, a
member of group B, the lead of group A, and a curator. Refused writes answer 403 or redirect
to a login page, and change nothing.
"""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from collaboration.tests.factories import ActorFactory
from ideagroups.demo import tiny_pdf
from ideagroups.models import Membership, Transition, WorkEntry
from ideagroups.roles import CURATOR, MEMBER
from ideagroups.tests.factories import IdeaGroupFactory, MembershipFactory, WorkEntryFactory
from sodertorn.tests.factories import CuratorFactory, MemberUserFactory, role_group
from testbeds.tests.factories import TestbedFactory

pytestmark = pytest.mark.django_db

PEOPLE = ("anonymous", "member_a", "other_member_a", "member_b", "lead_a", "curator")
LOGIN = "/konto/logga-in/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def world():
    testbed = TestbedFactory(title="Flemingsberg", slug="flemingsberg")
    actor = ActorFactory(name="Huddinge kommun", slug="huddinge-kommun", sector="public")
    group_a = IdeaGroupFactory(name="Grupp A", slug="grupp-a", testbeds=[testbed])
    group_b = IdeaGroupFactory(name="Grupp B", slug="grupp-b", testbeds=[testbed])
    people = {
        "anonymous": None,
        "member_a": MembershipFactory(group=group_a, actor=actor).user,
        "other_member_a": MembershipFactory(group=group_a, actor=actor).user,
        "member_b": MembershipFactory(group=group_b, actor=actor).user,
        "lead_a": MembershipFactory(group=group_a, actor=actor, role="lead").user,
        "curator": CuratorFactory(),
    }
    entry = WorkEntryFactory(group=group_a, author=people["member_a"], title="Utkast A")
    return {"group_a": group_a, "group_b": group_b, "actor": actor, "entry": entry, **people}


def client_for(client, world, who):
    if world[who] is not None:
        client.force_login(world[who])
    return client


def refused(response, login_url=LOGIN) -> bool:
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response["Location"].startswith(login_url)


def snapshot(entry):
    entry.refresh_from_db()
    return (
        entry.status,
        entry.title,
        entry.text,
        entry.curator_comment,
        entry.attachment.name,
        Transition.objects.filter(entry=entry).count(),
    )


# Roles -------------------------------------------------------------------------------------------


def test_roles_exist_as_groups_with_permissions():
    curator, member = role_group(CURATOR), role_group(MEMBER)
    curator_perms = set(curator.permissions.values_list("codename", flat=True))
    member_perms = set(member.permissions.values_list("codename", flat=True))
    assert {"review_workentry", "invite_member", "change_actor", "add_meeting"} <= curator_perms
    assert {"add_workentry", "change_workentry"} <= member_perms
    assert "review_workentry" not in member_perms
    assert "add_workentry" not in curator_perms  # curators review; members write
    # curators unpublish or hide; only superusers delete (unlocking a login is no content)
    assert {p for p in curator_perms if p.startswith("delete_")} == {"delete_accessattempt"}
    # users, groups and permissions are for superusers only
    assert not curator.permissions.filter(content_type__app_label="auth").exists()


def test_roles_are_set_again_after_a_flush_whatever_the_app_order():
    """One post_migrate handler sets every group from the declaration (sodertorn/roles.py)."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    from sodertorn.roles import ensure_roles_after_migrate

    Group.objects.all().delete()
    ensure_roles_after_migrate(sender=apps.get_app_config("auth"), apps=apps)
    curator = set(role_group(CURATOR).permissions.values_list("codename", flat=True))
    # permissions of apps listed before and after ideagroups in INSTALLED_APPS
    assert {"change_testbed", "view_observation", "moderate_contribution", "add_competence"} <= (
        curator
    )


def test_the_groups_do_not_depend_on_the_order_of_installed_apps(monkeypatch):
    from django.apps import apps
    from django.contrib.auth.models import Group

    from sodertorn import roles

    def held():
        return {
            group.name: set(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.prefetch_related("permissions")
        }

    in_order = held()
    configs = list(apps.get_app_configs())
    monkeypatch.setattr(apps, "get_app_configs", lambda: list(reversed(configs)))
    roles.grants.cache_clear()
    try:
        Group.objects.all().delete()
        roles.ensure_roles(apps)
        assert held() == in_order
    finally:
        roles.grants.cache_clear()


@pytest.mark.django_db(transaction=True)
def test_roles_exist_again_after_flush():
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from sodertorn import roles

    call_command("flush", interactive=False, verbosity=0)
    assert set(Group.objects.values_list("name", flat=True)) == set(roles.GROUPS)
    assert Group.objects.get(name=CURATOR).permissions.filter(codename="add_film").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/auth/user/",
        "/admin/auth/group/",
        "/admin/auth/user/{pk}/change/",
        "/admin/auth/user/{pk}/password/",
        "/admin/auth/user/add/",
    ],
)
def test_curators_cannot_open_user_or_group_pages(client, world, url):
    """Curators could open any user's admin page; only superusers manage users now."""
    client.force_login(world["curator"])
    assert client.get(url.format(pk=world["member_a"].pk)).status_code == 403


def test_curators_pick_members_in_the_membership_form(client, world):
    client.force_login(world["curator"])
    params = {"app_label": "ideagroups", "model_name": "membership", "field_name": "user"}
    found = client.get("/admin/autocomplete/", {**params, "term": world["member_a"].username})
    assert found.status_code == 200
    assert [r["text"] for r in found.json()["results"]] == [world["member_a"].username]
    # accounts are found only for the person fields of the curators' own forms
    wrong = {"app_label": "auth", "model_name": "group", "field_name": "user"}
    assert client.get("/admin/autocomplete/", {**wrong, "term": "a"}).status_code == 403


# Creating an entry -------------------------------------------------------------------------------

CREATE_ALLOWED = {"member_a", "other_member_a", "lead_a"}


@pytest.mark.parametrize("who", PEOPLE)
def test_create_entry_form(client, world, who):
    url = reverse("ideagroups:entry_create", kwargs={"slug": "grupp-a"})
    response = client_for(client, world, who).get(url)
    if who in CREATE_ALLOWED:
        assert response.status_code == 200
    else:
        assert refused(response)


@pytest.mark.parametrize("who", PEOPLE)
def test_create_entry_post(client, world, who):
    url = reverse("ideagroups:entry_create", kwargs={"slug": "grupp-a"})
    before = WorkEntry.objects.count()
    response = client_for(client, world, who).post(
        url, {"kind": "workshop", "title": "Nytt", "date": "2016-04-01", "text": "Text."}
    )
    if who in CREATE_ALLOWED:
        entry = WorkEntry.objects.get(title="Nytt")
        assert response.status_code == 302
        assert entry.group == world["group_a"] and entry.author == world[who]
        assert entry.status == WorkEntry.Status.DRAFT
    else:
        assert refused(response)
        assert WorkEntry.objects.count() == before


def test_member_who_left_cannot_create(client, world):
    membership = Membership.objects.get(user=world["member_a"], group=world["group_a"])
    membership.left = membership.joined
    membership.save()
    client.force_login(world["member_a"])
    url = reverse("ideagroups:entry_create", kwargs={"slug": "grupp-a"})
    assert client.get(url).status_code == 403


def test_member_without_the_role_cannot_create(client, world):
    world["member_a"].groups.clear()
    client.force_login(world["member_a"])
    url = reverse("ideagroups:entry_create", kwargs={"slug": "grupp-a"})
    assert client.get(url).status_code == 403


# Editing and submitting ---------------------------------------------------------------------------

WORK_ON_ALLOWED = {"member_a", "lead_a"}  # the author and the group's lead


@pytest.mark.parametrize("who", PEOPLE)
def test_edit_entry(client, world, who):
    entry = world["entry"]
    url = reverse("ideagroups:entry_edit", kwargs={"pk": entry.pk})
    before = snapshot(entry)
    response = client_for(client, world, who).post(
        url, {"kind": "report", "title": "Ändrad", "date": "2016-04-01", "text": "Ny text."}
    )
    if who in WORK_ON_ALLOWED:
        assert response.status_code == 302
        entry.refresh_from_db()
        assert (entry.title, entry.kind, entry.author) == ("Ändrad", "report", world["member_a"])
    else:
        assert refused(response)
        assert snapshot(entry) == before


@pytest.mark.parametrize("who", PEOPLE)
def test_submit_entry(client, world, who):
    entry = world["entry"]
    url = reverse("ideagroups:entry_submit", kwargs={"pk": entry.pk})
    before = snapshot(entry)
    response = client_for(client, world, who).post(url)
    if who in WORK_ON_ALLOWED:
        assert response.status_code == 302
        entry.refresh_from_db()
        assert entry.status == WorkEntry.Status.SUBMITTED
        transition = entry.transitions.get()
        assert (transition.from_status, transition.to_status, transition.by) == (
            "draft",
            "submitted",
            world[who],
        )
    else:
        assert refused(response)
        assert snapshot(entry) == before


@pytest.mark.parametrize("who", PEOPLE)
def test_member_entry_page(client, world, who):
    url = reverse("ideagroups:my_entry", kwargs={"pk": world["entry"].pk})
    response = client_for(client, world, who).get(url)
    if who in WORK_ON_ALLOWED | {"curator"}:
        assert response.status_code == 200
        assert "Utkast A" in response.text
    else:
        assert refused(response)


def test_lead_of_b_cannot_work_on_entries_of_a(client, world):
    lead_b = MembershipFactory(group=world["group_b"], actor=world["actor"], role="lead").user
    client.force_login(lead_b)
    entry = world["entry"]
    before = snapshot(entry)
    assert (
        client.post(reverse("ideagroups:entry_submit", kwargs={"pk": entry.pk})).status_code == 403
    )
    assert snapshot(entry) == before


# Publishing and sending back (curators in the admin) -------------------------------------------

REVIEW_URL = "/admin/ideagroups/submittedworkentry/"


@pytest.fixture
def submitted(world):
    entry = world["entry"]
    WorkEntry.objects.filter(pk=entry.pk).update(status=WorkEntry.Status.SUBMITTED)
    entry.refresh_from_db()
    return entry


def admin_action(client, action, entry, **extra):
    return client.post(
        REVIEW_URL, {"action": action, "_selected_action": [entry.pk], "index": 0, **extra}
    )


@pytest.mark.parametrize("who", PEOPLE)
def test_publish(client, world, submitted, who):
    before = snapshot(submitted)
    response = admin_action(client_for(client, world, who), "publish", submitted)
    if who == "curator":
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == WorkEntry.Status.PUBLISHED
        assert submitted.published_at is not None
        assert submitted.transitions.get().by == world["curator"]
    else:
        assert refused(response, ADMIN_LOGIN)
        assert snapshot(submitted) == before


@pytest.mark.parametrize("who", PEOPLE)
def test_send_back(client, world, submitted, who):
    before = snapshot(submitted)
    response = admin_action(
        client_for(client, world, who),
        "send_back",
        submitted,
        apply="1",
        comment="Lägg till datum för workshopen.",
    )
    if who == "curator":
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == WorkEntry.Status.RETURNED
        assert submitted.curator_comment == "Lägg till datum för workshopen."
    else:
        assert refused(response, ADMIN_LOGIN)
        assert snapshot(submitted) == before


def test_a_member_with_staff_access_still_cannot_publish(client, world, submitted):
    """Even staff status without the curator role gives no review action."""
    lead = world["lead_a"]
    lead.is_staff = True
    lead.save()
    client.force_login(lead)
    before = snapshot(submitted)
    response = admin_action(client, "publish", submitted)
    assert response.status_code == 403
    assert snapshot(submitted) == before


# Invitations -------------------------------------------------------------------------------------

INVITE_URL = "/admin/ideagroups/membership/invite/"


@pytest.mark.parametrize("who", PEOPLE)
def test_invite(client, world, who, django_capture_on_commit_callbacks):
    users_before = world["curator"].__class__.objects.count()
    with django_capture_on_commit_callbacks(execute=True):  # mail is queued after the commit
        response = client_for(client, world, who).post(
            INVITE_URL,
            {
                "email": "ny.person@example.com",
                "first_name": "Ny",
                "last_name": "Person",
                "group": world["group_a"].pk,
                "actor": world["actor"].pk,
                "role": "member",
            },
        )
    if who == "curator":
        assert response.status_code == 302
        assert len(mail.outbox) == 1
    else:
        assert refused(response, ADMIN_LOGIN)
        assert world["curator"].__class__.objects.count() == users_before
        assert mail.outbox == []


# Attachments of unpublished entries --------------------------------------------------------------


@pytest.mark.parametrize("who", PEOPLE)
def test_attachment_of_a_draft(client, world, who):
    from ideagroups import services
    from sodertorn.uploads import validate_document

    entry = world["entry"]
    upload = SimpleUploadedFile("rapport.pdf", tiny_pdf(["Hemligt utkast"]))
    services.store_attachment(entry, upload, validate_document(upload))
    entry.save()
    response = client_for(client, world, who).get(entry.get_attachment_url())
    if who in WORK_ON_ALLOWED | {"curator"}:
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    else:
        assert response.status_code == 404


# The admin for actors (curators only) ------------------------------------------------------------


@pytest.mark.parametrize("who", PEOPLE)
def test_admin_actor_change(client, world, who):
    actor = world["actor"]
    url = f"/admin/collaboration/actor/{actor.pk}/change/"
    response = client_for(client, world, who).post(
        url, {"name": "Nytt namn", "slug": actor.slug, "sector": "public", "description": ""}
    )
    actor.refresh_from_db()
    if who == "curator":
        assert response.status_code == 302
        assert actor.name == "Nytt namn"
    else:
        assert refused(response, ADMIN_LOGIN)
        assert actor.name == "Huddinge kommun"


def test_members_do_not_get_staff_access():
    assert not MemberUserFactory().is_staff
