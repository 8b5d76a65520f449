from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from search.index import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the site search index from every registered content type (after loaddata, "
        "a bulk import or a new search source)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        counts = rebuild(using=options["database"])
        listed = ", ".join(f"{count} {key}" for key, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {listed}."))
