from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self):
        from sodertorn.cache import register_for_invalidation

        from . import sections
        from .models import Area, Indicator, Observation

        # Indicator data shows on cached public pages (and in the testbed pages' section).
        register_for_invalidation(Area, Indicator, Observation)
        sections.register()
