"""Every mail the portal sends leaves the request path through Django's tasks framework.

``queue_mail()`` enqueues ``send_queued_mail`` once the current transaction has committed
(``transaction.on_commit``): a rolled-back write sends nothing, and a slow or hung mail server
never holds a row lock or a resident's request. In production the tasks go to the database
(``django_tasks_db.DatabaseBackend``, see TASKS in settings.py) and ``manage.py db_worker``
sends them with the configured mailer (whose SMTP connection has a timeout,
DJANGO_EMAIL_TIMEOUT). See docs/deploy.md, "Mail and the task worker".
"""

import datetime
import logging
from collections.abc import Iterable
from functools import partial

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Min
from django.tasks import TaskResultStatus, task, task_backends
from django.utils import timezone

logger = logging.getLogger(__name__)


@task
def send_queued_mail(
    subject: str,
    body: str,
    to: list[str],
    headers: dict[str, str] | None = None,
    from_email: str | None = None,
) -> int:
    """Send one plain-text message with the default mailer. Raises if the mail server refuses
    or does not answer in time, so the task is recorded as failed (with its traceback)."""
    message = EmailMessage(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers or None
    )
    return message.send()


def queue_mail(
    subject: str,
    body: str,
    to: Iterable[str],
    *,
    headers: dict[str, str] | None = None,
    from_email: str | None = None,
) -> None:
    """Send a plain-text mail to ``to`` once the current transaction commits (at once outside
    a transaction). ``from_email`` defaults to DEFAULT_FROM_EMAIL. A failure to enqueue is
    logged, never raised into the request that already committed its data."""
    recipients = [str(address) for address in to]
    if not recipients:
        return
    transaction.on_commit(
        partial(
            _enqueue,
            str(subject),
            str(body),
            recipients,
            {str(k): str(v) for k, v in (headers or {}).items()},
            from_email,
        ),
        robust=True,
    )


def _enqueue(subject, body, to, headers, from_email) -> None:
    result = send_queued_mail.enqueue(subject, body, to, headers or None, from_email)
    logger.info("Mail %r to %d recipient(s) queued as task %s", subject, len(to), result.id)


def mail_queue_status() -> dict | None:
    """The mail queue as /healthz may report it: mails waiting, the age in seconds of the
    oldest waiting one, and sends that failed within the last hour. None when tasks are not
    kept in the database (ImmediateBackend in development and most tests)."""
    # Imported here: this module is imported while the apps load (admin forms).
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends[send_queued_mail.backend], DatabaseBackend):
        return None
    now = timezone.now()
    mails = DBTaskResult.objects.filter(task_path=send_queued_mail.module_path)
    waiting = mails.filter(status=TaskResultStatus.READY).aggregate(
        count=Count("id"), oldest=Min("enqueued_at")
    )
    oldest = waiting["oldest"]
    return {
        "waiting": waiting["count"],
        "oldest_waiting_seconds": round((now - oldest).total_seconds()) if oldest else 0,
        "failed_last_hour": mails.filter(
            status=TaskResultStatus.FAILED, finished_at__gte=now - datetime.timedelta(hours=1)
        ).count(),
    }
