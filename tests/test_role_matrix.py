"""The permission matrix, generated from the one declaration of the roles (sodertorn/roles.py).

For every role and every model in the admin (admin.site._registry) it opens the changelist,
add, change and delete pages, saves the change form as shown (when the role may change),
deletes (when it may) and tries every admin action; for every role it opens and posts the
member pages. What the declaration allows must work (200, or a 302 that did the thing);
what it does not allow must answer 403 or send to a login page, and change nothing. The
custom admin pages (indicator import, invitations, the user autocomplete) are walked too.

A model in the admin that the declaration does not name fails here, with its name: a model
added later must get a rule (in its app's roles.py GRANTS) before it ships.

The world is built once for the module (inside a transaction rolled back at the end); each
test runs in its own savepoint, so a delete or an action in one test is gone in the next.
"""

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from collaboration.tests.factories import ActorFactory
from competences.tests.factories import CompetenceFactory
from dialogue.tests.factories import ContributionFactory, RoundFactory
from ideagroups.tests.factories import IdeaGroupFactory, MembershipFactory, WorkEntryFactory
from indicators.tests.factories import (
    AreaFactory,
    BodyFactory,
    GoalFactory,
    IndicatorFactory,
    ObservationFactory,
)
from results.tests.factories import FilmFactory, ResultFactory
from sodertorn import roles
from sodertorn.tests.factories import UserFactory
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory, ThemeFactory

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"
MEMBER_LOGIN = "/konto/logga-in/"


