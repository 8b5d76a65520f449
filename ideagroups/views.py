import unicodedata
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView, View
from django.views.generic.detail import SingleObjectMixin

from testbeds.models import Testbed

from . import rules, selectors, services
from .forms import WorkEntryForm
from .models import IdeaGroup, Membership, Transition, WorkEntry

# Public pages ----------------------------------------------------------------------------------


class IdeaGroupListView(ListView):
    template_name = "ideagroups/ideagroup_list.html"
    context_object_name = "groups"
    paginate_by = 24

    def get_queryset(self):
        return selectors.public_groups().order_by("focus", "name")


class IdeaGroupDetailView(DetailView):
    template_name = "ideagroups/ideagroup_detail.html"
    context_object_name = "group"
    work_per_page = 20

    def get_queryset(self):
        return selectors.public_groups()

    def get_context_data(self, **kwargs):
        group = self.object
        work = (
            WorkEntry.objects.filter(group=group, status=WorkEntry.Status.PUBLISHED)
            .select_related("group")
            .defer("text")
            .order_by("-date", "-id")
        )
        page = Paginator(work, self.work_per_page).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            organisations=selectors.organisations(group.active_memberships),
            work_page=page,
            page_obj=page,
            solutions=group.system_solutions.only("title", "slug"),
            **kwargs,
        )


class WorkEntryDetailView(DetailView):
    template_name = "ideagroups/workentry_detail.html"
    context_object_name = "entry"

    def get_queryset(self):
        return (
            WorkEntry.objects.published()
            .select_related("group")
            .prefetch_related(
                Prefetch(
                    "group__testbeds", queryset=Testbed.objects.published().only("title", "slug")
                )
            )
        )

    def get_object(self, queryset=None):
        entry = super().get_object(queryset)
        if entry.group.slug != self.kwargs["group"]:
            raise Http404
        return entry


def content_disposition(filename: str) -> str:
    """attachment; filename="ascii.pdf" (for every client), plus filename*= when the name has
    other characters (RFC 6266), so Swedish names survive where browsers support it."""
    stem, dot, extension = filename.rpartition(".")
    ascii_stem = slugify(unicodedata.normalize("NFKD", stem)) or "bilaga"
    header = f'attachment; filename="{ascii_stem}{dot}{extension}"'
    if not filename.isascii():
        header += f"; filename*=utf-8''{quote(filename)}"
    return header


class AttachmentView(SingleObjectMixin, View):
    """Serve an attachment to whoever may see its entry, never trusting the uploaded type.

    Published entries' attachments are public; the others only for the entry's author, the
    group's lead and curators (everyone else gets 404, which reveals nothing).
    """

    def get_queryset(self):
        return WorkEntry.objects.exclude(attachment="").select_related("group")

    def get(self, request, pk):
        entry = self.get_object()
        if not rules.can_view_entry(request.user, entry):
            raise Http404
        try:
            handle = entry.attachment.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=entry.attachment_name or f"bilaga.{entry.attachment.name.rsplit('.', 1)[-1]}",
            content_type=entry.attachment_type,
        )
        response["Content-Disposition"] = content_disposition(response.filename)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        # Never in a shared cache: an entry can be unpublished at any time, and a proxy or CDN
        # would go on serving its file. Browsers may keep a published one for a while.
        response["Cache-Control"] = (
            "private, max-age=3600" if entry.is_published else "private, no-store"
        )
        return response


# Member pages ----------------------------------------------------------------------------------


class MyPagesView(LoginRequiredMixin, TemplateView):
    template_name = "ideagroups/my_pages.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        memberships = list(
            Membership.objects.active()
            .filter(user=user, group__isnull=False)
            .select_related("group", "actor")
            .order_by("group__name")
        )
        can_register = user.has_perm("ideagroups.add_workentry")
        entries = list(
            WorkEntry.objects.for_member(user)
            .select_related("group", "author")
            .defer("text")
            .order_by("-updated_at", "-id")
        )
        by_status = {status: [] for status in WorkEntry.Status.values}
        for entry in entries:
            by_status[entry.status].append(entry)
        return super().get_context_data(
            memberships=memberships,
            can_register=can_register,
            returned=by_status[WorkEntry.Status.RETURNED],
            drafts=by_status[WorkEntry.Status.DRAFT],
            submitted=by_status[WorkEntry.Status.SUBMITTED],
            published=by_status[WorkEntry.Status.PUBLISHED],
            is_curator=rules.is_curator(user),
            **kwargs,
        )


