from django import forms
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .models import Competence

MAX_PICKS = 30


class DescribedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose options carry the competence's description (`option.description`),
    tied to the checkbox with aria-describedby."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        description = getattr(instance, "description", "")
        if description:
            option["description"] = description
            option["description_id"] = f"{option['attrs']['id']}_description"
            option["attrs"]["aria-describedby"] = option["description_id"]
        return option


class CompetenceChoiceField(forms.ModelMultipleChoiceField):
    widget = DescribedCheckboxes
    default_error_messages = {
        "invalid_list": _("Choose competences from the list."),
        "invalid_choice": _("“%(value)s” is not a competence in the list."),
        "invalid_pk_value": _("“%(pk)s” is not a competence in the list."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Competence.objects.order_by("name"))
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def _check_values(self, value):
        if len(value) > MAX_PICKS:
            raise forms.ValidationError(
                ngettext_lazy(
                    "Choose at most %(max)d competence.",
                    "Choose at most %(max)d competences.",
                    "max",
                )
                % {"max": MAX_PICKS},
                code="too_many",
            )
        for item in value:  # not a slug: not in the list, without asking the database
            try:
                validate_slug(str(item))
            except forms.ValidationError:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:100]},
                ) from None
        return super()._check_values(value)


class PickForm(forms.Form):
    """The /kompetens/ GET form: which competences to match."""

    competence = CompetenceChoiceField(label=_("Competences"))

    def picks(self) -> list[Competence]:
        """The picked competences that exist, also when others were not valid (those get a
        form error and are left out)."""
        if not self.is_bound:
            return []
        if self.is_valid():
            return list(self.cleaned_data["competence"])
        slugs = []
        for value in self.data.getlist("competence")[:MAX_PICKS]:
            try:
                validate_slug(value)
            except forms.ValidationError:
                continue
            slugs.append(value)
        return list(Competence.objects.filter(slug__in=slugs).order_by("name"))


class MyCompetencesForm(forms.Form):
    """A member's own competences."""

    competences = CompetenceChoiceField(
        label=_("My competences"),
        help_text=_("Tick what you can contribute. Untick what no longer applies."),
    )
