from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    name = "dialogue"
    verbose_name = _("Citizen dialogue")

    def ready(self):
        from testbeds import sections

        from .selectors import testbed_rounds_prefetch

        sections.register(
            "dialogue/_testbed_section.html", prefetch=[testbed_rounds_prefetch()], order=25
        )
