"""Form pieces shared by the apps."""

from django import forms
from django.db import transaction
from django.utils.functional import lazy
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .images import IMAGES, check_image, replace_image


class CleanImageMixin:
    """For a ModelForm with an image field and a JSON renditions field.

    clean() checks the upload by content (real format, size, pixel limit, damage); save()
    hands it to the image service (sodertorn.images), which stores a clean copy (orientation
    applied, EXIF/GPS removed) with its renditions instead of the uploaded bytes, and deletes
    the image and renditions it replaces once the save commits. Set image_field and
    renditions_field on the form (the folder is the model field's upload_to).
    """

    image_field = "image"
    renditions_field = "renditions"
    image_rules = IMAGES

    def _new_upload(self):
        upload = self.cleaned_data.get(self.image_field)
        if upload and self.image_field in self.changed_data and hasattr(upload, "content_type"):
            return upload
        return None

    def clean(self):
        cleaned = super().clean()
        upload = self._new_upload()
        if upload is not None:
            try:
                check_image(upload, self.image_rules)
            except forms.ValidationError as error:
                self.add_error(self.image_field, error)
        return cleaned

    def save(self, commit=True):
        if not commit:  # the caller saves (the admin does, in its own transaction)
            return self._save_image(commit)
        with transaction.atomic():  # the replaced files go once the save has committed
            return self._save_image(commit)

    def _save_image(self, commit):
        upload = self._new_upload()
        changed = self.image_field in self.changed_data
        if upload is not None or (changed and not self.cleaned_data.get(self.image_field)):
            # The instance already holds the upload (construct_instance): the replaced image
            # is the one the form started from.
            initial = self.initial.get(self.image_field)
            old = (
                getattr(initial, "name", initial) or "",
                getattr(self.instance, self.renditions_field) or {},
            )
            replace_image(
                self.instance,
                self.image_field,
                self.renditions_field,
                upload,
                rules=self.image_rules,
                old=old,
            )
        elif changed:
            setattr(self.instance, self.renditions_field, {})
        return super().save(commit)


def _attrs_html(attrs) -> str:
    """django/forms/widgets/attrs.html in Python: ` name="value"`, ` name` for True, nothing
    for False (escaped as format_html() would, without its cost per call)."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class FastSelect(forms.Select):
    """Django's ``Select`` with the same HTML, written in Python instead of a template include
    per option and per attribute list (a catalogue filter form rendered a few hundred
    templates). Grouped choices fall back to Django's templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        html = [format_html('<select name="{}"', widget["name"]), _attrs_html(widget["attrs"]), ">"]
        for _group, options, _index in widget["optgroups"]:
            for option in options:
                option_value = conditional_escape(str(option["value"]))
                label = conditional_escape(option["label"])
                attrs_html = _attrs_html(option["attrs"])
                html.append(f'\n  <option value="{option_value}"{attrs_html}>{label}</option>\n')
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 (every part escaped)


class FastCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Django's ``CheckboxSelectMultiple`` with the same HTML (django/forms/widgets/
    multiple_input.html and input_option.html), written in Python like ``FastSelect``: no
    template include per checkbox. Grouped choices fall back to Django's templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        outer = {key: widget["attrs"][key] for key in ("id", "class") if widget["attrs"].get(key)}
        html = ["<div", _attrs_html(outer), ">"]
        for _group, options, _index in widget["optgroups"]:
            for option in options:
                input_html = "".join(
                    [
                        format_html('<input type="{}" name="{}"', option["type"], option["name"]),
                        format_html(' value="{}"', option["value"])
                        if option["value"] is not None
                        else "",
                        _attrs_html(option["attrs"]),
                        ">",
                    ]
                )
                label = conditional_escape(option["label"])
                if option["wrap_label"]:
                    option_id = option["attrs"].get("id")
                    for_html = f' for="{conditional_escape(option_id)}"' if option_id else ""
                    input_html = f"<label{for_html}>{input_html}\n {label}</label>"
                html.append(f"<div>\n    {input_html}\n\n</div>")
        html.append("\n</div>")
        return mark_safe("".join(html))  # noqa: S308 (every part escaped)


class FastInputMixin:
    """An ``<input>`` widget with Django's HTML (django/forms/widgets/input.html and
    attrs.html) written in Python, like ``FastSelect``."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [format_html('<input type="{}" name="{}"', widget["type"], widget["name"])]
        if widget["value"] is not None:
            html.append(format_html(' value="{}"', widget["value"]))
        html.append(_attrs_html(widget["attrs"]))
        html.append(">")
        return mark_safe("".join(html))  # noqa: S308 (every part escaped by format_html)


class FastTextInput(FastInputMixin, forms.TextInput):
    pass


class FastNumberInput(FastInputMixin, forms.NumberInput):
    pass


def _length_hint(limit: int) -> str:
    return gettext("At most %(max)d characters.") % {"max": limit}


# "At most 2000 characters." in the language of the page that shows it: a form's Meta is read
# once, at import, so a hint interpolated there would stay in the language of that moment.
length_hint = lazy(_length_hint, str)
