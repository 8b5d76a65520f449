"""Content fields in Swedish and English (django-modeltranslation, issue 16; see
testbeds/translation.py). Residents' contributions and the answers to them stay in the
language they were written in."""

from modeltranslation.translator import TranslationOptions, register

from .models import DialogueRound


@register(DialogueRound)
class DialogueRoundTranslation(TranslationOptions):
    fields = ("title", "question")
    required_languages = ("sv",)
