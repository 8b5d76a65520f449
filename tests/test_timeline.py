"""A testbed's timeline (issue 18, part 1): one dated line per thing that happened, from every
app, on the testbed page, as an Atom feed and in the API."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from collaboration.models import CollaborationGroup, Grant, Meeting, SystemSolution
from collaboration.tests.factories import ActorFactory
from dialogue.tests.factories import ContributionFactory, ResponseFactory, RoundFactory
from ideagroups.tests.factories import IdeaGroupFactory, WorkEntryFactory
from results.tests.factories import FilmFactory, ResultFactory
from testbeds.tests.factories import TestbedFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
TODAY = timezone.localdate()


def day(year, month, date):
    return datetime.date(year, month, date)


@pytest.fixture
def testbed():
    """A testbed with something from every app, and things that must not show."""
    testbed = TestbedFactory(
        title="Dagvatten i Hallunda",
        slug="dagvatten",
        start_date=day(2015, 3, 2),
        end_date=day(2017, 6, 30),
        status="completed",
    )
    closed = RoundFactory(
        testbed=testbed,
        title="Samråd om parken",
        stage="consultation",
        opens_on=day(2016, 2, 1),
        closes_on=day(2016, 3, 1),
    )
    answered = ContributionFactory(round=closed)
    ResponseFactory(contribution=answered)
    ContributionFactory(round=closed)
    ContributionFactory(round=closed, status="pending")  # not yet published: not counted
    group = IdeaGroupFactory(name="Ekosystemtjänster", testbeds=[testbed])
    WorkEntryFactory(
        group=group,
        title="Rapport om parken",
        kind="report",
        status="published",
        date=day(2016, 11, 15),
    )
    WorkEntryFactory(group=group, title="Utkast som inte syns", status="draft")
    hidden_group = IdeaGroupFactory(published=False, testbeds=[testbed])
    WorkEntryFactory(group=hidden_group, title="Dold grupps arbete", status="published")
    collaboration = CollaborationGroup.objects.create(name="Samverkansgruppen", purpose="Syfte")
    meeting = Meeting.objects.create(group=collaboration, date=day(2016, 4, 5), title="Möte 4")
    meeting.testbeds_discussed.add(testbed)
    solution = SystemSolution.objects.create(
        group=collaboration,
        title="Checklista",
        slug="checklista",
        summary="S",
        adopted_on=day(2016, 10, 4),
    )
    solution.testbeds.add(testbed)
    grant = Grant.objects.create(
        funder=ActorFactory(sector="funder", name="Vinnova"),
        title="Dagvattenstöd",
        amount_sek=500000,
        reference="2015-00001",
        start_date=day(2015, 5, 1),
    )
    grant.testbeds.add(testbed)
    result = ResultFactory(testbed=testbed, title="Dagvattenpark", date=day(2016, 10, 3))
    ResultFactory(testbed=testbed, title="Opublicerat resultat", published=False)
    FilmFactory(testbed=testbed, result=result, title="Så fungerar parken")
    return testbed


def timeline_lines(html: str) -> list[str]:
    section = html[
        html.index('id="tidslinje"') : html.index("</section>", html.index('id="tidslinje"'))
    ]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", item).split())
        for item in re.findall(r'<li class="timeline-event.*?</li>', section, re.S)
    ]


def test_the_testbed_page_lists_what_happened_in_every_app_oldest_first(client, testbed):
    response = client.get("/en/testbaddar/dagvatten/")
    assert timeline_lines(response.text) == [
        "2 March 2015 The testbed started",
        "May 2015 Grant 2015-00001 began: Dagvattenstöd Vinnova, 500,000 SEK",
        "1 February 2016 Consultation opened: Samråd om parken",
        "1 March 2016 Consultation closed: Samråd om parken 2 contributions published, 1 answered",
        "5 April 2016 Discussed by the collaboration group: Möte 4",
        "3 October 2016 Result published: Method: Dagvattenpark",
        "3 October 2016 Film: Så fungerar parken",
        "4 October 2016 The collaboration group adopted a system solution: Checklista",
        "15 November 2016 Report from Ekosystemtjänster: Rapport om parken",
        "30 June 2017 The testbed ended",
    ]


def test_the_timeline_can_be_read_newest_first_without_javascript(client, testbed):
    oldest = client.get("/en/testbaddar/dagvatten/")
    assert 'href="?tidslinje=nyast#tidslinje"' in oldest.text
    newest = client.get("/en/testbaddar/dagvatten/?tidslinje=nyast")
    lines = timeline_lines(newest.text)
    assert lines[0] == "30 June 2017 The testbed ended"
    assert lines[-1] == "2 March 2015 The testbed started"
    assert '<strong aria-current="true">newest first</strong>' in newest.text


def test_the_timeline_says_what_is_to_come_in_the_future_tense(client):
    testbed = TestbedFactory(
        slug="framtid",
        start_date=TODAY - datetime.timedelta(days=10),
        end_date=TODAY + datetime.timedelta(days=300),
    )
    RoundFactory(testbed=testbed, upcoming=True, title="Kommande", stage="early")
    lines = timeline_lines(client.get("/en/testbaddar/framtid/").text)
    assert lines[0].endswith("The testbed started")
    assert lines[1].endswith("opens: Kommande")
    assert lines[2].endswith("The testbed is planned to end")


def test_the_timeline_feed_gives_each_line_newest_first_with_its_own_id(client, testbed):
    response = client.get("/en/testbaddar/dagvatten/flode/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles[0] == "The testbed ended"
    assert "Consultation closed: Samråd om parken" in titles
    assert len(titles) == 10
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("http://testserver/") for i in ids)
    closed = entries[titles.index("Consultation closed: Samråd om parken")]
    assert closed.findtext(f"{ATOM}summary") == "2 contributions published, 1 answered"
    assert closed.find(f"{ATOM}link").get("href").startswith("http://testserver/en/dialog/")
    page = client.get("/en/testbaddar/dagvatten/")
    assert 'type="application/atom+xml" href="/en/testbaddar/dagvatten/flode/"' in page.text


def test_the_feed_of_an_unpublished_or_unknown_testbed_is_not_found(client):
    TestbedFactory(slug="utkast", published=False)
    assert client.get("/testbaddar/utkast/flode/").status_code == 404
    assert client.get("/testbaddar/finns-inte/flode/").status_code == 404


def test_the_api_gives_the_timeline_with_the_testbed(client, testbed):
    answer = client.get("/api/v1/testbeds/dagvatten/").json()
    timeline = answer["timeline"]
    assert timeline[0] == {
        "date": "2015-03-02",
        "date_precision": "day",
        "kind": "testbed",
        "title": "Testbädden startade",  # the API speaks the default language
        "detail": "",
        "html_url": "http://testserver/testbaddar/dagvatten/",
    }
    assert [event["kind"] for event in timeline].count("dialogue") == 2
    assert "timeline" not in client.get("/api/v1/testbeds/").json()["results"][0]
    schema = client.get("/api/v1/openapi.json").json()
    assert "TimelineEvent" in schema["components"]["schemas"]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_timeline_costs_the_same_queries_for_few_and_many_lines(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    testbed = TestbedFactory(slug="manga")
    group = IdeaGroupFactory(testbeds=[testbed])

    def add(count):
        for _ in range(count):
            RoundFactory(testbed=testbed, closed=True)
            WorkEntryFactory(group=group, status="published")
            ResultFactory(testbed=testbed)

    add(2)
    few = queries_for(client, "/testbaddar/manga/"), queries_for(client, "/testbaddar/manga/flode/")
    add(20)
    many = (
        queries_for(client, "/testbaddar/manga/"),
        queries_for(client, "/testbaddar/manga/flode/"),
    )
    assert few == many


def test_a_grant_is_dated_as_exactly_as_its_record_gives_it(client, testbed):
    html = client.get("/testbaddar/dagvatten/").text
    assert '<time datetime="2015-05">maj 2015</time>' in html  # a grant's default: the month
    assert "1 maj 2015" not in html
    grant = Grant.objects.get()
    grant.date_precision = "year"
    grant.save()
    html = client.get("/testbaddar/dagvatten/").text
    assert '<time datetime="2015">2015</time>' in html and "maj 2015" not in html
    events = client.get("/api/v1/testbeds/dagvatten/").json()["timeline"]
    grant = next(event for event in events if event["kind"] == "grant")
    assert (grant["date"], grant["date_precision"]) == ("2015-05-01", "year")
    assert {event["date_precision"] for event in events if event["kind"] != "grant"} == {"day"}


def test_the_testbed_page_reads_its_results_and_grants_once(client, settings, testbed):
    """The timeline takes the results and grants the page's sections have already read (the
    sections' prefetches) instead of asking for the same rows again; the lines stay the same
    (test_the_testbed_page_lists_what_happened_in_every_app_oldest_first)."""
    settings.PAGE_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as context:
        html = client.get("/en/testbaddar/dagvatten/").text
    tables = [
        re.search(r'\bFROM "(\w+)"', query["sql"]).group(1) for query in context.captured_queries
    ]
    assert tables.count("results_result") == 1
    assert tables.count("collaboration_grant") == 1
    assert "Result published: Method: Dagvattenpark" in timeline_lines(html)[5]
    assert "Opublicerat resultat" not in html
