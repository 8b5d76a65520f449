"""The system solution <-> idea group link moves to the ideagroups app (issue 13).

State only: the field leaves SystemSolution here and reappears as IdeaGroup.system_solutions in
ideagroups 0005 with the same table, so no row moves. The history of that link is kept from now
on by the idea group's history (ideagroups 0005); the solution-side history table of the link
is dropped (content only, before there is production data).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("collaboration", "0005_alter_contactperson_testbed_alter_grant_testbed_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="systemsolution", name="idea_groups"),
            ],
            database_operations=[],
        ),
        migrations.DeleteModel(name="HistoricalSystemSolution_idea_groups"),
    ]
