"""The roles as Django groups with permissions: "Kurator" (curators) and "Idégruppsmedlem"
(idea-group members). See sodertorn/roles.py (it sets every role group at once, with the
models that exist at this point of the migrations; post_migrate completes them)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from sodertorn.roles import ensure_roles

    ensure_roles(apps, using=schema_editor.connection.alias)


def remove_roles(apps, schema_editor):
    from sodertorn.roles import CURATOR, MEMBER

    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=[CURATOR, MEMBER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("collaboration", "0002_initial"),
        ("testbeds", "0001_initial"),
        ("ideagroups", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
