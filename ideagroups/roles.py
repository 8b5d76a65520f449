"""The two roles as Django groups with permissions: curators and idea-group members.

Created by the data migration ideagroups/0002_roles (with the historical models) and again
after every migrate/flush (post_migrate), so they exist even after tests truncate tables.
"""

from django.contrib.auth.management import create_permissions

CURATOR = "Kurator"
MEMBER = "Idégruppsmedlem"

ALL = ("add", "change", "delete", "view")
# app label -> model -> actions, for each role.
ROLE_PERMISSIONS = {
    CURATOR: {
        "collaboration": {
            "actor": ALL,
            "collaborationgroup": ("change", "view"),
            "seat": ALL,
            "meeting": ALL,
            "systemsolution": ALL,
            "contactperson": ALL,
            "grant": ALL,
        },
        "ideagroups": {
            "ideagroup": ALL,
            "membership": (*ALL, "invite_member"),
            "workentry": ("change", "view", "review_workentry"),
            "submittedworkentry": ("change", "view"),
            "transition": ("view",),
        },
        # to pick members' accounts in the membership forms (autocomplete)
        "auth": {"user": ("view",)},
        "testbeds": {
            "testbed": ("add", "change", "view"),
            "municipality": ("view",),
            "theme": ("add", "change", "view"),
        },
    },
    MEMBER: {
        "ideagroups": {
            "workentry": ("add", "change", "view"),
            "ideagroup": ("view",),
        },
    },
}

CUSTOM_CODENAMES = {"invite_member", "review_workentry"}


def codename(action: str, model: str) -> str:
    return action if action in CUSTOM_CODENAMES else f"{action}_{model}"


def ensure_roles(apps, using="default"):
    """Create the role groups and set their permissions (idempotent).

    `apps` may be the historical registry of a migration or the global one.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for label in ("auth", "collaboration", "ideagroups", "testbeds"):
        try:
            app_config = apps.get_app_config(label)
        except LookupError:
            continue
        # Historical app configs have no models module; create_permissions skips those.
        if getattr(app_config, "models_module", None) is None:
            app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    for role, grants in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for label, models in grants.items():
            for model, actions in models.items():
                for action in actions:
                    wanted.append(
                        Permission.objects.using(using).get(
                            content_type__app_label=label,
                            content_type__model=model,
                            codename=codename(action, model),
                        )
                    )
        group.permissions.set(wanted)


def ensure_roles_after_migrate(sender, using="default", apps=None, **kwargs):
    from django.apps import apps as global_apps

    ensure_roles(apps or global_apps, using=using)
