"""Content in Swedish and English (issue 16): translated fields shown in the active language,
Swedish where English is missing (marked lang="sv", with the page's one notice), constant
query counts under /en/, the admin's paired fields and "What still needs English", history in
both languages, and the migration that kept every existing value as the Swedish text."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F
from django.db.models.fields.files import FieldFile
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ideagroups.tests.factories import IdeaGroupFactory
from results.tests.factories import ResultFactory
from sodertorn.cache import content_changed
from sodertorn.content_language import shown_language, translated_fields
from sodertorn.tests.factories import UserFactory
from testbeds.models import Testbed, Theme
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory, ThemeFactory

NOTICE = "Some content on this page is available in Swedish only."

pytestmark = pytest.mark.django_db


def english_testbed(**extra):
    theme = ThemeFactory(name="Bostäder", name_en="Housing")
    return TestbedFactory(
        title="Flemingsbergs stationsområde",
        title_en="Flemingsberg station area",
        slug="flemingsberg",
        summary="Ett nytt resecentrum.",
        published=True,
        themes=[theme],
        **extra,
    )


# What a visitor sees ------------------------------------------------------------------------


def test_an_english_title_shows_on_the_english_page_and_swedish_stays_the_default(client):
    testbed = english_testbed()
    english = client.get(f"/en/testbaddar/{testbed.slug}/").content.decode()
    assert "<h1>Flemingsberg station area</h1>" in english
    # The summary has no English: shown in Swedish, marked, and the page says so once.
    assert '<p class="lead" lang="sv">Ett nytt resecentrum.</p>' in english
    assert english.count(NOTICE) == 1
    swedish = client.get(f"/testbaddar/{testbed.slug}/").content.decode()
    assert "Flemingsbergs stationsområde" in swedish
    assert "Flemingsberg station area" not in swedish
    assert NOTICE not in swedish


def test_the_language_switch_keeps_the_one_url_per_object(client):
    testbed = english_testbed()
    english = client.get(f"/en/testbaddar/{testbed.slug}/").content.decode()
    assert f'href="/testbaddar/{testbed.slug}/"' in english
    swedish = client.get(f"/testbaddar/{testbed.slug}/").content.decode()
    assert f'href="/en/testbaddar/{testbed.slug}/"' in swedish


def test_the_catalogue_shows_english_titles_and_theme_names(client):
    english_testbed()
    page = client.get("/en/testbaddar/").content.decode()
    assert "Flemingsberg station area" in page
    assert "Housing" in page
    assert "Bostäder" not in page
    assert "Flemingsberg station area" not in client.get("/testbaddar/").content.decode()


@pytest.fixture
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def test_the_api_answers_in_the_active_language(client, no_page_cache):
    testbed = english_testbed()
    group = IdeaGroupFactory(name="Idégrupp Flemingsberg", name_en="Flemingsberg idea group")
    ResultFactory(testbed=testbed, idea_group=group, title="Resultat", title_en="A result")
    url = reverse("api:testbeds-list")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert [row["title"] for row in english["results"]] == ["Flemingsberg station area"]
    assert english["results"][0]["themes"][0]["name"] == "Housing"
    swedish = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").json()
    assert [row["title"] for row in swedish["results"]] == ["Flemingsbergs stationsområde"]
    results = client.get(reverse("api:results-list"), HTTP_ACCEPT_LANGUAGE="en").json()
    assert results["results"][0]["title"] == "A result"
    assert results["results"][0]["idea_group"]["name"] == "Flemingsberg idea group"


def test_missing_english_falls_back_to_swedish_never_an_empty_field(client):
    testbed = TestbedFactory(title="Bara svenska", slug="bara-svenska", published=True)
    page = client.get(f"/en/testbaddar/{testbed.slug}/").content.decode()
    assert '<h1 lang="sv">Bara svenska</h1>' in page
    assert NOTICE in page


def test_shown_language_answers_per_field():
    theme = Theme(name_sv="Bostäder", name_en="Housing", description_sv="Om bostäder.")
    with translation.override("en"):
        assert shown_language(theme, "name") == "en"
        assert shown_language(theme, "description") == "sv"
        assert shown_language(theme) == "en"  # str(theme) is its name
        assert shown_language({"name": "Housing", "name_en": "Housing"}, "name") == "en"
        assert shown_language({"name": "Bostäder", "name_en": ""}, "name") == "sv"
    with translation.override("sv"):
        assert shown_language(theme, "name") == "sv"


def test_a_fully_english_testbed_page_has_no_swedish_only_notice(client):
    theme = ThemeFactory(name="Bostäder", name_en="Housing")
    place = MunicipalityFactory(name="Huddinge")
    testbed = TestbedFactory(
        title="Titel",
        title_en="Title",
        question="Fråga?",
        question_en="Question?",
        summary="Sammanfattning.",
        summary_en="Summary.",
        body="Text.",
        body_en="Text in English.",
        place_name="Flemingsberg",
        place_name_en="Flemingsberg",
        slug="english-all-through",
        published=True,
        themes=[theme],
        municipalities=[place],
    )
    page = client.get(f"/en/testbaddar/{testbed.slug}/").content.decode()
    assert "Summary." in page
    assert NOTICE not in page


# Query counts -------------------------------------------------------------------------------


def bulk_english_testbeds(count, municipality, theme, start=0):
    testbeds = Testbed.objects.bulk_create(
        Testbed(
            title_sv=f"Massbädd {start + i}",
            title_en=f"Mass testbed {start + i}" if i % 2 else None,
            slug=f"massbadd-{start + i}",
            question_sv="Fråga?",
            summary_sv="Sammanfattning.",
            summary_en="Summary." if i % 3 else None,
            status=Testbed.Status.ONGOING,
            start_date=datetime.date(2016, 1, 1),
            latitude=Decimal("59.2") + Decimal(i) / 10000,
            longitude=Decimal("17.9"),
            published=True,
        )
        for i in range(count)
    )
    Testbed.municipalities.through.objects.bulk_create(
        Testbed.municipalities.through(testbed_id=t.pk, municipality_id=municipality.pk)
        for t in testbeds
    )
    Testbed.themes.through.objects.bulk_create(
        Testbed.themes.through(testbed_id=t.pk, theme_id=theme.pk) for t in testbeds
    )
    content_changed()


def count_queries(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(
    "url", ["/en/testbaddar/", "/en/testbaddar/?theme=mobilitet&sort=title", "/en/"]
)
def test_english_catalogue_pages_query_the_same_for_10_and_500_testbeds(client, url):
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    theme = ThemeFactory(name="Mobilitet", name_en="Mobility", slug="mobilitet")
    bulk_english_testbeds(10, huddinge, theme)
    few, _response = count_queries(client, url)
    bulk_english_testbeds(490, huddinge, theme, start=10)
    many, response = count_queries(client, url)
    assert many == few
    assert "Mobility" in response.content.decode()


def test_the_english_api_list_queries_the_same_for_10_and_500_testbeds(client, no_page_cache):
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    theme = ThemeFactory(name="Mobilitet", name_en="Mobility", slug="mobilitet")
    url = reverse("api:testbeds-list") + "?limit=500"
    bulk_english_testbeds(10, huddinge, theme)
    few, _response = count_queries(client, url, HTTP_ACCEPT_LANGUAGE="en")
    bulk_english_testbeds(490, huddinge, theme, start=10)
    many, response = count_queries(client, url, HTTP_ACCEPT_LANGUAGE="en")
    assert many == few
    titles = {row["title"] for row in response.json()["results"]}
    assert "Mass testbed 1" in titles and "Massbädd 0" in titles  # English, and the fallback


# The admin ----------------------------------------------------------------------------------


@pytest.fixture
def curator(client):
    user = UserFactory(username="kurator-en", is_staff=True)
    user.groups.add(Group.objects.get(name="Kurator"))
    client.force_login(user)
    return client


def test_the_admin_form_has_both_languages_side_by_side(curator):
    testbed = english_testbed()
    page = curator.get(reverse("admin:testbeds_testbed_change", args=[testbed.pk]))
    form = page.context["adminform"].form
    assert {"title_sv", "title_en", "summary_sv", "summary_en"} <= set(form.fields)
    assert form.fields["title_sv"].required and not form.fields["title_en"].required
    assert "cdn" not in str(page.context["media"]).lower()


def test_the_changelist_filters_and_marks_what_needs_english(curator):
    english_testbed()
    # Every field written in Swedish gets its English: nothing left to translate.
    Testbed.objects.filter(slug="flemingsberg").update(
        **{f"{name}_en": F(f"{name}_sv") for name in translated_fields(Testbed)}
    )
    TestbedFactory(title="Bara svenska", slug="bara-svenska")
    url = reverse("admin:testbeds_testbed_changelist")
    needing = curator.get(url + "?needs_english=yes").content.decode()
    assert "Bara svenska" in needing and "Flemingsberg" not in needing
    having = curator.get(url + "?needs_english=no").content.decode()
    assert "Bara svenska" not in having and "Flemingsbergs stationsområde" in having
    assert 'class="column-needs_english_column' in curator.get(url).content.decode()
    # The review queue keeps to the review: no English column or filter there.
    queue = curator.get(reverse("admin:ideagroups_submittedworkentry_changelist"))
    assert queue.status_code == 200
    assert "column-needs_english_column" not in queue.text and "needs_english=" not in queue.text


def test_what_still_needs_english_is_one_click_from_the_admin_index(curator):
    TestbedFactory(title="Bara svenska", slug="bara-svenska")
    ThemeFactory(name="Bostäder", name_en="Housing")
    index = curator.get(reverse("admin:index")).content.decode()
    url = reverse("admin:needs_english")
    assert f'href="{url}"' in index
    page = curator.get(url)
    assert page.status_code == 200
    rows = {row["url"]: row["count"] for row in page.context["rows"]}
    changelist = reverse("admin:testbeds_testbed_changelist")
    assert rows[changelist + "?needs_english=yes"] == 1
    assert rows[reverse("admin:testbeds_theme_changelist") + "?needs_english=yes"] == 0
    assert f'href="{changelist}?needs_english=yes"' in page.content.decode()


def test_what_still_needs_english_is_refused_to_staff_without_content_permissions(client):
    staff = UserFactory(username="bara-personal", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:needs_english")).status_code == 403
    assert reverse("admin:needs_english") not in client.get(reverse("admin:index")).content.decode()
    client.logout()
    assert client.get(reverse("admin:needs_english")).status_code == 302  # to the login


def posted(response, **changes) -> dict:
    """What a browser posts back for the admin form on this page, with changes."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, FieldFile) or field.disabled or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif value is None:
            data[name] = ""
        elif isinstance(value, list | tuple):
            data[name] = [str(getattr(item, "pk", item)) for item in value]
        else:
            prepared = field.prepare_value(value)
            data[name] = prepared if isinstance(prepared, str) else str(prepared)
    for formset in response.context.get("inline_admin_formsets", []):
        data[f"{formset.formset.prefix}-TOTAL_FORMS"] = "0"
        data[f"{formset.formset.prefix}-INITIAL_FORMS"] = "0"
    return {**data, **changes}


