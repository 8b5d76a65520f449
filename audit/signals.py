"""Signal receivers that write the audit log: logins, lockouts, group and permission changes,
staff and superuser flips, deletes of content, and publishing through ``save()``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from .models import Action
from .services import record, record_publishing

# Apps whose deletes are logged (content); history records and search rows are left out.
CONTENT_APPS = (
    "testbeds",
    "collaboration",
    "ideagroups",
    "results",
    "indicators",
    "opendata",
    "dialogue",
    "competences",
)
STAFF_FIELDS = ("is_staff", "is_superuser", "is_active")


def on_login(sender, request, user, **kwargs):
    record(Action.LOGIN, user, user=user, request=request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    record(Action.LOGIN_FAILED, username=username, request=request, details={"username": username})


def on_locked_out(sender, request, username, ip_address, **kwargs):
    username = str(username or "")[:150]
    record(Action.LOCKED_OUT, username=username, request=request, details={"username": username})


def _names(model, pk_set) -> list[str]:
    if not pk_set:
        return []
    objects = model._default_manager.filter(pk__in=pk_set)
    if model is Permission:
        return sorted(
            f"{p.content_type.app_label}.{p.codename}"
            for p in objects.select_related("content_type")
        )
    return sorted(str(obj) for obj in objects)


def _on_m2m(field: str, action_name: str):
    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action == "pre_clear":
            # Keep what is about to go: post_clear has no pk_set.
            instance._audit_cleared = _cleared_ids(sender, instance)
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if action == "post_clear":
            pk_set = getattr(instance, "_audit_cleared", set())
        if not pk_set:
            return
        record(
            action_name,
            instance,
            details={
                "field": field if not reverse else f"{field} (from {model._meta.model_name})",
                "change": action.removeprefix("post_"),
                "ids": sorted(pk_set),
                "names": _names(model, pk_set),
            },
        )

    return receiver


def _cleared_ids(through, instance) -> set:
    """What a clear() is about to remove (post_clear has no pk_set)."""
    fks = [f for f in through._meta.fields if f.is_relation]
    source = next(f for f in fks if isinstance(instance, f.related_model))
    target = next(f for f in fks if f is not source)
    return set(
        through.objects.filter(**{source.attname: instance.pk}).values_list(
            target.attname, flat=True
        )
    )


def on_user_pre_save(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and not set(update_fields) & set(STAFF_FIELDS):
        return  # e.g. the last_login update at every login
    if instance.pk is None:
        instance._audit_staff_before = None
        return
    instance._audit_staff_before = (
        sender._default_manager.filter(pk=instance.pk).values(*STAFF_FIELDS).first()
    )


def on_user_post_save(sender, instance, created, **kwargs):
    if not hasattr(instance, "_audit_staff_before"):
        return
    before = instance._audit_staff_before or dict.fromkeys(STAFF_FIELDS, False)
    del instance._audit_staff_before
    after = {name: getattr(instance, name) for name in STAFF_FIELDS}
    if created:
        before = {**before, "is_active": after["is_active"]}  # a new account: only staff flags
    changed = {
        name: [before[name], after[name]] for name in STAFF_FIELDS if before[name] != after[name]
    }
    if changed:
        record(Action.STAFF_STATUS, instance, details={"changed": changed, "created": created})


def safe_repr(instance) -> str:
    try:
        return str(instance)[:200]
    except Exception:  # e.g. a __str__ that follows a relation deleted in the same cascade
        return f"{instance._meta.verbose_name} #{instance.pk}"


def on_pre_delete(sender, instance, **kwargs):
    # Before anything of the cascade is gone: __str__ may follow relations.
    instance._audit_repr = safe_repr(instance)


def on_delete(sender, instance, **kwargs):
    record(
        Action.DELETE,
        instance,
        object_repr=getattr(instance, "_audit_repr", "") or safe_repr(instance),
    )


def on_history_record(sender, instance, history_instance, **kwargs):
    """Publishing and unpublishing through ``save()`` (admin forms, services): compare the
    ``published`` flag with the object's previous history record."""
    if "published" not in {f.name for f in type(instance)._meta.concrete_fields}:
        return
    if history_instance.history_type == "-":
        return
    previous = history_instance.prev_record
    before = previous.published if previous is not None else False
    if before != instance.published:
        record(Action.PUBLISH if instance.published else Action.UNPUBLISH, instance)


def on_published_changed(sender, records, published, user=None, **kwargs):
    """Publishing or unpublishing in bulk (sodertorn.publishing.set_published)."""
    record_publishing(records, published=published, user=user)


def on_version_restored(sender, instance, request, version, was_deleted, **kwargs):
    """An earlier version, or a deleted object, saved back from the history admin."""
    record(
        Action.RESTORE,
        instance,
        request=request,
        details={"version": version, "was_deleted": was_deleted},
    )


def connect() -> None:
    from django.apps import apps
    from simple_history.models import HistoricalChanges
    from simple_history.signals import post_create_historical_record

    from sodertorn import signals as kernel

    kernel.published_changed.connect(on_published_changed, dispatch_uid="audit:published")
    kernel.version_restored.connect(on_version_restored, dispatch_uid="audit:restored")
    user_logged_in.connect(on_login, dispatch_uid="audit:login")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit:login-failed")
    try:
        from axes.signals import user_locked_out
    except ImportError:  # pragma: no cover (axes is installed with the project)
        pass
    else:
        user_locked_out.connect(on_locked_out, dispatch_uid="audit:locked-out")

    User = get_user_model()
    m2m_changed.connect(
        _on_m2m("groups", Action.GROUPS),
        sender=User.groups.through,
        weak=False,
        dispatch_uid="audit:groups",
    )
    m2m_changed.connect(
        _on_m2m("user_permissions", Action.PERMISSIONS),
        sender=User.user_permissions.through,
        weak=False,
        dispatch_uid="audit:user-permissions",
    )
    m2m_changed.connect(
        _on_m2m("permissions", Action.PERMISSIONS),
        sender=Group.permissions.through,
        weak=False,
        dispatch_uid="audit:group-permissions",
    )
    pre_save.connect(on_user_pre_save, sender=User, dispatch_uid="audit:user-pre-save")
    post_save.connect(on_user_post_save, sender=User, dispatch_uid="audit:user-post-save")
    post_delete.connect(on_delete, sender=User, dispatch_uid="audit:delete:user")
    post_delete.connect(on_delete, sender=Group, dispatch_uid="audit:delete:group")

    for label in CONTENT_APPS:
        try:
            app_config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in app_config.get_models():
            if issubclass(model, HistoricalChanges):
                continue
            label = model._meta.label_lower
            pre_delete.connect(on_pre_delete, sender=model, dispatch_uid=f"audit:pre:{label}")
            post_delete.connect(on_delete, sender=model, dispatch_uid=f"audit:delete:{label}")
    post_create_historical_record.connect(on_history_record, dispatch_uid="audit:published")
