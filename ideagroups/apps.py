from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IdeaGroupsConfig(AppConfig):
    name = "ideagroups"
    verbose_name = _("Idea groups")

    def ready(self):
        from sodertorn.cache import register_for_invalidation
        from testbeds import sections

        from . import roles
        from .models import IdeaGroup, Membership, WorkEntry
        from .selectors import testbed_idea_groups_prefetch

        # Public pages are cached; any change to these models shows on the next request
        # (status changes by QuerySet.update() call content_changed() in services).
        register_for_invalidation(IdeaGroup, Membership, WorkEntry)
        sections.register(
            "ideagroups/_testbed_section.html", prefetch=[testbed_idea_groups_prefetch()], order=20
        )
        # The roles are created by a data migration; a database flush (as in tests that
        # truncate tables) removes them, and flush sends post_migrate: recreate them then.
        post_migrate.connect(roles.ensure_roles_after_migrate, sender=self)