def model_key(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


REGISTRY = {
    model_key(model): (model, model_admin) for model, model_admin in admin.site._registry.items()
}
MODEL_KEYS = sorted(REGISTRY)

# Admin action permissions that are not add/change/delete/view: ModelAdmin.has_<name>_permission
# → the permission of the declaration it checks.
ACTION_PERMISSIONS = {
    "moderate": "dialogue.moderate_contribution",
    "erase": "dialogue.erase_personal_data",
    "review": "ideagroups.review_workentry",
}


def declared_permissions(role_key) -> set[str]:
    """Every "app_label.codename" the declaration gives a role (superusers: all)."""
    return {
        f"{label}.{roles.codename(action, model)}"
        for label, models in roles.grants().items()
        for model in models
        for action in roles.admin_actions_of(role_key, label, model)
    }


# The world ---------------------------------------------------------------------------------------


def build_world() -> dict:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from collaboration.models import (
        CollaborationGroup,
        ContactPerson,
        Grant,
        Meeting,
        Seat,
        SystemSolution,
    )
    from competences.models import ActorCompetence, MemberCompetence, Need
    from dialogue.models import Contribution, Response
    from results.models import GalleryImage, ResultAttachment

    municipality = MunicipalityFactory(name="Matrisby", slug="matrisby")
    theme = ThemeFactory(name="Matristema", slug="matristema")
    testbed = TestbedFactory(title="Matrisbädd", slug="matrisbadd", municipalities=[municipality])
    actor = ActorFactory(name="Matrisaktör", slug="matrisaktor")
    group_a = IdeaGroupFactory(name="Grupp A", slug="grupp-a", testbeds=[testbed], theme=theme)

    users = {
        "visitor": None,
        "member": MembershipFactory(group=group_a, actor=actor).user,
        "group lead": MembershipFactory(group=group_a, actor=actor, role="lead").user,
    }
    for r in roles.ROLES:
        if r.staff:
            user = UserFactory(username=f"matris-{r.key}", is_staff=True, is_superuser=r.superuser)
            if r.group:
                user.groups.add(Group.objects.get(name=r.group))
            users[r.key] = user
    bystander = UserFactory(username="matris-bystander")

    draft = WorkEntryFactory(group=group_a, author=users["member"], title="Utkast")
    submitted = WorkEntryFactory(
        group=group_a, author=users["member"], title="Inskickat", status="submitted"
    )
    collaboration = CollaborationGroup.objects.create(name="Samverkansgruppen", purpose="Syfte")
    Seat.objects.create(group=collaboration, actor=actor, role="chair")
    meeting = Meeting.objects.create(
        group=collaboration, date=datetime.date(2015, 2, 10), title="Möte"
    )
    solution = SystemSolution.objects.create(
        group=collaboration, title="Metod", slug="metod", summary="En metod."
    )
    contact = ContactPerson.objects.create(testbed=testbed, name="Eva", role="Forskare")
    grant = Grant.objects.create(
        funder=ActorFactory(name="Matrisfinansiär", slug="matrisfinansiar", sector="funder"),
        title="Steg 2",
        amount_sek=8_000_000,
        reference="2014-00918",
        start_date=datetime.date(2014, 6, 1),
    )
    indicator = IndicatorFactory(code="matris", name="Matrisindikator")
    area = AreaFactory(own_code="matris-omr", own_name="Matrisområde")
    observation = ObservationFactory(indicator=indicator, area=area, value=Decimal("12.0"))
    goal = GoalFactory(indicators=[indicator], bodies=[BodyFactory(name="Matrisnämnden")])
    result = ResultFactory(testbed=testbed, title="Matrisresultat", slug="matrisresultat")
    ResultAttachment.objects.create(result=result, file="results/x.pdf", title="Bilaga")
    film = FilmFactory(testbed=testbed, title="Matrisfilm", slug="matrisfilm")
    image = GalleryImage.objects.create(
        testbed=testbed,
        image="testbeds/gallery/x.jpg",
        alt_text="En gård",
        renditions={"width": 800, "height": 600, "sources": [], "fallback": {}},
    )
    dialogue_round = RoundFactory(testbed=testbed, title="Matrisrunda", slug="matrisrunda")
    pending = ContributionFactory(round=dialogue_round, status=Contribution.Status.PENDING)
    Response.objects.create(contribution=pending, text="Tack.", signed="Kommunen")
    competence = CompetenceFactory(name="Matriskompetens", slug="matriskompetens")
    Need.objects.create(testbed=testbed, competence=competence)
    ActorCompetence.objects.create(actor=actor, competence=competence)
    MemberCompetence.objects.create(user=users["member"], competence=competence)
    attempt = AccessAttempt.objects.create(
        username="utelast",
        ip_address="192.0.2.1",
        user_agent="test",
        path_info="/konto/logga-in/",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )
    log = AccessLog.objects.create(
        username="inloggad", ip_address="192.0.2.2", user_agent="test", path_info="/"
    )
    failure = AccessFailureLog.objects.create(
        username="fel", ip_address="192.0.2.3", user_agent="test", path_info="/", locked_out=True
    )

    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=bystander, name="Matrisnyckel", confirmed=True)
    from audit.models import AuditEntry

    audit_entry = AuditEntry.objects.create(action=AuditEntry.Action.LOGIN, username="matris")
    from about.models import Feedback

    feedback = Feedback.objects.create(message="Matrisens synpunkt", stamp="matris")
    from follow.models import Subscription

    subscription = Subscription.objects.create(
        email="foljare@example.com", testbed=testbed, token="matrisens-nyckel"
    )

    objects = {
        "otp_totp.totpdevice": device,
        "audit.auditentry": audit_entry,
        "about.feedback": feedback,
        "follow.subscription": subscription,
        "testbeds.municipality": municipality,
        "testbeds.theme": theme,
        "testbeds.testbed": testbed,
        "auth.user": bystander,
        "auth.group": Group.objects.create(name="Matrisgrupp"),
        "axes.accessattempt": attempt,
        "axes.accesslog": log,
        "axes.accessfailurelog": failure,
        "collaboration.actor": actor,
        "collaboration.collaborationgroup": collaboration,
        "collaboration.meeting": meeting,
        "collaboration.systemsolution": solution,
        "collaboration.contactperson": contact,
        "collaboration.grant": grant,
        "ideagroups.ideagroup": group_a,
        "ideagroups.membership": group_a.memberships.get(user=users["member"]),
        "ideagroups.workentry": draft,
        "ideagroups.submittedworkentry": submitted,
        "indicators.area": area,
        "indicators.indicator": indicator,
        "indicators.observation": observation,
        "indicators.programme": goal.goal_area.programme,
        "indicators.goalarea": goal.goal_area,
        "indicators.goal": goal,
        "indicators.body": goal.follow_up,
        "results.result": result,
        "results.film": film,
        "results.galleryimage": image,
        "dialogue.dialogueround": dialogue_round,
        "dialogue.contribution": pending,
        "dialogue.pendingcontribution": pending,
        "competences.competence": competence,
    }
    return {
        "users": users,
        "objects": objects,
        "group_a": group_a,
        "actor": actor,
        "draft": draft,
        "competence": competence,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def log_in(client, world, role_key):
    user = world["users"][role_key]
    if user is not None:
        client.force_login(user)
    return client


def superuser_request(world):
    request = RequestFactory().get("/admin/")
    request.user = world["users"]["superuser"]
    return request


def refused(response, role_key) -> bool:
    """403, or a redirect to the login page for people without admin access."""
    if response.status_code == 403:
        return True
    login = ADMIN_LOGIN if roles.role(role_key).staff else (ADMIN_LOGIN, MEMBER_LOGIN)
    return response.status_code == 302 and response["Location"].startswith(login)


def expect(response, allowed: bool, role_key: str, what: str):
    if allowed:
        assert response.status_code == 200, f"{what}: {role_key} should get it"
    else:
        assert refused(response, role_key), (
            f"{what}: {role_key} should be refused, got {response.status_code}"
        )


class FormValues(HTMLParser):
    """What a browser would submit from the form with a given id, as it was rendered."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, {}
        self.select = self.textarea = None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.add(name, attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.add(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.add(name, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data


def submitted_form(response, model) -> dict:
    parser = FormValues(f"{model._meta.model_name}_form")
    parser.feed(response.content.decode())
    # a textarea's first newline is not part of its value
    return {
        name: [v[1:] if v.startswith("\n") else v for v in values]
        for name, values in parser.data.items()
    } | {"_save": "Save"}


def snapshot(model, obj):
    return (
        model._base_manager.count(),
        list(model._base_manager.filter(pk=obj.pk).values()),
    )


# The declaration covers the admin ----------------------------------------------------------------


def undeclared(site) -> list[str]:
    """The models of a site's admin (and of its inlines) the role declaration does not name."""
    missing = set()
    for model, model_admin in site._registry.items():
        for each in (model, *(inline.model for inline in model_admin.inlines)):
            opts = each._meta
            if roles.actions_of("curator", opts.app_label, opts.model_name) is None:
                missing.add(f"{opts.app_label}.{opts.model_name}")
    return sorted(missing)


def test_every_admin_model_has_a_rule():
    missing = undeclared(admin.site)
    assert not missing, (
        f"in the admin without a rule in the role declaration: {', '.join(missing)}. Add "
        "each model to GRANTS in its app's roles.py (THIRD_PARTY_GRANTS in sodertorn/roles.py "
        "for installed packages), even with no grants"
    )


def test_a_model_added_to_the_admin_without_a_rule_is_named():
    from django.contrib.sessions.models import Session

    site = admin.AdminSite(name="probe")
    site._registry.update(admin.site._registry)
    site.register(Session)
    assert undeclared(site) == ["sessions.session"]


def test_every_declared_permission_exists_and_groups_hold_exactly_them():
    for r in roles.ROLES:
        if r.group is None:
            continue
        held = set(
            Group.objects.get(name=r.group).permissions.values_list(
                "content_type__app_label", "content_type__model", "codename"
            )
        )
        declared = {
            (label, model, roles.codename(action, model))
            for label, models in roles.grants().items()
            for model, by_group in models.items()
            for action in by_group.get(r.group, ())
        }
        assert held == declared, r.key


def test_no_role_but_superusers_deletes_content():
    for label, models in roles.grants().items():
        for model, by_group in models.items():
            for group, actions in by_group.items():
                if "delete" in actions:
                    assert (label, model) == ("axes", "accessattempt"), (label, model, group)


# Admin pages, for every role and model -----------------------------------------------------------


def action_allowed(func, role_key, declared: set, structural: dict, key: str, name: str) -> bool:
    for permission in getattr(func, "allowed_permissions", ()):
        if permission in roles.STANDARD_ACTIONS:
            if not (permission in declared and structural[permission]):
                return False
        elif permission in ACTION_PERMISSIONS:
            if ACTION_PERMISSIONS[permission] not in declared_permissions(role_key):
                return False
        else:
            pytest.fail(
                f"the action {name} of {key} needs the permission {permission!r}, which the "
                "matrix does not know: add it to ACTION_PERMISSIONS"
            )
    return True


@pytest.mark.parametrize("key", MODEL_KEYS)
@pytest.mark.parametrize("role_key", roles.ROLE_KEYS)
def test_admin_pages(client, world, role_key, key):
    model, model_admin = REGISTRY[key]
    opts = model._meta
    declared = roles.admin_actions_of(role_key, opts.app_label, opts.model_name)
    assert declared is not None, f"{key} has no rule in the role declaration"
    obj = world["objects"].get(key)
    assert obj is not None, f"the matrix world has no {key}: add one to build_world()"
    su = superuser_request(world)
    # What the admin allows nobody (no add of a contribution, one collaboration group…).
    structural = {
        "add": model_admin.has_add_permission(su),
        "change": model_admin.has_change_permission(su, obj),
        "delete": model_admin.has_delete_permission(su, obj),
        "view": True,
    }
    may = {action: action in declared and structural[action] for action in structural}
    may["view"] = bool(declared & {"view", "change"})
    log_in(client, world, role_key)
    base = f"admin:{opts.app_label}_{opts.model_name}"
    changelist = reverse(f"{base}_changelist")
    change = reverse(f"{base}_change", args=[obj.pk])
    delete = reverse(f"{base}_delete", args=[obj.pk])
    add = reverse(f"{base}_add")
    before = snapshot(model, obj)

    listing = client.get(changelist)
    expect(listing, may["view"], role_key, f"{key} changelist")
    expect(client.get(add), may["add"], role_key, f"{key} add page")
    response = client.get(change)
    expect(response, may["view"], role_key, f"{key} change page")
    if may["view"]:
        assert response.context["has_change_permission"] == may["change"], key
        assert response.context["has_delete_permission"] == may["delete"], key
    if may["change"]:
        # saving the form as shown works (its fields, inlines and widgets are the role's)
        with transaction.atomic():
            saved = client.post(change, submitted_form(response, model))
            assert saved.status_code == 302, (
                f"{key}: {role_key} could not save the change form: "
                f"{saved.context and saved.context['adminform'].form.errors}"
                f"{saved.context and [f.errors for f in saved.context['inline_admin_formsets']]}"
            )
            transaction.set_rollback(True)
    else:
        assert refused(client.post(change, {}), role_key), f"{key} change by {role_key}"
    if not may["add"] and roles.role(role_key).staff:  # others never pass the admin's door
        assert refused(client.post(add, {}), role_key), f"{key} add by {role_key}"
    assert snapshot(model, obj) == before, f"{key} changed by {role_key}"

    # Actions: those offered are those declared; the others change nothing when posted.
    all_actions = model_admin.get_actions(su)
    expected = {
        name
        for name, action in all_actions.items()
        if may["view"] and action_allowed(action.func, role_key, declared, structural, key, name)
    }
    if may["view"]:
        action_form = listing.context["action_form"]
        choices = action_form.fields["action"].choices if action_form else ()
        offered = {value for value, _label in choices if value}
        assert offered == expected, f"{key} actions for {role_key}"
    for name in sorted(set(all_actions) - expected):
        response = client.post(
            changelist, {"action": name, "_selected_action": [obj.pk], "index": 0}
        )
        # 403 or a login page; staff who see the list get it back ("No action selected")
        assert refused(response, role_key) or response.status_code in (200, 302), (key, name)
        assert snapshot(model, obj) == before, f"{key}: action {name} worked for {role_key}"
    for name in sorted(expected):
        with transaction.atomic():
            response = client.post(
                changelist, {"action": name, "_selected_action": [obj.pk], "index": 0}
            )
            assert response.status_code in (200, 302), (key, name, role_key)
            texts = [str(m) for m in get_messages(response.wsgi_request)]
            assert not any("No action selected" in t for t in texts), (key, name, role_key)
            transaction.set_rollback(True)

    # Deleting, last (the object is gone afterwards).
    response = client.get(delete)
    expect(response, may["delete"], role_key, f"{key} delete page")
    protected = may["delete"] and response.context["protected"]
    response = client.post(delete, {"post": "yes"})
    if protected:
        # refused for everyone while other data depends on it: the page says what
        assert response.status_code == 200 and response.context["protected"]
        assert snapshot(model, obj) == before, f"{key} deleted despite its protected data"
    elif may["delete"]:
        assert response.status_code == 302
        assert not model._base_manager.filter(pk=obj.pk).exists(), f"{key} not deleted"
    else:
        assert refused(response, role_key), f"{key} delete by {role_key}"
        assert snapshot(model, obj) == before, f"{key} deleted by {role_key}"


@pytest.mark.parametrize("role_key", roles.ROLE_KEYS)
def test_admin_index_shows_the_sections_of_the_role(client, world, role_key):
    log_in(client, world, role_key)
    response = client.get(reverse("admin:index"))
    if not roles.role(role_key).staff:
        assert refused(response, role_key)
        return
    assert response.status_code == 200
    shown = {
        f"{app['app_label']}.{m['object_name'].lower()}"
        for app in response.context["app_list"]
        for m in app["models"]
    }
    expected = {
        key
        for key, (model, _admin) in REGISTRY.items()
        if roles.admin_actions_of(role_key, model._meta.app_label, model._meta.model_name)
    }
    assert shown == expected
    if role_key == "curator":
        sections = {app["app_label"] for app in response.context["app_list"]}
        assert {"indicators", "results", "axes", "dialogue"} <= sections
        assert "auth" not in sections


# Admin pages of our own beyond the model pages ---------------------------------------------------


@pytest.mark.parametrize("role_key", roles.ROLE_KEYS)
def test_indicator_import_page(client, world, role_key):
    declared = roles.admin_actions_of(role_key, "indicators", "observation")
    log_in(client, world, role_key)
    url = reverse("admin:indicators_observation_import")
    allowed = {"add", "change"} <= declared
    expect(client.get(url), allowed, role_key, "indicator import")
    from indicators.models import Observation

    before = Observation.objects.count()
    csv = SimpleUploadedFile("data.csv", b"indicator,area,year,value\nmatris,matris-omr,2017,13\n")
    response = client.post(url, {"file": csv, "file_format": "csv"})
    if allowed:
        assert response.status_code == 200
        assert Observation.objects.count() == before + 1
    else:
        assert refused(response, role_key)
        assert Observation.objects.count() == before


@pytest.mark.parametrize("role_key", roles.ROLE_KEYS)
def test_invite_page(client, world, role_key):
    declared = roles.admin_actions_of(role_key, "ideagroups", "membership")
    log_in(client, world, role_key)
    url = reverse("admin:ideagroups_membership_invite")
    expect(client.get(url), "invite_member" in declared, role_key, "invite a member")


@pytest.mark.parametrize("role_key", roles.ROLE_KEYS)
def test_user_autocomplete_only_for_the_membership_fields(client, world, role_key):
    log_in(client, world, role_key)
    url = reverse("admin:autocomplete")
    for app_label, model_name, field_name in sorted(roles.USER_PICKERS):
        declared = roles.admin_actions_of(role_key, app_label, model_name)
        response = client.get(
            url,
            {
                "app_label": app_label,
                "model_name": model_name,
                "field_name": field_name,
                "term": "matris-bystander",
            },
        )
        if declared & {"add", "change"}:
            assert response.status_code == 200, (role_key, model_name)
            assert [r["text"] for r in response.json()["results"]] == ["matris-bystander"]
        else:
            assert refused(response, role_key), (role_key, model_name)
    # The users' own pages stay closed to everyone but superusers.
    bystander = world["objects"]["auth.user"]
    for page in (
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[bystander.pk]),
        reverse("admin:auth_user_password_change", args=[bystander.pk]),
    ):
        expect(client.get(page), role_key == "superuser", role_key, page)


