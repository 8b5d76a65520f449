from django.core.management.base import BaseCommand

from dialogue.services import prune


class Command(BaseCommand):
    help = (
        "Delete what the dialogue's abuse limits no longer need: post events outside the rate "
        "window, used form stamps, old address rows; blank the address of day-old support. "
        "notify_moderators runs it too."
    )

    def handle(self, *args, **options):
        counts = prune()
        self.stdout.write(", ".join(f"{kind}: {n}" for kind, n in counts.items()))
