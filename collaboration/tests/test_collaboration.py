"""Actors, the collaboration group, contacts and grants: pages, admin, constraints, demo data."""

import datetime
import io
import re
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from PIL import Image

from collaboration.demo import placeholder_logo
from collaboration.models import (
    Actor,
    CollaborationGroup,
    ContactPerson,
    Grant,
    Meeting,
    Seat,
    SystemSolution,
)
from collaboration.services import set_logo
from collaboration.tests.factories import ActorFactory
from ideagroups.tests.factories import IdeaGroupFactory, MembershipFactory
from sodertorn.tests.factories import CuratorFactory
from sodertorn.tests.test_uploads import jpeg_with_exif, png_header_only
from testbeds.models import Testbed
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory, bulk_testbeds

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def partners():
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    return {
        "kth": ActorFactory(name="KTH", slug="kth", sector="academia"),
        "skanska": ActorFactory(name="Skanska", slug="skanska", sector="business"),
        "huddinge": ActorFactory(
            name="Huddinge kommun", slug="huddinge-kommun", sector="public", municipality=huddinge
        ),
        "sgbc": ActorFactory(name="SGBC", slug="sgbc", sector="civil_society"),
        "vinnova": ActorFactory(name="Vinnova", slug="vinnova", sector="funder"),
        "municipality": huddinge,
    }


# Actor list --------------------------------------------------------------------------------------


def sector_headings(html: str) -> list[str]:
    return re.findall(r'<h2 id="sector-[a-z_]+">([^<]+)</h2>', html)


def test_actors_are_grouped_by_sector_in_sector_order(client, partners):
    with translation.override("en"):
        response = client.get("/en/aktorer/")
    assert sector_headings(response.text) == [
        "Academia",
        "Business",
        "Public sector",
        "Civil society",
        "Funder",
    ]
    assert [s["sector"] for s in response.context["sectors"]] == [
        "academia",
        "business",
        "public",
        "civil_society",
        "funder",
    ]


@pytest.mark.each_database  # a database constraint or text lookup
def test_actor_filter_by_sector_and_text(client, partners):
    response = client.get("/aktorer/?sector=business")
    assert [a.name for s in response.context["sectors"] for a in s["items"]] == ["Skanska"]
    response = client.get("/aktorer/?q=huddinge")
    assert [a.name for s in response.context["sectors"] for a in s["items"]] == ["Huddinge kommun"]


def test_bad_sector_gives_a_message_and_the_full_list(client, partners):
    response = client.get("/en/aktorer/?sector=pirates")
    assert response.status_code == 200
    assert "Unknown sector" in response.text and 'role="alert"' in response.text
    assert response.context["actor_count"] == 5


def test_actor_list_query_count_is_constant(client):
    municipality = MunicipalityFactory()
    Actor.objects.bulk_create(
        Actor(name=f"A{i}", slug=f"a{i}", sector=["academia", "business", "public"][i % 3])
        for i in range(10)
    )
    Actor.objects.filter(slug="a2").update(municipality=municipality)
    few = count_queries(client, "/aktorer/?q=a")
    Actor.objects.bulk_create(
        Actor(name=f"B{i}", slug=f"b{i}", sector=["funder", "civil_society"][i % 2])
        for i in range(190)
    )
    assert count_queries(client, "/aktorer/?sector=") == few


# Actor page --------------------------------------------------------------------------------------


