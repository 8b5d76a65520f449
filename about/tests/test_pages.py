"""The accessibility statement and the personal-data page: both languages, linked from every
page, true to the browser sweep (every disabled axe rule and every public page it leaves out is
a listed shortcoming), and the notice at every point where personal data is collected."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from about import statement
from tests import public_pages
from tests.browser import checks

pytestmark = pytest.mark.django_db

PAGES = {
    "about:accessibility": ("Tillgänglighetsredogörelse", "Accessibility statement"),
    "about:privacy": ("Personuppgifter och kakor", "Personal data and cookies"),
}
SHORTCOMING = re.compile(r'data-shortcoming="([^"]+)"')


def get(client, name, language):
    from django.utils import translation

    with translation.override(language):
        path = reverse(name)
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_the_pages_render_in_both_languages(client, name, language):
    body = get(client, name, language)
    heading = PAGES[name][0 if language == "sv" else 1]
    assert f'<html lang="{language}">' in body
    assert f"<h1>{heading}</h1>" in body
    assert "notice-example" in body  # what the controller must confirm is marked as demo


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_statement_follows_diggs_structure(client, language):
    body = get(client, "about:accessibility", language)
    assert ("delvis förenlig" if language == "sv" else "partially compliant") in body
    assert f'href="{statement.DIGG_REPORT_URL}"' in body
    prefix = "" if language == "sv" else "/en"
    assert f'href="{prefix}/tillganglighet/synpunkter/"' in body  # the feedback function
    assert "WCAG 2.1 AA" in body
    # the date of the last assessment, as the statement's facts give it
    with translation.override(language):
        assert date_format(statement.ASSESSED_ON, "j F Y") in body
    for anchor in (
        ("brister", "hur-testat", "tillsyn")
        if language == "sv"
        else ("shortcomings", "how-tested", "supervision")
    ):
        assert f'id="{anchor}"' in body


# Keeping the statement true ---------------------------------------------------------------------


def required_shortcomings(disabled_rules, left_out) -> set[str]:
    """What the statement must list: every axe rule the sweep disables, every public page it
    leaves out."""
    return {f"axe:{rule}" for rule in disabled_rules} | {f"page:{name}" for name in left_out}


def missing_shortcomings(html: str, disabled_rules, left_out) -> set[str]:
    return required_shortcomings(disabled_rules, left_out) - set(SHORTCOMING.findall(html))


def sweep_left_out() -> set[str]:
    return set(public_pages.NOT_PAGES) | set(public_pages.SKIPPED_NAMES)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_rule_the_sweep_disables_and_page_it_skips_is_a_listed_shortcoming(client, language):
    body = get(client, "about:accessibility", language)
    assert not missing_shortcomings(body, checks.DISABLED_RULES, sweep_left_out())
    assert sweep_left_out(), "the sweep leaves out the attachment downloads today"


def test_both_languages_list_the_same_shortcomings(client):
    swedish = SHORTCOMING.findall(get(client, "about:accessibility", "sv"))
    english = SHORTCOMING.findall(get(client, "about:accessibility", "en"))
    assert swedish == english and len(set(swedish)) == len(swedish)


def test_a_newly_disabled_rule_or_skipped_page_without_an_entry_fails(client):
    body = get(client, "about:accessibility", "sv")
    assert missing_shortcomings(body, {"color-contrast": "planted"}, sweep_left_out()) == {
        "axe:color-contrast"
    }
    assert missing_shortcomings(body, {}, {"planted:page"}) == {"page:planted:page"}


def test_the_sweep_applies_its_disabled_rules():
    """DISABLED_RULES is what axe is told, so the list the statement is checked against is the
    list the sweep uses."""
    assert checks.AXE_OPTIONS["rules"] == {
        rule: {"enabled": False} for rule in checks.DISABLED_RULES
    }


def test_the_pages_are_found_by_the_sweeps():
    names = {pattern.name for pattern in public_pages.discover_patterns() if pattern.page}
    assert {"about:accessibility", "about:privacy", "about:feedback"} <= names


def test_the_pages_are_in_the_sitemap(sitemap_text):
    text = sitemap_text()
    for path in ("/tillganglighet/", "/en/tillganglighet/", "/personuppgifter/"):
        assert f"{path}</loc>" in text


# Linked from every page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/en/", "/dialog/", "/konto/logga-in/", "/tillganglighet/", "/finns-inte/"]
)
def test_every_page_links_both_from_its_footer(client, path):
    body = client.get(path).content.decode()
    footer = body[body.index('<footer class="site-footer">') :]
    prefix = "/en" if path.startswith("/en/") else ""
    assert f'href="{prefix}/tillganglighet/"' in footer
    assert f'href="{prefix}/personuppgifter/"' in footer


# Personal data -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_privacy_page_names_rights_retention_cookies_and_imy(client, settings, language):
    settings.DIALOGUE_PERSONAL_DATA_DAYS = 77
    settings.FEEDBACK_PERSONAL_DATA_DAYS = 222
    body = get(client, "about:privacy", language)
    assert "KTH" in body
    for article in ("15", "16", "17", "18", "20", "21"):
        assert re.search(rf"(artikel|article) {article}\b", body), article
    assert "77" in body and "222" in body
    assert f'href="{statement.IMY_COMPLAINT_URL}"' in body
    assert ("6.1 e" if language == "sv" else "6(1)(e)") in body
    for name in statement.cookies().values():
        assert f"<code>{name}</code>" in body


def test_the_cookie_names_are_the_ones_set():
    from dialogue.views import BROWSER_COOKIE

    assert statement.SUPPORT_COOKIE == BROWSER_COOKIE
    cookies = statement.cookies()
    assert cookies["session"] == settings.SESSION_COOKIE_NAME == "sessionid"
    assert cookies["csrf"] == settings.CSRF_COOKIE_NAME == "csrftoken"
    assert cookies["language"] == settings.LANGUAGE_COOKIE_NAME


def test_every_cookie_a_visitor_can_get_is_listed(client, django_capture_on_commit_callbacks):
    """Through every form: feedback (CSRF, messages), support (the browser cookie), the language
    form, logging in (the session): the privacy page names each cookie the browser holds."""
    from about.tests.factories import form_data
    from dialogue.tests.factories import ContributionFactory
    from sodertorn.tests.factories import UserFactory

    client.get("/tillganglighet/synpunkter/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/tillganglighet/synpunkter/", form_data())
    proposal = ContributionFactory()
    client.post(reverse("dialogue:support", args=[proposal.round.slug, proposal.pk]))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    user = UserFactory()
    client.post("/konto/logga-in/", {"username": user.username, "password": "secret-password-123"})
    names = set(client.cookies)
    assert {"csrftoken", "sessionid", "dialogue_browser", "django_language"} <= names
    listed = set(statement.cookies().values())
    assert names <= listed, names - listed


def test_the_account_forms_link_the_privacy_page(client):
    for path in ("/konto/logga-in/", "/konto/losenord/aterstall/", "/en/konto/logga-in/"):
        response = client.get(path)
        if response.status_code == 404:  # the reset form's address, read from the URLconf
            continue
        prefix = "/en" if path.startswith("/en/") else ""
        assert f'class="privacy-notice"><a href="{prefix}/personuppgifter/"' in (
            response.content.decode()
        ), path
    reset = client.get(reverse("accounts:password_reset")).content.decode()
    assert 'class="privacy-notice"' in reset


def test_the_feedback_form_says_what_it_keeps(client, settings):
    settings.FEEDBACK_PERSONAL_DATA_DAYS = 123
    body = client.get("/tillganglighet/synpunkter/").content.decode()
    assert "123" in body and 'href="/personuppgifter/"' in body


def test_the_invitation_links_the_privacy_page(client, django_capture_on_commit_callbacks):
    from django.core import mail

    from collaboration.tests.factories import ActorFactory
    from ideagroups import services as ideagroups_services
    from ideagroups.tests.factories import IdeaGroupFactory
    from sodertorn.tests.factories import CuratorFactory

    curator = CuratorFactory()
    client.force_login(curator)
    page = client.get("/admin/ideagroups/membership/invite/").content.decode()
    assert 'href="/personuppgifter/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        ideagroups_services.invite_member(
            by=curator,
            email="ny@example.com",
            first_name="Ny",
            last_name="Person",
            group=IdeaGroupFactory(),
            actor=ActorFactory(),
            role="member",
            base_url="https://sodertorn.example.se/",
        )
    assert "https://sodertorn.example.se/personuppgifter/" in mail.outbox[-1].body
