from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeaGroupsConfig(AppConfig):
    name = "ideagroups"
    verbose_name = _("Idea groups")

    def ready(self):
        from collaboration import hooks as collaboration_hooks

        from .selectors import (
            actor_section_context,
            actor_testbeds_q,
            solution_idea_groups_prefetch,
        )

        # The actor page and the collaboration page show idea groups through these hooks, so
        # collaboration (the lower app) never imports this one.
        collaboration_hooks.register_actor_section(
            "ideagroups/_actor_section.html", context=actor_section_context, order=20
        )
        collaboration_hooks.register_actor_testbeds(actor_testbeds_q)
        collaboration_hooks.register_solution_part(
            "ideagroups/_solution_part.html", prefetch=[solution_idea_groups_prefetch()]
        )
