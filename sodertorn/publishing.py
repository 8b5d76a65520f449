"""Publishing, shared by every model the public sees only once it is published.

- ``Publishable``: an abstract model with the ``published`` flag and the QuerySet below.
  A model shown *through* other publishable models names those relations in
  ``publish_parents``; its rule is then its own flag AND each parent's rule, taken from the
  parent's own QuerySet (a nullable relation: no parent, or a published one). So a result is
  public only with its testbed, and a film only with its testbed and its result (and so the
  result's testbed): one rule, written once, followed down the chain.
- ``PublishableQuerySet``: ``published()`` (what the public sees), ``visible_to(user)``
  (the same, plus unpublished rows for staff) and ``published_q(prefix)`` (the rule as a
  ``Q``, to apply it through a relation: ``Result.objects.published_q("result__")``).
- ``set_published(objects, published, *, by=None)``: the publish write for any of them,
  with its history record, audit entry and cache refresh.
"""

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import signals


def can_see_unpublished(user) -> bool:
    """Who sees unpublished content on the public pages (to check it before publishing)."""
    return bool(user is not None and user.is_authenticated and user.is_staff)


class PublishableQuerySet(models.QuerySet):
    def published_q(self, prefix: str = "") -> Q:
        """The public rule of this model as a ``Q``, through ``prefix`` (e.g. ``"result__"``)."""
        rule = Q(**{f"{prefix}published": True})
        for name in getattr(self.model, "publish_parents", ()):
            field = self.model._meta.get_field(name)
            parent = field.related_model._default_manager.published_q(f"{prefix}{name}__")
            if field.null:
                parent = Q(**{f"{prefix}{name}__isnull": True}) | parent
            rule &= parent
        return rule

    def published(self):
        """The one visibility rule for the public: every page, feed and export uses it."""
        return self.filter(self.published_q())

    def visible_to(self, user):
        """Published rows, plus unpublished ones for staff."""
        if can_see_unpublished(user):
            return self.all()
        return self.published()


class Publishable(models.Model):
    """Abstract: a ``published`` flag and ``objects`` with the publishing QuerySet.

    A child with its own QuerySet subclasses ``PublishableQuerySet``."""

    # Relations (field names) to publishable models this one is shown through.
    publish_parents: tuple[str, ...] = ()

    published = models.BooleanField(_("published"), default=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True


def _as_queryset(objects, model=None):
    if isinstance(objects, models.QuerySet):
        return objects
    objects = list(objects)
    if not objects:
        return None
    model = model or type(objects[0])
    return model._default_manager.filter(pk__in=[obj.pk for obj in objects])


@transaction.atomic
def set_published(objects, published: bool, *, by=None) -> int:
    """Publish or unpublish a QuerySet or a list of objects of one publishable model;
    returns how many changed (``updated_at`` is bumped where the model has it).

    Each changed object gets a history record, and ``sodertorn.signals.published_changed`` is
    sent with them (the audit log writes an entry per object, by ``by``, else the request's
    user), and the cached public pages are refreshed: ``update()`` sends no
    model signals."""
    # Imported here: models import this module while the apps load.
    from sodertorn.cache import areas_of, content_changed
    from sodertorn.history import record_changes

    queryset = _as_queryset(objects)
    if queryset is None:
        return 0
    model = queryset.model
    ids = list(queryset.exclude(published=published).values_list("pk", flat=True))
    values = {"published": published}
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        values["updated_at"] = timezone.now()
    changed = (
        model._default_manager.filter(pk__in=ids).exclude(published=published).update(**values)
    )
    if changed:
        content_changed(areas=areas_of(model))
        # A history record per object, in a few queries; the audit log hears of them.
        records = record_changes(model, ids, user=by)
        signals.published_changed.send(model, records=records, published=published, user=by)
    return changed
