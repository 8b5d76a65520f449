"""The goal tracker (issue 17, item 3) and the area scope of an indicator (the social risk index
is Stockholm's only): judgements, sentences, the page, its query count, the admin and the
import's refusal."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from indicators.goals import Judgement, judge
from indicators.models import Goal, GoalArea, Indicator, Observation, Responsibility
from indicators.services import import_observations
from indicators.tests.factories import (
    AreaFactory,
    BodyFactory,
    GoalAreaFactory,
    GoalFactory,
    IndicatorFactory,
    ObservationFactory,
    ProgrammeFactory,
    bulk_areas,
    bulk_observations,
    municipality_area,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("direction", "start", "end", "target", "expected"),
    [
        ("decrease", "180", "171", None, Judgement.IMPROVING),
        ("decrease", "150", "160", None, Judgement.WORSENING),
        ("increase", "60.0", "61.5", None, Judgement.IMPROVING),
        ("increase", "60.0", "59.5", None, Judgement.WORSENING),
        ("increase", "60.01", "60.04", None, Judgement.UNCHANGED),  # equal at one decimal
        ("at_most", "160", "140", Decimal("150"), Judgement.TARGET_MET),
        ("at_most", "170", "160", Decimal("150"), Judgement.IMPROVING),
        ("at_least", "70", "81", Decimal("80"), Judgement.TARGET_MET),
        ("none", "1", "2", None, Judgement.NO_DATA),
    ],
)
def test_judge(direction, start, end, target, expected):
    assert judge(direction, Decimal(start), Decimal(end), decimals=1, target=target) == expected


@pytest.fixture
def stockholm_goals():
    programme = ProgrammeFactory(slug="sammanhallen-stad")
    stockholm = programme.area
    tensta = AreaFactory(
        own_code="0180-tensta", own_name="Tensta", parent=stockholm, prioritised=True
    )
    rinkeby = AreaFactory(own_code="0180-rinkeby", own_name="Rinkeby", parent=stockholm)
    AreaFactory(own_code="0180-husby", own_name="Husby", parent=stockholm)  # no values
    index = IndicatorFactory(
        code="socialt-riskindex",
        name="Socialt riskindex",
        unit="index",
        decimals=0,
        direction="lower",
        area_scope=stockholm,
    )
    values = {
        stockholm: {2012: 100, 2016: 100, 2019: 100},
        tensta: {2012: 180, 2016: 176, 2019: 171},
        rinkeby: {2012: 150, 2016: 146, 2019: 140},
    }
    for area, by_year in values.items():
        for year, value in by_year.items():
            ObservationFactory(
                indicator=index, area=area, year=year, value=Decimal(value), is_example=True
            )
    council = BodyFactory(name="Stadsdelsnämnderna", kind="district_council")
    housing = BodyFactory(name="Bostadsbolagen", kind="company")
    BodyFactory(
        name="Spånga-Tensta stadsdelsnämnd", kind="district_council", prioritised=True
    ).areas.set([tensta])
    goal_area = GoalAreaFactory(programme=programme, name="Lokalt arbete med social hållbarhet")
    goal = GoalFactory(
        goal_area=goal_area,
        number="",
        text="Den sociala hållbarheten ska öka i de prioriterade stadsdelarna.",
        direction="decrease",
        baseline_year=2012,
        indicators=[index],
        bodies=[council, housing],
    )
    return {"programme": programme, "goal": goal, "index": index, "tensta": tensta}


def row_of(text: str, code: str) -> str:
    start = text.index(f'data-area="{code}"')
    return text[start : text.index("</tr>", start)]


def test_the_tracker_judges_each_area_in_a_plain_sentence(client, stockholm_goals):
    text = client.get("/en/mal/").text
    tensta = row_of(text, "0180-tensta")
    assert "Improving" in tensta
    assert (
        "Tensta: Socialt riskindex fell from 180 in 2012 to 171 in 2019, but stays the highest "
        "in Stockholm." in tensta
    )
    assert "Prioritised" in tensta and "★" in tensta  # a mark and a word, not colour alone
    rinkeby = row_of(text, "0180-rinkeby")
    assert "Rinkeby: Socialt riskindex fell from 150 in 2012 to 140 in 2019." in rinkeby
    assert "Prioritised" not in rinkeby
    assert "Stockholm: Socialt riskindex stayed at 100 from 2012 to 2019." in row_of(text, "0180")
    husby = row_of(text, "0180-husby")
    assert "No data" in husby and "has no values since 2012" in husby
    # The summary in the goals table counts the judgements.
    assert "Improving: 2" in text and "Unchanged: 1" in text and "No data: 1" in text
    assert "Example data" in text


def test_the_tracker_lists_the_bodies_in_order_the_first_leading(client, stockholm_goals):
    with translation.override("en"):
        text = client.get(reverse("indicators:goal_list")).text
    goal_row = text[text.index(f'id="goal-{stockholm_goals["goal"].pk}"') :]
    goal_row = goal_row[: goal_row.index("</tr>")]
    assert goal_row.index("Stadsdelsnämnderna") < goal_row.index("Bostadsbolagen")
    assert (
        goal_row.index("Stadsdelsnämnderna")
        < goal_row.index("leads")
        < goal_row.index("Bostadsbolagen")
    )
    assert "Kommunstyrelsen" in goal_row  # the body that follows up
    assert "should decrease" in goal_row and "baseline 2012" in goal_row
    # The prioritised district councils with their districts.
    assert "Spånga-Tensta stadsdelsnämnd" in text
    assert 'href="/en/omraden/0180-tensta/"' in text


def test_changing_the_order_changes_the_lead(client, stockholm_goals):
    goal = stockholm_goals["goal"]
    Responsibility.objects.filter(goal=goal, body__name="Bostadsbolagen").update(position=0)
    text = client.get("/en/mal/").text
    row = text[text.index(f'id="goal-{goal.pk}"') :]
    row = row[: row.index("</tr>")]
    assert row.index("Bostadsbolagen") < row.index("leads") < row.index("Stadsdelsnämnderna")


def test_a_numeric_target_met_is_said(client, stockholm_goals):
    goal = stockholm_goals["goal"]
    Goal.objects.filter(pk=goal.pk).update(
        direction="at_most", target_value=Decimal("150"), target_year=2020, is_example=True
    )
    text = client.get("/en/mal/").text
    rinkeby = row_of(text, "0180-rinkeby")
    assert "Target met" in rinkeby and "The target, 150 by 2020, is met." in rinkeby
    assert "The target, 150 by 2020, is not met yet." in row_of(text, "0180-tensta")
    assert "Example" in text[text.index(f'id="goal-{goal.pk}"') :]


def test_a_goal_target_needs_a_target_direction():
    goal = GoalFactory.build(direction="decrease", target_value=Decimal(1), target_year=2020)
    with pytest.raises(ValidationError) as caught:
        goal.clean()
    assert "direction" in caught.value.message_dict


def test_the_indicator_list_links_the_tracker(client, db):
    assert 'href="/mal/"' in client.get("/indikatorer/").text
    assert client.get("/en/mal/").status_code == 200


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def make_goals(programme, count, indicators, bodies, start=0):
    goal_area = GoalArea.objects.create(programme=programme, name=f"Område {start}")
    goals = Goal.objects.bulk_create(
        Goal(
            goal_area=goal_area,
            number=f"{i}.1",
            text=f"Mål {i}",
            direction="increase",
            baseline_year=2015,
            follow_up=programme.follow_up,
        )
        for i in range(start, start + count)
    )
    Goal.indicators.through.objects.bulk_create(
        Goal.indicators.through(goal=goal, indicator=indicator)
        for goal in goals
        for indicator in indicators
    )
    Responsibility.objects.bulk_create(
        Responsibility(goal=goal, body=body, position=i)
        for goal in goals
        for i, body in enumerate(bodies)
    )


def test_the_tracker_makes_the_same_number_of_queries_for_10_and_500_goals(client):
    programme = ProgrammeFactory()
    indicators = [IndicatorFactory(), IndicatorFactory()]
    bodies = [BodyFactory(), BodyFactory(), BodyFactory()]
    areas = bulk_areas(2, parent=programme.area)
    bulk_observations(indicators, [programme.area, *areas], [2015, 2017])
    make_goals(programme, 10, indicators, bodies)
    few = count_queries(client, "/mal/")
    make_goals(programme, 490, indicators, [*bodies, BodyFactory()], start=10)
    assert Goal.objects.count() == 500
    assert count_queries(client, "/mal/") == few


def test_the_tracker_makes_the_same_number_of_queries_for_10_and_500_areas(client):
    programme = ProgrammeFactory()
    indicators = [IndicatorFactory()]
    areas = bulk_areas(10, parent=programme.area)
    bulk_observations(indicators, [programme.area, *areas], [2015, 2017])
    make_goals(programme, 2, indicators, [BodyFactory(), BodyFactory()])
    council = BodyFactory(kind="district_council", prioritised=True)
    council.areas.set(areas)
    few = count_queries(client, "/mal/")
    more = bulk_areas(490, parent=programme.area, start=10)
    bulk_observations(indicators, more, [2015, 2017])
    council.areas.add(*more)
    BodyFactory(kind="district_council", prioritised=True).areas.set(more[:5])
    assert count_queries(client, "/mal/") == few


# The area scope: the social risk index is Stockholm's only ----------------------------------


def test_an_observation_outside_the_scope_is_refused(stockholm_goals):
    huddinge = municipality_area(name="Huddinge", slug="huddinge", code="0126")
    observation = Observation(
        indicator=stockholm_goals["index"], area=huddinge, year=2016, value=Decimal(120)
    )
    with pytest.raises(ValidationError) as caught:
        observation.full_clean()
    assert caught.value.message_dict["area"] == [
        "”Socialt riskindex” gäller endast Stockholm och områdena inom det."
    ]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        observation.full_clean()
    assert caught.value.message_dict["area"] == [
        "“Socialt riskindex” is only for Stockholm and the areas inside it."
    ]
    inside = Observation(
        indicator=stockholm_goals["index"],
        area=stockholm_goals["tensta"],
        year=2017,
        value=Decimal(175),
    )
    inside.full_clean()


def test_the_import_refuses_rows_outside_the_scope_and_writes_nothing(stockholm_goals):
    municipality_area(name="Huddinge", slug="huddinge", code="0126")
    before = Observation.objects.count()
    report = import_observations(
        b"indicator,area,year,value\nsocialt-riskindex,0180-tensta,2017,175\n"
        b"socialt-riskindex,0126,2017,120\n",
        name="data.csv",
    )
    assert not report.written
    assert [(e.line, e.reason) for e in report.errors] == [
        (3, "”Socialt riskindex” gäller endast Stockholm och områdena inom det.")
    ]
    assert Observation.objects.count() == before


def test_a_scope_with_values_outside_it_is_refused(stockholm_goals):
    huddinge = municipality_area(name="Huddinge", slug="huddinge", code="0126")
    index = stockholm_goals["index"]
    Indicator.objects.filter(pk=index.pk).update(area_scope=None)
    ObservationFactory(indicator=index, area=huddinge, year=2016, value=Decimal(120))
    index.refresh_from_db()
    index.area_scope = stockholm_goals["programme"].area
    with pytest.raises(ValidationError) as caught:
        index.full_clean()
    assert (
        "hör till områden utanför Stockholm, t.ex. Huddinge: ta bort dem först"
        in caught.value.message_dict["area_scope"][0]
    )


def test_the_admin_observation_form_says_why(admin_client, stockholm_goals):
    huddinge = municipality_area(name="Huddinge", slug="huddinge", code="0126")
    response = admin_client.post(
        reverse("admin:indicators_observation_add"),
        {
            "indicator": stockholm_goals["index"].pk,
            "area": huddinge.pk,
            "year": 2016,
            "gender": "T",
            "value": "120",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "gäller endast Stockholm och områdena inom det" in response.text
    assert not Observation.objects.filter(area=huddinge).exists()


def test_the_goal_admin_shows_the_ordered_bodies_inline(admin_client, stockholm_goals):
    goal = stockholm_goals["goal"]
    response = admin_client.get(reverse("admin:indicators_goal_change", args=[goal.pk]))
    assert response.status_code == 200
    text = response.text
    assert "responsibilities-TOTAL_FORMS" in text
    assert text.index("Stadsdelsnämnderna") < text.index("Bostadsbolagen")
    listing = admin_client.get(reverse("admin:indicators_goal_changelist")).text
    assert "Stadsdelsnämnderna" in listing  # the lead, in the list
