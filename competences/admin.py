"""Curators keep the vocabulary and the links on the competence's admin page: the testbeds
that need it, the actors that have it, and (declared by themselves) the members who have it.

The links are not inlines on the testbed and actor forms: those apps' admins (and the tests
that post their forms) stay as they are."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from sodertorn.history_admin import HistoryAdmin
from sodertorn.translation_admin import TranslatedAdmin

from .models import ActorCompetence, Competence, MemberCompetence, Need


class NeedInline(admin.TabularInline):
    model = Need
    extra = 0
    autocomplete_fields = ("testbed",)
    verbose_name = _("testbed that needs it")
    verbose_name_plural = _("testbeds that need it")


class ActorLinkInline(admin.TabularInline):
    model = ActorCompetence
    extra = 0
    autocomplete_fields = ("actor",)
    verbose_name = _("actor that has it")
    verbose_name_plural = _("actors that have it")


class MemberLinkInline(admin.TabularInline):
    model = MemberCompetence
    extra = 0
    autocomplete_fields = ("user",)
    verbose_name = _("member who has it")
    verbose_name_plural = _("members who have it (they declare it on their own page)")


@admin.register(Competence)
class CompetenceAdmin(TranslatedAdmin, HistoryAdmin):
    list_display = ("name", "slug", "need_count", "actor_count", "member_count", "is_demo")
    list_filter = ("is_demo",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "description", "is_demo")
    inlines = (NeedInline, ActorLinkInline, MemberLinkInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _needs=Count("needs", distinct=True),
                _actors=Count("actor_links", distinct=True),
                _members=Count("member_links", distinct=True),
            )
        )

    @admin.display(description=_("testbeds needing it"), ordering="_needs")
    def need_count(self, obj):
        return obj._needs

    @admin.display(description=_("actors"), ordering="_actors")
    def actor_count(self, obj):
        return obj._actors

    @admin.display(description=_("members"), ordering="_members")
    def member_count(self, obj):
        return obj._members
