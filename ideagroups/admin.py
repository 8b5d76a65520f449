"""The curators' admin for idea groups, memberships, invitations and the review of work.

Publishing and sending back are admin actions that call the same services as the member
pages (ideagroups.services), so the workflow and its records are the same everywhere.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sodertorn.history_admin import HistoryAdmin
from sodertorn.translation_admin import TranslatedAdmin

from . import services
from .forms import (
    TEXT_HELP,
    AttachmentFieldMixin,
    InviteMemberForm,
    SendBackForm,
    attachment_field,
)
from .models import IdeaGroup, Membership, SubmittedWorkEntry, Transition, WorkEntry


class IdeaGroupAdminForm(forms.ModelForm):
    class Meta:
        model = IdeaGroup
        fields = (
            "name",
            "slug",
            "description",
            "focus",
            "theme",
            "testbeds",
            "system_solutions",
            "start_date",
            "end_date",
            "published",
            "is_demo",
        )

    def clean(self):
        data = super().clean()
        testbeds = data.get("testbeds")
        one_testbed = data.get("focus") == IdeaGroup.Focus.TESTBED
        if one_testbed and testbeds is not None and len(testbeds) != 1:
            self.add_error("testbeds", _("A group that works on one testbed names exactly one."))
        return data


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user", "actor")
    fields = ("user", "actor", "role", "joined", "left")


@admin.register(IdeaGroup)
class IdeaGroupAdmin(TranslatedAdmin, HistoryAdmin):
    form = IdeaGroupAdminForm
    list_display = ("name", "focus", "theme", "member_count", "published", "is_demo")
    list_filter = ("focus", "theme", "published", "is_demo")
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("testbeds", "theme", "system_solutions")
    list_select_related = ("theme",)
    inlines = (MembershipInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(member_count=Count("memberships", filter=Q(memberships__left__isnull=True)))
        )

    @admin.display(description=_("active members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "group", "actor", "role", "joined", "left")
    list_filter = ("role", "group")
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name")
    autocomplete_fields = ("user", "group", "actor")
    list_select_related = ("user", "group", "actor")
    change_list_template = "admin/ideagroups/membership/change_list.html"

    def get_urls(self):
        return [
            path(
                "invite/",
                self.admin_site.admin_view(self.invite_view),
                name="ideagroups_membership_invite",
            ),
            *super().get_urls(),
        ]

    def has_invite_permission(self, request):
        return request.user.has_perm("ideagroups.invite_member")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_invite": self.has_invite_permission(request)}
        return super().changelist_view(request, extra_context)

    def invite_view(self, request):
        if not self.has_invite_permission(request):
            raise PermissionDenied
        form = InviteMemberForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                invitation = services.invite_member(
                    by=request.user, base_url=request.build_absolute_uri("/"), **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request,
                    _("%(email)s was invited to %(group)s and has been sent an e-mail.")
                    % {"email": invitation.user.email, "group": invitation.membership.group},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:ideagroups_membership_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Invite a member"),
            "opts": self.model._meta,
            "form": form,
            "media": self.media + form.media,
        }
        return render(request, "admin/ideagroups/membership/invite.html", context)


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "by", "comment")
    readonly_fields = fields
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WorkEntryAdminForm(AttachmentFieldMixin, forms.ModelForm):
    attachment = attachment_field()

    class Meta:
        model = WorkEntry
        fields = ("group", "author", "kind", "title", "date", "text", "is_demo")
        help_texts = {"text": TEXT_HELP}

    def save(self, commit=True):
        entry = super().save(commit=False)
        upload = self.cleaned_data.get("attachment")
        if upload:
            services.store_attachment(entry, upload, self.attachment_type)
        if commit:
            entry.save()
            self.save_m2m()
        return entry


@admin.register(WorkEntry)
class WorkEntryAdmin(TranslatedAdmin, HistoryAdmin):
    form = WorkEntryAdminForm
    list_display = ("title", "group", "kind", "status", "author", "date", "updated_at")
    list_filter = ("status", "kind", "group")
    search_fields = ("title", "text", "group__name")
    date_hierarchy = "date"
    autocomplete_fields = ("group", "author")
    list_select_related = ("group", "author")
    readonly_fields = (
        "status",
        "curator_comment",
        "published_at",
        "attachment_link",
        "created_at",
        "updated_at",
    )
    inlines = (TransitionInline,)
    actions = ("publish", "send_back")

    class Media:
        css = {"all": ("ideagroups/review_admin.css",)}

    fieldsets = (
        (None, {"fields": ("group", "author", "kind", "title", "date", "text")}),
        (_("Attachment"), {"fields": ("attachment_link", "attachment")}),
        (
            _("Review"),
            {
                "fields": (
                    "status",
                    "curator_comment",
                    "published_at",
                    "is_demo",
                    "created_at",
                    "updated_at",
                ),
                "description": _(
                    "Publish or send back with the actions in the list of entries to review."
                ),
            },
        ),
    )

    def has_review_permission(self, request):
        return request.user.has_perm("ideagroups.review_workentry")

    @admin.display(description=_("current attachment"))
    def attachment_link(self, obj):
        if not obj.attachment:
            return "–"
        return format_html(
            '<a href="{}">{}</a> ({})',
            obj.get_attachment_url(),
            obj.attachment_name,
            obj.attachment_type,
        )

    @admin.action(description=_("Publish selected entries"), permissions=["review"])
    def publish(self, request, queryset):
        done, refused = 0, []
        for entry in queryset.select_related("group"):
            try:
                services.publish_entry(entry=entry, by=request.user)
            except ValidationError:
                refused.append(entry.title)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d entry was published.", "%(count)d entries were published.", done
                )
                % {"count": done},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                _("Not published (only submitted entries can be): %(titles)s")
                % {"titles": ", ".join(refused)},
                messages.WARNING,
            )

    @admin.action(
        description=_("Send selected entries back with a comment"), permissions=["review"]
    )
    def send_back(self, request, queryset):
        form = SendBackForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done, refused = 0, []
            for entry in queryset.select_related("group"):
                try:
                    services.send_back_entry(
                        entry=entry, by=request.user, comment=form.cleaned_data["comment"]
                    )
                except ValidationError:
                    refused.append(entry.title)
                else:
                    done += 1
            if done:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d entry was sent back.", "%(count)d entries were sent back.", done
                    )
                    % {"count": done},
                    messages.SUCCESS,
                )
            if refused:
                self.message_user(
                    request,
                    _("Not sent back (only submitted or published entries can be): %(titles)s")
                    % {"titles": ", ".join(refused)},
                    messages.WARNING,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Send entries back"),
            "opts": self.model._meta,
            "form": form,
            "objects": queryset.select_related("group"),
            "action": "send_back",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/ideagroups/send_back.html", context)


@admin.register(SubmittedWorkEntry)
class SubmittedWorkEntryAdmin(WorkEntryAdmin):
    """The review queue: only entries waiting for a curator."""

    list_display = ("title", "group", "kind", "author", "date", "submitted")
    list_filter = ("kind", "group")
    date_hierarchy = None
    # A reviewer publishes or sends back; English comes after publishing, on the entry's own
    # changelist, so the queue's table keeps to what the review needs (and fits 1280 px).
    show_needs_english = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=WorkEntry.Status.SUBMITTED)

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("last changed"), ordering="updated_at")
    def submitted(self, obj):
        return obj.updated_at
