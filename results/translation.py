"""Content fields in Swedish and English (django-modeltranslation, issue 16; see
testbeds/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Film, GalleryImage, Result


@register(Result)
class ResultTranslation(TranslationOptions):
    fields = ("title", "summary", "body")
    required_languages = ("sv",)


@register(Film)
class FilmTranslation(TranslationOptions):
    fields = ("title", "description", "poster_alt", "transcript")
    required_languages = ("sv",)


@register(GalleryImage)
class GalleryImageTranslation(TranslationOptions):
    fields = ("alt_text", "caption")
    required_languages = ("sv",)