# Member pages --------------------------------------------------------------------------------


def allowed_page(page: str, role_key: str) -> bool:
    return role_key in roles.MEMBER_PAGES[page]


def test_every_member_page_is_walked():
    assert set(roles.MEMBER_PAGES) == set(MEMBER_PAGE_TESTS)


@pytest.mark.parametrize("role_key", roles.ROLE_KEYS)
def test_my_pages(client, world, role_key):
    response = log_in(client, world, role_key).get(reverse("ideagroups:my_pages"))
    expect(response, allowed_page("my pages", role_key), role_key, "Mina sidor")


@pytest.mark.parametrize("role_key", roles.ROLE_KEYS)
def test_create_entry(client, world, role_key):
    from ideagroups.models import WorkEntry

    url = reverse("ideagroups:entry_create", kwargs={"slug": world["group_a"].slug})
    allowed = allowed_page("create entry", role_key)
    log_in(client, world, role_key)
    expect(client.get(url), allowed, role_key, "create entry")
    before = WorkEntry.objects.count()
    response = client.post(
        url, {"kind": "workshop", "title": "Nytt", "date": "2016-04-01", "text": "Text."}
    )
    if allowed:
        assert response.status_code == 302
        assert WorkEntry.objects.filter(title="Nytt", author=world["users"][role_key]).exists()
    else:
        assert refused(response, role_key)
        assert WorkEntry.objects.count() == before


