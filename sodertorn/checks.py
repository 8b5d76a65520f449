"""System checks of the project's own settings (imported by SodertornConfig.ready)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


def secret_key_missing() -> bool:
    try:
        return not settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        return True


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    """`check --deploy` fails without a key (Django's own security.W009 only warns)."""
    if secret_key_missing():
        return [Error(settings.MISSING_SECRET_KEY, id="sodertorn.E001")]
    return []


@register(Tags.security)
def legacy_behind_proxy(app_configs, **kwargs):
    """DJANGO_BEHIND_PROXY=1 used to believe X-Forwarded-For/-Proto from anyone. A server still
    configured that way must not start as if nothing changed: it names its proxies now."""
    if settings.LEGACY_BEHIND_PROXY and not settings.TRUSTED_PROXIES:
        return [
            Error(
                "DJANGO_BEHIND_PROXY is no longer read: list the load balancer's addresses or "
                "networks in DJANGO_TRUSTED_PROXIES instead.",
                id="sodertorn.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def staff_second_factor(app_configs, **kwargs):
    """In production the admin asks staff for a second factor (sodertorn/admin_site.py)."""
    if not settings.DEBUG and not settings.STAFF_OTP:
        return [
            Warning(
                "DJANGO_STAFF_OTP is off: staff log in to the admin with a password only.",
                hint="Unset DJANGO_STAFF_OTP (it is on by default) and give every staff "
                "member a TOTP device (manage.py add_totp_device <username>).",
                id="sodertorn.W003",
            )
        ]
    return []