def test_an_english_edit_in_the_admin_is_kept_in_the_history_and_restored(curator):
    testbed = english_testbed()
    first = testbed.history.first()
    assert first.title_en == "Flemingsberg station area"
    change = reverse("admin:testbeds_testbed_change", args=[testbed.pk])
    response = curator.post(change, posted(curator.get(change), title_en="Flemingsberg hub"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    testbed.refresh_from_db()
    assert (testbed.title_sv, testbed.title_en) == (
        "Flemingsbergs stationsområde",
        "Flemingsberg hub",
    )
    assert testbed.history.first().title_en == "Flemingsberg hub"
    revert = reverse("admin:testbeds_testbed_simple_history", args=(testbed.pk, first.history_id))
    form_page = curator.get(revert)
    assert form_page.status_code == 200
    assert curator.post(revert, posted(form_page)).status_code == 302
    testbed.refresh_from_db()
    assert (testbed.title_sv, testbed.title_en) == (
        "Flemingsbergs stationsområde",
        "Flemingsberg station area",
    )


# The migration ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_text_written_before_the_migration_is_kept_as_the_swedish_text():
    before = [("testbeds", "0005_published_ids_index")]
    after = [("testbeds", "0006_content_in_english")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldTheme = old_apps.get_model("testbeds", "Theme")
    OldTheme.objects.create(name="Vatten", slug="vatten", description="Dagvatten och hav.")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new_apps = executor.loader.project_state(after).apps
    theme = new_apps.get_model("testbeds", "Theme").objects.get(slug="vatten")
    assert (theme.name_sv, theme.description_sv) == ("Vatten", "Dagvatten och hav.")
    assert theme.name_en is None
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    with translation.override("en"):
        assert Theme.objects.get(slug="vatten").name == "Vatten"  # the Swedish fallback


@pytest.mark.parametrize(
    ("form_path", "field", "limit"),
    [
        ("dialogue.forms.ContributionForm", "text", 2000),
        ("about.forms.FeedbackForm", "message", 4000),
    ],
)
def test_a_length_hint_is_in_the_pages_language(form_path, field, limit):
    """The hint was interpolated once, at import, in Swedish: English forms said "Högst"."""
    module, name = form_path.rsplit(".", 1)
    form_class = getattr(importlib.import_module(module), name)
    with translation.override("en"):
        assert str(form_class.base_fields[field].help_text) == f"At most {limit} characters."
    with translation.override("sv"):
        assert str(form_class.base_fields[field].help_text) == f"Högst {limit} tecken."
