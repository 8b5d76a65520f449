"""CSV exports of the testbed catalogue and the results, the DCAT-AP-SE catalogue, the /data/
page."""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ideagroups.tests.factories import IdeaGroupFactory
from opendata.datasets import DATASETS, LICENSE_URL
from opendata.tests.test_opendata import page_slugs, world  # noqa: F401  (the shared fixture)
from results.models import Result
from sodertorn.csvwriter import safe_cell
from testbeds.tests.factories import OpenTestbedFactory, PlaceFactory, ThemeFactory, bulk_testbeds

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


# CSV -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "municipality=huddinge",
        "theme=bostader",
        "status=completed",
        "year=2019",
        "q=centrum",
        "sort=title",
        "municipality=&theme=&status=&year=&q=&sort=",
    ],
)
def test_testbed_csv_has_the_rows_of_the_catalogue_page(client, world, query):  # noqa: F811
    rows = read_csv(client.get(f"{reverse('opendata:testbeds_csv')}?{query}"))
    assert [row["slug"] for row in rows] == page_slugs(client, reverse("testbeds:list"), query)


@pytest.mark.parametrize(
    "query", ["", "kind=method", "municipality=tyreso", "testbed=flemingsberg", "year=2019"]
)
def test_result_csv_has_the_rows_of_the_results_page(client, world, query):  # noqa: F811
    rows = read_csv(client.get(f"{reverse('opendata:results_csv')}?{query}"))
    assert [row["slug"] for row in rows] == page_slugs(client, reverse("results:list"), query)


def test_csv_columns_and_values(client, world):  # noqa: F811
    rows = read_csv(client.get(reverse("opendata:testbeds_csv")))
    by_slug = {row["slug"]: row for row in rows}
    assert "hemlig" not in by_slug
    row = by_slug["flemingsberg"]
    assert row["title"] == "Flemingsbergs stationsområde"
    assert row["municipalities"] == "Huddinge" and row["themes"] == "Grönska"
    assert row["latitude"] == "59.220000" and row["status"] == "completed"
    assert row["url"] == "http://testserver/testbaddar/flemingsberg/"
    assert row["is_demo"] == "0"
    results = {row["slug"]: row for row in read_csv(client.get(reverse("opendata:results_csv")))}
    assert set(results) == {"a-metod", "a-rapport", "b-metod"}
    assert results["a-metod"]["testbed"] == "flemingsberg"
    assert results["a-metod"]["idea_group"] == "Grönytegruppen"
    assert results["b-metod"]["idea_group"] == ""  # the group is not published


