import math

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, View

from sodertorn import csvwriter
from sodertorn.cache import cache_for_anonymous
from sodertorn.throttle import client_ip

from . import selectors, services
from .forms import ContributionForm
from .models import Contribution


class RoundListView(ListView):
    """Open and upcoming rounds, then the closed ones (paginated)."""

    template_name = "dialogue/round_list.html"
    context_object_name = "closed_rounds"
    paginate_by = 20

    def get_queryset(self):
        return selectors.public_rounds().with_counts().closed().order_by("-closes_on", "-id")

    def get_context_data(self, **kwargs):
        rounds = selectors.public_rounds().with_counts()
        return super().get_context_data(
            open_rounds=rounds.open().order_by("closes_on", "id"),
            upcoming_rounds=rounds.upcoming().order_by("opens_on", "id"),
            **kwargs,
        )


round_list = cache_for_anonymous(RoundListView.as_view())


class RoundDetailView(DetailView):
    """The round: its question, the form while open, the approved contributions with their
    answers and support buttons. Never cached (the form carries a CSRF token and a time
    stamp; support buttons depend on the session)."""

    template_name = "dialogue/round_detail.html"
    context_object_name = "round"
    contributions_per_page = 20

    def get_queryset(self):
        return selectors.public_rounds()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.object = round_ = self.get_object()
        if not round_.is_open:
            return self.render_to_response(self.get_context_data(refused=True), status=403)
        form = ContributionForm(request.POST)
        address = client_ip(request)
        if services.rate_limited(address):
            response = self.render_to_response(
                self.get_context_data(
                    form=form,
                    rate_limited=True,
                    rate_window_minutes=math.ceil(settings.DIALOGUE_RATE_WINDOW / 60),
                ),
                status=429,
            )
            response["Retry-After"] = str(settings.DIALOGUE_RATE_WINDOW)
            return response
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        try:
            services.post_contribution(
                round=round_,
                kind=data["kind"],
                text=data["text"],
                name=data["name"],
                area=data["area"],
                consent=data["consent"],
            )
        except services.RoundNotOpen:
            return self.render_to_response(self.get_context_data(refused=True), status=403)
        services.count_post(address)
        messages.success(
            request,
            _(
                "Thank you! Your contribution has been received. It will be shown here once a "
                "moderator has approved it."
            ),
        )
        return redirect(f"{round_.get_absolute_url()}#tack")

    def get_context_data(self, **kwargs):
        round_ = self.object
        page = Paginator(
            selectors.public_contributions(round_), self.contributions_per_page
        ).get_page(self.request.GET.get("page"))
        if round_.is_open and "form" not in kwargs:
            kwargs["form"] = ContributionForm()
        return super().get_context_data(
            contributions=page,
            page_obj=page,
            supported=services.supported_ids(self.request.session),
            **kwargs,
        )


class SupportView(View):
    """POST: support an approved proposal of an open round, once per browser session."""

    def post(self, request, slug, pk):
        contribution = get_object_or_404(
            Contribution.objects.public().select_related("round"), round__slug=slug, pk=pk
        )
        try:
            counted = services.support(contribution=contribution, session=request.session)
        except services.RoundNotOpen:
            messages.error(request, _("The round is closed: proposals can no longer be supported."))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            if counted:
                messages.success(request, _("Thank you for your support!"))
            else:
                messages.info(request, _("You have already supported this proposal."))
        return redirect(contribution.get_absolute_url())


class SummaryView(DetailView):
    """A closed round's summary: numbers, the proposals by support, the answers."""

    template_name = "dialogue/round_summary.html"
    context_object_name = "round"

    def get_queryset(self):
        return selectors.public_rounds().closed()

    def get_context_data(self, **kwargs):
        round_ = self.object
        public = selectors.public_contributions(round_)
        numbers = Contribution.objects.filter(round=round_).aggregate(
            received=Count("id"),
            comments=Count("id", filter=Q(kind=Contribution.Kind.COMMENT)),
            proposals=Count("id", filter=Q(kind=Contribution.Kind.PROPOSAL)),
            approved=Count("id", filter=Q(status=Contribution.Status.APPROVED)),
            supporters=Sum(
                "support_count", filter=Q(status=Contribution.Status.APPROVED), default=0
            ),
        )
        return super().get_context_data(
            numbers=numbers,
            proposals=public.filter(kind=Contribution.Kind.PROPOSAL).order_by(
                "-support_count", "created_at", "id"
            ),
            answered=public.filter(responses__isnull=False).distinct().order_by("created_at", "id"),
            **kwargs,
        )


summary = cache_for_anonymous(SummaryView.as_view())


CSV_COLUMNS = ("id", "kind", "sent", "text", "name", "area", "supporters", "answers")


class RoundCsvView(View):
    """The approved contributions of a closed round as CSV for planners (UTF-8 with BOM).

    Public on purpose: it holds exactly what the round's public page shows (approved
    contributions, whose authors consented to publication) and nothing else — no pending or
    hidden text, no addresses, no moderation notes."""

    def get_queryset(self):
        return selectors.public_rounds().closed()

    def get(self, request, slug):
        round_ = get_object_or_404(self.get_queryset(), slug=slug)
        tz = timezone.get_current_timezone()
        rows = [
            (
                item.pk,
                item.kind,
                item.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                item.text,
                item.name,
                item.area,
                item.support_count,
                "\n\n".join(f"{r.signed}: {r.text}" for r in item.responses.all()),
            )
            for item in selectors.public_contributions(round_).order_by("created_at", "id")
        ]
        return csvwriter.response(CSV_COLUMNS, rows, filename=f"dialog-{round_.slug}.csv")


round_csv = cache_for_anonymous(RoundCsvView.as_view())
round_detail = RoundDetailView.as_view()
