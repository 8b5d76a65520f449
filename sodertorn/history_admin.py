"""History in the admin: each object's change history with field-level differences, revert
to any version, and "Restore deleted" for objects that no longer exist.

Use ``HistoryAdmin`` instead of ``admin.ModelAdmin`` for a model with ``history = History()``.
Seeing the history follows the model's view or change permission; reverting and restoring
follow its change permission.
"""

from collections import Counter

from django.contrib import messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import NestedObjects, unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import router
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_m2m_reverse_field_name

from . import signals

DELETED_PER_PAGE = 50


class HistoryAdmin(SimpleHistoryAdmin):
    change_list_template = "admin/history/change_list.html"

    def get_action_choices(
        self, request, default_choices=None, action_location=ActionLocation.CHANGE_LIST
    ):
        """The action menu's empty choice says what the menu is for, not Django's generic
        "- Select an option -"."""
        if default_choices is None:
            default_choices = [("", _("Choose an action"))]
        return super().get_action_choices(request, default_choices, action_location)

    # Deleting -----------------------------------------------------------------------------

    def get_deleted_objects(self, objs, request):
        """Refused deletes (on_delete=PROTECT) list what is in the way by kind and count,
        not one line per row (a municipality can have thousands of observations)."""
        protected = protected_summary(objs, using=router.db_for_write(self.model))
        if protected:
            return [], {}, set(), protected
        return super().get_deleted_objects(objs, request)

    # URLs and the change list -------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="{}_{}_deleted".format(*info),
            ),
            *super().get_urls(),
        ]

    def deleted_url(self) -> str:
        info = self.admin_site.name, self.opts.app_label, self.opts.model_name
        return reverse("{}:{}_{}_deleted".format(*info))

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if self.has_change_permission(request):
            extra_context["deleted_url"] = self.deleted_url()  # no query: list counts unchanged
        return super().changelist_view(request, extra_context)

    # Deleted objects ----------------------------------------------------------------------

    def deleted_records(self):
        """For each deleted object (deleted and not restored since), its last version before
        the delete and the delete record, newest delete first."""
        history = self.model.history
        pk_name = self.opts.pk.attname
        live = self.model._default_manager.values(pk_name)
        deletes = (
            history.filter(history_type="-")
            .exclude(**{f"{pk_name}__in": live})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        latest_delete = {}
        for entry in deletes:
            latest_delete.setdefault(getattr(entry, pk_name), entry)
        versions = {}
        before = (
            history.filter(**{f"{pk_name}__in": list(latest_delete)})
            .exclude(history_type="-")
            .order_by("-history_date", "-history_id")
        )
        for version in before:
            versions.setdefault(getattr(version, pk_name), version)
        return [(versions[pk], deleted) for pk, deleted in latest_delete.items() if pk in versions]

    def deleted_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        info = self.admin_site.name, self.opts.app_label, self.opts.model_name
        page = Paginator(self.deleted_records(), DELETED_PER_PAGE).get_page(request.GET.get("p"))
        rows = [
            {
                "object": str(version.instance),
                "object_id": getattr(version, self.opts.pk.attname),
                "deleted_at": deleted.history_date,
                "deleted_by": deleted.history_user,
                "restore_url": reverse(
                    "{}:{}_{}_simple_history".format(*info),
                    args=(getattr(version, self.opts.pk.attname), version.history_id),
                ),
            }
            for version, deleted in page.object_list
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Restore deleted %(name)s") % {"name": self.opts.verbose_name_plural},
            "subtitle": None,
            "opts": self.opts,
            "module_name": capfirst(self.opts.verbose_name_plural),
            "rows": rows,
            "page_obj": page,
            "changelist_url": reverse("{}:{}_{}_changelist".format(*info)),
        }
        return TemplateResponse(request, "admin/history/deleted.html", context)

    # Reverting and restoring ---------------------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            # simple-history lets anyone who may view the history post the revert form.
            obj = self.model._default_manager.filter(pk=unquote(object_id)).first()
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
        # The form's many-to-many fields start from the version, not from today's rows.
        request._history_version = (object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        version_ids = getattr(request, "_history_version", None)
        if version_ids is None:
            return form_class
        version = self.model.history.filter(history_id=version_ids[1]).first()
        if version is None:
            return form_class
        m2m_initial = {}
        for field in version._history_m2m_fields:
            if field.name in form_class.base_fields:
                m2m_initial[field.name] = list(
                    getattr(version, field.name).values_list(
                        get_m2m_reverse_field_name(field), flat=True
                    )
                )

        class VersionForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name, value in m2m_initial.items():
                    self.initial[name] = value

        VersionForm.__name__ = form_class.__name__
        return VersionForm

    def save_model(self, request, obj, form, change):
        restoring = (
            getattr(request, "_history_version", None) is not None
            and not self.model._default_manager.filter(pk=obj.pk).exists()
        )
        super().save_model(request, obj, form, change)
        if getattr(request, "_history_version", None) is not None:
            signals.version_restored.send(
                self.model,
                instance=obj,
                request=request,
                version=request._history_version[1],
                was_deleted=restoring,
            )
            if restoring:
                self.message_user(
                    request,
                    _("The deleted %(name)s “%(obj)s” was restored.")
                    % {"name": self.opts.verbose_name, "obj": obj},
                    messages.SUCCESS,
                )


def protected_summary(objs, *, using: str = "default") -> list[str]:
    """What stops these objects from being deleted, one line per kind:
    ["3,319 observations: move or delete them first."]; empty when nothing does."""
    collector = NestedObjects(using=using)
    collector.collect(objs)
    if not collector.protected:
        return []
    counts = Counter(type(obj) for obj in collector.protected)
    return [
        protected_line(model, count)
        for model, count in sorted(counts.items(), key=lambda item: item[0]._meta.label)
    ]


def protected_line(model, count: int) -> str:
    name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
    return ngettext(
        "%(count)s %(name)s is linked to it: move or delete it first, on purpose.",
        "%(count)s %(name)s are linked to it: move or delete them first, on purpose.",
        count,
    ) % {"count": f"{count:,}".replace(",", "\u00a0"), "name": name}
