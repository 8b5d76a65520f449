from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sodertorn.history_admin import HistoryAdmin
from sodertorn.translation_admin import TranslatedAdmin

from . import services
from .forms import ErasureForm, HideForm
from .models import Contribution, DialogueRound, PendingContribution, Response

MODERATION_FIELDS = services.MODERATION_FIELDS


@admin.register(DialogueRound)
class DialogueRoundAdmin(TranslatedAdmin, HistoryAdmin):
    list_display = ["title", "testbed", "stage", "opens_on", "closes_on", "status", "is_demo"]
    list_filter = ["stage", "allows_places", "is_demo", "testbed"]
    list_select_related = ["testbed"]
    search_fields = ["title", "question"]
    prepopulated_fields = {"slug": ["title"]}
    # A plain select for the testbed: the autocomplete would need testbed permissions that
    # the dialogue moderators' group does not have.
    date_hierarchy = "opens_on"

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.get_status_display()


class ResponseInline(admin.StackedInline):
    model = Response
    extra = 1
    fields = ["text", "signed", "author", "is_demo"]
    readonly_fields = ["author"]
    verbose_name = _("answer from the municipality")
    verbose_name_plural = _("answers from the municipality (public)")


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    """Moderation: approve or hide (with a reason) in the list; answers on the change page.

    Residents' own fields are read-only; only moderators may change the moderation fields,
    and nobody but a superuser may delete a contribution (curators hide instead)."""

    list_display = ["__str__", "kind", "round", "created_at", "status", "support_count", "is_demo"]
    list_filter = ["status", "kind", "round", "is_demo"]
    list_select_related = ["round"]
    search_fields = ["text", "name", "area", "place_name", "hidden_reason"]
    date_hierarchy = "created_at"
    inlines = [ResponseInline]
    actions = ["approve", "hide", "erase_personal_data"]
    fields = [
        "round",
        "kind",
        "text",
        "name",
        "area",
        "place_name",
        "latitude",
        "longitude",
        "consent",
        "created_at",
        "support_count",
        "status",
        "hidden_reason",
        "moderated_by",
        "moderated_at",
        "is_demo",
    ]

    def has_moderate_permission(self, request):
        return request.user.has_perm(services.MODERATE_PERMISSION)

    def has_erase_permission(self, request):
        return request.user.has_perm(services.ERASE_PERMISSION)

    def has_add_permission(self, request):
        return False  # contributions come from residents, through the public form

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        readonly = [f for f in self.fields if f not in MODERATION_FIELDS]
        if not self.has_moderate_permission(request):
            readonly += MODERATION_FIELDS
        return readonly

    def save_model(self, request, obj, form, change):
        services.moderate(obj, by=request.user, changed_fields=form.changed_data)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for response in formset.save(commit=False):
            if response.author_id is None:
                response.author = request.user
            response.save()
        for response in formset.deleted_objects:
            response.delete()

    @admin.action(description=_("Approve selected contributions"), permissions=["moderate"])
    def approve(self, request, queryset):
        count = services.approve(queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d contribution approved.", "%(count)d contributions approved.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Hide selected contributions (with a reason)"), permissions=["moderate"]
    )
    def hide(self, request, queryset):
        form = HideForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                count = services.hide(queryset, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_error("reason", exc)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d contribution hidden.", "%(count)d contributions hidden.", count
                    )
                    % {"count": count},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Hide contributions"),
            "opts": self.model._meta,
            "form": form,
            "objects": queryset.select_related("round"),
            "action": "hide",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/dialogue/hide.html", context)

    @admin.action(
        description=_("Erase name and area of selected contributions (on request)"),
        permissions=["erase"],
    )
    def erase_personal_data(self, request, queryset):
        """A contributor's request: their name and area go, the text stays. Irreversible, so
        the curator confirms on an intermediate page and gives the request's reference."""
        form = ErasureForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = services.erase_personal_data(
                queryset, by=request.user, reason=form.cleaned_data["reason"]
            )
            self.message_user(
                request,
                ngettext(
                    "Name and area erased from %(count)d contribution.",
                    "Name and area erased from %(count)d contributions.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase personal data"),
            "opts": self.model._meta,
            "form": form,
            "objects": queryset.select_related("round"),
            "action": "erase_personal_data",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/dialogue/erase_personal_data.html", context)


@admin.register(PendingContribution)
class PendingContributionAdmin(ContributionAdmin):
    """The moderation queue: only contributions awaiting a moderator, oldest first."""

    list_display = ["__str__", "kind", "round", "created_at", "name", "area"]
    list_filter = ["kind", "round"]
    ordering = ["created_at", "id"]
    date_hierarchy = None

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Contribution.Status.PENDING)
