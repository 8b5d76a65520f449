"""Who may moderate and answer citizen dialogue, as Django groups with permissions.

* "Dialogmoderator" (and the curators' group "Kurator", see ideagroups/roles.py) manage rounds,
  approve or hide contributions (``dialogue.moderate_contribution``) and answer them.
* "Dialogsvarare" — municipal officers who answer publicly ("Svar från kommunen") without
  moderating: they may open a contribution in the admin and add or edit answers.

Nobody but a superuser may delete a contribution (see ContributionAdmin): curators hide with a
reason instead. Created by the data migration dialogue/0002_roles and again after every
migrate/flush (post_migrate), as the idea-group roles are. Permissions are *added* to the
curators' group, never set, so the idea-group roles' own permissions are left alone (that app
comes first in INSTALLED_APPS, so its post_migrate handler, which sets them, runs first).
"""

from django.contrib.auth.management import create_permissions

MODERATOR = "Dialogmoderator"
ANSWERER = "Dialogsvarare"
CURATOR = "Kurator"  # ideagroups.roles.CURATOR (not imported: migrations use this module)

MODERATE = "moderate_contribution"

MODERATOR_PERMISSIONS = {
    "dialogueround": ("add", "change", "view"),
    "contribution": ("change", "view", MODERATE),
    "pendingcontribution": ("change", "view"),
    "response": ("add", "change", "delete", "view"),
}
ANSWERER_PERMISSIONS = {
    "dialogueround": ("view",),
    # change: to save answers written on the contribution's page (its own fields are
    # read-only without the moderation permission).
    "contribution": ("change", "view"),
    "pendingcontribution": ("view",),
    "response": ("add", "change", "view"),
}


def _permissions(apps, using, grants):
    Permission = apps.get_model("auth", "Permission")
    wanted = []
    for model, actions in grants.items():
        for action in actions:
            codename = action if action == MODERATE else f"{action}_{model}"
            wanted.append(
                Permission.objects.using(using).get(
                    content_type__app_label="dialogue",
                    content_type__model=model,
                    codename=codename,
                )
            )
    return wanted


def ensure_roles(apps, using="default"):
    """Create the dialogue groups and grant their permissions (idempotent)."""
    Group = apps.get_model("auth", "Group")
    app_config = apps.get_app_config("dialogue")
    if getattr(app_config, "models_module", None) is None:
        app_config.models_module = True
    create_permissions(app_config, verbosity=0, using=using, apps=apps)
    moderator = _permissions(apps, using, MODERATOR_PERMISSIONS)
    answerer = _permissions(apps, using, ANSWERER_PERMISSIONS)
    group, _created = Group.objects.using(using).get_or_create(name=MODERATOR)
    group.permissions.set(moderator)
    group, _created = Group.objects.using(using).get_or_create(name=ANSWERER)
    group.permissions.set(answerer)
    curators = Group.objects.using(using).filter(name=CURATOR).first()
    if curators is not None:
        curators.permissions.add(*moderator)


def ensure_roles_after_migrate(sender, using="default", apps=None, **kwargs):
    from django.apps import apps as global_apps

    ensure_roles(apps or global_apps, using=using)
