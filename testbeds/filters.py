import django_filters
from django import forms
from django.core.validators import validate_slug
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields

from sodertorn.content_language import localized
from sodertorn.forms import FastCheckboxSelectMultiple, FastNumberInput, FastSelect, FastTextInput

from .models import Municipality, Testbed, TestbedStatus, Theme

MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_CHOSEN = 50  # more values than the portal has municipalities or themes: none is looked up


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


class ListModelChoiceIterator(filter_fields.ModelChoiceIterator):
    """django-filter's choices of a model choice field, its queryset read as a plain query:
    Django reads it through ``iterator()``, on PostgreSQL a server-side cursor and three
    round trips more, for the catalogue's eight municipalities and nine themes."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListModelMultipleChoiceField(filter_fields.ModelMultipleChoiceField):
    """Several slugs (``?municipality=botkyrka&municipality=haninge``), each checked. An empty
    value is no choice (the old single-choice form sent ``municipality=`` for all, and links
    made from it still do); a value that is not a slug, or more values than there can be
    choices, is an unknown choice without a query."""

    iterator = ListModelChoiceIterator

    def clean(self, value):
        if isinstance(value, str):  # a plain dict's single value
            value = [value]
        if isinstance(value, (list, tuple)):
            value = [item for item in value if item != ""]
        return super().clean(value)

    def _check_values(self, value):
        """The chosen rows, read with one query; Django's own check also builds a queryset
        per value to catch values its lookup refuses (a slug is never one)."""
        chosen = {str(item) for item in value}
        if len(chosen) > MAX_CHOSEN:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        for item in sorted(chosen):
            try:
                validate_slug(item)
            except forms.ValidationError:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item[:100]},
                ) from None
        key = self.to_field_name or "pk"
        rows = list(self.queryset.filter(**{f"{key}__in": chosen}))
        missing = chosen - {str(getattr(row, key)) for row in rows}
        if missing:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": min(missing)},
            )
        return rows


class AnyOfFilter(django_filters.ModelMultipleChoiceFilter):
    """Testbeds related to any of the chosen rows (OR within the field; the FilterSet's other
    filters narrow further, AND across fields). Written as a subquery on the many-to-many
    field's through table: the catalogue's own query has no join, so a testbed in two of the
    chosen municipalities is one row, with no DISTINCT over its columns."""

    field_class = ListModelMultipleChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        field = qs.model._meta.get_field(self.field_name)
        links = field.remote_field.through.objects.filter(
            **{f"{field.m2m_reverse_field_name()}__in": [item.pk for item in value]}
        )
        return qs.filter(pk__in=links.values(field.m2m_field_name()))


class TestbedFilter(django_filters.FilterSet):
    """The catalogue's filters, shared by the list page, the GeoJSON, the CSV and the API.
    Municipality and theme take several values each: testbeds in any of the municipalities
    and with any of the themes (issue 15)."""

    # The default order (issue 17): the programme's real testbeds before the invented examples
    # (is_demo), and within each, newest first; the same for the page, the GeoJSON, the CSV,
    # the API and the home page. DEFAULT_SORT names it.
    DEFAULT_SORT = "real"
    SORT_CHOICES = [
        ("real", _("Real testbeds first, then examples")),
        ("newest", _("Newest first")),
        ("title", _("Title (A–Ö)")),
        ("start", _("Start date")),
    ]
    SORT_ORDER = {
        "real": ("is_demo", "-created_at", "-id"),
        "newest": ("-created_at", "-id"),
        "title": ("title", "id"),
        "start": ("start_date", "title", "id"),
    }

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=200,
        widget=FastTextInput(attrs={"type": "search"}),
    )
    municipality = AnyOfFilter(
        label=_("Municipality"),
        field_name="municipalities",
        to_field_name="slug",
        queryset=Municipality.objects.only("name", "slug"),
        widget=FastCheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown municipality: choose one from the list.")},
    )
    theme = AnyOfFilter(
        label=_("Theme"),
        field_name="themes",
        to_field_name="slug",
        queryset=Theme.objects.only("name", "slug"),
        widget=FastCheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown theme: choose one from the list.")},
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=TestbedStatus.choices,
        empty_label=_("All statuses"),
        widget=FastSelect,
        error_messages={"invalid_choice": _("Unknown status: choose one from the list.")},
    )
    year = YearFilter(
        label=_("Active in year"),
        method="filter_year",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={"invalid": _("Write the year as four digits, for example 2016.")},
        widget=FastNumberInput(attrs={"inputmode": "numeric"}),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        widget=FastSelect,
        method="sort_by",
        empty_label=None,
        error_messages={"invalid_choice": _("Unknown sort order: choose one from the list.")},
    )

    class Meta:
        model = Testbed
        fields = ["q", "municipality", "theme", "status", "year", "sort"]

    def filter_text(self, queryset, name, value):
        # Lower() on both sides: case-insensitive for å, ä, ö too (SQLite's LIKE folds only
        # ASCII; sodertorn.db gives SQLite a Unicode-aware lower()).
        queryset = queryset.alias(
            _title=Lower("title"), _question=Lower("question"), _summary=Lower("summary")
        )
        for word in value.lower().split()[:10]:
            queryset = queryset.filter(
                Q(_title__contains=word) | Q(_question__contains=word) | Q(_summary__contains=word)
            )
        return queryset

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_date__year__lte=value).filter(
            Q(end_date__isnull=True) | Q(end_date__year__gte=value)
        )

    def sort_by(self, queryset, name, value):
        order = self.SORT_ORDER.get(value, self.SORT_ORDER[self.DEFAULT_SORT])
        # By the title shown: the English one, or the Swedish where it has none.
        return queryset.order_by(*(localized(f) if f == "title" else f for f in order))

    def get_form_class(self):
        """The form class, built once per FilterSet class (django-filter builds it, with a
        field per filter, for every FilterSet): no filter here depends on the request."""
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.is_bound or not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*self.SORT_ORDER[self.DEFAULT_SORT])
        return queryset
