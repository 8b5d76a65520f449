"""Login throttling with django-axes: the client address and the lockout page.

Axes checks every call of ``django.contrib.auth.authenticate()`` that passes the request (the
admin login, any ``LoginView``): see AUTHENTICATION_BACKENDS and the AXES_* settings. Code
that logs people in must pass the request to ``authenticate()``; tests log in with
``client.force_login()``, which does not authenticate.
"""

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _


def client_ip(request) -> str | None:
    """The visitor's address: REMOTE_ADDR, or behind a load balancer (DJANGO_BEHIND_PROXY)
    the address the outermost trusted proxy saw, counted from the right of X-Forwarded-For
    (the left-hand entries are whatever the client sent and cannot be trusted)."""
    if settings.BEHIND_PROXY:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= settings.PROXY_COUNT >= 1:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of the login form while an account and address are locked."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    response = render(
        request,
        "axes/lockout.html",
        {
            "cooloff_minutes": minutes,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "page_title": _("Too many failed login attempts"),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    add_never_cache_headers(response)
    return response
