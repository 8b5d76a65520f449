"""Form pieces shared by the apps."""

from django import forms

from .renditions import IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS, store_image
from .uploads import validate_image


class CleanImageMixin:
    """For a ModelForm with an image field and a JSON renditions field.

    clean() checks the upload by content (real format, size, pixel limit, damage); save()
    stores a clean copy (orientation applied, EXIF/GPS removed) with its renditions instead of
    the uploaded bytes. Set image_field, renditions_field and folder on the form.
    """

    image_field = "image"
    renditions_field = "renditions"
    folder = "images"

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
                validate_image(upload, max_bytes=IMAGE_MAX_BYTES, max_pixels=IMAGE_MAX_PIXELS)
            except forms.ValidationError as error:
                self.add_error(self.image_field, error)
        return cleaned

    def save(self, commit=True):
        upload = self._new_upload()
        if upload is not None:
            name, renditions = store_image(upload, folder=self.folder)
            setattr(self.instance, self.image_field, name)
            setattr(self.instance, self.renditions_field, renditions)
        elif self.image_field in self.changed_data:
            setattr(self.instance, self.renditions_field, {})
        return super().save(commit)
