"""Password reset that answers every address alike, in text and in time.

The request never looks the address up: it checks the rate limit (per client address and per
e-mail, in the database: sodertorn/ratelimit.py), enqueues one task with the address and
answers. The task (run by the worker, see sodertorn/mail.py) finds the accounts and mails them
the link, or does nothing for an unknown address. So a known and an unknown address cost the
same queries and the same queue write, and get the same page.
"""

import logging
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.http import HttpResponseRedirect
from django.tasks import task
from django.utils import translation

from sodertorn import ratelimit
from sodertorn.throttle import client_ip

logger = logging.getLogger(__name__)

EMAIL_TEMPLATE = "registration/password_reset_email.txt"
SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"


@task
def send_password_reset(email: str, domain: str, use_https: bool, language: str) -> None:
    """Mail the reset link to the active accounts with this address (none: nothing)."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name=SUBJECT_TEMPLATE,
            email_template_name=EMAIL_TEMPLATE,
        )


def _enqueue(email, domain, use_https, language):
    send_password_reset.enqueue(email, domain, use_https, language)


def request_password_reset(email: str, *, domain: str, use_https: bool, language: str) -> None:
    """Enqueue the reset mail once the request's transaction commits."""
    transaction.on_commit(
        partial(_enqueue, email, domain, use_https, language),
        robust=True,
    )


def allowed(address: str | None, email: str) -> bool:
    return ratelimit.allow(
        "password_reset",
        {"ip": address, "email": email.strip().lower()},
        limits={
            "ip": settings.PASSWORD_RESET_ADDRESS_LIMIT,
            "email": settings.PASSWORD_RESET_EMAIL_LIMIT,
        },
        window=settings.PASSWORD_RESET_WINDOW_MINUTES * 60,
    )


def site_address(request) -> tuple[str, bool]:
    """The host and scheme for the link: DJANGO_SITE_URL when set, else this request's."""
    if settings.SITE_URL:
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc, parts.scheme == "https"
    return request.get_host(), request.is_secure()


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view with a rate limit and the mail (and the account lookup) in the task."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not allowed(client_ip(self.request), email):
            response = self.render_to_response(
                self.get_context_data(
                    form=form,
                    throttled=True,
                    window_minutes=settings.PASSWORD_RESET_WINDOW_MINUTES,
                ),
                status=429,
            )
            response["Retry-After"] = str(settings.PASSWORD_RESET_WINDOW_MINUTES * 60)
            return response
        domain, use_https = site_address(self.request)
        request_password_reset(
            email, domain=domain, use_https=use_https, language=translation.get_language()
        )
        return HttpResponseRedirect(self.get_success_url())
