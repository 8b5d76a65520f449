"""Seed the benchmark database: the demo data (load_demo) plus COUNT bulk testbeds.

    python bench/seed.py 5000      (DATABASE_URL and the other settings from the environment)

Runs again without adding more: it tops up to COUNT rows whose slug starts with "bench-", and
loads the demo data only when this database has not had the same demo data loaded before.
"""

import datetime
import hashlib
import os
import random
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sodertorn.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from sodertorn.cache import content_changed  # noqa: E402
from testbeds.models import Municipality, Testbed, Theme  # noqa: E402

PLACES = ["centrum", "station", "hamn", "skolområde", "park", "industriområde", "torg", "strand"]
TOPICS = [
    "Gröna tak",
    "Mobilitetshubb",
    "Trygga stråk",
    "Dagvatten",
    "Lokal energi",
    "Medborgardialog",
    "Cykelpendling",
    "Skolgårdar",
    "Kvartersodling",
    "Solceller",
]
BATCH = 1000


def seed(count: int) -> int:
    rng = random.Random(2014)
    municipalities = list(Municipality.objects.all())
    themes = list(Theme.objects.all())
    have = Testbed.objects.filter(slug__startswith="bench-").count()
    made = 0
    for start in range(have, count, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, count)):
            home = rng.choice(municipalities)
            begin = datetime.date(2014, 1, 1) + datetime.timedelta(days=rng.randrange(0, 5 * 365))
            rows.append(
                Testbed(
                    title=f"{rng.choice(TOPICS)} i {home.name} {rng.choice(PLACES)} {i}",
                    slug=f"bench-{i}",
                    question="Hur kan platsen utvecklas hållbart tillsammans med de boende?",
                    summary=(
                        f"En testbädd i {home.name} där kommunen, forskare och företag prövar "
                        "nya lösningar för hållbar stadsutveckling."
                    ),
                    body="Bakgrund, genomförande och resultat beskrivs här. " * 5,
                    status=rng.choice(Testbed.Status.values),
                    start_date=begin,
                    end_date=begin + datetime.timedelta(days=rng.randrange(90, 1500)),
                    place_name=f"{home.name} {rng.choice(PLACES)}",
                    latitude=home.center_latitude + Decimal(rng.randrange(-400, 400)) / 10000,
                    longitude=home.center_longitude + Decimal(rng.randrange(-400, 400)) / 10000,
                    published=rng.random() < 0.9,
                    is_demo=True,
                )
            )
        with transaction.atomic():
            created = Testbed.objects.bulk_create(rows)
            links = Testbed.municipalities.through
            links.objects.bulk_create(
                links(testbed_id=t.pk, municipality_id=m.pk)
                for t in created
                for m in rng.sample(municipalities, rng.choice((1, 1, 1, 2)))
            )
            tags = Testbed.themes.through
            tags.objects.bulk_create(
                tags(testbed_id=t.pk, theme_id=th.pk)
                for t in created
                for th in rng.sample(themes, rng.choice((0, 1, 2, 2, 3)))
            )
        made += len(created)
    content_changed()  # bulk_create sends no signals
    settle()
    return made


def settle() -> None:
    """After a bulk load, what autovacuum does to a production database within a minute:
    fresh planner statistics and the visibility map, so that counts over the published
    testbeds are index-only scans (testbed_published_ids) and plans are not guessed from an
    empty table. Measurements then show the steady state, not the minute after an import."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in ("testbed", "testbed_municipalities", "testbed_themes"):
            cursor.execute(f"VACUUM ANALYZE testbeds_{table}")


def demo_fingerprint() -> str:
    """A digest of what load_demo loads (fixtures, every app's demo.py, the command)."""
    root = Path(__file__).resolve().parent.parent
    files = sorted(
        [
            *(p for p in root.glob("fixtures/*") if p.is_file()),
            *root.glob("*/demo.py"),
            *root.glob("*/demo/*.py"),
        ]
        + [root / "testbeds/management/commands/load_demo.py"]
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def load_demo_once() -> None:
    """load_demo (a minute and more on a loaded machine) only when this database has not had
    this very demo data loaded yet: the digest is kept in var/bench/ per database."""
    name = connection.settings_dict["NAME"]
    marker = Path(__file__).resolve().parent.parent / "var" / "bench" / f"demo-{name}.sha256"
    fingerprint = demo_fingerprint()
    loaded = marker.exists() and marker.read_text() == fingerprint
    if loaded and Testbed.objects.filter(is_demo=True).exclude(slug__startswith="bench-"):
        print("seed: demo data already loaded")
        return
    call_command("load_demo", verbosity=0)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(fingerprint)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    load_demo_once()
    made = seed(count)
    total = Testbed.objects.count()
    published = Testbed.objects.published().count()
    print(f"seed: {made} testbeds added; {total} in all, {published} published")
