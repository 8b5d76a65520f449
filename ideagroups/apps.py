from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeaGroupsConfig(AppConfig):
    name = "ideagroups"
    verbose_name = _("Idea groups")

    def ready(self):
        from sodertorn.cache import register_for_invalidation
        from testbeds import sections

        from .models import IdeaGroup, Membership, WorkEntry
        from .selectors import testbed_idea_groups_prefetch

        # Public pages are cached; any change to these models shows on the next request
        # (status changes by QuerySet.update() call content_changed() in services).
        register_for_invalidation(IdeaGroup, Membership, WorkEntry)
        sections.register(
            "ideagroups/_testbed_section.html", prefetch=[testbed_idea_groups_prefetch()], order=20
        )
