from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeaGroupsConfig(AppConfig):
    name = "ideagroups"
    verbose_name = _("Idea groups")
