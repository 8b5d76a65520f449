from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborationConfig(AppConfig):
    name = "collaboration"
    verbose_name = _("Actors and collaboration")

    def ready(self):
        from django.db.models import Prefetch

        from sodertorn.cache import register_for_invalidation
        from testbeds import sections

        from .models import (
            Actor,
            CollaborationGroup,
            ContactPerson,
            Grant,
            Meeting,
            Seat,
            SystemSolution,
        )

        # Public pages are cached; any change to these models shows on the next request.
        register_for_invalidation(
            Actor, CollaborationGroup, ContactPerson, Grant, Meeting, Seat, SystemSolution
        )

        sections.register(
            "collaboration/_testbed_contacts.html",
            prefetch=[
                Prefetch(
                    "contacts",
                    queryset=ContactPerson.objects.select_related("actor").order_by(
                        "order", "name"
                    ),
                    to_attr="contact_list",
                )
            ],
            order=30,
        )
        sections.register(
            "collaboration/_testbed_grants.html",
            prefetch=[
                Prefetch(
                    "grants",
                    queryset=Grant.objects.select_related("funder", "coordinator").order_by(
                        "start_date"
                    ),
                    to_attr="grant_list",
                )
            ],
            order=40,
        )
