from django.conf import settings
from django.core.management.base import BaseCommand

from about import services
from dialogue import services as dialogue_services


class Command(BaseCommand):
    help = (
        "Blank the names and areas of residence of dialogue contributions whose round closed "
        "more than DIALOGUE_PERSONAL_DATA_DAYS days ago, and the names and e-mail addresses of "
        "accessibility feedback older than FEEDBACK_PERSONAL_DATA_DAYS days; the texts stay. "
        "Run daily from cron."
    )

    def handle(self, *args, **options):
        contributions = dialogue_services.erase_expired_personal_data()
        feedback = services.erase_expired_personal_data()
        self.stdout.write(
            f"contributions: {contributions} (after {settings.DIALOGUE_PERSONAL_DATA_DAYS} days), "
            f"feedback: {feedback} (after {settings.FEEDBACK_PERSONAL_DATA_DAYS} days)"
        )
