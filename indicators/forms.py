"""GET forms for the indicator pages and the analysis, and the admin's import form.

The public forms are bound to the query string. A bad value gives a form error on the page and
the field falls back to its default, so a mistyped or outdated link still shows something.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AreaKind, Gender
from .services import FORMAT_CSV, FORMAT_KOLADA

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ViewForm(forms.Form):
    """A query-string form whose values fall back to defaults field by field.

    Parameters left out of the query take their defaults; a bad one is reported in
    ``errors`` and takes its default too. ``effective()`` gives the values the page shows, and
    the rendered form shows them as well.
    """

    def __init__(self, data=None, *, defaults: dict, **kwargs):
        self.defaults = defaults
        given = {key: data.get(key) for key in (data or {}) if key in self.base_fields}
        merged = {
            key: "" if value is None else str(value) for key, value in defaults.items()
        } | given
        super().__init__(merged, **kwargs)

    def settle(self) -> None:
        """Validate once; a field with an error then shows its default when rendered (its
        error stays in ``errors`` for the page to report)."""
        if getattr(self, "_settled", False):
            return
        self._settled = True
        self.is_valid()
        for name in self.errors:
            if name in self.fields:
                default = self.defaults.get(name)
                self.data[name] = "" if default is None else str(default)

    def peek(self, name):
        """One field's value, checked on its own (before the other fields' choices are known)."""
        try:
            return self.fields[name].clean(self.data.get(name))
        except forms.ValidationError:
            return self.defaults.get(name)

    def value(self, name):
        self.settle()
        if name in self.errors:
            return self.defaults.get(name)
        cleaned = self.cleaned_data.get(name)
        return self.defaults.get(name) if cleaned is None else cleaned

    def effective(self) -> dict:
        return {name: self.value(name) for name in self.fields}


def level_choices(kinds) -> list[tuple[str, str]]:
    labels = {
        AreaKind.MUNICIPALITY: _("Municipalities"),
        AreaKind.DISTRICT: _("City districts"),
        AreaKind.SMALL_AREA: _("Small areas"),
    }
    return [(kind, labels[kind]) for kind in AreaKind.values if kind in kinds]


def gender_choices(genders) -> list[tuple[str, str]]:
    return [(value, label) for value, label in Gender.choices if value in genders]


class IndicatorViewForm(ViewForm):
    level = forms.ChoiceField(
        label=_("Areas"),
        error_messages={"invalid_choice": _("Unknown kind of area: choose one from the list.")},
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        error_messages={"invalid_choice": _("No data for that gender: choose one from the list.")},
    )
    year = forms.TypedChoiceField(
        label=_("Year on the map"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("No data for that year: choose one from the list.")},
    )

    def __init__(self, data=None, *, kinds, genders, defaults, **kwargs):
        super().__init__(data, defaults=defaults, **kwargs)
        self.fields["level"].choices = level_choices(kinds)
        # The level is chosen with the links of the level switch (_level_switch.html); the
        # form carries it along so that "Show" keeps it.
        self.fields["level"].widget = forms.HiddenInput()
        self.fields["gender"].choices = gender_choices(genders)

    def set_years(self, years: list[int], default: int | None = None) -> None:
        """The map's years depend on the chosen areas and gender: set them once those are known.
        The default is ``default`` (the view passes the newest year with the widest coverage,
        ``selectors.default_year``), else the latest year."""
        self.fields["year"].choices = [(year, str(year)) for year in sorted(years, reverse=True)]
        if default is None or default not in years:
            default = max(years) if years else None
        self.defaults["year"] = default
        if not self.data.get("year") and default is not None:
            self.data["year"] = str(default)


class AnalysisForm(ViewForm):
    COLOUR_KIND = "kind"
    COLOUR_PARENT = "parent"
    COLOUR_PROGRAMME = "programme"
    COLOUR_NONE = "none"
    COLOUR_CHOICES = [
        (COLOUR_PROGRAMME, _("Södertörn municipalities or not")),
        (COLOUR_KIND, _("Kind of area")),
        (COLOUR_PARENT, _("Parent area")),
        (COLOUR_NONE, _("No grouping")),
    ]
    LEVEL_ALL = "all"
    GENDER_SPLIT = "KM"

    x = forms.ChoiceField(
        label=_("X axis"),
        error_messages={"invalid_choice": _("Unknown indicator: choose one from the list.")},
    )
    y = forms.ChoiceField(
        label=_("Y axis"),
        error_messages={"invalid_choice": _("Unknown indicator: choose one from the list.")},
    )
    size = forms.ChoiceField(
        label=_("Bubble size"),
        required=False,
        error_messages={"invalid_choice": _("Unknown indicator: choose one from the list.")},
    )
    colour = forms.ChoiceField(
        label=_("Colour by"),
        choices=COLOUR_CHOICES,
        error_messages={"invalid_choice": _("Unknown grouping: choose one from the list.")},
    )
    level = forms.ChoiceField(
        label=_("Areas"),
        error_messages={"invalid_choice": _("Unknown kind of area: choose one from the list.")},
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        error_messages={"invalid_choice": _("Unknown gender: choose one from the list.")},
    )
    year = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("No data for that year: choose one from the list.")},
    )

    def __init__(self, data=None, *, indicators, kinds, years, defaults, **kwargs):
        super().__init__(data, defaults=defaults, **kwargs)
        choices = [(indicator.code, indicator.name) for indicator in indicators]
        self.fields["x"].choices = choices
        self.fields["y"].choices = choices
        self.fields["size"].choices = [("", _("Same size for all")), *choices]
        self.fields["level"].choices = [
            *level_choices(kinds),
            (self.LEVEL_ALL, _("All areas")),
        ]
        self.fields["level"].widget = forms.HiddenInput()  # see IndicatorViewForm
        self.fields["gender"].choices = [
            *Gender.choices,
            (self.GENDER_SPLIT, _("Women and men side by side")),
        ]
        self.fields["year"].choices = [(year, str(year)) for year in sorted(years, reverse=True)]


class ImportForm(forms.Form):
    FORMAT_AUTO = ""
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV with the columns indicator, area, year, value and optionally gender, note and "
            "is_example; or a Kolada data file (JSON from /v2/data/…)."
        ),
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[
            (FORMAT_AUTO, _("Recognise from the file")),
            (FORMAT_CSV, _("CSV")),
            (FORMAT_KOLADA, _("Kolada JSON")),
        ],
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check and count, write nothing"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB; import it with the management command.")
                % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload
