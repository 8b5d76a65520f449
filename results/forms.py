"""Admin forms: every uploaded image and document is checked by content before it is stored."""

from django import forms

from sodertorn.forms import CleanImageMixin
from sodertorn.uploads import file_size, random_name, validate_document

from .models import Film, GalleryImage, ResultAttachment


class GalleryImageForm(CleanImageMixin, forms.ModelForm):
    class Meta:
        model = GalleryImage
        fields = ["testbed", "image", "alt_text", "caption", "credit", "order"]


class FilmForm(CleanImageMixin, forms.ModelForm):
    image_field = "poster"
    renditions_field = "poster_renditions"

    class Meta:
        model = Film
        fields = [
            "title", "slug", "video_url", "duration", "description", "transcript",
            "captions_language", "poster", "poster_alt", "testbed", "result", "published",
            "is_demo",
        ]  # fmt: skip
        widgets = {"video_url": forms.URLInput(attrs={"size": 60})}


class ResultAttachmentForm(forms.ModelForm):
    class Meta:
        model = ResultAttachment
        fields = ["title", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data and hasattr(upload, "content_type"):
            self.document_type = validate_document(upload)
        return upload

    def save(self, commit=True):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data and hasattr(upload, "content_type"):
            doc = self.document_type
            self.instance.content_type = doc.content_type
            self.instance.extension = doc.extension
            self.instance.size = file_size(upload)
            upload.name = random_name("doc", doc.extension).split("/", 1)[1]
        return super().save(commit)
