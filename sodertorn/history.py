"""History of content changes (django-simple-history), model side.

Models declare ``history = History(...)``: every save, delete and many-to-many change of them
writes a history record with the user (HistoryRequestMiddleware), the time and the whole row,
so the admin shows field-level differences and restores any version, including deleted
objects (sodertorn/history_admin.py). Files keep their name only (the file is not copied).

``update()`` and other bulk writes send no signals: call ``record_changes`` after them.
Indicator observations have no per-row history; each import is in the audit log instead.

The history models are built once every app is loaded and the translated fields exist
(``build_history_models``, called by sodertorn.apps.ModeltranslationConfig after the
``translation`` modules have registered): then a history record keeps ``title_sv`` and
``title_en`` too, and a restore brings back both languages (issue 16).
"""

from collections import defaultdict

from django.utils import timezone
from django.utils.module_loading import import_string
from modeltranslation.fields import TranslationField
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_field_name

# (History, model) pairs whose history model waits for build_history_models(); None once built.
_waiting: list | None = []


def build_history_models():
    """Build the history models put off until now, in the order their models were loaded."""
    global _waiting
    waiting, _waiting = _waiting, None
    for records, sender in waiting or ():
        records.build(sender)


class History(HistoricalRecords):
    """HistoricalRecords that can also be reached from the model (``record_changes``)."""

    def finalize(self, sender, **kwargs):
        if _waiting is not None:
            if isinstance(sender, type) and issubclass(sender, self.cls):
                _waiting.append((self, sender))
            return
        self.build(sender)

    def copy_fields(self, model):
        """The model's fields for its history model; a translated field (``title_en``) as the
        plain field it translates, without its uniqueness (a history repeats values)."""
        fields = super().copy_fields(model)
        for name, field in fields.items():
            if isinstance(field, TranslationField):
                _name, path, args, kwargs = field.deconstruct()
                kwargs["unique"] = False
                plain = import_string(path)(*args, **kwargs)
                plain.name = name
                fields[name] = plain
        return fields

    def build(self, sender):
        if self.cls is not sender and sender._meta.proxy and issubclass(sender, self.cls):
            # A proxy (e.g. SubmittedWorkEntry) shares the history of its concrete model.
            sender._meta.simple_history_manager_attribute = self.manager_name
            sender._meta.history_records = self
            return
        super().finalize(sender)
        if self.cls is sender:
            sender._meta.history_records = self


def is_tracked(model) -> bool:
    return getattr(model._meta, "history_records", None) is not None


def record_changes(model, pks, *, history_type: str = "~", user=None) -> list:
    """Write a history record for each of these rows as they are now (after an ``update()``),
    with their many-to-many links, in a few queries whatever the count; returns the records.
    (No ``post_create_historical_record`` signal is sent: the caller logs what it did.)"""
    if not is_tracked(model) or not pks:
        return []
    records = model._meta.history_records
    history_model = model.history.model
    instances = list(model._default_manager.filter(pk__in=list(pks)).order_by("pk"))
    if not instances:
        return []
    if user is None or not getattr(user, "pk", None):
        user = records.get_history_user(instances[0])
    now = timezone.now()
    fields = records.fields_included(instances[0])
    created = history_model.objects.bulk_create(
        [
            history_model(
                history_date=now,
                history_type=history_type,
                history_user=user,
                history_change_reason=None,
                **{field.attname: getattr(instance, field.attname) for field in fields},
            )
            for instance in instances
        ]
    )
    if any(record.pk is None for record in created):  # a backend that returns no ids
        created = list(history_model.objects.filter(history_date=now, history_type=history_type))
    pk_name = model._meta.pk.attname
    for field in history_model._history_m2m_fields:
        m2m_history_model = records.m2m_models[field]
        through = field.remote_field.through
        source = get_m2m_field_name(field)
        names = [f.attname for f in through._meta.fields]
        links = defaultdict(list)
        for row in through.objects.filter(**{f"{source}_id__in": [i.pk for i in instances]}):
            links[getattr(row, f"{source}_id")].append(row)
        m2m_history_model.objects.bulk_create(
            m2m_history_model(history=record, **{name: getattr(row, name) for name in names})
            for record in created
            for row in links[getattr(record, pk_name)]
        )
    return created
