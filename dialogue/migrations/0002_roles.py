"""The dialogue roles as Django groups: "Dialogmoderator" and "Dialogsvarare", and the
moderation permissions of the curators' group. See sodertorn/roles.py and dialogue/roles.py."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from sodertorn.roles import ensure_roles

    ensure_roles(apps, using=schema_editor.connection.alias)


def remove_roles(apps, schema_editor):
    from sodertorn.roles import ANSWERER, MODERATOR

    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(
        name__in=[MODERATOR, ANSWERER]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("ideagroups", "0002_roles"),
        ("dialogue", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