def test_csv_cells_cannot_start_a_formula(client, db):
    OpenTestbedFactory(
        slug="formel",
        title='=HYPERLINK("http://evil.example","klicka")',
        summary="+1+1",
        question="-2+3",
        place_name="@SUM(A1)",
    )
    (row,) = read_csv(client.get(reverse("opendata:testbeds_csv")))
    assert row["title"] == '\'=HYPERLINK("http://evil.example","klicka")'
    assert row["summary"] == "'+1+1" and row["question"] == "'-2+3"
    assert row["place_name"] == "'@SUM(A1)"
    assert safe_cell(-17.5) == "-17.5" and safe_cell("Flemingsberg") == "Flemingsberg"


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("testbeds_csv", "municipality=stockholm"),
        ("testbeds_csv", "year=abc"),
        ("testbeds_csv", "q=a%00b"),
        ("results_csv", "kind=poem"),
        ("results_csv", "testbed=hemlig"),
    ],
)
def test_csv_with_invalid_filters_is_400(client, world, name, query):  # noqa: F811
    response = client.get(f"{reverse(f'opendata:{name}')}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_list_pages_link_to_the_csv_of_their_filters(client, world):  # noqa: F811
    html = client.get(f"{reverse('testbeds:list')}?municipality=huddinge&page=1").text
    assert 'href="/testbaddar/export.csv?municipality=huddinge"' in html
    html = client.get(f"{reverse('results:list')}?kind=method&year=2017").text
    assert 'href="/resultat/export.csv?kind=method&amp;year=2017"' in html
    html = client.get(f"{reverse('testbeds:list')}?municipality=stockholm").text
    assert "export.csv" not in html  # no download of a filter the page could not apply


@pytest.mark.parametrize("export", ["testbeds_csv", "results_csv"])
def test_csv_runs_a_fixed_number_of_queries(client, db, settings, export):
    settings.PAGE_CACHE_SECONDS = 0
    municipality, theme = PlaceFactory(), ThemeFactory()

    def add(n, start):
        testbeds = bulk_testbeds(n, municipality, theme, start=start)
        Result.objects.bulk_create(
            Result(
                testbed=testbed,
                idea_group=group,
                title=f"R{start + i}",
                slug=f"r-{start + i}",
                kind="report",
                summary="s",
                date=datetime.date(2017, 1, 1),
                published=True,
            )
            for i, testbed in enumerate(testbeds)
        )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            rows = read_csv(client.get(reverse(f"opendata:{export}")))
        return len(ctx.captured_queries), len(rows)

    group = IdeaGroupFactory()
    add(10, 0)
    few = count()
    add(490, 100)
    many = count()
    assert many[1] == 500 and few[0] == many[0]


# DCAT-AP-SE ------------------------------------------------------------------------------------


def test_catalog_is_json_ld_naming_every_dataset(client, db):
    response = client.get(reverse("api:catalog"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    document = json.loads(response.content)
    assert document["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert document["@context"]["dcterms"] == "http://purl.org/dc/terms/"
    nodes = {node["@id"]: node for node in document["@graph"]}
    (catalog,) = [n for n in nodes.values() if n["@type"] == "dcat:Catalog"]
    datasets = [n for n in nodes.values() if n["@type"] == "dcat:Dataset"]
    assert {d["@id"] for d in datasets} == {ref["@id"] for ref in catalog["dcat:dataset"]}
    assert {d["@id"].rsplit("#dataset-", 1)[1] for d in datasets} == {d.key for d in DATASETS}
    assert {"testbeds", "results", "films", "idea-groups", "actors", "indicators"} <= {
        d.key for d in DATASETS
    }
    assert catalog["dcterms:license"] == {"@id": LICENSE_URL}
    publisher = nodes[catalog["dcterms:publisher"]["@id"]]
    assert "foaf:Agent" in publisher["@type"] and publisher["foaf:name"]
    for dataset in datasets:
        languages = {text["@language"] for text in dataset["dcterms:title"]}
        assert languages == {"sv", "en"}
        assert {text["@language"] for text in dataset["dcterms:description"]} == {"sv", "en"}
        assert dataset["dcterms:publisher"] == catalog["dcterms:publisher"]
        contact = dataset["dcat:contactPoint"]
        assert contact["@type"] == "vcard:Organization"
        assert contact["vcard:hasEmail"]["@id"].startswith("mailto:")
        assert dataset["dcat:theme"] and dataset["dcat:keyword"]
        assert all(
            theme["@id"].startswith("http://publications.europa.eu/resource/authority/data-theme/")
            for theme in dataset["dcat:theme"]
        )
        assert dataset["dcat:distribution"]
        for distribution in dataset["dcat:distribution"]:
            assert distribution["@type"] == "dcat:Distribution"
            assert distribution["dcterms:license"] == {"@id": LICENSE_URL}
            assert distribution["dcat:mediaType"]["@id"].startswith(
                "http://www.iana.org/assignments/media-types/"
            )
            assert distribution["dcterms:format"]["@id"]
            address = distribution["dcat:accessURL"]["@id"]
            assert client.get(address).status_code == 200, address
    titles = {text["@value"] for d in datasets for text in d["dcterms:title"]}
    assert "Testbäddar i Södertörnsmodellen" in titles and "Idea groups" in titles


# The /data/ page -------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_data_page_documents_the_api_exports_licence_and_contact(client, db, prefix):
    response = client.get(prefix + "/data/")
    assert response.status_code == 200
    html = response.text
    for needle in [
        'href="/api/v1/openapi.json"',
        'href="/data/catalog.jsonld"',
        f'href="{prefix}/testbaddar/export.csv"',
        f'href="{prefix}/resultat/export.csv"',
        'href="http://creativecommons.org/licenses/by/4.0/"',
        "mailto:",
        'id="dataset-testbeds"',
        "/api/v1/observations/",
    ]:
        assert needle in html, needle


def test_data_page_names_each_example_field_in_a_sentence(client, db):
    """Not "is_demo or is_example" (in Swedish "is_demo eller is_example"): each field is named
    with what it marks and how."""
    html = client.get("/en/data/").text
    assert "is_demo or is_example" not in html
    assert "in the API their field <code>is_demo</code> is true, in the CSV files 1." in html
    assert "their field <code>is_example</code> says so" in html
    assert "is_demo eller is_example" not in client.get("/data/").text


def test_csv_follows_the_language_of_the_page_it_is_downloaded_from(client, world):  # noqa: F811
    """Same column keys and codes in both languages; choice labels and links in the page's."""
    from django.utils import translation

    from results.models import ResultKind
    from testbeds.models import Testbed

    labels = {}
    for language in ("sv", "en"):
        with translation.override(language):
            labels[language] = (
                str(Testbed.Status.COMPLETED.label),
                str(ResultKind.METHOD.label),
                reverse("opendata:testbeds_csv"),
                reverse("opendata:results_csv"),
            )
    assert labels["sv"][0] != labels["en"][0] and labels["sv"][1] != labels["en"][1]
    headers = {}
    for language, (status, kind, testbeds_csv, results_csv) in labels.items():
        response = client.get(testbeds_csv)
        headers[language] = response.content.decode("utf-8-sig").splitlines()[0]
        row = {r["slug"]: r for r in read_csv(response)}["flemingsberg"]
        assert row["status"] == "completed" and row["status_label"] == status
        prefix = "/en" if language == "en" else ""
        assert row["url"] == f"http://testserver{prefix}/testbaddar/flemingsberg/"
        result = {r["slug"]: r for r in read_csv(client.get(results_csv))}["a-metod"]
        assert result["kind"] == "method" and result["kind_label"] == kind
    assert headers["sv"] == headers["en"]
