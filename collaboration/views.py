from django.db.models import Prefetch, Q
from django.views.generic import DetailView, TemplateView

from testbeds import selectors as testbed_selectors
from testbeds.models import Testbed

from . import sections
from .filters import ActorFilter
from .models import Actor, CollaborationGroup, Grant, Meeting, Seat, Sector, SystemSolution


def by_sector(items, sector_of=lambda item: item.sector) -> list[dict]:
    """[{sector, label, items}] in the sector order, leaving out empty sectors."""
    groups = []
    for value, label in Sector.choices:
        members = [item for item in items if sector_of(item) == value]
        if members:
            groups.append({"sector": value, "label": label, "items": members})
    return groups


class ActorListView(TemplateView):
    template_name = "collaboration/actor_list.html"

    def get_context_data(self, **kwargs):
        filterset = ActorFilter(
            self.request.GET or None,
            queryset=Actor.objects.in_sector_order().select_related("municipality"),
            request=self.request,
        )
        actors = list(filterset.qs)
        return super().get_context_data(
            filter=filterset,
            filter_errors=filterset.form.errors if filterset.is_bound else {},
            actor_count=len(actors),
            sectors=by_sector(actors),
            **kwargs,
        )


class ActorDetailView(DetailView):
    template_name = "collaboration/actor_detail.html"
    context_object_name = "actor"

    def get_queryset(self):
        return Actor.objects.select_related("municipality")

    def get_context_data(self, **kwargs):
        actor = self.object
        linked = Q(contacts__actor=actor) | sections.actor_testbeds_q(actor)
        if actor.municipality_id:
            linked |= Q(municipalities=actor.municipality_id)
        testbed_ids = Testbed.objects.published().filter(linked).values("pk")
        testbeds = testbed_selectors.card_list(
            testbed_selectors.cards(Testbed.objects.filter(pk__in=testbed_ids)).order_by("title")
        )
        return super().get_context_data(
            testbeds=testbeds,
            actor_sections=sections.actor_sections(),
            **sections.actor_context(actor),
            seats=actor.seats.select_related("group"),
            grants=Grant.objects.for_actor(actor).select_related("funder", "coordinator"),
            **kwargs,
        )


class CollaborationView(TemplateView):
    template_name = "collaboration/collaboration.html"

    def get_context_data(self, **kwargs):
        group = CollaborationGroup.objects.first()
        context = {"group": group, "sectors": [], "meetings": [], "solutions": []}
        if group is not None:
            seats = (
                Seat.objects.filter(group=group)
                .select_related("actor")
                .order_by("role", "actor__name")
            )
            context.update(
                sectors=by_sector(list(seats), sector_of=lambda seat: seat.actor.sector),
                seat_count=len(seats),
                meetings=Meeting.objects.filter(group=group).with_relations(),
                solutions=SystemSolution.objects.filter(group=group)
                .select_related("adopted_at")
                .prefetch_related(
                    Prefetch(
                        "testbeds", queryset=Testbed.objects.published().only("title", "slug")
                    ),
                    *sections.solution_prefetches(),
                ),
                solution_parts=sections.solution_parts(),
            )
        context["grants"] = Grant.objects.filter(kind=Grant.Kind.PROGRAMME).select_related(
            "funder", "coordinator"
        )
        return super().get_context_data(**context, **kwargs)
