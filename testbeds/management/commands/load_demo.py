"""Load the demo catalogue: eight municipalities, the programme themes and sample testbeds.

Other apps add their demo data without editing this command: a project app (one with a
`hooks` module, sodertorn/hooks.py) with a module `<app>.demo` defining
`load(*, database, stdout, style, debug)` is called after the testbed fixtures, inside the
same transaction, in INSTALLED_APPS order; a `demo` module's optional `loading()` returns a
context manager held around the whole load. Each hook must be idempotent (running load_demo
twice gives the same data) and must not create logins unless `debug` is true. After all of
them, each `demo_finished` hook (sodertorn/hooks.py) is called with `database`, for links to
rows of apps loaded later.

The demo changes between versions: a database loaded by an earlier version may hold demo rows
the demo no longer has. Each hook removes its own retired rows (its module's ``RETIRED``), and
this command, after the hooks, the retired demo testbeds (``RETIRED_TESTBEDS``), so that
running ``make run`` on an old database gives the current demo (ten public testbeds).

After the content hooks, the English texts of fixtures/english/ are written onto the demo
objects (testbeds/demo_english.py); a demo module that sets `AFTER_CONTENT = True` (search's,
which rebuilds the index) runs after them.
"""

import json
from contextlib import ExitStack
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import ProtectedError

from sodertorn import hooks
from testbeds import demo_english
from testbeds.models import Testbed

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
# Order matters: testbeds refer to municipalities and themes.
FIXTURES = ("municipalities.json", "themes.json", "testbeds.json")
ENGLISH_DIR = FIXTURE_DIR / "english"
SUMMARY = (
    ("testbeds.municipality", "municipalities"),
    ("testbeds.theme", "themes"),
    ("testbeds.testbed", "testbeds"),
)

# Demo testbeds of earlier versions of the demo (invented, is_demo=True), removed on the next
# load. The programme had ten testbeds: the two named in the sources and eight examples.
RETIRED_TESTBEDS = (
    "skolgarden-som-motesplats-i-tumba",
    "hallbar-pendling-till-jordbro-foretagspark",
    "skogen-kring-trangsund",
    "grona-samband-kring-tyresta",
    "unga-formar-hovsjo",
)


def remove_retired_testbeds(database: str, keep) -> list[str]:
    """Delete the retired demo testbeds (never a real one, nor one in the fixtures); one that
    something outside the demo still points at (a curator's round or result) is unpublished
    instead. Returns the slugs unpublished that way."""
    kept = []
    retired = (
        Testbed.objects.using(database)
        .filter(slug__in=RETIRED_TESTBEDS, is_demo=True)
        .exclude(pk__in=keep)
    )
    for testbed in retired:
        try:
            with transaction.atomic(using=database):
                testbed.delete()
        except ProtectedError:
            Testbed.objects.using(database).filter(pk=testbed.pk).update(published=False)
            kept.append(testbed.slug)
    return kept


def fixture_pks(paths) -> dict[str, set]:
    """Primary keys per model label found in the fixture files."""
    pks: dict[str, set] = {}
    for path in paths:
        for obj in json.loads(path.read_text(encoding="utf-8")):
            pks.setdefault(obj["model"].lower(), set()).add(obj["pk"])
    return pks


def demo_hooks(*, after_content: bool | None = None) -> list:
    """`load` functions of the project apps' `demo` modules, in INSTALLED_APPS order, those
    that set `AFTER_CONTENT = True` last (only those, or only the others, with
    `after_content`)."""
    modules = hooks.project_modules("demo")
    content = [m.load for m in modules if not getattr(m, "AFTER_CONTENT", False)]
    final = [m.load for m in modules if getattr(m, "AFTER_CONTENT", False)]
    if after_content is None:
        return content + final
    return final if after_content else content


def demo_contexts() -> list:
    """`loading` functions of the project apps' `demo` modules: each returns a context
    manager held around the whole load (search's pauses indexing, as it rebuilds the index
    at the end)."""
    return [m.loading for m in hooks.project_modules("demo") if hasattr(m, "loading")]


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
        parser.add_argument(
            "--english",
            default=str(ENGLISH_DIR),
            help="Folder of the demo's English texts (default: %(default)s).",
        )

    def handle(self, *args, **options):
        database = options["database"]
        paths = [FIXTURE_DIR / name for name in FIXTURES]
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            raise CommandError(f"Fixture file(s) not found: {', '.join(missing)}")

        with ExitStack() as stack:
            for during in demo_contexts():
                stack.enter_context(during())
            stack.enter_context(transaction.atomic(using=database))
            for path in paths:
                call_command(
                    "loaddata",
                    str(path),
                    database=database,
                    verbosity=max(options["verbosity"] - 1, 0),
                    stdout=self.stdout,
                    stderr=self.stderr,
                )
            for hook in demo_hooks(after_content=False):
                hook(database=database, stdout=self.stdout, style=self.style, debug=settings.DEBUG)
            # Links between apps' demo rows that need a later app's rows (a grant's areas),
            # before the English and the search index that read them.
            for hook in hooks.get_hooks("demo_finished"):
                hook(database=database)
            pks = fixture_pks(paths)
            for slug in remove_retired_testbeds(database, pks.get("testbeds.testbed", ())):
                self.stdout.write(
                    self.style.WARNING(
                        f"Retired demo testbed {slug} is still referred to: unpublished, "
                        "not deleted."
                    )
                )
            english = demo_english.apply_english(Path(options["english"]), database=database)
            demo_english.report(english, stdout=self.stdout, style=self.style)
            for hook in demo_hooks(after_content=True):
                hook(database=database, stdout=self.stdout, style=self.style, debug=settings.DEBUG)

        counts = []
        for label, noun in SUMMARY:
            model = apps.get_model(label)
            count = model.objects.using(database).filter(pk__in=pks.get(label, ())).count()
            counts.append(f"{count} {noun}")
        self.stdout.write(self.style.SUCCESS(f"Demo data: {', '.join(counts)}."))
