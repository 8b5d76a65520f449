from django.db import migrations, models
from django.utils import timezone


def create_row(apps, schema_editor):
    apps.get_model("sodertorn", "Heartbeat").objects.create(pk=1, beat_at=timezone.now())


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Heartbeat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("beat_at", models.DateTimeField()),
            ],
            options={"verbose_name": "heartbeat"},
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
