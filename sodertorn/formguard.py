"""Spam defences of the public forms that anyone may send (a dialogue contribution, feedback on
accessibility): a honeypot field people never see (``website``) and a signed time stamp with a
random nonce (``started``) that must be at least DIALOGUE_MIN_SECONDS and at most
``FORM_MAX_AGE`` old. The form's ``clean_started`` returns the nonce; the service that stores
the post records it in the same transaction, so a stamp is good for one post. The third
defence, a rate limit per client address, is the service's (``sodertorn.ratelimit`` or the
dialogue's own).

    class FeedbackForm(GuardedFormMixin, forms.ModelForm):
        stamp_salt = "about.feedback"
"""

import math
import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

FORM_MAX_AGE = 24 * 60 * 60  # a form left open longer than a day is sent again


def form_token(salt: str) -> str:
    """The time the form was shown and a random nonce, signed so a bot can neither back-date
    it nor make up new ones."""
    return signing.dumps({"t": time.time(), "n": secrets.token_urlsafe(16)}, salt=salt)


class GuardedFormMixin(forms.Form):
    """The honeypot and the stamp. Subclasses set ``stamp_salt``; templates render
    ``form.started`` and put ``form.website`` in a ``hidden`` block."""

    stamp_salt = ""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = self.new_token()

    def new_token(self) -> str:
        return form_token(self.stamp_salt)

    def renew_stamp(self, message) -> None:
        """Refuse the stamp with ``message`` and put a fresh one in the form shown again, so
        the visitor's text is kept and the next send can go through."""
        self.data = self.data.copy()
        self.data["started"] = self.new_token()
        self.add_error("started", message)

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def clean_started(self):
        """The stamp's nonce (for the service that stores the post), once the stamp is
        checked."""
        try:
            stamp = signing.loads(
                self.cleaned_data["started"], salt=self.stamp_salt, max_age=FORM_MAX_AGE
            )
        except signing.SignatureExpired:
            self.data = self.data.copy()
            self.data["started"] = self.new_token()
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
            self.data["started"] = self.new_token()
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


class GuardedPostMixin:
    """The answers of a view whose guarded form was valid but whose service refused the post:
    the form is shown again with the visitor's text (nothing is lost), with the reason. The
    template includes ``includes/guarded_form_errors.html``."""

    def refuse_rate_limited(self, form, retry_after: int):
        """429 with Retry-After; the notice says how many minutes to wait."""
        response = self.render_to_response(
            self.get_context_data(
                form=form,
                rate_limited=True,
                rate_window_minutes=max(1, math.ceil(retry_after / 60)),
            ),
            status=429,
        )
        response["Retry-After"] = str(retry_after)
        return response

    def refuse_reused_stamp(self, form):
        """The stamp already sent a post (a double click, a resent page): a fresh stamp."""
        form.renew_stamp(_("This form was already sent once. Check your text and send it again."))
        return self.render_to_response(self.get_context_data(form=form))
