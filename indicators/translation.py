"""Content fields in Swedish and English (django-modeltranslation, issue 16; see
testbeds/translation.py). Area names are place names, the same in both languages: not
translated."""

from modeltranslation.translator import TranslationOptions, register

from .models import Indicator


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name", "unit", "description", "source", "method")
    required_languages = ("sv",)
