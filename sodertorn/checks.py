"""System checks of the project's own settings (imported by SodertornConfig.ready)."""

from django.conf import settings
from django.core.checks import Error, Tags, register
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