class EntryFormView(LoginRequiredMixin, FormView):
    form_class = WorkEntryForm
    template_name = "ideagroups/workentry_form.html"
    entry = None
    group = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.entry}

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=self.group, entry=self.entry, **kwargs)

    def save(self, form) -> WorkEntry:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            entry = self.save(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        if "submit" in self.request.POST:
            try:
                services.submit_entry(entry=entry, by=self.request.user)
            except ValidationError as exc:
                messages.error(self.request, " ".join(exc.messages))
            else:
                messages.success(
                    self.request,
                    _("“%(title)s” was saved and submitted for review.") % {"title": entry.title},
                )
                return redirect(entry.get_member_url())
        messages.success(
            self.request, _("“%(title)s” was saved as a draft.") % {"title": entry.title}
        )
        return redirect(entry.get_member_url())


class EntryCreateView(EntryFormView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.group = get_object_or_404(IdeaGroup, slug=kwargs["slug"])
        if not rules.can_create_entry(request.user, self.group):
            raise PermissionDenied(_("Only active members of the group may register work."))
        return super().dispatch(request, *args, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        return services.create_entry(
            group=self.group,
            by=self.request.user,
            kind=data["kind"],
            title=data["title"],
            date=data["date"],
            text=data["text"],
            attachment=data.get("attachment"),
            attachment_type=form.attachment_type,
        )


class EntryUpdateView(EntryFormView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.entry = get_object_or_404(WorkEntry.objects.select_related("group"), pk=kwargs["pk"])
        self.group = self.entry.group
        if not rules.can_work_on(request.user, self.entry):
            raise PermissionDenied(_("Only the author or the group's lead may edit this entry."))
        if not self.entry.is_editable:
            messages.error(
                request,
                _("“%(title)s” is %(status)s and cannot be edited now.")
                % {"title": self.entry.title, "status": self.entry.get_status_display().lower()},
            )
            return redirect(self.entry.get_member_url())
        return super().dispatch(request, *args, **kwargs)

    def save(self, form):
        data = form.cleaned_data
        return services.update_entry(
            entry=self.entry,
            by=self.request.user,
            kind=data["kind"],
            title=data["title"],
            date=data["date"],
            text=data["text"],
            attachment=data.get("attachment"),
            attachment_type=form.attachment_type,
            drop_attachment=data.get("remove_attachment", False),
        )


class MemberEntryView(LoginRequiredMixin, DetailView):
    """A member's view of one entry: status, the curator's comment, history, actions."""

    template_name = "ideagroups/my_entry.html"
    context_object_name = "entry"

    def get_queryset(self):
        return WorkEntry.objects.select_related("group", "author").prefetch_related(
            Prefetch("transitions", queryset=Transition.objects.select_related("by"))
        )

    def get_object(self, queryset=None):
        entry = super().get_object(queryset)
        user = self.request.user
        if not (rules.can_work_on(user, entry) or rules.is_curator(user)):
            raise PermissionDenied(_("This entry belongs to someone else."))
        return entry

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            can_edit=rules.can_edit_entry(user, self.object),
            can_submit=rules.can_submit_entry(user, self.object),
            **kwargs,
        )


class EntrySubmitView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        entry = get_object_or_404(WorkEntry.objects.select_related("group"), pk=pk)
        try:
            services.submit_entry(entry=entry, by=request.user)
        except services.InvalidTransition as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("“%(title)s” was submitted for review.") % {"title": entry.title}
            )
        return redirect(entry.get_member_url())
