"""Edits for `make bench`: save one testbed through the ORM, as an editor's save in the admin
does (signals, history, search index, content version), COUNT times, one every INTERVAL s.

    python bench/editor.py SLUG --count 10 --interval 1 [--tag TAG]

Prints one line per save, "saved EPOCH_SECONDS TITLE", right after its transaction commits,
so the load generator can time how long each edit takes to show (same clock: one machine).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sodertorn.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from testbeds.models import Testbed  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("slug")
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--tag", help="the title ends in ' · edit TAG'; default: the time")
    args = parser.parse_args()
    base = Testbed.objects.get(slug=args.slug).title.split(" · edit ")[0]
    print("ready", flush=True)
    start = time.monotonic()
    for n in range(args.count):
        time.sleep(max(0.0, start + n * args.interval - time.monotonic()))
        with transaction.atomic():
            testbed = Testbed.objects.get(slug=args.slug)
            testbed.title = f"{base} · edit {args.tag or f'{time.time():.3f}'}"
            testbed.save()
        print(f"saved {time.time():.3f} {testbed.title}", flush=True)


if __name__ == "__main__":
    main()
