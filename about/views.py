"""About the programme, the accessibility statement, the feedback form it offers and the page
on personal data.

The statement and the personal-data page are documents: each is one template per language
(``about/<name>.sv.html`` is the original, ``.en.html`` its translation), included by a frame
that holds the interface strings. The feedback form is never cached (its CSRF token and stamp)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView, RedirectView, TemplateView

from collaboration import selectors as collaboration_selectors
from ideagroups import selectors as ideagroup_selectors
from sodertorn.cache import cache_for_anonymous
from sodertorn.formguard import GuardedPostMixin
from sodertorn.throttle import client_ip
from testbeds.models import Testbed

from . import services, statement
from .forms import FeedbackForm

DOCUMENT_LANGUAGES = ("sv", "en")


def document_template(name: str) -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language not in DOCUMENT_LANGUAGES:
        language = DOCUMENT_LANGUAGES[0]
    return f"about/{name}.{language}.html"


class DocumentView(TemplateView):
    template_name = "about/document.html"
    document = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            body_template=document_template(self.document),
            statement=statement,
            cookies=statement.cookies(),
            dialogue_days=settings.DIALOGUE_PERSONAL_DATA_DAYS,
            feedback_days=settings.FEEDBACK_PERSONAL_DATA_DAYS,
            session_days=round(settings.SESSION_COOKIE_AGE / 86400),
            staff_idle_minutes=settings.STAFF_IDLE_MINUTES,
            **kwargs,
        )


class AccessibilityView(DocumentView):
    document = "accessibility"
    title = gettext_lazy("Accessibility statement")
    description = gettext_lazy(
        "How accessible the website is, its known shortcomings and how to report a problem."
    )


class PrivacyView(DocumentView):
    document = "privacy"
    title = gettext_lazy("Personal data and cookies")
    description = gettext_lazy(
        "What personal data the website stores, why, for how long, and your rights."
    )


class ProgrammeView(TemplateView):
    """About the programme (/om/): its story in one template per language (``programme.sv``
    the original), with the organisation's live numbers and every project and grant record."""

    template_name = "about/programme.html"
    title = gettext_lazy("About the programme")
    description = gettext_lazy(
        "The Södertörn Model: its vision, goals, organisation, funding and sister projects, "
        "with the sources they come from."
    )

    def get_context_data(self, **kwargs):
        grants = list(collaboration_selectors.grants())
        return super().get_context_data(
            body_template=document_template("programme"),
            organisation={
                "testbeds": Testbed.objects.published().count(),
                "idea_groups": ideagroup_selectors.public_group_counts(),
                "group": collaboration_selectors.group_summary(),
            },
            programme_grants=[g for g in grants if g.kind == g.Kind.PROGRAMME],
            sister_grants=[g for g in grants if g.kind == g.Kind.SISTER],
            **kwargs,
        )


class FeedbackView(GuardedPostMixin, FormView):
    template_name = "about/feedback.html"
    form_class = FeedbackForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statement=statement, feedback_days=settings.FEEDBACK_PERSONAL_DATA_DAYS, **kwargs
        )

    def get_initial(self):
        # "Report a problem with this page" links may name the page: ?sida=/testbaddar/
        return {"page": self.request.GET.get("sida", "")[:500]}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.send_feedback(
                message=data["message"],
                page=data["page"],
                name=data["name"],
                email=data["email"],
                address=client_ip(self.request),
                stamp=data["started"],
            )
        except services.RateLimited:
            return self.refuse_rate_limited(form, settings.DIALOGUE_RATE_WINDOW)
        except services.StampReused:
            return self.refuse_reused_stamp(form)
        messages.success(
            self.request,
            _("Thank you! Your message has been sent to the site's curators."),
        )
        return redirect(f"{self.request.path}#tack")


programme = cache_for_anonymous(ProgrammeView.as_view())
# The English reader's guess (/en/about/) and the old habit (/about/) land on /om/.
programme_redirect = RedirectView.as_view(pattern_name="about:programme", permanent=True)
accessibility = cache_for_anonymous(AccessibilityView.as_view())
privacy = cache_for_anonymous(PrivacyView.as_view())
feedback = FeedbackView.as_view()
