"""Language of parts (WCAG 3.1.2): content is Swedish only, so on English pages it sits inside
lang="sv" and the page says so once; on Swedish pages nothing is marked
(sodertorn/content_language.py, sodertorn/templatetags/content.py)."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from indicators.tests.factories import IndicatorFactory, ObservationFactory, municipality_area
from results.tests.factories import FilmFactory, ResultFactory
from testbeds.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

NOTICE = "Some content on this page is available in Swedish only."


@pytest.fixture
def content():
    result = ResultFactory(
        title="Mötesplatser vid stationen", summary="Vad resenärerna sa.", body="**Långt** svar."
    )
    testbed = result.testbed
    testbed.title = "Flemingsbergs stationsområde"
    testbed.question = "Hur blir stationen en mötesplats?"
    testbed.summary = "Resenod och bostäder."
    testbed.body = "Stationen *byggs om*."
    testbed.place_name = "Stationsplan"
    testbed.save()
    testbed.themes.set([ThemeFactory(name="Mobilitet", slug="mobilitet")])
    indicator = IndicatorFactory(
        code="bostader",
        name="Färdigställda bostäder",
        unit="per 1 000 invånare",
        description="Nya bostäder.",
        testbeds=[testbed],
    )
    area = municipality_area(testbed.municipalities.first())
    ObservationFactory(indicator=indicator, area=area, year=2017)
    film = FilmFactory(
        testbed=testbed, result=result, title="Stationen i film", description="Om stationen."
    )
    return {"testbed": testbed, "result": result, "indicator": indicator, "film": film}


def main(html):
    return html.split('<main id="main-content"', 1)[1].split("</main>", 1)[0]


def pages(content):
    return {
        "testbed": content["testbed"].get_absolute_url(),
        "catalogue": "/testbaddar/",
        "result": content["result"].get_absolute_url(),
        "indicator": content["indicator"].get_absolute_url(),
        "film": content["film"].get_absolute_url(),
    }


def get(client, path, language):
    with translation.override(language):
        response = client.get(path if language == "sv" else "/en" + path)
    assert response.status_code == 200, path
    return response.content.decode()


EXPECTED = {
    "testbed": [
        '<h1 lang="sv">Flemingsbergs stationsområde</h1>',
        '<p class="lead" lang="sv">Resenod och bostäder.</p>',
        '<span lang="sv">Hur blir stationen en mötesplats?</span>',
        '<div class="body" lang="sv">',
        '<dd lang="sv">Stationsplan</dd>',
        'lang="sv">Mobilitet</a>',
    ],
    "catalogue": [
        'lang="sv">Flemingsbergs stationsområde</a></h3>',
        '<p lang="sv">Resenod och bostäder.</p>',
        '<span lang="sv">Stationsplan</span>',
    ],
    "result": [
        '<h1 lang="sv">Mötesplatser vid stationen</h1>',
        '<p class="lead" lang="sv">Vad resenärerna sa.</p>',
        '<div class="body" lang="sv">',
        'lang="sv">Flemingsbergs stationsområde</a>',
    ],
    "indicator": [
        '<h1 lang="sv">Färdigställda bostäder</h1>',
        '<p class="lead" lang="sv">Nya bostäder.</p>',
        '<dd lang="sv">per 1 000 invånare</dd>',
        # Content inside an English sentence: only the Swedish words are marked.
        'Legend: <span lang="sv">Färdigställda bostäder</span> 2017 '
        '(<span lang="sv">per 1 000 invånare</span>)',
        'The map as a table: <span lang="sv">Färdigställda bostäder</span> 2017',
        'lang="sv">Flemingsbergs stationsområde</a>',
    ],
    "film": [
        '<h1 lang="sv">Stationen i film</h1>',
        'Play the film “<span lang="sv">Stationen i film</span>”',
        '<div class="body" lang="sv"><p>Om stationen.</p>',
        '<div class="body" lang="sv"><p>Berättare: hej.</p></div>',  # the transcript
    ],
}


@pytest.mark.parametrize("page", EXPECTED)
def test_english_pages_mark_swedish_content_and_say_so_once(client, content, page):
    html = main(get(client, pages(content)[page], "en"))
    for fragment in EXPECTED[page]:
        assert fragment in html, fragment
    assert html.count(NOTICE) == 1
    assert html.index(NOTICE) < html.index("<h1")  # before the content it describes
    # Interface headings are English and unmarked.
    for heading in re.findall(r"<h2[^>]*>", html):
        assert "lang=" not in heading, heading


@pytest.mark.parametrize("page", EXPECTED)
def test_swedish_pages_mark_nothing_and_have_no_notice(client, content, page):
    html = get(client, pages(content)[page], "sv")
    assert '<html lang="sv">' in html
    assert "lang=" not in main(html)
    assert NOTICE not in html


def test_english_page_without_content_has_no_notice(client, content):
    with translation.override("en"):
        path = reverse("about:accessibility")
    assert path.startswith("/en/")
    # Right after a page that had the notice: nothing of it is remembered between requests.
    assert NOTICE in get(client, "/testbaddar/", "en")
    response = client.get(path)
    assert response.status_code == 200
    assert NOTICE not in response.content.decode()


def test_lang_attr_outside_the_notice_block_marks_without_recording():
    template = Template('{% load content %}<p{% lang_attr obj "title" %}>x</p>')
    with translation.override("en"):
        assert template.render(Context({"obj": object()})) == '<p lang="sv">x</p>'
    with translation.override("sv"):
        assert template.render(Context({"obj": object()})) == "<p>x</p>"


def test_the_notice_block_speaks_only_when_something_was_marked():
    marked = Template(
        '{% load content %}{% content_notice %}<p{% lang_attr obj "title" %}>x</p>'
        "{% endcontent_notice %}"
    )
    unmarked = Template("{% load content %}{% content_notice %}<p>x</p>{% endcontent_notice %}")
    with translation.override("en"):
        assert marked.render(Context({"obj": object()})).count(NOTICE) == 1
        assert NOTICE not in unmarked.render(Context({}))
    with translation.override("sv"):
        assert NOTICE not in marked.render(Context({"obj": object()}))


def test_lang_span_inside_a_translated_sentence_escapes_once():
    template = Template(
        '{% load content i18n %}{% lang_span obj "name" as name %}'
        "{% blocktranslate %}About {{ name }}{% endblocktranslate %}"
    )
    context = {"obj": {"name": "Mat & miljö"}}
    with translation.override("en"):
        assert template.render(Context(context)) == 'About <span lang="sv">Mat &amp; miljö</span>'
    with translation.override("sv"):
        assert template.render(Context(context)).endswith(" Mat &amp; miljö")
