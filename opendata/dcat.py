"""The portal's datasets as DCAT-AP-SE metadata (the Swedish profile of DCAT-AP that Sweden's
data portal harvests), in JSON-LD: one dcat:Catalog with its publisher and licence, and one
dcat:Dataset per dataset with title and description in Swedish and English, publisher, contact
point (vCard), theme (EU data themes), keywords and its distributions (API, CSV, GeoJSON)."""

from __future__ import annotations

from django.urls import reverse

from .datasets import (
    CONTACT_EMAIL,
    CONTACT_NAME,
    DATA_THEME,
    DATASETS,
    FILE_TYPE,
    LICENSE_URL,
    MEDIA_TYPE,
    PUBLISHER,
)

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
LANGUAGES = ("sv", "en")
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/Academia-ScientificOrganisation"
PUBLIC_ACCESS = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
LANGUAGE_URIS = [
    "http://publications.europa.eu/resource/authority/language/SWE",
    "http://publications.europa.eu/resource/authority/language/ENG",
]
# The programme ran from June 2014 to 2019.
PERIOD = {"start": "2014-06-01", "end": "2019-12-31"}


def texts(values: dict[str, str]) -> list[dict]:
    return [{"@value": values[lang], "@language": lang} for lang in LANGUAGES]


def uri(value: str) -> dict:
    return {"@id": value}


def catalog(links) -> dict:
    page = links.absolute(reverse("opendata:data"))
    publisher_id = f"{page}#publisher"
    contact = {
        "@type": "vcard:Organization",
        "vcard:fn": texts(CONTACT_NAME),
        "vcard:hasEmail": uri(f"mailto:{CONTACT_EMAIL}"),
        "vcard:hasURL": uri(page),
    }
    licence = uri(LICENSE_URL)
    datasets = []
    for dataset in DATASETS:
        distributions = []
        for distribution in dataset.distributions:
            address = links.absolute(distribution.url())
            node = {
                "@id": f"{page}#distribution-{distribution.key}",
                "@type": "dcat:Distribution",
                "dcterms:title": texts(distribution.title),
                "dcat:accessURL": uri(address),
                "dcterms:format": uri(FILE_TYPE + distribution.file_type),
                "dcat:mediaType": uri(MEDIA_TYPE + distribution.media_type),
                "dcterms:license": licence,
            }
            if distribution.download:
                node["dcat:downloadURL"] = uri(address)
            distributions.append(node)
        datasets.append(
            {
                "@id": f"{page}#dataset-{dataset.key}",
                "@type": "dcat:Dataset",
                "dcterms:identifier": f"{page}#dataset-{dataset.key}",
                "dcterms:title": texts(dataset.title),
                "dcterms:description": texts(dataset.description),
                "dcterms:publisher": uri(publisher_id),
                "dcat:contactPoint": contact,
                "dcat:theme": [uri(DATA_THEME + theme) for theme in dataset.themes],
                "dcat:keyword": [
                    {"@value": word, "@language": lang}
                    for lang in LANGUAGES
                    for word in dataset.keywords[lang]
                ],
                "dcat:landingPage": uri(links.absolute(reverse(dataset.landing_page))),
                "dcterms:accessRights": uri(PUBLIC_ACCESS),
                "dcterms:language": [uri(u) for u in LANGUAGE_URIS],
                "dcterms:temporal": {
                    "@type": "dcterms:PeriodOfTime",
                    "dcat:startDate": {"@value": PERIOD["start"], "@type": "xsd:date"},
                    "dcat:endDate": {"@value": PERIOD["end"], "@type": "xsd:date"},
                },
                "dcterms:license": licence,
                "dcat:distribution": distributions,
            }
        )
    catalog_node = {
        "@id": links.absolute(reverse("api:catalog")),
        "@type": "dcat:Catalog",
        "dcterms:title": texts(
            {"sv": "Södertörnsmodellens öppna data", "en": "Open data of the Södertörn Model"}
        ),
        "dcterms:description": texts(
            {
                "sv": "Testbäddar, resultat, filmer, idégrupper, aktörer och "
                "hållbarhetsindikatorer från Södertörnsmodellen (2014–2019).",
                "en": "Testbeds, results, films, idea groups, actors and sustainability "
                "indicators from the Södertörn Model (2014–2019).",
            }
        ),
        "dcterms:publisher": uri(publisher_id),
        "dcterms:license": licence,
        "dcterms:language": [uri(u) for u in LANGUAGE_URIS],
        "foaf:homepage": uri(page),
        "dcat:dataset": [uri(d["@id"]) for d in datasets],
    }
    publisher = {
        "@id": publisher_id,
        "@type": ["foaf:Agent", "foaf:Organization"],
        "foaf:name": texts(PUBLISHER),
        "dcterms:type": uri(PUBLISHER_TYPE),
    }
    return {"@context": CONTEXT, "@graph": [catalog_node, publisher, *datasets]}
