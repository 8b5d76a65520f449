"""Import indicator observations from a CSV or Kolada JSON file (see indicators.services)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.services import FORMATS, import_observations


class Command(BaseCommand):
    help = (
        "Import observations from a CSV file (columns indicator, area, year, value and "
        "optionally gender, note, is_example) or a Kolada v2 data file (JSON). The whole file "
        "is checked first and written in one transaction only if every row is good; bad rows "
        "are listed with their line and reason. Importing the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV or JSON file.")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="csv or kolada (default: from the file name, then from its content).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and count what would change, without writing anything.",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        report = import_observations(
            path.read_bytes(),
            name=path.name,
            file_format=options["format"],
            dry_run=options["dry_run"],
        )
        for problem in report.errors:
            self.stderr.write(f"{report.location_label} {problem.where}: {problem.reason}")
        for problem in report.skipped:
            self.stdout.write(f"{report.location_label} {problem.where}: {problem.reason}")
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
