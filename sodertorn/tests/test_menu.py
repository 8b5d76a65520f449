"""The main menu comes from the apps' ``menu_items`` hooks (sodertorn/hooks.py): the same
entries, order, labels, links and ``aria-current`` as the menu once written out in base.html."""

import re

import pytest

MENU = [
    ("Hem", "/"),
    ("Testbäddar", "/testbaddar/"),
    ("Resultat", "/resultat/"),
    ("Filmer", "/filmer/"),
    ("Kommuner", "/kommuner/"),
    ("Indikatorer", "/indikatorer/"),
    ("Analys", "/analys/"),
    ("Aktörer", "/aktorer/"),
    ("Idégrupper", "/idegrupper/"),
    ("Medborgardialog", "/dialog/"),
    ("Kompetenser", "/kompetens/"),
    ("Samverkan", "/samverkan/"),
    ("Om programmet", "/om/"),
]
ENTRY = re.compile(r'<li><a href="([^"]*)"( aria-current="page")?>([^<]*)</a></li>')


def rendered_menu(html: str) -> list[tuple[str, str, bool]]:
    nav = html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
    return [(label, href, bool(current)) for href, current, label in ENTRY.findall(nav)]


def expected(current_href: str | None, prefix: str = "") -> list[tuple[str, str, bool]]:
    return [(label, prefix + href, href == current_href) for label, href in MENU]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/", "/"),
        ("/testbaddar/", "/testbaddar/"),
        ("/resultat/", "/resultat/"),
        ("/filmer/", "/filmer/"),
        ("/kommuner/", "/kommuner/"),
        ("/indikatorer/", "/indikatorer/"),
        ("/omraden/", "/indikatorer/"),  # areas belong to the indicators entry
        ("/analys/", "/analys/"),
        ("/aktorer/", "/aktorer/"),
        ("/idegrupper/", "/idegrupper/"),
        ("/dialog/", "/dialog/"),
        ("/kompetens/", "/kompetens/"),
        ("/samverkan/", "/samverkan/"),
        ("/sok/", None),  # search: no entry is current
        ("/data/", None),
    ],
)
def test_menu_entries_order_labels_and_current_page(client, url, current):
    response = client.get(url)
    assert response.status_code == 200
    menu = rendered_menu(response.content.decode())
    assert menu == expected(current)
    assert sum(is_current for *_, is_current in menu) == (1 if current else 0)


@pytest.mark.django_db
def test_menu_in_english_keeps_the_english_labels_and_links(client):
    response = client.get("/en/resultat/")
    menu = rendered_menu(response.content.decode())
    labels = [label for label, *_ in menu]
    assert labels == [
        "Home",
        "Testbeds",
        "Results",
        "Films",
        "Municipalities",
        "Indicators",
        "Analysis",
        "Actors",
        "Idea groups",
        "Citizen dialogue",
        "Competences",
        "Collaboration",
        "About the programme",
    ]
    assert [href for _, href, _ in menu][:3] == ["/en/", "/en/testbaddar/", "/en/resultat/"]
    assert [label for label, _, current in menu if current] == ["Results"]
