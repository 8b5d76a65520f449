"""Load the demo catalogue: eight municipalities, the programme themes and sample testbeds.

Other apps add their demo data without editing this command: a project app (one with a
`hooks` module, sodertorn/hooks.py) with a module `<app>.demo` defining
`load(*, database, stdout, style, debug)` is called after the testbed fixtures, inside the
same transaction, in INSTALLED_APPS order. Each hook must be idempotent (running load_demo
twice gives the same data) and must not create logins unless `debug` is true.
"""

import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, transaction

from sodertorn import hooks

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
# Order matters: testbeds refer to municipalities and themes.
FIXTURES = ("municipalities.json", "themes.json", "testbeds.json")
SUMMARY = (
    ("testbeds.municipality", "municipalities"),
    ("testbeds.theme", "themes"),
    ("testbeds.testbed", "testbeds"),
)


def fixture_pks(paths) -> dict[str, set]:
    """Primary keys per model label found in the fixture files."""
    pks: dict[str, set] = {}
    for path in paths:
        for obj in json.loads(path.read_text(encoding="utf-8")):
            pks.setdefault(obj["model"].lower(), set()).add(obj["pk"])
    return pks


def demo_hooks() -> list:
    """`load` functions of the project apps' `demo` modules, in INSTALLED_APPS order."""
    return [module.load for module in hooks.project_modules("demo")]


class Command(BaseCommand):
    help = (
        "Load the demo data (municipalities, themes, testbeds) from fixtures/. "
        "Rows have fixed primary keys, so running it again updates them instead of "
        "adding duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Database to load into (default: %(default)s).",
        )

    def handle(self, *args, **options):
        database = options["database"]
        paths = [FIXTURE_DIR / name for name in FIXTURES]
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            raise CommandError(f"Fixture file(s) not found: {', '.join(missing)}")

        with transaction.atomic(using=database):
            for path in paths:
                call_command(
                    "loaddata",
                    str(path),
                    database=database,
                    verbosity=max(options["verbosity"] - 1, 0),
                    stdout=self.stdout,
                    stderr=self.stderr,
                )
            for hook in demo_hooks():
                hook(database=database, stdout=self.stdout, style=self.style, debug=settings.DEBUG)

        pks = fixture_pks(paths)
        counts = []
        for label, noun in SUMMARY:
            model = apps.get_model(label)
            count = model.objects.using(database).filter(pk__in=pks.get(label, ())).count()
            counts.append(f"{count} {noun}")
        self.stdout.write(self.style.SUCCESS(f"Demo data: {', '.join(counts)}."))
