"""Both languages side by side in the admin, and what still needs English (issue 16).

``TranslatedAdmin`` goes before ``HistoryAdmin`` in a translated model's admin: each
translated field is shown as its Swedish and English pair (modeltranslation's
``TranslationAdmin``, without its tabs: those load jQuery UI from a CDN, which the CSP
forbids); the changelist gets a "Needs English" filter and column. The curator's page
"What still needs English" (``needs_english_view``, linked from the admin index) counts the
items per model and links to each filtered changelist.
"""

from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TranslationAdmin

from .content_language import content_language, translated_fields

PARAMETER = "needs_english"
ENGLISH = "en"


def _empty(name):
    return Q(**{f"{name}__isnull": True}) | Q(**{name: ""})


def needs_english_q(model) -> Q | None:
    """Rows with a field written in Swedish whose English is missing; None for a model
    without translated fields."""
    parts = [
        ~_empty(f"{field}_{content_language()}") & _empty(f"{field}_{ENGLISH}")
        for field in translated_fields(model)
    ]
    return reduce(or_, parts) if parts else None


def needs_english(obj) -> bool:
    """The same question for one loaded object (no query)."""
    return any(
        getattr(obj, f"{field}_{content_language()}", None)
        and not getattr(obj, f"{field}_{ENGLISH}", None)
        for field in translated_fields(type(obj))
    )


class NeedsEnglishFilter(admin.SimpleListFilter):
    title = gettext_lazy("English")
    parameter_name = PARAMETER

    def lookups(self, request, model_admin):
        return [("yes", _("Needs English")), ("no", _("Has English"))]

    def queryset(self, request, queryset):
        missing = needs_english_q(queryset.model)
        if missing is None or self.value() not in ("yes", "no"):
            return queryset
        return queryset.filter(missing) if self.value() == "yes" else queryset.exclude(missing)


class TranslatedErrorsForm:
    """A form mixin: an error a model's ``clean()`` raises for a translated field (``cover_alt``)
    goes to that field's Swedish input (``cover_alt_sv``), which is the one the admin form has.
    Without it Django's ``add_error`` raises ValueError, and the curator gets a 500 where the
    message belongs."""

    def _form_field_name(self, name):
        if name is None or name == NON_FIELD_ERRORS or name in self.fields:
            return name
        swedish = f"{name}_{content_language()}"
        return swedish if swedish in self.fields else name

    def add_error(self, field, error):
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            error = ValidationError(
                {self._form_field_name(name): errors for name, errors in error.error_dict.items()}
            )
        else:
            field = self._form_field_name(field)
        super().add_error(field, error)


class TranslatedAdmin(TranslationAdmin):
    """Paired Swedish and English fields, the "Needs English" filter and column (without them
    where ``show_needs_english`` is False: a work queue whose task is something else)."""

    show_needs_english = True

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if issubclass(form, TranslatedErrorsForm):
            return form
        return type(form.__name__, (TranslatedErrorsForm, form), {"__module__": form.__module__})

    def get_list_filter(self, request):
        extra = (NeedsEnglishFilter,) if self.show_needs_english else ()
        return (*super().get_list_filter(request), *extra)

    def get_list_display(self, request):
        extra = ("needs_english_column",) if self.show_needs_english else ()
        return (*super().get_list_display(request), *extra)

    @admin.display(description=gettext_lazy("Needs English"), boolean=True)
    def needs_english_column(self, obj):
        return needs_english(obj)


def translated_admins(site):
    """The translated models registered on ``site`` with their admins, in the index's order."""
    found = [
        (model, model_admin)
        for model, model_admin in site._registry.items()
        if isinstance(model_admin, TranslatedAdmin) and not model._meta.proxy
    ]
    return sorted(found, key=lambda item: (item[0]._meta.app_label, item[0]._meta.model_name))


def needs_english_rows(request, site):
    """Per translated model the user may see: its name, how many items need English, and the
    filtered changelist's address. One count query per model."""
    rows = []
    for model, model_admin in translated_admins(site):
        if not model_admin.has_view_or_change_permission(request):
            continue
        opts = model._meta
        try:
            url = reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:
            continue
        rows.append(
            {
                "name": capfirst(opts.verbose_name_plural),
                "app": opts.app_config.verbose_name,
                "count": model._default_manager.filter(needs_english_q(model)).count(),
                "total": model._default_manager.count(),
                "url": f"{url}?{PARAMETER}=yes",
            }
        )
    return rows


def needs_english_view(request, site):
    rows = needs_english_rows(request, site)
    if not rows:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    context = {
        **site.each_context(request),
        "title": _("What still needs English"),
        "subtitle": None,
        "rows": rows,
        "languages": dict(settings.LANGUAGES),
    }
    return TemplateResponse(request, "admin/needs_english.html", context)
