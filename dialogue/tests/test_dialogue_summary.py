"""Issue 15, item 3: a closed round's summary reads as planners know it (the samrådsredogörelse
of a samråd, the granskningsutlåtande of a granskning): what was said, grouped, each with the
municipality's answers; printable, and the same contributions as CSV."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from dialogue import services
from dialogue.models import Contribution, PlanningStage
from dialogue.tests.factories import ContributionFactory, ResponseFactory, RoundFactory
from testbeds.tests.factories import TestbedFactory

pytestmark = pytest.mark.django_db


def summary(client, round_, language="en"):
    with translation.override(language):
        response = client.get(round_.get_summary_url())
    assert response.status_code == 200
    return response


def sv(url_method) -> str:
    """A URL in Swedish (the default, no prefix), whatever the last request activated."""
    with translation.override("sv"):
        return url_method()


def h1(html: str) -> str:
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", heading).split())


@pytest.fixture
def consultation():
    """A closed samråd with a proposal per support level, comments, an unanswered one and the
    contributions the public never sees."""
    round_ = RoundFactory(
        slug="samrad",
        title="Samråd om parken",
        stage=PlanningStage.CONSULTATION,
        closed=True,
        testbed=TestbedFactory(slug="parken", title="Parken"),
    )
    now = timezone.now()
    few = ContributionFactory(round=round_, text="Fler bänkar.", support_count=2)
    many = ContributionFactory(round=round_, text="En spång över diket.", support_count=9)
    first = ContributionFactory(
        round=round_,
        kind="comment",
        text="Tänk på barnen vid dikena.",
        created_at=now - datetime.timedelta(days=20),
    )
    later = ContributionFactory(
        round=round_,
        kind="comment",
        text="Bra med regnvattnet.",
        name="",
        area="",
        created_at=now - datetime.timedelta(days=10),
    )
    ContributionFactory(round=round_, text="Väntar på moderering.", status="pending")
    ContributionFactory(round=round_, text="Dold reklam.", status="hidden", hidden_reason="Reklam")
    ResponseFactory(contribution=many, text="Spången ritas in.", signed="Planenheten")
    ResponseFactory(contribution=first, text="Dikena blir grunda.", signed="Planenheten")
    ResponseFactory(contribution=first, text="Och staket vid lekplatsen.", signed="Parkenheten")
    return {"round": round_, "many": many, "few": few, "first": first, "later": later}


# The term ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "term", "swedish"),
    [
        (PlanningStage.CONSULTATION, "Consultation report", "Samrådsredogörelse"),
        (PlanningStage.REVIEW, "Review statement", "Granskningsutlåtande"),
        (PlanningStage.EARLY, "Summary", "Sammanställning"),
        (PlanningStage.FOLLOW_UP, "Summary", "Sammanställning"),
        (PlanningStage.ADOPTION, "Summary", "Sammanställning"),
    ],
)
def test_the_summary_is_named_as_planners_name_it(client, stage, term, swedish):
    round_ = RoundFactory(slug="runda", title="Parken", stage=stage, closed=True)
    html = summary(client, round_).content.decode()
    assert h1(html) == f"{term}: Parken"
    assert f"<title>{term}: Parken" in html
    assert f'<li aria-current="page">{term}</li>' in html
    # The links to it say the same (the testbed page's section, the round, the round list).
    link = f"/en{sv(round_.get_summary_url)}"
    for url in (sv(round_.testbed.get_absolute_url), sv(round_.get_absolute_url), "/dialog/"):
        page = client.get(f"/en{url}").content.decode()
        assert re.search(rf'href="{link}">{term}\b', page), url
    # In Swedish, once the lead has added the translations (until then the English term).
    swedish_html = summary(client, round_, language="sv").content.decode()
    assert h1(swedish_html) in (f"{swedish}: Parken", f"{term}: Parken")


# What was said, grouped, with the answers --------------------------------------------------


def test_proposals_then_comments_each_with_the_municipalitys_answers(client, consultation):
    response = summary(client, consultation["round"])
    html = response.content.decode()
    groups = response.context["groups"]
    assert [group["kind"] for group in groups] == ["proposal", "comment"]
    assert [item.text for item in groups[0]["items"]] == ["En spång över diket.", "Fler bänkar."]
    assert [item.text for item in groups[1]["items"]] == [
        "Tänk på barnen vid dikena.",
        "Bra med regnvattnet.",
    ]
    said = html[html.index('id="said-heading"') :]
    assert '<h3 id="group-proposal-heading">Proposals (2)</h3>' in said
    assert '<h3 id="group-comment-heading">Comments (2)</h3>' in said
    assert said.index("En spång över diket.") < said.index("Fler bänkar.")
    assert said.index("Fler bänkar.") < said.index("Tänk på barnen vid dikena.")

    def item_html(contribution):
        start = said.index(f'id="bidrag-{contribution.pk}"')
        return said[start : said.index("</article>", start)]

    answered = item_html(consultation["first"])
    assert "Dikena blir grunda." in answered and "Och staket vid lekplatsen." in answered
    assert "— Planenheten" in answered and "— Parkenheten" in answered
    assert f"No. {consultation['first'].pk}: Amina, Tumba" in answered
    assert "Answer from the municipality" in item_html(consultation["many"])
    assert "9 supporters" in item_html(consultation["many"])
    assert "No answer has been published." in item_html(consultation["few"])
    assert "Anonymous" in item_html(consultation["later"])
    numbers = html[html.index('id="numbers-heading"') : html.index('id="said-heading"')]
    assert re.search(r"Answered by the municipality</dt><dd>2</dd>", numbers)


def test_only_approved_contributions_appear(client, consultation):
    html = summary(client, consultation["round"]).content.decode()
    export = client.get(sv(consultation["round"].get_csv_url)).content.decode("utf-8-sig")
    for hidden in ("Väntar på moderering.", "Dold reklam.", "Reklam"):
        assert hidden not in html and hidden not in export
    ids = {int(row[0]) for row in list(csv.reader(io.StringIO(export)))[1:]}
    assert ids == set(
        Contribution.objects.filter(round=consultation["round"], status="approved").values_list(
            "pk", flat=True
        )
    )


def test_an_empty_group_says_so(client):
    round_ = RoundFactory(slug="tom", closed=True)
    ContributionFactory(round=round_, kind="comment")
    html = summary(client, round_).content.decode()
    proposals = html[html.index('id="group-proposal-heading"') : html.index("group-comment")]
    assert "None was published in this round." in proposals


def test_only_closed_rounds_of_public_testbeds_have_a_summary(client):
    assert client.get(sv(RoundFactory(slug="oppen").get_summary_url)).status_code == 404
    hidden = RoundFactory(slug="dold", closed=True, testbed=TestbedFactory(published=False))
    assert client.get(sv(hidden.get_summary_url)).status_code == 404
    assert client.get(sv(hidden.get_csv_url)).status_code == 404


def test_erased_names_are_gone_from_the_summary_and_its_csv(client, settings):
    settings.DIALOGUE_PERSONAL_DATA_DAYS = 1
    round_ = RoundFactory(
        slug="gammal",
        closed=True,
        opens_on=timezone.localdate() - datetime.timedelta(days=40),
        closes_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    ContributionFactory(round=round_, name="Amina Ek", area="Storvreten", text="Bänkar.")
    assert "Amina Ek" in summary(client, round_).content.decode()
    services.erase_expired_personal_data()
    html = summary(client, round_).content.decode()
    assert "Bänkar." in html and "Amina Ek" not in html and "Storvreten" not in html
    export = client.get(sv(round_.get_csv_url)).content.decode("utf-8-sig")
    assert "Bänkar." in export and "Amina Ek" not in export and "Storvreten" not in export
    assert "the portal removes them 1 day after the round closes" in html


# CSV ---------------------------------------------------------------------------------------


def test_the_csv_has_the_summarys_order_and_who_answered_when(client, consultation):
    response = client.get(sv(consultation["round"].get_csv_url))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="dialog-samrad.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    assert header == [
        "id",
        "kind",
        "sent",
        "text",
        "name",
        "area",
        "supporters",
        "answers",
        "answered_by",
        "answered_on",
        "place_name",
        "latitude",
        "longitude",
    ]
    by_text = {row[3]: dict(zip(header, row, strict=True)) for row in data}
    assert [row[3] for row in data] == [
        "En spång över diket.",
        "Fler bänkar.",
        "Tänk på barnen vid dikena.",
        "Bra med regnvattnet.",
    ]
    first = by_text["Tänk på barnen vid dikena."]
    assert first["kind"] == "comment"
    assert first["answers"] == (
        "Planenheten: Dikena blir grunda.\n\nParkenheten: Och staket vid lekplatsen."
    )
    assert first["answered_by"] == "Planenheten; Parkenheten"
    assert first["answered_on"] == timezone.localdate().isoformat()
    assert (first["name"], first["area"]) == ("Amina", "Tumba")
    unanswered = by_text["Fler bänkar."]
    assert (unanswered["answers"], unanswered["answered_by"], unanswered["answered_on"]) == (
        "",
        "",
        "",
    )
    assert by_text["En spång över diket."]["supporters"] == "9"


def test_the_summary_links_its_csv(client, consultation):
    html = summary(client, consultation["round"]).content.decode()
    assert 'href="/en/dialog/samrad/sammanfattning.csv" download' in html


# Printable ---------------------------------------------------------------------------------


def test_the_summary_is_a_printable_document(client, consultation):
    html = summary(client, consultation["round"]).content.decode()
    assert "dialogue/dialogue.css" in html
    assert " style=" not in html and "<style" not in html
    # What only the printed page shows: where the document comes from.
    assert re.search(
        r'<dd class="print-only">http://testserver/en/dialog/samrad/sammanfattning/</dd>', html
    )
    assert "print it or save it as PDF" in html
    css = (Path(settings.BASE_DIR) / "static" / "dialogue" / "dialogue.css").read_text()
    print_rules = css[css.index("@media print") :]
    for hidden in (".site-header", ".site-footer", ".breadcrumbs", ".report-downloads"):
        assert hidden in print_rules.split("{", 1)[1].split("}", 1)[0], hidden
    assert ".print-only { display: block; }" in print_rules
    assert ".print-only { display: none; }" in css[: css.index("@media print")]
    assert "break-inside: avoid" in print_rules


# Query count -------------------------------------------------------------------------------


def add_contributions(round_, count):
    Contribution.objects.bulk_create(
        Contribution(
            round=round_,
            kind=("proposal", "comment")[n % 2],
            text=f"Bidrag {n}",
            consent=True,
            status=("approved", "approved", "pending")[n % 3],
            support_count=n % 7,
        )
        for n in range(count)
    )
    for item in Contribution.objects.filter(round=round_).order_by("?")[: max(3, count // 10)]:
        ResponseFactory(contribution=item)
        ResponseFactory(contribution=item, signed="Parkenheten")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("stage", [PlanningStage.CONSULTATION, PlanningStage.REVIEW])
def test_the_summary_and_its_csv_make_the_same_queries_for_10_and_500(client, settings, stage):
    settings.PAGE_CACHE_SECONDS = 0
    round_ = RoundFactory(slug="stor", stage=stage, closed=True)
    summary_url = sv(round_.get_summary_url)
    urls = [f"/en{summary_url}", summary_url, sv(round_.get_csv_url)]
    add_contributions(round_, 10)
    few = {url: count_queries(client, url) for url in urls}
    add_contributions(round_, 490)
    assert Contribution.objects.filter(round=round_).count() == 500
    assert {url: count_queries(client, url) for url in urls} == few
