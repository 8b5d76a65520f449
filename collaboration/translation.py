"""Content fields in Swedish and English (django-modeltranslation, issue 16; see
testbeds/translation.py). Actors' names are organisations' own names: not translated."""

from modeltranslation.translator import TranslationOptions, register

from .models import Actor, CollaborationGroup, Grant, Meeting, SystemSolution


@register(Actor)
class ActorTranslation(TranslationOptions):
    fields = ("description",)
    required_languages = ("sv",)


@register(CollaborationGroup)
class CollaborationGroupTranslation(TranslationOptions):
    fields = ("name", "purpose", "working_method")
    required_languages = ("sv",)


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title", "agenda", "minutes", "decisions")
    required_languages = ("sv",)


@register(SystemSolution)
class SystemSolutionTranslation(TranslationOptions):
    fields = ("title", "summary")
    required_languages = ("sv",)


@register(Grant)
class GrantTranslation(TranslationOptions):
    fields = ("title", "summary")
    required_languages = ("sv",)
