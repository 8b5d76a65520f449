"""The goal tracker's reads and judgements (issue 17, item 3): Stockholm's programme for a
cohesive city as goal areas -> goals -> indicators -> responsible bodies -> follow-up, with
each goal judged per area from the latest value against the value in its baseline year.

``goal_tracker()`` makes a fixed number of queries, whatever the number of programmes' goals,
indicators and areas (indicators/tests/test_goals.py holds it to that). The judgements are
computed here on every read, never stored, so an import changes them at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import charts
from .models import (
    Area,
    Body,
    Gender,
    Goal,
    GoalArea,
    GoalDirection,
    Observation,
    Programme,
    Responsibility,
)


class Judgement(models.TextChoices):
    IMPROVING = "improving", gettext_lazy("Improving")
    WORSENING = "worsening", gettext_lazy("Worsening")
    UNCHANGED = "unchanged", gettext_lazy("Unchanged")
    TARGET_MET = "target_met", gettext_lazy("Target met")
    NO_DATA = "no_data", gettext_lazy("No data")


# A sign beside each judgement's word, so that no judgement is told by colour alone.
SIGNS = {
    Judgement.IMPROVING: "↗",
    Judgement.WORSENING: "↘",
    Judgement.UNCHANGED: "→",
    Judgement.TARGET_MET: "✓",
    Judgement.NO_DATA: "–",
}

LOWER_IS_BETTER = {GoalDirection.DECREASE, GoalDirection.AT_MOST}
JUDGED = {
    GoalDirection.INCREASE,
    GoalDirection.DECREASE,
    GoalDirection.AT_LEAST,
    GoalDirection.AT_MOST,
}

Point = tuple[int, Decimal, bool]  # (year, value, is_example)


@dataclass
class AreaJudgement:
    area: Area
    baseline: Point | None
    latest: Point | None
    judgement: str
    sentence: str

    @property
    def label(self) -> str:
        return Judgement(self.judgement).label

    @property
    def sign(self) -> str:
        return SIGNS[self.judgement]

    @property
    def has_example(self) -> bool:
        return any(point and point[2] for point in (self.baseline, self.latest))


@dataclass
class IndicatorJudgements:
    indicator: object
    rows: list[AreaJudgement]

    @property
    def counts(self) -> list[tuple[str, str, str, int]]:
        """(judgement, sign, label, count) of the judgements that occur, in a fixed order."""
        found = defaultdict(int)
        for row in self.rows:
            found[row.judgement] += 1
        return [
            (value, SIGNS[value], label, found[value])
            for value, label in Judgement.choices
            if found[value]
        ]

    @property
    def has_example(self) -> bool:
        return any(row.has_example for row in self.rows)

    @property
    def real_points(self) -> list[str]:
        """'Tensta 2012'-style labels of the real values the table shows."""
        return [
            f"{row.area.name} {point[0]}"
            for row in self.rows
            for point in (row.baseline, row.latest)
            if point and not point[2]
        ]


@dataclass
class GoalView:
    goal: Goal
    indicators: list[IndicatorJudgements] = field(default_factory=list)

    @property
    def lead(self) -> Body | None:
        return (
            self.goal.ordered_responsibilities[0].body
            if self.goal.ordered_responsibilities
            else None
        )


def _rounded(value: Decimal, decimals: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def judge(direction: str, baseline: Decimal, latest: Decimal, *, decimals: int, target=None):
    """The judgement of a change from ``baseline`` to ``latest`` for a goal's direction. Values
    equal at the indicator's shown decimals are unchanged; a numeric target that the latest
    value meets is "target met"."""
    if direction not in JUDGED:
        return Judgement.NO_DATA
    start, end = _rounded(baseline, decimals), _rounded(latest, decimals)
    if target is not None:
        if direction == GoalDirection.AT_LEAST and end >= target:
            return Judgement.TARGET_MET
        if direction == GoalDirection.AT_MOST and end <= target:
            return Judgement.TARGET_MET
    if end == start:
        return Judgement.UNCHANGED
    rising = end > start
    better = not rising if direction in LOWER_IS_BETTER else rising
    return Judgement.IMPROVING if better else Judgement.WORSENING


def sentence(
    *,
    area: str,
    indicator: str,
    baseline: Point,
    latest: Point,
    decimals: int,
    extreme: str = "",
    place: str = "",
) -> str:
    """One plain sentence about an area's change, e.g. "Tensta: Socialt riskindex fell from
    180 in 2012 to 171 in 2019, but stays the highest in Stockholm." ``extreme`` is "highest"
    or "lowest" when the area is the worst of its parent's areas (``place``)."""
    start, end = _rounded(baseline[1], decimals), _rounded(latest[1], decimals)
    values = {
        "area": area,
        "indicator": indicator,
        "start": charts.format_value(start, decimals),
        "end": charts.format_value(end, decimals),
        "start_year": baseline[0],
        "end_year": latest[0],
        "place": place,
    }
    change = "rose" if end > start else "fell" if end < start else "stayed"
    messages = {
        ("rose", ""): _(
            "%(area)s: %(indicator)s rose from %(start)s in %(start_year)s to %(end)s in "
            "%(end_year)s."
        ),
        ("fell", ""): _(
            "%(area)s: %(indicator)s fell from %(start)s in %(start_year)s to %(end)s in "
            "%(end_year)s."
        ),
        ("stayed", ""): _(
            "%(area)s: %(indicator)s stayed at %(end)s from %(start_year)s to %(end_year)s."
        ),
        ("rose", "highest"): _(
            "%(area)s: %(indicator)s rose from %(start)s in %(start_year)s to %(end)s in "
            "%(end_year)s, and is the highest in %(place)s."
        ),
        ("rose", "lowest"): _(
            "%(area)s: %(indicator)s rose from %(start)s in %(start_year)s to %(end)s in "
            "%(end_year)s, but stays the lowest in %(place)s."
        ),
        ("fell", "highest"): _(
            "%(area)s: %(indicator)s fell from %(start)s in %(start_year)s to %(end)s in "
            "%(end_year)s, but stays the highest in %(place)s."
        ),
        ("fell", "lowest"): _(
            "%(area)s: %(indicator)s fell from %(start)s in %(start_year)s to %(end)s in "
            "%(end_year)s, and is the lowest in %(place)s."
        ),
        ("stayed", "highest"): _(
            "%(area)s: %(indicator)s stayed at %(end)s from %(start_year)s to %(end_year)s, "
            "the highest in %(place)s."
        ),
        ("stayed", "lowest"): _(
            "%(area)s: %(indicator)s stayed at %(end)s from %(start_year)s to %(end_year)s, "
            "the lowest in %(place)s."
        ),
    }
    return messages[(change, extreme)] % values