def test_actor_page_shows_testbeds_groups_seat_and_grants(client, partners):
    kth, huddinge = partners["kth"], partners["huddinge"]
    TestbedFactory(title="Stationen", municipalities=[partners["municipality"]])
    contact_testbed = TestbedFactory(title="Kontaktbädd")
    ContactPerson.objects.create(testbed=contact_testbed, name="Eva", role="Forskare", actor=kth)
    group_testbed = TestbedFactory(title="Gruppbädd")
    group = IdeaGroupFactory(name="Idégrupp X", testbeds=[group_testbed])
    MembershipFactory(group=group, actor=kth)
    hidden = TestbedFactory(title="Dold bädd", published=False)
    ContactPerson.objects.create(testbed=hidden, name="Dold", role="x", actor=kth)
    collaboration = CollaborationGroup.objects.create(name="Samverkansgruppen", purpose="Syfte")
    Seat.objects.create(group=collaboration, actor=kth, role="chair", representative_title="Ordf")
    Grant.objects.create(
        funder=partners["vinnova"],
        coordinator=kth,
        title="Steg 2",
        amount_sek=8_000_000,
        reference="2014-00918",
        start_date=datetime.date(2014, 6, 1),
    )

    response = client.get("/aktorer/kth/")
    assert [t.title for t in response.context["testbeds"]] == ["Gruppbädd", "Kontaktbädd"]
    assert [g.name for g in response.context["idea_groups"]] == ["Idégrupp X"]
    assert "Samverkansgruppen" in response.text and "Ordf" in response.text
    assert "2014-00918" in response.text and "8\xa0000\xa0000" in response.text
    assert "Dold bädd" not in response.text

    response = client.get("/aktorer/huddinge-kommun/")
    assert [t.title for t in response.context["testbeds"]] == ["Stationen"]
    assert client.get("/aktorer/vinnova/").context["grants"].get().reference == "2014-00918"
    assert client.get("/aktorer/finns-inte/").status_code == 404
    assert huddinge.get_absolute_url() == "/aktorer/huddinge-kommun/"


def test_actor_page_query_count_is_constant(client, partners):
    kth = partners["kth"]
    municipality = partners["municipality"]
    actor = partners["huddinge"]

    def add(n, start):
        testbeds = bulk_testbeds(n, municipality, start=start)
        for t in testbeds[:3]:
            ContactPerson.objects.create(testbed=t, name="N", role="R", actor=actor)
        for i in range(n):
            Grant.objects.create(
                funder=partners["vinnova"],
                coordinator=actor,
                title="G",
                amount_sek=1,
                reference=f"R-{start + i}",
                start_date=datetime.date(2015, 1, 1),
            ).testbeds.add(testbeds[i])
        group = IdeaGroupFactory(testbeds=testbeds[:5])
        MembershipFactory(group=group, actor=actor)
        MembershipFactory(group=group, actor=kth)

    add(10, 0)
    few = count_queries(client, "/aktorer/huddinge-kommun/")
    add(190, 10)
    assert count_queries(client, "/aktorer/huddinge-kommun/?x=1") == few


# Collaboration page ------------------------------------------------------------------------------


@pytest.fixture
def collaboration(partners):
    group = CollaborationGroup.objects.create(
        name="Samverkansgruppen", purpose="Gruppens syfte.", working_method="Så arbetar vi."
    )
    Seat.objects.create(
        group=group,
        actor=partners["kth"],
        role="chair",
        representative="Anna",
        representative_title="Professor",
    )
    Seat.objects.create(group=group, actor=partners["huddinge"], role="member")
    Seat.objects.create(group=group, actor=partners["skanska"], role="member")
    testbed = TestbedFactory(title="Flemingsberg", slug="flemingsberg")
    hidden = TestbedFactory(title="Opublicerad", slug="opublicerad", published=False)
    meeting = Meeting.objects.create(
        group=group,
        date=datetime.date(2015, 2, 10),
        title="Val av testbäddar",
        decisions="Flemingsberg blir testbädd.",
        minutes="Protokoll.",
    )
    meeting.actors_present.set([partners["kth"], partners["huddinge"]])
    meeting.testbeds_discussed.set([testbed, hidden])
    Meeting.objects.create(group=group, date=datetime.date(2016, 1, 1), title="Senare möte")
    solution = SystemSolution.objects.create(
        group=group,
        title="Gemensam metod",
        slug="metod",
        summary="En metod.",
        adopted_at=meeting,
        adopted_on=meeting.date,
    )
    solution.testbeds.set([testbed])
    solution.idea_groups.set([IdeaGroupFactory(name="Social hållbarhet")])
    return group


def test_collaboration_page(client, collaboration):
    with translation.override("en"):
        response = client.get("/en/samverkan/")
    text = response.text
    assert "Gruppens syfte." in text and "Så arbetar vi." in text
    assert [s["sector"] for s in response.context["sectors"]] == ["academia", "business", "public"]
    # The representative's title is content, so Swedish on the English page (WCAG 3.1.2).
    assert 'Anna, <span lang="sv">Professor</span>' in text and "Chair" in text
    assert [m.title for m in response.context["meetings"]] == ["Senare möte", "Val av testbäddar"]
    assert "Flemingsberg blir testbädd." in text
    assert "Opublicerad" not in text
    assert "Gemensam metod" in text and "Social hållbarhet" in text


