from django.core.management.base import BaseCommand

from dialogue.services import notify_moderators, prune


class Command(BaseCommand):
    help = (
        "E-mail the dialogue moderators if contributions await moderation and nobody was "
        "told in the last hour, and prune the dialogue's abuse limits (prune_dialogue). Run "
        "it from cron, e.g. every 15 minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Send even if a notice went out within the hour."
        )

    def handle(self, *args, force=False, **options):
        prune()
        sent = notify_moderators(force=force)
        if sent:
            self.stdout.write(self.style.SUCCESS(f"Notified {sent} moderator(s)."))
        else:
            self.stdout.write(
                "Nothing sent (nothing waiting, nobody to tell, or told within the hour)."
            )
