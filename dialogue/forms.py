from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sodertorn import formguard, hooks
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
    # Optional: the address to tell when the municipality answers. Not a model field: it is
    # never stored with the contribution, only handed to the ``contribution_posted`` hooks
    # (the follow app keeps it, confirmed, until it has told the answer). Shown only when an
    # app listens.
    notify_email = forms.EmailField(
        label=_("Your e-mail address, to be told when the municipality answers"),
        required=False,
        max_length=254,
        help_text=_(
            "Optional. Never published and never kept with your contribution: you get a mail "
            "to confirm, then one when the answer comes, and the address is deleted."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["kind", "text", "name", "area", "notify_email", "consent"]

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

    def __init__(self, *args, round=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].required = True
        self.fields["consent"].error_messages["required"] = _(
            "Contributions are published once approved: tick the box to agree, or do not send."
        )
        self.fields["kind"].choices = Contribution.Kind.choices
        if not hooks.get_hooks("contribution_posted"):
            del self.fields["notify_email"]
        self.round = round
        self.places = {}
        if round is not None and round.allows_places:
            self.add_place_fields(round)

    # The optional place, in a round that allows it ---------------------------------------------

    PLACE_FIELDS = ("named_place", "address", "latitude", "longitude")

    def add_place_fields(self, round):
        """Three ways to mark a place, all optional: a named place from the round's list, an
        address line, or a point (latitude and longitude: typed, or filled in by the map)."""
        self.fields["consent"].label = _(
            "I agree that my text, the place I mark, and my name and area if I give them, are "
            "published on this site once a moderator has approved them."
        )
        self.places = {place.name: place for place in round.named_places()}
        self.place_areas = round.place_areas()
        if self.places:
            self.fields["named_place"] = forms.ChoiceField(
                label=_("Choose a named place"),
                required=False,
                choices=[("", _("No named place"))] + [(name, name) for name in self.places],
            )
        self.fields["address"] = forms.CharField(
            label=_("Or type an address or a description of the place"),
            required=False,
            max_length=200,
            help_text=_("E.g. “Storgatan 12” or “the path behind the school”."),
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
        )
        coordinate = {"required": False, "max_digits": 9, "decimal_places": 6}
        self.fields["latitude"] = forms.DecimalField(
            label=_("Latitude"),
            min_value=Decimal(-90),
            max_value=Decimal(90),
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            **coordinate,
        )
        self.fields["longitude"] = forms.DecimalField(
            label=_("Longitude"),
            min_value=Decimal(-180),
            max_value=Decimal(180),
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            **coordinate,
        )
        for name in ("latitude", "longitude"):
            self.fields[name].error_messages["max_decimal_places"] = _(
                "Give at most %(max)s decimals."
            )

    @property
    def place_fields(self):
        return [self[name] for name in self.PLACE_FIELDS if name in self.fields]

    @property
    def other_fields(self):
        """The visible fields that are not the kind (a fieldset of its own) nor the place."""
        return [
            field
            for field in self.visible_fields()
            if field.name not in ("kind", "website", *self.PLACE_FIELDS)
        ]

    def clean(self):
        data = super().clean()
        if not self.places and "latitude" not in self.fields:
            return data
        named = data.get("named_place") or ""
        address = (data.get("address") or "").strip()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if "latitude" in self.errors or "longitude" in self.errors:
            return data
        if (latitude is None) != (longitude is None):
            missing = "longitude" if longitude is None else "latitude"
            self.add_error(missing, _("Give both latitude and longitude, or neither."))
            return data
        if named and address:
            self.add_error("address", _("Choose a named place or type an address line, not both."))
            return data
        place_name, point = address, None
        if latitude is not None:
            if not self.round.place_is_allowed(latitude, longitude, self.place_areas):
                self.add_error(
                    "latitude",
                    _(
                        "The point is outside the testbed's area. Mark a place inside it, "
                        "or leave the point empty."
                    ),
                )
                return data
            point = (latitude, longitude)
        if named:
            place = self.places[named]
            place_name = place.name
            point = point or (place.latitude, place.longitude)
        data["place_name"] = place_name
        data["point"] = point
        return data


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