def test_collaboration_page_without_a_group(client):
    response = client.get("/en/samverkan/")
    assert response.status_code == 200
    assert "has not been described yet" in response.text


@pytest.mark.each_database  # a database constraint or text lookup
def test_only_one_collaboration_group_and_one_chair(collaboration, partners):
    with pytest.raises(IntegrityError), transaction.atomic():
        CollaborationGroup.objects.create(name="Till", purpose="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Seat.objects.create(group=collaboration, actor=partners["sgbc"], role="chair")


def test_collaboration_page_query_count_is_constant(client, collaboration, partners):
    testbeds = bulk_testbeds(3, partners["municipality"])

    def add(n, start):
        for i in range(n):
            meeting = Meeting.objects.create(
                group=collaboration,
                title=f"M{start + i}",
                date=datetime.date(2016, 1, 1),
                decisions="Beslut",
            )
            meeting.actors_present.set([partners["kth"], partners["skanska"]])
            meeting.testbeds_discussed.set(testbeds)
            seat_actor = ActorFactory(sector="business")
            Seat.objects.create(group=collaboration, actor=seat_actor)
            solution = SystemSolution.objects.create(
                group=collaboration,
                title=f"S{start + i}",
                slug=f"s{start + i}",
                summary="x",
                adopted_at=meeting,
            )
            solution.testbeds.set(testbeds)

    add(10, 0)
    few = count_queries(client, "/samverkan/")
    add(190, 10)
    assert count_queries(client, "/samverkan/?x=1") == few


# The testbed page: contacts and grants -----------------------------------------------------------


def test_testbed_page_lists_contacts_with_harvest_resistant_email_and_grants(client, partners):
    testbed = TestbedFactory(slug="flemingsberg")
    ContactPerson.objects.create(
        testbed=testbed,
        name="Maja Ek",
        role="Projektledare",
        actor=partners["huddinge"],
        email="maja.ek@example.com",
        phone="08-123 45",
    )
    Grant.objects.create(
        funder=partners["vinnova"],
        title="Bädd-bidrag",
        amount_sek=250_000,
        reference="2016-01234",
        start_date=datetime.date(2016, 1, 1),
    ).testbeds.add(testbed)
    response = client.get("/testbaddar/flemingsberg/")
    text = response.text
    assert "Maja Ek" in text and "Projektledare" in text and "Huddinge kommun" in text
    assert "maja.ek@example.com" not in text
    assert "maja.ek" in text and "example.com" in text  # readable as "maja.ek (at) example.com"
    assert "collaboration/email.js" in text
    assert "2016-01234" in text and "250\xa0000" in text


def test_testbed_page_query_count_is_constant_with_contacts_and_grants(client, partners):
    testbed = TestbedFactory(slug="flemingsberg")

    def add(n, start):
        for i in range(n):
            ContactPerson.objects.create(
                testbed=testbed,
                name=f"P{start + i}",
                role="R",
                actor=partners["kth"],
                email=f"p{i}@example.com",
            )
            Grant.objects.create(
                funder=partners["vinnova"],
                title="G",
                coordinator=partners["kth"],
                amount_sek=1,
                reference=f"G-{start + i}",
                start_date=datetime.date(2016, 1, 1),
            ).testbeds.add(testbed)

    add(10, 0)
    few = count_queries(client, "/testbaddar/flemingsberg/")
    add(190, 10)
    assert count_queries(client, "/testbaddar/flemingsberg/?x=1") == few


# Model rules -------------------------------------------------------------------------------------


@pytest.mark.each_database  # a database constraint or text lookup
def test_only_public_sector_actors_can_be_a_municipality(partners):
    with pytest.raises(IntegrityError), transaction.atomic():
        Actor.objects.filter(pk=partners["huddinge"].pk).update(sector="business")


@pytest.mark.each_database  # a database constraint or text lookup
def test_grant_rules(partners):
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.create(
            funder=partners["vinnova"],
            title="x",
            amount_sek=0,
            reference="a",
            start_date=datetime.date(2016, 1, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.create(
            funder=partners["vinnova"],
            title="x",
            amount_sek=5,
            reference="b",
            start_date=datetime.date(2016, 1, 1),
            end_date=datetime.date(2015, 1, 1),
        )
    grant = Grant(
        funder=partners["skanska"],
        title="x",
        amount_sek=5,
        reference="c",
        start_date=datetime.date(2016, 1, 1),
    )
    with translation.override("en"), pytest.raises(Exception, match="Funder"):
        grant.full_clean()


# Admin: logos through the shared upload checks -------------------------------------------------


def logo_post(actor, upload):
    return {
        "name": actor.name,
        "slug": actor.slug,
        "sector": actor.sector,
        "description": "",
        "website": "",
        "logo_upload": upload,
    }


def media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_admin_logo_upload_is_cleaned_and_resized(client, settings, partners):
    client.force_login(CuratorFactory())
    actor = partners["kth"]
    photo = jpeg_with_exif(size=(1200, 600), orientation=1)  # with a GPS position
    upload = SimpleUploadedFile("kth logo.jpg", photo, content_type="image/jpeg")
    response = client.post(
        f"/admin/collaboration/actor/{actor.pk}/change/", logo_post(actor, upload)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    actor.refresh_from_db()
    assert re.fullmatch(r"collaboration/logos/[0-9a-f]{32}\.jpg", actor.logo.name)
    with actor.logo.open("rb") as f, Image.open(f) as stored:
        assert dict(stored.getexif()) == {}
        assert stored.size == (1200, 600)
    sizes = {entry["name"]: entry for entry in actor.logo_renditions["sizes"]}
    assert {name: (e["width"], e["height"]) for name, e in sizes.items()} == {
        "thumb": (320, 160),
        "card": (640, 320),
        "large": (1200, 600),  # never enlarged
    }
    for entry in sizes.values():
        for key, fmt in (("webp", "WEBP"), ("fallback", "JPEG")):
            with default_storage.open(entry[key], "rb") as f, Image.open(f) as rendition:
                assert rendition.format == fmt
                assert rendition.size == (entry["width"], entry["height"])
                assert dict(rendition.getexif()) == {}
    assert not actor.logo_is_demo
    page = client.get("/aktorer/kth/").text
    thumb = sizes["thumb"]
    assert default_storage.url(thumb["webp"]) + " 320w" in page
    assert default_storage.url(thumb["fallback"]) in page and 'width="320" height="160"' in page


def test_actor_pages_render_when_a_logo_file_is_missing_from_storage(client, settings, partners):
    """Pages read the logo's size from the database, never from the file: a media folder that
    is not (yet) synced on one app server gives a broken image, not a 500."""
    actor = partners["kth"]
    set_logo(actor, placeholder_logo(actor.name, actor.sector), is_demo=True)
    actor.refresh_from_db()
    thumb = actor.logo_renditions["sizes"][0]
    for path in media_files(settings):
        path.unlink()
    for url in ["/aktorer/", "/aktorer/kth/", "/samverkan/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get("/aktorer/kth/").text
    assert f'width="{thumb["width"]}" height="{thumb["height"]}"' in page


# The admin is in Swedish (it is outside the language-prefixed URLs).
BAD_LOGOS = [
    ("logo.png", b"%PDF-1.4 not an image", "Filen är ingen bild"),
    ("bomb.png", png_header_only(100_000, 100_000), "för många bildpunkter"),
    ("cut.png", None, "skadad eller ofullständig"),
    ("big.png", b"\x89PNG" + b"\x00" * (2 * 1024 * 1024 + 10), "2,1\xa0MB"),
]


@pytest.mark.parametrize(
    ("name", "content", "message"), BAD_LOGOS, ids=["wrong-type", "bomb", "truncated", "too-large"]
)
def test_admin_refuses_bad_logos_with_a_form_error_and_stores_nothing(
    client, settings, partners, name, content, message
):
    if content is None:
        noisy = Image.frombytes("RGB", (200, 200), bytes(range(256)) * 469)
        buffer = io.BytesIO()
        noisy.save(buffer, "PNG")
        content = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    client.force_login(CuratorFactory())
    actor = partners["kth"]
    response = client.post(
        f"/admin/collaboration/actor/{actor.pk}/change/",
        logo_post(actor, SimpleUploadedFile(name, content)),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["logo_upload"]
    assert any(message in error for error in errors), errors
    actor.refresh_from_db()
    assert not actor.logo and not actor.logo_renditions
    assert media_files(settings) == []


# Demo data ---------------------------------------------------------------------------------------


def test_demo_has_the_real_partners_grants_and_placeholder_logos(settings):
    settings.DEBUG = False
    call_command("load_demo", stdout=StringIO())
    names = set(Actor.objects.values_list("name", flat=True))
    for partner in (
        "KTH",
        "Södertörns högskola",
        "Nordregio",
        "White Arkitekter",
        "Skanska",
        "WSP",
        "Wallenstam",
        "Sweden Green Building Council",
        "Ecoloop",
        "SKL International",
        "2050 Consulting",
        "Vinnova",
    ):
        assert partner in names
    assert Actor.objects.filter(municipality__isnull=False, sector="public").count() == 8
    assert Actor.objects.get(slug="vinnova").sector == "funder"
    assert not Actor.objects.filter(is_demo=True).exists()  # real partners, our own words
    assert not Actor.objects.filter(logo_is_demo=False).exists()  # every logo a placeholder
    programme = {
        g.reference: g
        for g in Grant.objects.filter(kind="programme").select_related("funder", "coordinator")
    }
    assert set(programme) == {"2014-00918", "2017-01575"}
    grants = programme
    assert grants["2014-00918"].amount_sek == 8_000_000
    assert grants["2017-01575"].amount_sek == 9_286_000
    assert {g.funder.name for g in grants.values()} == {"Vinnova"}
    assert {g.coordinator.name for g in grants.values()} == {"KTH"}
    assert grants["2014-00918"].start_date == datetime.date(2014, 6, 1)
    assert grants["2014-00918"].end_date == datetime.date(2016, 11, 30)
    # Invented parts are marked.
    assert CollaborationGroup.objects.get().is_demo
    assert not Meeting.objects.filter(is_demo=False).exists()
    assert not ContactPerson.objects.filter(is_demo=False).exists()
    assert not SystemSolution.objects.filter(is_demo=False).exists()
    for model in (Actor, Grant, Meeting, ContactPerson, Seat, SystemSolution):
        for obj in model.objects.all():
            obj.full_clean()


def test_demo_is_idempotent_for_actors_and_logos(settings):
    settings.DEBUG = False
    call_command("load_demo", stdout=StringIO())
    first = sorted(Actor.objects.values_list("slug", "logo", "sector"))
    files = len(media_files(settings))
    call_command("load_demo", stdout=StringIO())
    assert sorted(Actor.objects.values_list("slug", "logo", "sector")) == first
    assert len(media_files(settings)) == files
    assert Grant.objects.count() == 4 and Meeting.objects.count() == 5


def test_testbeds_stay_independent_of_the_other_apps():
    from pathlib import Path

    from django.conf import settings as django_settings

    for path in (Path(django_settings.BASE_DIR) / "testbeds").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+(collaboration|ideagroups)\b", source, re.M), (
            path
        )
    assert Testbed._meta.app_label == "testbeds"


def test_email_at_has_its_own_message_not_the_point_in_time_of_a_model_field(
    client, swedish_messages
):
    """Without JavaScript an address reads "user (at) domain": the "at" is the e-mail sign,
    a message of its own (context "email address"), never the "at" (tidpunkt) of a
    Transition's time field, which shares the msgid."""
    ContactPerson.objects.create(
        testbed=TestbedFactory(slug="flemingsberg"), name="Maja Ekström", email="maja@example.com"
    )
    swedish_messages("at", "snabel-a", context="email address")
    text = client.get("/testbaddar/flemingsberg/").text
    assert "tidpunkt" not in text
    assert '<span class="email-at"> (snabel-a) </span>' in text
    assert '<span class="email-at"> (at) </span>' in client.get("/en/testbaddar/flemingsberg/").text
