"""Content fields in Swedish and English (django-modeltranslation, issue 16).

Each field below gets ``<field>_sv`` and ``<field>_en`` columns; ``<field>`` itself reads the
active language with Swedish as the fallback. Slugs stay one per object (one URL, /en/ prefix).
Municipality names are proper nouns, the same in both languages: not translated.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Testbed, Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("sv",)


@register(Testbed)
class TestbedTranslation(TranslationOptions):
    fields = ("title", "question", "summary", "body", "place_name", "cover_alt")
    required_languages = ("sv",)
