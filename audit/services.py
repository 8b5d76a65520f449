"""Writing the audit log. Call ``record`` where something worth keeping happens; the request
(for the user and address) is found from the middleware when it is not given."""

import functools
import logging
from ipaddress import ip_address

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Action, AuditEntry

logger = logging.getLogger(__name__)


def current_request():
    """The request being served in this thread, if any (set by simple-history's middleware)."""
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


def _address(request) -> str | None:
    if request is None:
        return None
    from sodertorn.throttle import client_ip

    address = client_ip(request)
    try:
        return str(ip_address(address)) if address else None
    except ValueError:
        return None


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    user=None,
    username: str = "",
    request=None,
    details: dict | None = None,
    model: type[models.Model] | None = None,
    object_repr: str = "",
) -> AuditEntry:
    """Store one audit entry: who (the given user, else the request's), what, on which object."""
    request = request if request is not None else current_request()
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    if user is not None and not getattr(user, "pk", None):
        user = None
    content_type = None
    object_id = ""
    if obj is not None:
        model = type(obj)
        object_id = str(obj.pk) if obj.pk is not None else ""
        object_repr = object_repr or str(obj)
    if model is not None:
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return AuditEntry.objects.create(
        action=action,
        user=user,
        username=username or (user.get_username() if user is not None else ""),
        content_type=content_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        address=_address(request),
        details=details or {},
    )


def record_many(action: str, objects, *, request=None, user=None, details=None) -> int:
    """The same entry for many objects (a bulk action), written in one query."""
    objects = list(objects)
    if not objects:
        return 0
    request = request if request is not None else current_request()
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    content_type = ContentType.objects.get_for_model(type(objects[0]), for_concrete_model=False)
    address = _address(request)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            action=action,
            user=user,
            username=user.get_username() if user is not None else "",
            content_type=content_type,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            address=address,
            details=details or {},
        )
        for obj in objects
    )
    return len(objects)


def record_publishing(records, *, published: bool, user=None) -> int:
    """Publishing or unpublishing through ``update()``: one entry per object (from the history
    records ``sodertorn.history.record_changes`` wrote for them), by ``user`` if given."""
    action = Action.PUBLISH if published else Action.UNPUBLISH
    return record_many(
        action,
        [record.instance for record in records],
        user=user,
        details={"published": published},
    )


def record_moderation(action: str, contributions, *, by, reason: str = "") -> None:
    """Approving or hiding dialogue contributions: one entry for the batch, with their ids.
    Called just before the ``update()`` (afterwards a queryset filtered by status would
    no longer find them)."""
    if action == Action.APPROVE:
        contributions = contributions.exclude(status="approved")  # those approve() changes
    ids = sorted(contributions.values_list("pk", flat=True))
    if not ids:
        return
    details = {"count": len(ids), "ids": ids}
    if reason:
        details["reason"] = reason
    record(
        action,
        user=by,
        model=contributions.model,
        object_repr=", ".join(f"#{pk}" for pk in ids[:20]),
        details=details,
    )


def record_erasure(model: type[models.Model], ids, *, by=None, reason: str = "") -> None:
    """Personal data erased (a contributor's request, or the automatic removal after the
    retention time when ``by`` is None): one entry for the batch with the rows' ids and the
    request's reference, never the data that was erased."""
    ids = sorted(ids)
    if not ids:
        return
    details = {"count": len(ids), "ids": ids, "automatic": by is None}
    if reason:
        details["reason"] = reason
    record(
        Action.ERASE,
        user=by,
        model=model,
        object_repr=", ".join(f"#{pk}" for pk in ids[:20]),
        details=details,
    )


def record_import(report, *, model: type[models.Model], name: str = "") -> None:
    """One entry per data import (dry runs and refused files too), with the row counts.
    ``model`` is what the import writes (the indicator import: its observations)."""
    details = {
        "file": name,
        "format": getattr(report, "format", ""),
        "dry_run": bool(getattr(report, "dry_run", False)),
        "written": bool(getattr(report, "written", False)),
        "ok": bool(report.ok),
        "rows": getattr(report, "rows", 0),
        "created": getattr(report, "created", 0),
        "updated": getattr(report, "updated", 0),
        "unchanged": getattr(report, "unchanged", 0),
        "errors": len(getattr(report, "errors", [])),
    }
    record(Action.IMPORT, model=model, object_repr=name[:200], details=details)


def audited_import(model: type[models.Model]):
    """Decorator for an import function writing ``model`` rows (the indicator import:
    ``@audited_import(Observation)``): one entry per call, written after it returns (outside
    its transaction, so refused files and dry runs are kept too). The importing app names its
    model, so this app imports none of the apps it audits."""

    def decorator(import_function):
        @functools.wraps(import_function)
        def wrapper(*args, **kwargs):
            report = import_function(*args, **kwargs)
            try:
                record_import(report, model=model, name=kwargs.get("name", ""))
            except Exception:  # the import itself succeeded; a log failure must not undo it
                logger.exception("Could not write the audit entry of an import")
            return report

        return wrapper

    return decorator


def record_status_change(model, pk, before: str, after: str, published: str, by=None) -> None:
    """A status change through ``update()`` (the idea groups' work entries): a history record
    of the row, and an audit entry when it was published or taken down."""
    from sodertorn.history import record_changes

    record_changes(model, [pk], user=by)
    if published not in (before, after):
        return
    obj = model._default_manager.filter(pk=pk).first()
    if obj is not None:
        action = Action.PUBLISH if after == published else Action.UNPUBLISH
        record(action, obj, user=by, details={"from": before, "to": after})
