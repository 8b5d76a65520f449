from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sodertorn.history_admin import HistoryAdmin
from sodertorn.publishing import set_published
from sodertorn.translation_admin import TranslatedAdmin

from .forms import FilmForm, GalleryImageForm, ResultAttachmentForm
from .models import Film, GalleryImage, Result, ResultAttachment


class ResultAttachmentInline(admin.TabularInline):
    model = ResultAttachment
    form = ResultAttachmentForm
    extra = 0
    readonly_fields = ["content_type", "size"]


@admin.register(Result)
class ResultAdmin(TranslatedAdmin, HistoryAdmin):
    list_display = ["title", "kind", "testbed", "date", "published", "is_demo"]
    list_filter = ["kind", "published", "is_demo", "testbed__municipalities"]
    list_select_related = ["testbed"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["testbed"]
    date_hierarchy = "date"
    inlines = [ResultAttachmentInline]
    # The form's order (the published flag comes from the kernel's abstract model, so the
    # model's own field order would put it first).
    fields = [
        "testbed", "idea_group", "title", "slug", "kind", "summary", "body", "date",
        "published", "is_demo",
    ]  # fmt: skip
    actions = ["publish", "unpublish"]

    @admin.action(description=_("Publish selected items"), permissions=["change"])
    def publish(self, request, queryset):
        self.message_user(
            request,
            _("%(count)d published.") % {"count": set_published(queryset, True, by=request.user)},
        )

    @admin.action(description=_("Unpublish selected items"), permissions=["change"])
    def unpublish(self, request, queryset):
        self.message_user(
            request,
            _("%(count)d unpublished.")
            % {"count": set_published(queryset, False, by=request.user)},
        )


@admin.register(Film)
class FilmAdmin(TranslatedAdmin, HistoryAdmin):
    form = FilmForm
    list_display = ["title", "provider", "duration", "testbed", "result", "published", "is_demo"]
    list_filter = ["provider", "published", "is_demo"]
    list_select_related = ["testbed", "result"]
    search_fields = ["title", "description", "transcript"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["testbed", "result"]
    readonly_fields = ["provider", "video_id"]


@admin.register(GalleryImage)
class GalleryImageAdmin(TranslatedAdmin, HistoryAdmin):
    form = GalleryImageForm
    list_display = ["__str__", "testbed", "order", "credit"]
    list_select_related = ["testbed"]
    list_filter = ["testbed"]
    search_fields = ["alt_text", "caption", "credit", "testbed__title"]
    autocomplete_fields = ["testbed"]
