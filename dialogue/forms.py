from django import forms
from django.utils.translation import gettext_lazy as _

from sodertorn import formguard
from sodertorn.forms import length_hint

from .models import TEXT_MAX_LENGTH, Contribution

SIGNING_SALT = "dialogue.contribution-form"
FORM_MAX_AGE = formguard.FORM_MAX_AGE  # a form left open longer than a day is sent again


def form_token() -> str:
    """The time the form was shown and a random nonce, signed (sodertorn/formguard.py). The
    nonce makes the stamp good for one post: the post records it
    (dialogue.models.UsedFormStamp) in the same transaction that stores the contribution."""
    return formguard.form_token(SIGNING_SALT)


class ContributionForm(formguard.GuardedFormMixin, forms.ModelForm):
    """A resident's comment or proposal, with three spam defences: a honeypot field that
    people never see (``website``), a signed time stamp (``started``) that must be at least
    DIALOGUE_MIN_SECONDS old (both sodertorn/formguard.py), and (in the service) a rate limit
    per address."""

    stamp_salt = SIGNING_SALT

    class Meta:
        model = Contribution
        fields = ["kind", "text", "name", "area", "consent"]
        widgets = {
            "kind": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 8, "maxlength": TEXT_MAX_LENGTH}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        help_texts = {
            "text": length_hint(TEXT_MAX_LENGTH),
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


class HideForm(forms.Form):
    """The reason asked for by the admin's "hide" action."""

    reason = forms.CharField(
        label=_("Reason for hiding"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        help_text=_("Kept in the admin with the contribution; never shown publicly."),
    )


class ErasureForm(forms.Form):
    """The reference asked for by the admin's "erase name and area" action."""

    reason = forms.CharField(
        label=_("Reference of the request"),
        max_length=200,
        help_text=_(
            "E.g. the case number or the date of the e-mail; kept in the audit log. Do not "
            "write the person's name."
        ),
    )
