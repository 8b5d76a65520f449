from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeaGroupsConfig(AppConfig):
    name = "ideagroups"
    verbose_name = _("Idea groups")

    def ready(self):
        from collaboration import sections as collaboration_sections
        from sodertorn.cache import register_for_invalidation
        from testbeds import sections

        from .models import IdeaGroup, Membership, WorkEntry
        from .selectors import (
            actor_section_context,
            actor_testbeds_q,
            solution_idea_groups_prefetch,
            testbed_idea_groups_prefetch,
        )

        # Public pages are cached; any change to these models shows on the next request
        # (status changes by QuerySet.update() call content_changed() in services).
        register_for_invalidation(IdeaGroup, Membership, WorkEntry)
        sections.register(
            "ideagroups/_testbed_section.html", prefetch=[testbed_idea_groups_prefetch()], order=20
        )
        # The actor page and the collaboration page show idea groups through these hooks, so
        # collaboration (the lower app) never imports this one.
        collaboration_sections.register_actor_section(
            "ideagroups/_actor_section.html", context=actor_section_context, order=20
        )
        collaboration_sections.register_actor_testbeds(actor_testbeds_q)
        collaboration_sections.register_solution_part(
            "ideagroups/_solution_part.html", prefetch=[solution_idea_groups_prefetch()]
        )