def entry_state(entry):
    entry.refresh_from_db()
    return (entry.status, entry.title, entry.text, entry.transitions.count())


@pytest.mark.parametrize("role_key", roles.ROLE_KEYS)
def test_edit_draft(client, world, role_key):
    entry = world["draft"]
    before = entry_state(entry)
    url = reverse("ideagroups:entry_edit", kwargs={"pk": entry.pk})
    allowed = allowed_page("edit draft", role_key)
    log_in(client, world, role_key)
    expect(client.get(url), allowed, role_key, "edit draft")
    response = client.post(
        url, {"kind": "report", "title": "Ändrad", "date": "2016-04-01", "text": "Ny text."}
    )
    if allowed:
        assert response.status_code == 302
        assert entry_state(entry)[1] == "Ändrad"
    else:
        assert refused(response, role_key)
        assert entry_state(entry) == before


@pytest.mark.parametrize("role_key", roles.ROLE_KEYS)
def test_submit_draft(client, world, role_key):
    entry = world["draft"]
    before = entry_state(entry)
    response = log_in(client, world, role_key).post(
        reverse("ideagroups:entry_submit", kwargs={"pk": entry.pk})
    )
    if allowed_page("submit draft", role_key):
        assert response.status_code == 302
        assert entry_state(entry)[0] == "submitted"
    else:
        assert refused(response, role_key)
        assert entry_state(entry) == before


