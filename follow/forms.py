from django import forms
from django.utils.translation import gettext_lazy as _

from sodertorn.formguard import GuardedFormMixin

from .models import Subscription


class SubscribeForm(GuardedFormMixin, forms.Form):
    """An address and how often: the honeypot and the signed stamp (sodertorn/formguard.py);
    the rate limits are the service's."""

    stamp_salt = "follow.subscribe"

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscription.Frequency,
        initial=Subscription.Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )
