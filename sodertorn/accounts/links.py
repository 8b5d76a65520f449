"""Links into the account pages for mails written by the apps (an invitation, say)."""

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def set_password_link(user, *, base_url: str) -> str:
    """The one-time link to choose a password (Django's password-reset token, valid for
    PASSWORD_RESET_TIMEOUT): the reset page's confirm step."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return base_url.rstrip("/") + path


def login_link(*, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("accounts:login")