@pytest.mark.parametrize("role_key", roles.ROLE_KEYS)
def test_my_competences(client, world, role_key):
    from competences.models import MemberCompetence

    url = reverse("competences:mine")
    allowed = allowed_page("my competences", role_key)
    log_in(client, world, role_key)
    expect(client.get(url), allowed, role_key, "my competences")
    before = MemberCompetence.objects.count()
    response = client.post(url, {"competences": [world["competence"].slug]})
    if allowed:
        assert response.status_code == 302
        user = world["users"][role_key]
        assert MemberCompetence.objects.filter(user=user, competence=world["competence"]).exists()
    else:
        assert refused(response, role_key)
        assert MemberCompetence.objects.count() == before


@pytest.mark.parametrize("role_key", roles.ROLE_KEYS)
def test_draft_attachment(client, world, role_key):
    from ideagroups import services
    from ideagroups.demo import tiny_pdf
    from sodertorn.uploads import validate_document

    entry = world["draft"]
    upload = SimpleUploadedFile("rapport.pdf", tiny_pdf(["Hemligt utkast"]))
    services.store_attachment(entry, upload, validate_document(upload))
    entry.save()
    response = log_in(client, world, role_key).get(entry.get_attachment_url())
    if allowed_page("draft attachment", role_key):
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    else:
        # an unpublished attachment is not there for the others (404, not 403)
        assert response.status_code == 404