def no_data_sentence(area: str, indicator: str, year: int) -> str:
    return _("%(area)s: %(indicator)s has no values since %(year)s to compare yet.") % {
        "area": area,
        "indicator": indicator,
        "year": year,
    }


def target_sentence(goal: Goal, judgement: str, decimals: int) -> str:
    values = {
        "target": charts.format_value(goal.target_value, decimals),
        "year": goal.target_year,
    }
    if judgement == Judgement.TARGET_MET:
        return _("The target, %(target)s by %(year)s, is met.") % values
    return _("The target, %(target)s by %(year)s, is not met yet.") % values


def judge_indicator(goal: Goal, indicator, areas: list[Area], points) -> IndicatorJudgements:
    """Every area's judgement for one goal and indicator. ``points`` maps (indicator id, area
    id) to the area's (year, value, example) points, oldest first."""
    lower_better = goal.direction in LOWER_IS_BETTER
    found = {}
    for area in areas:
        series = [p for p in points.get((indicator.pk, area.pk), []) if p[0] >= goal.baseline_year]
        found[area.pk] = (series[0], series[-1]) if len(series) > 1 else None
    # The worst latest value among the areas of each parent (e.g. Stockholm's districts).
    worst: dict[int, int] = {}
    by_parent = defaultdict(list)
    for area in areas:
        if area.parent_id and found[area.pk]:
            by_parent[area.parent_id].append(area)
    for parent_id, siblings in by_parent.items():
        if len(siblings) < 2:
            continue
        key = lambda a: found[a.pk][1][1]  # noqa: E731
        chosen = max(siblings, key=key) if lower_better else min(siblings, key=key)
        worst[parent_id] = chosen.pk
    rows = []
    for area in areas:
        pair = found[area.pk]
        if pair is None:
            rows.append(
                AreaJudgement(
                    area=area,
                    baseline=None,
                    latest=None,
                    judgement=Judgement.NO_DATA,
                    sentence=no_data_sentence(area.name, indicator.name, goal.baseline_year),
                )
            )
            continue
        baseline, latest = pair
        target = goal.target_value if goal.has_target else None
        judgement = judge(
            goal.direction, baseline[1], latest[1], decimals=indicator.decimals, target=target
        )
        is_worst = area.parent_id is not None and worst.get(area.parent_id) == area.pk
        text = sentence(
            area=area.name,
            indicator=indicator.name,
            baseline=baseline,
            latest=latest,
            decimals=indicator.decimals,
            extreme=("highest" if lower_better else "lowest") if is_worst else "",
            place=area.parent.name if is_worst else "",
        )
        if target is not None:
            text = f"{text} {target_sentence(goal, judgement, indicator.decimals)}"
        rows.append(
            AreaJudgement(
                area=area, baseline=baseline, latest=latest, judgement=judgement, sentence=text
            )
        )
    return IndicatorJudgements(indicator=indicator, rows=rows)


