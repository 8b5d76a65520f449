"""The API answers in one language: ``?lang=`` wins over Accept-Language (default Swedish)."""

import pytest
from django.urls import reverse

from .test_opendata import world  # noqa: F401 — the shared fixture

pytestmark = pytest.mark.django_db


def get(client, name, query="", **headers):
    return client.get(reverse(f"api:{name}") + (f"?{query}" if query else ""), **headers)


def test_lang_en_gives_links_to_the_english_pages(client, world):  # noqa: F811
    data = get(client, "testbeds-list", "lang=en").json()
    assert data["results"][0]["html_url"].startswith("http://testserver/en/testbaddar/")


def test_lang_wins_over_accept_language(client, world):  # noqa: F811
    swedish = get(client, "testbeds-list", "lang=sv", HTTP_ACCEPT_LANGUAGE="en")
    assert swedish["Content-Language"] == "sv"
    assert swedish.json()["results"][0]["html_url"].startswith("http://testserver/testbaddar/")
    english = get(client, "testbeds-list", "lang=EN", HTTP_ACCEPT_LANGUAGE="sv")
    assert english["Content-Language"] == "en"
    assert english.json()["results"][0]["html_url"].startswith("http://testserver/en/")


def test_accept_language_alone_chooses_the_language(client, world):  # noqa: F811
    response = get(client, "testbeds-list", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    assert response.json()["results"][0]["html_url"].startswith("http://testserver/en/")
    assert get(client, "testbeds-list")["Content-Language"] == "sv"


def test_detail_and_index_follow_lang(client, world):  # noqa: F811
    url = reverse("api:testbeds-detail", kwargs={"slug": "flemingsberg"}) + "?lang=en"
    assert client.get(url).json()["html_url"] == "http://testserver/en/testbaddar/flemingsberg/"
    index = get(client, "index", "lang=en").json()
    assert index["documentation"] == "http://testserver/en/data/"


def test_lang_gives_messages_in_that_language(client, world, swedish_messages):  # noqa: F811
    swedish_messages("Invalid query parameters.", "Ogiltiga parametrar i frågan.")
    swedish_messages("Not found.", "Hittades inte.")
    missing = reverse("api:results-detail", kwargs={"slug": "finns-inte"})
    assert client.get(missing + "?lang=en").json() == {"detail": "Not found."}
    assert client.get(missing + "?lang=sv", HTTP_ACCEPT_LANGUAGE="en").json() == {
        "detail": "Hittades inte."
    }
    data = get(client, "results-list", "kind=poem&lang=en", HTTP_ACCEPT_LANGUAGE="sv").json()
    assert data["detail"] == "Invalid query parameters."
    assert "kind" in data["errors"]


@pytest.mark.parametrize("value", ["de", "", "english", "sv-x"])
def test_unknown_lang_is_a_400_in_one_language(client, world, swedish_messages, value):  # noqa: F811
    swedish_messages("Invalid query parameters.", "Ogiltiga parametrar i frågan.")
    swedish_messages(
        "Unknown language: choose one of %(languages)s.", "Okänt språk: välj ett av %(languages)s."
    )
    response = get(client, "testbeds-list", f"lang={value}")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Ogiltiga parametrar i frågan.",
        "errors": {"lang": ["Okänt språk: välj ett av sv, en."]},
    }
    english = get(client, "testbeds-list", f"lang={value}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english == {
        "detail": "Invalid query parameters.",
        "errors": {"lang": ["Unknown language: choose one of sv, en."]},
    }
    assert get(client, "index", f"lang={value}").status_code == 400


def test_openapi_documents_lang_on_every_resource(client, world):  # noqa: F811
    document = get(client, "openapi").json()
    for path, operations in document["paths"].items():
        if path.startswith("/api/v1/") and path != "/api/v1/openapi.json":
            if "catalog" in path:
                continue
            names = [p["name"] for p in operations["get"].get("parameters", [])]
            assert "lang" in names, path
            (lang,) = [p for p in operations["get"]["parameters"] if p["name"] == "lang"]
            assert lang["schema"]["enum"] == ["sv", "en"]
            assert "Accept-Language" in lang["description"]
