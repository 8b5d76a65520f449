import logging
import secrets

import orjson
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView, View

from sodertorn import csvwriter, hooks
from sodertorn.cache import cache_for_anonymous
from sodertorn.formguard import GuardedPostMixin
from sodertorn.throttle import client_ip

from . import receipts, selectors, services
from .forms import ContributionForm
from .models import Contribution

logger = logging.getLogger(__name__)


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


class RoundDetailView(GuardedPostMixin, DetailView):
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
        form = ContributionForm(request.POST, round=round_)
        if not form.is_valid():
            if not round_.is_open:  # a closed round shows no form to correct
                return self.refused()
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        try:
            contribution = services.post_contribution(
                round=round_,
                kind=data["kind"],
                text=data["text"],
                name=data["name"],
                area=data["area"],
                consent=data["consent"],
                address=client_ip(request),
                stamp=data["started"],
                place_name=data.get("place_name", ""),
                point=data.get("point"),
            )
        except services.RoundNotOpen:
            return self.refused()
        except ValidationError as exc:  # a place the form let through but the model refuses
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, messages_ in errors.items():
                form.add_error(field if field in form.fields else None, messages_)
            return self.render_to_response(self.get_context_data(form=form))
        except services.RateLimited as exc:
            return self.refuse_rate_limited(form, exc.retry_after)
        except services.StampReused:
            return self.refuse_reused_stamp(form)
        messages.success(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "Thank you! Your contribution has been received. It will be shown here once "
                    "a moderator has approved it."
                ),
                receipts.url(contribution),
                _("Your private receipt: save this link to see your contribution's status."),
            ),
        )
        if data.get("notify_email"):
            self.tell_when_answered(contribution, data["notify_email"])
        return redirect(f"{round_.get_absolute_url()}#tack")

    def tell_when_answered(self, contribution, email):
        """Hand the address to the apps that tell of answers (``contribution_posted``). The
        contribution is stored already: a failure here costs the notice, never the text."""
        for hook in hooks.get_hooks("contribution_posted"):
            try:
                notice = hook(
                    contribution=contribution,
                    email=email,
                    receipt_url=receipts.url(contribution),
                    request=self.request,
                )
            except Exception:  # noqa: BLE001 (whatever fails, the contribution is kept)
                logger.exception("contribution_posted hook %s failed", hook)
                notice = _(
                    "Your contribution is saved, but we could not set up the mail about the "
                    "answer. Use your receipt link to see when it comes."
                )
            if notice:
                messages.info(self.request, notice)

    def refused(self):
        return self.render_to_response(self.get_context_data(refused=True), status=403)

    def get_context_data(self, **kwargs):
        round_ = self.object
        page = Paginator(
            selectors.public_contributions(round_), self.contributions_per_page
        ).get_page(self.request.GET.get("page"))
        if round_.is_open and "form" not in kwargs:
            kwargs["form"] = ContributionForm(round=round_)
        form = kwargs.get("form")
        if form is not None and "latitude" in form.fields:
            kwargs["picker_features"] = selectors.place_area_features(round_)
        if round_.allows_places:
            kwargs["placed"] = placed = selectors.placed_contributions(
                round_, self.contributions_per_page
            )
            kwargs["placed_features"] = selectors.place_features(placed)
        return super().get_context_data(
            contributions=page,
            page_obj=page,
            supported=services.supported_ids(browser_token(self.request), round_),
            personal_data_days=settings.DIALOGUE_PERSONAL_DATA_DAYS,
            **kwargs,
        )


BROWSER_COOKIE = "dialogue_browser"
BROWSER_COOKIE_SALT = "dialogue.browser"
BROWSER_COOKIE_AGE = 365 * 24 * 60 * 60


def browser_token(request) -> str | None:
    """This browser's random token for support, from its signed cookie (None if absent or
    forged)."""
    return request.get_signed_cookie(BROWSER_COOKIE, default=None, salt=BROWSER_COOKIE_SALT)


