from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CompetencesConfig(AppConfig):
    name = "competences"
    verbose_name = _("Competences")

    def ready(self):
        from testbeds import sections

        from .roles import grant_curator_permissions
        from .selectors import testbed_needs_prefetch

        sections.register(
            "competences/_testbed_section.html", prefetch=[testbed_needs_prefetch()], order=25
        )
        # after ideagroups has (re)set its roles' permissions
        post_migrate.connect(grant_curator_permissions, sender=self)
