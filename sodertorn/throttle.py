"""Login throttling with django-axes: the client address and the lockout page.

Axes checks every call of ``django.contrib.auth.authenticate()`` that passes the request (the
admin login, any ``LoginView``): see AUTHENTICATION_BACKENDS and the AXES_* settings. Code
that logs people in must pass the request to ``authenticate()``; tests log in with
``client.force_login()``, which does not authenticate.
"""

import ipaddress
from functools import lru_cache

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _


def parse_address(value: str | None):
    """An ip_address from a header entry or REMOTE_ADDR ("1.2.3.4", "1.2.3.4:5678",
    "[2001:db8::1]:443", "::ffff:1.2.3.4" as IPv4), or None when it is not one."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4 with a port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def proxy_networks(entries: tuple[str, ...]) -> tuple:
    """DJANGO_TRUSTED_PROXIES as networks (a single address is a /32 or /128 network)."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def is_trusted_proxy(address) -> bool:
    if address is None:
        return False
    return any(
        address.version == network.version and address in network
        for network in proxy_networks(tuple(settings.TRUSTED_PROXIES))
    )


def client_ip(request) -> str | None:
    """The visitor's address. REMOTE_ADDR, unless the connection comes from a proxy listed in
    DJANGO_TRUSTED_PROXIES: then X-Forwarded-For is read from the right (each proxy appends the
    address it saw), trusted proxies are skipped and the first other address is the visitor.
    Entries left of it are whatever the client sent and are never believed."""
    remote = request.META.get("REMOTE_ADDR")
    hop = parse_address(remote)
    if not is_trusted_proxy(hop):
        return remote
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    for entry in reversed(forwarded):
        address = parse_address(entry)
        if address is None:
            break  # a trusted proxy passed on something that is no address: stop at that proxy
        hop = address
        if not is_trusted_proxy(hop):
            break
    return str(hop)


# django-axes stores the username in a varchar(255); PostgreSQL refuses a longer one (a 500).
USERNAME_MAX_LENGTH = 255


def login_username(request, credentials=None) -> str | None:
    """The username django-axes counts (AXES_USERNAME_CALLABLE): what was typed, cut to the
    length its tables hold, so an overlong name is a failed login, not a server error."""
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    return username[:USERNAME_MAX_LENGTH] if isinstance(username, str) else username


class LoginAttemptHandler(AxesDatabaseHandler):
    """django-axes' database handler with a limit per lockout parameter group.

    Axes sums the failures of each group in AXES_LOCKOUT_PARAMETERS and compares the largest
    sum with the one AXES_FAILURE_LIMIT. With [["username", "ip_address"], "username"] that
    would lock a username after five failures from anywhere. Here the "username" group has
    its own, higher LOGIN_USERNAME_FAILURE_LIMIT: five failures lock one account from one
    address, ten from any addresses lock the account (for the cool-off)."""

    def get_failures(self, request, credentials=None) -> int:
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        failures = 0
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == "username":
                if count >= settings.LOGIN_USERNAME_FAILURE_LIMIT:
                    request.axes_username_locked = True
                    return max(count, limit)
            else:
                failures = max(failures, count)
        return failures


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
            "username_locked": getattr(request, "axes_username_locked", False),
            "username_failure_limit": settings.LOGIN_USERNAME_FAILURE_LIMIT,
            "page_title": _("Too many failed login attempts"),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    add_never_cache_headers(response)
    return response
