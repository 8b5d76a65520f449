"""The follow pages: the form (never cached: it carries a CSRF token and a stamp), the
confirmation and unsubscription by token, and the Atom feeds.

The four public pages that offer following (a testbed, a municipality, an indicator, a
dialogue round) show ``follow/_follow.html``: a link here and to the feed, nothing per
visitor, so they stay in the page cache."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView, View

from sodertorn.cache import cache_for_anonymous
from sodertorn.formguard import GuardedPostMixin
from sodertorn.throttle import client_ip

from . import kinds, services
from .feeds import FollowFeed
from .forms import SubscribeForm
from .models import Subscription


class TargetMixin:
    def dispatch(self, request, *args, **kwargs):
        found = kinds.find(kwargs["kind"], kwargs["key"])
        if found is None:
            raise Http404
        self.kind, self.target = found
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            kind=self.kind,
            target=self.target,
            target_title=self.kind.title(self.target),
            feed_url=self.kind.feed_url(self.target),
            pending_days=services.PENDING_DAYS,
            **kwargs,
        )


class SubscribeView(TargetMixin, GuardedPostMixin, FormView):
    template_name = "follow/subscribe.html"
    form_class = SubscribeForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.subscribe(
                target=self.target,
                email=data["email"],
                frequency=data["frequency"],
                address=client_ip(self.request),
                language=get_language(),
                base_url=self.request.build_absolute_uri("/")[:-1],
            )
        except services.RateLimited as exc:
            return self.refuse_rate_limited(form, exc.retry_after)
        return redirect("follow:sent")


sent = cache_for_anonymous(
    TemplateView.as_view(
        template_name="follow/sent.html", extra_context={"pending_days": services.PENDING_DAYS}
    ),
    areas=(),
)
unsubscribed = cache_for_anonymous(
    TemplateView.as_view(template_name="follow/unsubscribed.html"), areas=()
)


def subscription_or_404(token: str) -> Subscription:
    subscription = get_object_or_404(Subscription.objects.select_related(*kinds.KINDS), token=token)
    if not subscription.is_confirmed and subscription in Subscription.objects.expired(
        days=services.PENDING_DAYS
    ):
        raise Http404
    return subscription


class ConfirmView(View):
    """GET: a button (a mail scanner that opens links confirms nothing); POST: confirmed."""

    def get(self, request, token):
        subscription = subscription_or_404(token)
        return render(request, "follow/confirm.html", context(subscription))

    def post(self, request, token):
        subscription = subscription_or_404(token)
        newly = services.confirm(subscription)
        return render(
            request, "follow/confirmed.html", context(subscription, newly_confirmed=newly)
        )


def context(subscription, **extra) -> dict:
    kind = kinds.KINDS[subscription.target_field]
    return {
        "subscription": subscription,
        "kind": kind,
        "target": subscription.target,
        "target_title": kind.title(subscription.target),
        "target_url": kind.page_url(subscription.target),
        **extra,
    }


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """GET: what stops, with a button; POST: stopped. RFC 8058's one-click POST (body
    ``List-Unsubscribe=One-Click``, without a CSRF token: the token in the URL is the key)
    stops every subscription of the address, as the digest it came from holds them all."""

    def get(self, request, token):
        subscription = subscription_or_404(token)
        others = Subscription.objects.filter(email=subscription.email).count() - 1
        return render(request, "follow/unsubscribe.html", context(subscription, others=others))

    def post(self, request, token):
        subscription = subscription_or_404(token)
        everything = request.POST.get("scope") != "one"
        services.unsubscribe(subscription, everything=everything)
        return render(request, "follow/unsubscribed.html", {"done": True})


unsubscribe = UnsubscribeView.as_view()
feed = FollowFeed()  # like the testbed's feed: uncached, a few small queries