def tracker_queryset():
    """Programmes with their goal areas, goals, ordered bodies and indicators: six queries."""
    goals = Goal.objects.select_related("follow_up").prefetch_related(
        Prefetch(
            "responsibilities",
            queryset=Responsibility.objects.select_related("body").order_by("position", "id"),
            to_attr="ordered_responsibilities",
        ),
        Prefetch("indicators", to_attr="ordered_indicators"),
    )
    return (
        Programme.objects.select_related("area__municipality", "follow_up")
        .defer("area__own_boundary", "area__municipality__boundary")
        .prefetch_related(
            Prefetch(
                "goal_areas",
                queryset=GoalArea.objects.order_by("position", "id").prefetch_related(
                    Prefetch("goals", queryset=goals.order_by("position", "id"))
                ),
            )
        )
    )


@dataclass
class ProgrammeView:
    programme: Programme
    areas: list[Area]
    goal_areas: list[tuple[GoalArea, list[GoalView]]]
    councils: list[Body]

    @property
    def has_example(self) -> bool:
        return any(
            ij.has_example for _ga, goals in self.goal_areas for g in goals for ij in g.indicators
        ) or any(g.goal.is_example for _ga, goals in self.goal_areas for g in goals)


def goal_tracker() -> list[ProgrammeView]:
    """Every programme, judged: a fixed number of queries (six for the structure, one for the
    areas, one for the values, two for the prioritised district councils)."""
    programmes = list(tracker_queryset())
    if not programmes:
        return []
    scope = Q()
    for programme in programmes:
        scope |= Q(pk=programme.area_id) | Q(parent_id=programme.area_id)
    areas = list(Area.objects.light().filter(scope).order_by("area_name", "pk"))
    indicator_ids = {
        indicator.pk
        for programme in programmes
        for goal_area in programme.goal_areas.all()
        for goal in goal_area.goals.all()
        for indicator in goal.ordered_indicators
    }
    points: dict[tuple[int, int], list[Point]] = defaultdict(list)
    if indicator_ids:
        for indicator_id, area_id, year, value, is_example in (
            Observation.objects.filter(
                indicator_id__in=indicator_ids,
                area_id__in=[area.pk for area in areas],
                gender=Gender.TOTAL,
            )
            .order_by("year")
            .values_list("indicator_id", "area_id", "year", "value", "is_example")
        ):
            points[(indicator_id, area_id)].append((year, value, is_example))
    councils = list(
        Body.objects.filter(prioritised=True)
        .prefetch_related(Prefetch("areas", queryset=Area.objects.light().order_by("area_name")))
        .order_by("name")
    )
    views = []
    for programme in programmes:
        # The programme's own area first, then its districts: prioritised ones, then the rest.
        own = [a for a in areas if a.pk == programme.area_id or a.parent_id == programme.area_id]
        own.sort(key=lambda a: (a.pk != programme.area_id, not a.prioritised))
        goal_areas = []
        for goal_area in programme.goal_areas.all():
            goal_views = []
            for goal in goal_area.goals.all():
                view = GoalView(goal=goal)
                if goal.direction in JUDGED:
                    view.indicators = [
                        judge_indicator(goal, indicator, own, points)
                        for indicator in goal.ordered_indicators
                    ]
                goal_views.append(view)
            goal_areas.append((goal_area, goal_views))
        areas_in_scope = {a.pk for a in own}
        views.append(
            ProgrammeView(
                programme=programme,
                areas=own,
                goal_areas=goal_areas,
                councils=[
                    c for c in councils if any(a.pk in areas_in_scope for a in c.areas.all())
                ],
            )
        )
    return views
