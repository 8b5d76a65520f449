"""Send the follow digests that are due (run it hourly or daily from cron, or from the task
worker: ``follow.tasks.send_follow_digests``); deletes unconfirmed subscriptions that expired."""

from django.core.management.base import BaseCommand

from follow import services


class Command(BaseCommand):
    help = "Mail each confirmed follower the news since their last digest, when it is due."

    def handle(self, *args, **options):
        purged = services.purge_expired()
        sent = services.send_digests()
        self.stdout.write(f"{sent} digest(s) queued, {purged} unconfirmed subscription(s) deleted")
