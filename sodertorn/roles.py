"""The site's roles, who holds them and what each may do: the one declaration.

Three parts, read by the code, the README and the tests alike:

* ``ROLES``: the seven roles (visitor, member, group lead, curator, moderator, answerer,
  superuser), each with the Django group that carries it (if any) and the README's words.
* The grants: which role group holds which permission on which model. Every project app says
  so for its own models in its own ``<app>/roles.py`` (a ``GRANTS`` dict, model name → role
  group → actions); ``THIRD_PARTY_GRANTS`` below does it for auth and django-axes. A model that
  is in the admin must be named there, even with no grant (the permission matrix test,
  tests/test_role_matrix.py, fails on any model it cannot find).
* ``MEMBER_PAGES``: the member pages and which roles may use them.

``ensure_roles()`` turns the grants into the role groups and their permissions, all at once
and with ``set()``: the groups hold exactly what is declared, whatever the order of
INSTALLED_APPS. It runs from the data migrations (with the historical models, skipping the
models that do not exist yet) and after every migrate or flush (post_migrate, connected in
sodertorn/apps.py), so the groups exist again after a test truncates the tables.

Curators get no ``delete`` on content: they unpublish, hide, send back or end a membership
instead, and only superusers delete for real. Users, groups and permissions are for
superusers only (sodertorn/admin.py), except that the admin may look up accounts for the
fields in ``USER_PICKERS`` (the autocomplete of the membership forms).
"""

from dataclasses import dataclass
from functools import cache

# The Django groups (their names are data in existing databases: keep them).
CURATOR = "Kurator"
MEMBER = "Idégruppsmedlem"
MODERATOR = "Dialogmoderator"
ANSWERER = "Dialogsvarare"
GROUPS = (CURATOR, MEMBER, MODERATOR, ANSWERER)

STANDARD_ACTIONS = ("add", "change", "delete", "view")
VIEW = ("view",)
EDIT = ("add", "change", "view")  # everything but deleting


@dataclass(frozen=True)
class Role:
    key: str
    who: str
    may: str
    group: str | None = None  # the Django group that carries the role
    staff: bool = False  # logs in to /admin/
    superuser: bool = False


ROLES = (
    Role(
        "visitor",
        who="anyone, without logging in",
        may=(
            "read everything published: testbeds, results, films, idea groups, actors, "
            "indicators, open data; take part in open dialogue rounds (post, support)"
        ),
    ),
    Role(
        "member",
        who="an invited idea-group member (group “Idégruppsmedlem”, active membership)",
        may=(
            "Mina sidor; register work in their groups, edit and submit their own drafts and "
            "sent-back entries, download their own attachments; declare their competences "
            "(`/kompetens/mina/`). No admin"
        ),
        group=MEMBER,
    ),
    Role(
        "group lead",
        who="a member whose membership has the role “lead”",
        may="what a member may, and edit and submit every entry of the groups they lead",
        group=MEMBER,
    ),
    Role(
        "curator",
        who="staff in group “Kurator”",
        may=(
            "in `/admin/`: add and change testbeds, municipalities, themes, results, films, "
            "gallery images, actors, the collaboration group, meetings, contacts, grants, "
            "system solutions, idea groups and memberships, invite members, publish or send "
            "back work, indicators, areas, observations and their import, the goal tracker's "
            "programmes, goals and responsible bodies, competences; "
            "everything a moderator may; erase a contributor's name and area on request; read "
            "and handle accessibility feedback; see login lockouts and unlock (delete the "
            "access attempt). Unpublishes or hides instead of deleting; no users, groups or "
            "permissions"
        ),
        group=CURATOR,
        staff=True,
    ),
    Role(
        "moderator",
        who="staff in group “Dialogmoderator”",
        may=(
            "in `/admin/`: add and change dialogue rounds, approve or hide contributions "
            "(with a reason), answer them"
        ),
        group=MODERATOR,
        staff=True,
    ),
    Role(
        "answerer",
        who="staff in group “Dialogsvarare” (municipal officers)",
        may="in `/admin/`: read rounds and contributions and write the municipality's answers",
        group=ANSWERER,
        staff=True,
    ),
    Role(
        "superuser",
        who="the operators (`createsuperuser`)",
        may=(
            "everything, and alone: manage users, groups and permissions, and delete "
            "anything for real"
        ),
        staff=True,
        superuser=True,
    ),
)
ROLE_KEYS = tuple(role.key for role in ROLES)


def role(key: str) -> Role:
    return next(r for r in ROLES if r.key == key)


# Grants on models of installed packages (our own apps declare theirs in <app>/roles.py).
THIRD_PARTY_GRANTS = {
    "auth": {"user": {}, "group": {}, "permission": {}},  # superusers only
    "axes": {
        # unlock an account by deleting its access attempt
        "accessattempt": {CURATOR: ("view", "delete")},
        "accessattemptexpiration": {},
        "accesslog": {CURATOR: VIEW},
        "accessfailurelog": {CURATOR: VIEW},
    },
    # staff's second factor (django-otp): set up by superusers only
    "otp_totp": {"totpdevice": {}},
}

# Fields whose admin autocomplete may list user accounts to a role that may change the
# source model (app label, model, field). Nothing else about users is open to non-superusers.
USER_PICKERS = frozenset(
    {
        ("ideagroups", "membership", "user"),
        ("ideagroups", "workentry", "author"),
        ("competences", "membercompetence", "user"),
    }
)

