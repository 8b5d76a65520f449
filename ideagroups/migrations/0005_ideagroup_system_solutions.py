"""IdeaGroup.system_solutions: the link that was SystemSolution.idea_groups (issue 13).

State only for the link itself: it keeps the table collaboration_systemsolution_idea_groups and
its columns (systemsolution_id, ideagroup_id), so existing links stay as they are.
"""

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("collaboration", "0006_idea_group_link_moves_to_ideagroups"),
        ("ideagroups", "0004_merge_20261201_1607"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="ideagroup",
                    name="system_solutions",
                    field=models.ManyToManyField(
                        blank=True,
                        db_table="collaboration_systemsolution_idea_groups",
                        related_name="idea_groups",
                        to="collaboration.systemsolution",
                        verbose_name="system solutions",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="HistoricalIdeaGroup_system_solutions",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="ideagroups.historicalideagroup",
                    ),
                ),
                (
                    "ideagroup",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="ideagroups.ideagroup",
                    ),
                ),
                (
                    "systemsolution",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="collaboration.systemsolution",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalIdeaGroup_system_solutions",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
