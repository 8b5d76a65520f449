"""Content fields in Swedish and English (django-modeltranslation, issue 16; see
testbeds/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import IdeaGroup, SubmittedWorkEntry, WorkEntry


@register(IdeaGroup)
class IdeaGroupTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("sv",)


@register(WorkEntry)
class WorkEntryTranslation(TranslationOptions):
    fields = ("title", "text")
    required_languages = ("sv",)


@register(SubmittedWorkEntry)
class SubmittedWorkEntryTranslation(WorkEntryTranslation):
    """The curators' review list of work entries: a proxy, the same fields."""
