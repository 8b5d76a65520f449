from django import forms
from django.utils.translation import gettext_lazy as _

from sodertorn import formguard
from sodertorn.forms import length_hint

from .models import MESSAGE_MAX_LENGTH, Feedback

SIGNING_SALT = "about.feedback-form"


class FeedbackForm(formguard.GuardedFormMixin, forms.ModelForm):
    """Feedback on accessibility, with the dialogue form's spam defences: the honeypot and the
    signed one-time stamp (sodertorn/formguard.py) and, in the service, a rate limit."""

    stamp_salt = SIGNING_SALT

    class Meta:
        model = Feedback
        fields = ["message", "page", "name", "email"]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 8, "maxlength": MESSAGE_MAX_LENGTH}),
            "page": forms.TextInput(attrs={"autocomplete": "url"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        labels = {
            "message": _("What did not work, or what do you need?"),
            "page": _("Which page (address or name)"),
            "name": _("Your name"),
            "email": _("Your e-mail address"),
        }
        help_texts = {
            "message": length_hint(MESSAGE_MAX_LENGTH),
            "page": _("Optional."),
            "name": _("Optional."),
            "email": _("Optional: give it if you want an answer."),
        }
        error_messages = {"message": {"required": _("Write what you want to tell us.")}}
