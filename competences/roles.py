"""Curators (the "Kurator" role of ideagroups/roles.py) keep the vocabulary and the links.

ideagroups sets its roles' permissions after every migrate (with `set()`, replacing them); this
app's post_migrate handler runs after it (competences comes later in INSTALLED_APPS) and adds
the permissions on this app's models to the curator role.
"""

from ideagroups.roles import ALL, CURATOR

MODELS = ("competence", "need", "actorcompetence", "membercompetence")


def grant_curator_permissions(sender=None, using="default", apps=None, **kwargs):
    if apps is None:
        from django.apps import apps
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:
        return
    group = Group.objects.using(using).filter(name=CURATOR).first()
    if group is None:
        return
    codenames = [f"{action}_{model}" for model in MODELS for action in ALL]
    group.permissions.add(
        *Permission.objects.using(using).filter(
            content_type__app_label="competences", codename__in=codenames
        )
    )
