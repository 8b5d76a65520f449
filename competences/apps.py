from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetencesConfig(AppConfig):
    name = "competences"
    verbose_name = _("Competences")

    def ready(self):
        from testbeds import sections

        from .selectors import testbed_needs_prefetch

        sections.register(
            "competences/_testbed_section.html", prefetch=[testbed_needs_prefetch()], order=25
        )