class SupportView(View):
    """POST: support an approved proposal of an open round, once per browser (a signed random
    cookie) and a few times per address and day (DIALOGUE_SUPPORT_PER_ADDRESS_DAY)."""

    def post(self, request, slug, pk):
        contribution = get_object_or_404(
            Contribution.objects.public().select_related("round"), round__slug=slug, pk=pk
        )
        token = browser_token(request)
        new_token = token is None
        if new_token:
            token = secrets.token_urlsafe(24)
        try:
            outcome = services.support(
                contribution=contribution, browser=token, address=client_ip(request)
            )
        except services.RoundNotOpen:
            messages.error(request, _("The round is closed: proposals can no longer be supported."))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            if outcome == services.SupportOutcome.COUNTED:
                messages.success(request, _("Thank you for your support!"))
            elif outcome == services.SupportOutcome.ALREADY:
                messages.info(request, _("You have already supported this proposal."))
            else:
                messages.error(
                    request,
                    _(
                        "This proposal has had as much support from your connection today as "
                        "one connection may give. Try again tomorrow."
                    ),
                )
        response = redirect(contribution.get_absolute_url())
        if new_token:
            response.set_signed_cookie(
                BROWSER_COOKIE,
                token,
                salt=BROWSER_COOKIE_SALT,
                max_age=BROWSER_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


# The summary's group headings ("Synpunkter" and "Förslag", as a samrådsredogörelse says).
GROUP_LABELS = {
    Contribution.Kind.PROPOSAL: gettext_lazy("Proposals"),
    Contribution.Kind.COMMENT: gettext_lazy("Comments"),
}


class SummaryView(DetailView):
    """A closed round's summary, written as planners know it (``round.summary_term``: the
    samrådsredogörelse of a samråd, the granskningsutlåtande of a granskning): how the round
    was held, its numbers, and what was said grouped by kind, each contribution with the
    municipality's answers. Printable as it is (dialogue.css has the print styles), with the
    same contributions as a CSV beside it."""

    template_name = "dialogue/round_summary.html"
    context_object_name = "round"

    def get_queryset(self):
        return selectors.public_rounds().closed()

    def get_context_data(self, **kwargs):
        round_ = self.object
        numbers = Contribution.objects.filter(round=round_).aggregate(
            received=Count("id"),
            comments=Count("id", filter=Q(kind=Contribution.Kind.COMMENT)),
            proposals=Count("id", filter=Q(kind=Contribution.Kind.PROPOSAL)),
            approved=Count("id", filter=Q(status=Contribution.Status.APPROVED)),
            supporters=Sum(
                "support_count", filter=Q(status=Contribution.Status.APPROVED), default=0
            ),
        )
        groups = [
            {"kind": kind, "label": GROUP_LABELS[kind], "items": list(items)}
            for kind, items in selectors.summary_groups(round_)
        ]
        if round_.allows_places:
            density = selectors.place_density(round_)
            kwargs["density"] = density
            kwargs["density_features"] = selectors.density_features(density)
        return super().get_context_data(
            numbers=numbers,
            groups=groups,
            proposals=groups[0]["items"],
            answered=sum(1 for group in groups for item in group["items"] if item.responses.all()),
            personal_data_days=settings.DIALOGUE_PERSONAL_DATA_DAYS,
            **kwargs,
        )


summary = cache_for_anonymous(SummaryView.as_view())


CSV_COLUMNS = (
    "id",
    "kind",
    "sent",
    "text",
    "name",
    "area",
    "supporters",
    "answers",
    "answered_by",
    "answered_on",
    "place_name",
    "latitude",
    "longitude",
)


class RoundCsvView(View):
    """The summary's contributions as CSV for planners (UTF-8 with BOM), in the summary's
    order: the proposals, most supported first, then the comments; each with its answers, who
    signed them and the day of the latest.

    Public on purpose: it holds exactly what the round's public page shows (approved
    contributions, whose authors consented to publication, with the name and area they gave
    for as long as those are kept) and nothing else — no pending or hidden text, no
    addresses, no moderation notes."""

    def get_queryset(self):
        return selectors.public_rounds().closed()

    def get(self, request, slug):
        round_ = get_object_or_404(self.get_queryset(), slug=slug)
        tz = timezone.get_current_timezone()
        rows = [
            self.row(item, tz)
            for _kind, items in selectors.summary_groups(round_)
            for item in items
        ]
        return csvwriter.response(CSV_COLUMNS, rows, filename=f"dialog-{round_.slug}.csv")

    @staticmethod
    def row(item, tz) -> tuple:
        answers = list(item.responses.all())
        latest = max((answer.created_at for answer in answers), default=None)
        return (
            item.pk,
            item.kind,
            item.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            item.text,
            item.name,
            item.area,
            item.support_count,
            "\n\n".join(f"{r.signed}: {r.text}" for r in answers),
            "; ".join(dict.fromkeys(r.signed for r in answers)),
            latest.astimezone(tz).date() if latest else None,
            item.place_name,
            item.latitude,
            item.longitude,
        )


round_csv = cache_for_anonymous(RoundCsvView.as_view())


class PlacesGeoJSONView(View):
    """The published contributions of a round that marked a point, as a GeoJSON
    FeatureCollection for the planners' GIS (WGS84 longitude/latitude, RFC 7946).

    Properties: number, kind, text, place_name, created (the day), answer (the
    municipality's answers, if any). Like the CSV it holds only what the round's page shows,
    and less: no names or areas of residence, no moderation notes."""

    def get_queryset(self):
        return selectors.public_rounds().filter(allows_places=True)

    def get(self, request, slug):
        round_ = get_object_or_404(self.get_queryset(), slug=slug)
        response = HttpResponse(
            orjson.dumps(selectors.places_export(round_)), content_type="application/geo+json"
        )
        response["Content-Disposition"] = f'inline; filename="dialog-{round_.slug}-platser.geojson"'
        response["Access-Control-Allow-Origin"] = "*"
        return response


places_geojson = cache_for_anonymous(PlacesGeoJSONView.as_view())
round_detail = RoundDetailView.as_view()


def receipt(request, token):
    """A resident's private receipt (dialogue/receipts.py): their contribution's status, never
    cached or indexed; a forged or mistyped link, or a contribution since removed, is a 404."""
    contribution = receipts.contribution_for(token)
    if contribution is None:
        raise Http404(_("This receipt link is not valid."))
    status = receipts.status(contribution)
    response = render(
        request,
        "dialogue/receipt.html",
        {
            "contribution": contribution,
            "status": status,
            "status_label": receipts.Status.LABELS[status],
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
