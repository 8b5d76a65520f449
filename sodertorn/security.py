"""Request-level defences that run before the rest of the stack (see MIDDLEWARE in settings).

- RequestSizeLimitMiddleware: bodies above DJANGO_MAX_REQUEST_BYTES answer 413 before a byte
  of them is read.
- TrustedProxyHeadersMiddleware: X-Forwarded-Proto (and -For) count only from the proxies in
  DJANGO_TRUSTED_PROXIES; from anyone else they are removed before Django looks at them.
- PermissionsPolicyMiddleware: a Permissions-Policy header on every response.
- StaffIdleTimeoutMiddleware: staff sessions end after DJANGO_STAFF_IDLE_MINUTES without a
  request.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .throttle import is_trusted_proxy, parse_address


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than MAX_REQUEST_BYTES with 413, from
    the Content-Length header alone: the body is never read, so a 100 MB post costs nothing.

    A body without Content-Length (Transfer-Encoding: chunked) is not read by Django at all
    (WSGIRequest limits wsgi.input to CONTENT_LENGTH, which is then 0), so it is bounded too.
    Uploads keep their own, smaller per-field limits (sodertorn/uploads.py), as do the admin's
    indicator import files (indicators/forms.py); this limit sits above all of them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # as Django itself reads a malformed length: no body
        limit = self.limit_for(request.path_info)
        if length > limit:
            return self.too_large(request, limit)
        return self.get_response(request)

    @staticmethod
    def limit_for(path: str) -> int:
        if path.startswith("/admin/"):
            return max(settings.MAX_ADMIN_REQUEST_BYTES, settings.MAX_REQUEST_BYTES)
        return settings.MAX_REQUEST_BYTES

    def too_large(self, request, limit: int):
        # Runs before LocaleMiddleware: take the language from the URL prefix ourselves.
        language = translation.get_language_from_path(request.path_info)
        with translation.override(language or settings.LANGUAGE_CODE):
            response = render(
                request,
                "413.html",
                {
                    "limit": filesizeformat(limit),
                    "page_title": _("The request is too large"),
                },
                status=413,
            )
        # The client may still be sending: close the connection rather than read the rest.
        response["Connection"] = "close"
        add_never_cache_headers(response)
        return response


class TrustedProxyHeadersMiddleware:
    """Only a trusted proxy may say the visitor used https or came from elsewhere. Anyone can
    send X-Forwarded-Proto; Django's SECURE_PROXY_SSL_HEADER believes it from every peer, so
    from a peer not in DJANGO_TRUSTED_PROXIES the forwarding headers are dropped here, before
    SecurityMiddleware (the https redirect) and anything else reads them. client_ip() applies
    the same rule to X-Forwarded-For on its own."""

    FORWARDING_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(parse_address(request.META.get("REMOTE_ADDR"))):
            for header in self.FORWARDING_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Turn off browser features the portal never uses, for it and anything it embeds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response


STAFF_LAST_SEEN = "_staff_last_seen"
LAST_SEEN_RESOLUTION = 60  # seconds: the session is written at most once a minute


class StaffIdleTimeoutMiddleware:
    """Log staff out after STAFF_IDLE_MINUTES without a request. Members keep the normal
    session age. The last-seen time lives in the session and is refreshed at most once a
    minute, so a busy curator's session is not written on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        minutes = settings.STAFF_IDLE_MINUTES
        if minutes and user is not None and user.is_authenticated and user.is_staff:
            now = time.time()
            last_seen = request.session.get(STAFF_LAST_SEEN)
            if isinstance(last_seen, (int, float)) and now - last_seen > minutes * 60:
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after %(minutes)d minutes without activity.")
                    % {"minutes": minutes},
                )
            elif not isinstance(last_seen, (int, float)) or now - last_seen >= (
                LAST_SEEN_RESOLUTION
            ):
                request.session[STAFF_LAST_SEEN] = now
        return self.get_response(request)


def start_staff_clock(sender, request, user, **kwargs):
    """user_logged_in: the idle clock starts at the login (so the first request need not
    write the session again). Connected in SodertornConfig.ready."""
    if user.is_staff and request is not None and hasattr(request, "session"):
        request.session[STAFF_LAST_SEEN] = time.time()
