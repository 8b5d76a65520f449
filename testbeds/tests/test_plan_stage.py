"""Issue 15, item 3: where a testbed's plan stands, in the stages of the standard procedure for
a detailed plan (PBL 5 kap.), as an accessible step list on the testbed page and in the admin."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sodertorn.tests.factories import CuratorFactory
from testbeds.models import PlanningStage, Testbed
from testbeds.tests.factories import TestbedFactory

pytestmark = pytest.mark.django_db

PROCEDURE = [
    ("early", "Early dialogue"),
    ("plan_start", "Planning notice and assignment"),
    ("programme", "Programme"),
    ("consultation", "Consultation"),
    ("review", "Review"),
    ("adoption", "Adoption"),
    ("legal_force", "Legal force"),
    ("follow_up", "Follow-up"),
]
STEP = re.compile(r'<li class="plan-step plan-step-(\w+)"( aria-current="step")?>(.*?)</li>', re.S)


def steps(html: str) -> list[tuple[str, bool, str]]:
    """(state, has aria-current, visible text) of each item of the page's plan step list."""
    block = re.search(r'<ol class="plan-steps">(.*?)</ol>', html, re.S)
    assert block, "no plan step list on the page"
    return [
        (state, bool(current), " ".join(re.sub(r"<[^>]+>", "", text).split()))
        for state, current, text in STEP.findall(block.group(1))
    ]


def test_the_stages_follow_the_standard_procedure_and_keep_the_stored_values():
    with translation.override("en"):
        assert [(stage.value, str(stage.label)) for stage in PlanningStage] == PROCEDURE
    # The values of the first version are still there, so stored rounds stay valid.
    assert {"early", "programme", "consultation", "review", "follow_up"} <= set(
        PlanningStage.values
    )


def test_the_dialogue_round_and_the_testbed_share_the_one_list_of_stages():
    from dialogue.models import DialogueRound

    assert DialogueRound.Stage is PlanningStage is Testbed.PlanStage
    for field in (DialogueRound._meta.get_field("stage"), Testbed._meta.get_field("plan_stage")):
        assert [value for value, _label in field.choices] == PlanningStage.values


@pytest.mark.each_database  # a database constraint
def test_the_database_accepts_the_stages_and_no_plan_and_refuses_anything_else():
    testbed = TestbedFactory()
    for value in [*PlanningStage.values, ""]:
        Testbed.objects.filter(pk=testbed.pk).update(plan_stage=value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Testbed.objects.filter(pk=testbed.pk).update(plan_stage="detaljplan")


def test_the_page_shows_where_the_plan_stands_as_a_step_list(client):
    testbed = TestbedFactory(slug="ronninge", plan_stage=PlanningStage.CONSULTATION)
    html = client.get(f"/en{testbed.get_absolute_url()}").content.decode()
    assert "Where the plan stands" in html
    found = steps(html)
    assert [text.split(" (")[0] for _state, _current, text in found] == [
        label for _value, label in PROCEDURE
    ]
    assert [state for state, _current, _text in found] == [
        "done",
        "done",
        "done",
        "current",
        "upcoming",
        "upcoming",
        "upcoming",
        "upcoming",
    ]
    # The current stage is marked for assistive technology and in words, not by colour alone.
    assert [text for _state, current, text in found if current] == ["Consultation (current stage)"]
    assert found[0][2] == "Early dialogue (done)"
    assert found[-1][2] == "Follow-up"
    assert html.count('aria-current="step"') == 1


@pytest.mark.parametrize(("stage", "index"), [("early", 0), ("follow_up", 7)])
def test_the_first_and_the_last_stage(client, stage, index):
    testbed = TestbedFactory(plan_stage=stage)
    found = steps(client.get(f"/en{testbed.get_absolute_url()}").content.decode())
    assert [current for _state, current, _text in found].index(True) == index
    assert sum(current for _state, current, _text in found) == 1


def test_no_plan_no_step_list(client):
    testbed = TestbedFactory(plan_stage="")
    html = client.get(testbed.get_absolute_url()).content.decode()
    assert 'class="plan-steps"' not in html
    assert "testbeds/plan.css" not in html
    assert testbed.plan_steps() == []


def test_the_step_list_costs_no_query(client):
    def count(testbed):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(testbed.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    without = count(TestbedFactory(plan_stage=""))
    with_plan = count(TestbedFactory(plan_stage=PlanningStage.ADOPTION))
    assert with_plan == without


def test_the_step_list_has_its_stylesheet_and_no_inline_style(client):
    testbed = TestbedFactory(plan_stage=PlanningStage.REVIEW)
    html = client.get(testbed.get_absolute_url()).content.decode()
    assert "testbeds/plan.css" in html
    block = re.search(r'<ol class="plan-steps">.*?</ol>', html, re.S).group(0)
    assert "style=" not in block


def test_curators_set_the_plan_stage_in_the_admin(client):
    client.force_login(CuratorFactory())
    testbed = TestbedFactory(plan_stage="")
    with translation.override("en"):
        form = client.get(f"/admin/testbeds/testbed/{testbed.pk}/change/").content.decode()
    assert 'name="plan_stage"' in form
    assert '<option value="legal_force">' in form
    listing = client.get("/admin/testbeds/testbed/", {"plan_stage__exact": "consultation"})
    assert listing.status_code == 200


def test_the_demo_sets_plan_stages_on_invented_testbeds_only():
    """fixtures/testbeds.json: the real testbeds (Flemingsberg, Tyresö centrum) get no invented
    plan stage; the demo ones show every stage of the procedure between them."""
    rows = json.loads((Path(settings.BASE_DIR) / "fixtures" / "testbeds.json").read_text())
    stages = {row["fields"]["slug"]: row["fields"].get("plan_stage", "") for row in rows}
    real = [row["fields"]["slug"] for row in rows if not row["fields"]["is_demo"]]
    assert real and all(stages[slug] == "" for slug in real)
    assert set(stages.values()) - {""} == set(PlanningStage.values)
    assert stages["dagvatten-och-gronska-i-hallunda"] == PlanningStage.ADOPTION
