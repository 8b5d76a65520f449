from django import forms
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Actor


class ActorAdminForm(forms.ModelForm):
    """The logo is checked by content (sodertorn.uploads) and stored with a rendition."""

    logo_upload = forms.FileField(
        label=_("New logo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 2 MB. Location and camera data are removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Actor
        fields = (
            "name",
            "slug",
            "sector",
            "municipality",
            "description",
            "website",
            "logo_is_demo",
            "is_demo",
        )

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if upload:
            services.check_logo(upload)
        return upload

    def save(self, commit=True):
        actor = super().save(commit=False)
        upload = self.cleaned_data.get("logo_upload")
        if upload:
            services.set_logo(
                actor, upload, is_demo=self.cleaned_data.get("logo_is_demo"), save=False
            )
        elif self.cleaned_data.get("remove_logo"):
            services.clear_logo(actor, save=False)
        if commit:
            actor.save()
            self.save_m2m()
        return actor