# The member pages (names of tests/test_role_matrix.py) and the roles that may use them.
MEMBER_PAGES = {
    "my pages": {"member", "group lead", "curator", "moderator", "answerer", "superuser"},
    "create entry": {"member", "group lead"},
    "edit draft": {"member", "group lead"},  # the author, or the lead of its group
    "submit draft": {"member", "group lead"},
    "my competences": {"member", "group lead", "curator", "moderator", "answerer", "superuser"},
    "draft attachment": {"member", "group lead", "curator", "superuser"},
}


@cache
def grants() -> dict[str, dict[str, dict[str, tuple[str, ...]]]]:
    """app label → model name → role group → actions: the installed packages' (above), then
    every project app's ``roles.GRANTS``, found like every other plug-in (sodertorn/hooks.py)."""
    from django.apps import apps

    from . import hooks

    installed = {app_config.label for app_config in apps.get_app_configs()}
    found = {label: g for label, g in THIRD_PARTY_GRANTS.items() if label in installed}
    for module in hooks.project_modules("roles", exclude=(__package__,)):
        app_grants = getattr(module, "GRANTS", None)
        if app_grants is not None:
            found[apps.get_containing_app_config(module.__name__).label] = app_grants
    return found


def codename(action: str, model: str) -> str:
    """`change` → `change_testbed`; custom permissions are named in full (`invite_member`)."""
    return f"{action}_{model}" if action in STANDARD_ACTIONS else action


def actions_of(role_key: str, app_label: str, model: str) -> set[str] | None:
    """The actions a role may take on a model, or None when the declaration does not say."""
    declared = grants().get(app_label, {}).get(model)
    if declared is None:
        return None
    r = role(role_key)
    if r.superuser:
        return {*STANDARD_ACTIONS, *(a for acts in declared.values() for a in acts)}
    if r.group is None:
        return set()
    return set(declared.get(r.group, ()))


def admin_actions_of(role_key: str, app_label: str, model: str) -> set[str] | None:
    """What a role may do with a model in /admin/ (only staff roles get there at all)."""
    declared = actions_of(role_key, app_label, model)
    if declared is None:
        return None
    return declared if role(role_key).staff else set()


def ensure_roles(apps, using="default"):
    """Create the role groups and give each exactly its declared permissions (idempotent).

    `apps` may be the historical registry of a migration (models and custom permissions that
    do not exist yet are skipped; post_migrate completes the groups) or the global one.
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    historical = apps is not global_apps
    wanted = {name: [] for name in GROUPS}
    for label, models in grants().items():
        try:
            app_config = apps.get_app_config(label)
        except LookupError:
            continue
        # Historical app configs have no models module; create_permissions skips those.
        if getattr(app_config, "models_module", None) is None:
            app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
        for model, by_group in models.items():
            try:
                apps.get_model(label, model)
            except LookupError:
                continue
            for group_name, actions in by_group.items():
                if group_name not in wanted:
                    raise ValueError(f"{label}.{model}: {group_name!r} is not a role group")
                for action in actions:
                    permission = Permission.objects.using(using).filter(
                        content_type__app_label=label,
                        content_type__model=model,
                        codename=codename(action, model),
                    )
                    if historical and not permission.exists():
                        continue  # a custom permission a later migration adds
                    wanted[group_name].append(permission.get())
    for name, permissions in wanted.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions)


def ensure_roles_after_migrate(sender, using="default", apps=None, **kwargs):
    from django.apps import apps as global_apps

    ensure_roles(apps or global_apps, using=using)


# The README's table ------------------------------------------------------------------------


def markdown_table() -> str:
    """The README's role table (`manage.py roles_table` prints it; a test compares)."""
    lines = ["| role | who | may do |", "| --- | --- | --- |"]
    lines += [f"| {r.key} | {r.who} | {r.may} |" for r in ROLES]
    return "\n".join(lines)


def admin_models() -> list[tuple[str, object]]:
    """("app.model", model) of every model in the admin, with the models of their inlines."""
    from django.contrib import admin

    found = {}
    for model, model_admin in admin.site._registry.items():
        for each in (model, *(inline.model for inline in model_admin.inlines)):
            found[f"{each._meta.app_label}.{each._meta.model_name}"] = each
    return sorted(found.items())


def markdown_admin_table() -> str:
    """Per admin model, what the staff roles may do (superusers: everything)."""
    from django.contrib import admin

    staff = [r for r in ROLES if r.staff and not r.superuser]
    lines = [
        "| admin model | " + " | ".join(r.key for r in staff) + " |",
        "| --- |" + " --- |" * len(staff),
    ]
    display_order = ("view", "add", "change", "delete")
    for key, model in admin_models():
        opts = model._meta
        cells = []
        for r in staff:
            acts = admin_actions_of(r.key, opts.app_label, opts.model_name) or set()
            ordered = [a for a in display_order if a in acts] + sorted(acts - set(display_order))
            cells.append(", ".join(ordered) or "–")
        name = key if admin.site.is_registered(model) else f"{key} (inline)"
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


README_INTRO = (
    "Generated from `sodertorn/roles.py` by `manage.py roles_table`; "
    "`sodertorn/tests/test_roles_readme.py` fails when they disagree, and "
    "`tests/test_role_matrix.py` "
    "checks every cell against the admin and the member pages."
)


def readme_section() -> str:
    """The body of the README's "## Roles" section."""
    from textwrap import fill

    return "\n\n".join(
        [
            fill(README_INTRO, width=96),
            markdown_table(),
            fill(
                "In the admin, per model (superusers may do everything; members, leads and "
                "visitors have no admin). Curators see no user accounts, except the matches "
                "offered while they type in a membership's or a work entry's person field:",
                width=96,
            ),
            markdown_admin_table(),
        ]
    )