MEMBER_PAGE_TESTS = {
    "my pages": test_my_pages,
    "create entry": test_create_entry,
    "edit draft": test_edit_draft,
    "submit draft": test_submit_draft,
    "my competences": test_my_competences,
    "draft attachment": test_draft_attachment,
}


# History and restore pages (django-simple-history), for every role and model with history -----

HISTORY_KEYS = sorted(
    key for key, (_model, model_admin) in REGISTRY.items() if hasattr(model_admin, "history_view")
)


def test_every_content_model_in_the_admin_has_history():
    """The content the README lists as recoverable keeps a history (a curator can restore)."""
    assert {
        "testbeds.testbed",
        "results.result",
        "results.film",
        "ideagroups.ideagroup",
        "collaboration.actor",
        "indicators.indicator",
    } <= set(HISTORY_KEYS)


@pytest.mark.parametrize("key", HISTORY_KEYS)
@pytest.mark.parametrize("role_key", roles.ROLE_KEYS)
def test_history_pages(client, world, role_key, key):
    """The history of an object opens for whoever may view the model; the list of deleted
    objects (restore) only for whoever may change it; anyone else is refused."""
    model, model_admin = REGISTRY[key]
    opts = model._meta
    declared = roles.admin_actions_of(role_key, opts.app_label, opts.model_name)
    obj = world["objects"][key]
    may_view = bool(declared & {"view", "change"})
    may_change = "change" in declared and model_admin.has_change_permission(
        superuser_request(world), obj
    )
    log_in(client, world, role_key)
    base = f"admin:{opts.app_label}_{opts.model_name}"
    history = client.get(reverse(f"{base}_history", args=[obj.pk]))
    expect(history, may_view, role_key, f"{key} history")
    if hasattr(model_admin, "deleted_view"):
        deleted = client.get(reverse(f"{base}_deleted"))
        expect(deleted, may_change, role_key, f"{key} restore-deleted list")
