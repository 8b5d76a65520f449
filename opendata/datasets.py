"""The datasets the portal publishes, described once for the /data/ page and the DCAT catalogue.

Titles, descriptions and keywords are metadata in both Swedish and English (the catalogue
carries both languages at once), so they are written here per language rather than translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

LICENSE_URL = "http://creativecommons.org/licenses/by/4.0/"
LICENSE_NAME = "CC BY 4.0"
# Where questions about the data go (DJANGO_OPENDATA_CONTACT_EMAIL).
CONTACT_EMAIL = settings.OPENDATA_CONTACT_EMAIL
PUBLISHER = {
    "sv": "KTH Kungliga Tekniska högskolan (koordinator för Södertörnsmodellen)",
    "en": "KTH Royal Institute of Technology (coordinator of the Södertörn Model)",
}
CONTACT_NAME = {"sv": "Södertörnsmodellen, öppna data", "en": "The Södertörn Model, open data"}
# EU vocabularies that DCAT-AP(-SE) asks for.
DATA_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE = "http://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Distribution:
    key: str
    title: dict[str, str]
    url_name: str
    query: str = ""
    file_type: str = "JSON"  # EU file-type code
    media_type: str = "application/json"
    download: bool = False  # a file (dcat:downloadURL), not only an access point

    def url(self) -> str:
        return reverse(self.url_name) + (f"?{self.query}" if self.query else "")

    @property
    def format_label(self) -> str:
        return {"GEOJSON": "GeoJSON", "CSV": "CSV"}.get(self.file_type, self.file_type)


@dataclass(frozen=True)
class Dataset:
    key: str
    title: dict[str, str]
    description: dict[str, str]
    keywords: dict[str, list[str]]
    themes: tuple[str, ...]
    landing_page: str  # url name of the HTML list
    distributions: tuple[Distribution, ...] = field(default=())


def api(resource: str, sv: str, en: str, query: str = "") -> Distribution:
    return Distribution(
        f"{resource}-api",
        {"sv": sv, "en": en},
        f"api:{resource}-list",
        query=query,
    )


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "testbeds",
        {"sv": "Testbäddar i Södertörnsmodellen", "en": "Testbeds of the Södertörn Model"},
        {
            "sv": "Katalogen över programmets testbäddar i de åtta Södertörnskommunerna: fråga, "
            "sammanfattning, status, tid, kommuner, teman och plats (punkt och område).",
            "en": "The catalogue of the programme's testbeds in the eight Södertörn "
            "municipalities: question, summary, status, dates, municipalities, themes and "
            "location (point and area).",
        },
        {
            "sv": ["testbädd", "hållbar stadsutveckling", "Södertörn", "samhällsplanering"],
            "en": ["testbed", "sustainable urban development", "Södertörn", "urban planning"],
        },
        ("REGI", "TECH"),
        "testbeds:list",
        (
            api("testbeds", "Testbäddar via API (JSON)", "Testbeds through the API (JSON)"),
            Distribution(
                "testbeds-csv",
                {"sv": "Testbäddar som CSV", "en": "Testbeds as CSV"},
                "opendata:testbeds_csv",
                file_type="CSV",
                media_type="text/csv",
                download=True,
            ),
            Distribution(
                "testbeds-geojson",
                {"sv": "Testbäddarnas platser som GeoJSON", "en": "Testbed locations as GeoJSON"},
                "testbeds:geojson",
                file_type="GEOJSON",
                media_type="application/geo+json",
                download=True,
            ),
        ),
    ),
    Dataset(
        "results",
        {"sv": "Resultat från testbäddarna", "en": "Results from the testbeds"},
        {
            "sv": "Lösningar, metoder, lärdomar, rapporter och policyrekommendationer från "
            "testbäddarna.",
            "en": "Solutions, methods, lessons learned, reports and policy recommendations from "
            "the testbeds.",
        },
        {
            "sv": ["resultat", "lärdomar", "metoder", "rapporter"],
            "en": ["results", "lessons learned", "methods", "reports"],
        },
        ("REGI", "TECH"),
        "results:list",
        (
            api("results", "Resultat via API (JSON)", "Results through the API (JSON)"),
            Distribution(
                "results-csv",
                {"sv": "Resultat som CSV", "en": "Results as CSV"},
                "opendata:results_csv",
                file_type="CSV",
                media_type="text/csv",
                download=True,
            ),
        ),
    ),
    Dataset(
        "films",
        {"sv": "Filmer om testbäddar och resultat", "en": "Films about testbeds and results"},
        {
            "sv": "Filmer på YouTube och Vimeo som förklarar testbäddar och resultat, med "
            "textning eller transkription.",
            "en": "Films on YouTube and Vimeo explaining testbeds and results, with captions or "
            "a transcript.",
        },
        {"sv": ["film", "video", "testbädd"], "en": ["film", "video", "testbed"]},
        ("REGI", "EDUC"),
        "films:list",
        (api("films", "Filmer via API (JSON)", "Films through the API (JSON)"),),
    ),
    Dataset(
        "idea-groups",
        {"sv": "Idégrupper", "en": "Idea groups"},
        {
            "sv": "Idégrupperna kring testbäddar och teman, deras organisationer och "
            "publicerade arbete.",
            "en": "The idea groups working on testbeds and themes, their organisations and "
            "published work.",
        },
        {
            "sv": ["idégrupp", "samverkan", "medborgardialog"],
            "en": ["idea group", "collaboration", "citizen dialogue"],
        },
        ("REGI", "GOVE"),
        "ideagroups:list",
        (api("idea-groups", "Idégrupper via API (JSON)", "Idea groups through the API (JSON)"),),
    ),
    Dataset(
        "actors",
        {"sv": "Aktörer i Södertörnsmodellen", "en": "Actors of the Södertörn Model"},
        {
            "sv": "Kommuner, lärosäten, företag, civilsamhälle och finansiärer som deltog i "
            "programmet.",
            "en": "Municipalities, universities, companies, civil society and funders taking "
            "part in the programme.",
        },
        {
            "sv": ["aktörer", "kommuner", "akademi", "näringsliv"],
            "en": ["actors", "municipalities", "academia", "business"],
        },
        ("GOVE", "REGI"),
        "collaboration:actors",
        (api("actors", "Aktörer via API (JSON)", "Actors through the API (JSON)"),),
    ),
    Dataset(
        "indicators",
        {
            "sv": "Hållbarhetsindikatorer och observationer",
            "en": "Sustainability indicators and observations",
        },
        {
            "sv": "Sociala, ekologiska och ekonomiska indikatorer med värden per område, år "
            "och kön (delvis exempeldata, markerade som sådana).",
            "en": "Social, ecological and economic indicators with values per area, year and "
            "gender (partly example data, marked as such).",
        },
        {
            "sv": ["indikatorer", "statistik", "hållbarhet", "Kolada"],
            "en": ["indicators", "statistics", "sustainability", "Kolada"],
        },
        ("REGI", "SOCI", "ENVI", "ECON"),
        "indicators:indicator_list",
        (
            api("indicators", "Indikatorer via API (JSON)", "Indicators through the API (JSON)"),
            api(
                "observations",
                "Observationer via API (JSON)",
                "Observations through the API (JSON)",
            ),
            Distribution(
                "indicators-csv",
                {"sv": "Alla observationer som CSV", "en": "All observations as CSV"},
                "indicators:export_all_csv",
                file_type="CSV",
                media_type="text/csv",
                download=True,
            ),
        ),
    ),
)
