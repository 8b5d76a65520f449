"""Content fields in Swedish and English (django-modeltranslation, issue 16; see
testbeds/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Competence


@register(Competence)
class CompetenceTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("sv",)
