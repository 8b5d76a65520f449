"""A small rate limit kept in the database, so it holds with the cache down and across every
app server: count a key's events in a sliding window, refuse past the limit.

    keys = {"ip": address, "email": email}
    if ratelimit.allow("password_reset", keys, limits={"ip": 10, "email": 3}, window=3600):
        ...

The work is the same whatever the keys are (one delete, one count per key, one insert per
key), so the answer's timing says nothing about them.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateLimitEvent


def key_hash(scope: str, name: str, value: str | None) -> str:
    return salted_hmac(
        "sodertorn.ratelimit", f"{scope}:{name}:{value or ''}", algorithm="sha256"
    ).hexdigest()


def allow(scope: str, keys: dict[str, str | None], *, limits: dict[str, int], window: int) -> bool:
    """True, and the event counted for every key, unless one key already has its limit of
    events in the last `window` seconds (then nothing is counted)."""
    now = timezone.now()
    since = now - timedelta(seconds=window)
    hashes = {name: key_hash(scope, name, value) for name, value in keys.items()}
    with transaction.atomic():
        RateLimitEvent.objects.filter(
            scope__in=[f"{scope}:{name}" for name in hashes], created_at__lt=since
        ).delete()
        over = False
        for name, hashed in hashes.items():
            count = RateLimitEvent.objects.filter(
                scope=f"{scope}:{name}", key=hashed, created_at__gte=since
            ).count()
            over = over or count >= limits[name]  # every key is counted: the same queries
        if over:
            return False
        RateLimitEvent.objects.bulk_create(
            RateLimitEvent(scope=f"{scope}:{name}", key=hashed, created_at=now)
            for name, hashed in hashes.items()
        )
    return True
