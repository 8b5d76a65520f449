"""Print the README's "Roles" tables from the role declaration (sodertorn/roles.py).

    .venv/bin/python manage.py roles_table

sodertorn/tests/test_roles_readme.py fails when README.md and the declaration disagree: change the
declaration, run this, and paste its output under "## Roles".
"""

from django.core.management.base import BaseCommand

from sodertorn import roles


class Command(BaseCommand):
    help = "Print the README's role tables, generated from sodertorn/roles.py."

    def handle(self, *args, **options):
        self.stdout.write(roles.readme_section())
