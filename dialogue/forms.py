import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .models import TEXT_MAX_LENGTH, Contribution

SIGNING_SALT = "dialogue.contribution-form"
FORM_MAX_AGE = 24 * 60 * 60  # a form left open longer than a day is sent again


def form_token() -> str:
    """The time the form was shown and a random nonce, signed so a bot can neither back-date
    it nor make up new ones. The nonce makes the stamp good for one post: the post records it
    (dialogue.models.UsedFormStamp) in the same transaction that stores the contribution."""
    return signing.dumps({"t": time.time(), "n": secrets.token_urlsafe(16)}, salt=SIGNING_SALT)


class ContributionForm(forms.ModelForm):
    """A resident's comment or proposal, with three spam defences: a honeypot field that
    people never see (``website``), a signed time stamp (``started``) that must be at least
    DIALOGUE_MIN_SECONDS old, and (in the view) a rate limit per address."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = Contribution
        fields = ["kind", "text", "name", "area", "consent"]
        widgets = {
            "kind": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 8, "maxlength": TEXT_MAX_LENGTH}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        help_texts = {
            "text": _("At most %(max)d characters.") % {"max": TEXT_MAX_LENGTH},
            "name": _("Optional. Shown with your contribution."),
            "area": _("Optional, e.g. the district where you live. Shown with your contribution."),
        }
        labels = {
            "kind": _("Kind of contribution"),
            "text": _("Your comment or proposal"),
            "name": _("Your name"),
            "consent": _(
                "I agree that my text, and my name and area if I give them, are published on "
                "this site once a moderator has approved them."
            ),
        }
        error_messages = {
            "text": {
                "max_length": _(
                    "The text is %(show_value)d characters long; at most %(limit_value)d are "
                    "allowed. Shorten it and send again."
                ),
                "required": _("Write your comment or proposal."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].required = True
        self.fields["consent"].error_messages["required"] = _(
            "Contributions are published once approved: tick the box to agree, or do not send."
        )
        self.fields["kind"].choices = Contribution.Kind.choices
        if not self.is_bound:
            self.initial["started"] = form_token()

    def renew_stamp(self, message) -> None:
        """Refuse the stamp with ``message`` and put a fresh one in the form shown again, so
        the resident's text is kept and the next send can go through."""
        self.data = self.data.copy()
        self.data["started"] = form_token()
        self.add_error("started", message)

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def clean_started(self):
        """The stamp's nonce (for ``services.post_contribution``), once the stamp is checked."""
        try:
            stamp = signing.loads(
                self.cleaned_data["started"], salt=SIGNING_SALT, max_age=FORM_MAX_AGE
            )
        except signing.SignatureExpired:
            self.data = self.data.copy()
            self.data["started"] = form_token()
            raise forms.ValidationError(
                _("The form was open for more than a day. Check your text and send it again.")
            ) from None
        except (signing.BadSignature, TypeError, ValueError):
            stamp = None
        started = stamp.get("t") if isinstance(stamp, dict) else None
        nonce = stamp.get("n") if isinstance(stamp, dict) else None
        if not isinstance(started, int | float) or not isinstance(nonce, str) or not nonce:
            # Forged, missing, or an old-style stamp without a nonce.
            self.data = self.data.copy()
            self.data["started"] = form_token()
            raise forms.ValidationError(
                _("The form could not be checked. Check your text and send it again.")
            )
        if time.time() - started < settings.DIALOGUE_MIN_SECONDS:
            raise forms.ValidationError(
                _(
                    "That was quick! To keep automated spam out, the form cannot be sent "
                    "within a few seconds of opening it. Check your text and send it again."
                )
            )
        return nonce


class HideForm(forms.Form):
    """The reason asked for by the admin's "hide" action."""

    reason = forms.CharField(
        label=_("Reason for hiding"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        help_text=_("Kept in the admin with the contribution; never shown publicly."),
    )
