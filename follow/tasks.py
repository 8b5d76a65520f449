"""The digests as a task of Django's tasks framework (TASKS in settings.py), for a scheduler
that enqueues tasks instead of running a command."""

from django.tasks import task


@task
def send_follow_digests() -> int:
    from . import services

    return services.send_digests()
