import datetime
import io
import re
from xml.etree import ElementTree

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from PIL import Image

from results.forms import FilmForm, GalleryImageForm, ResultAttachmentForm
from results.models import Film, GalleryImage, Result, ResultAttachment, ResultKind
from sodertorn.cache import content_changed
from testbeds.models import Testbed
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory, ThemeFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_result(testbed, n=0, **extra):
    defaults = {
        "title": f"Resultat {n}",
        "slug": f"resultat-{n}",
        "kind": ResultKind.METHOD,
        "summary": "Sammanfattning.",
        "date": datetime.date(2017, 1, 1),
        "published": True,
    }
    return Result.objects.create(testbed=testbed, **{**defaults, **extra})


def make_film(n=0, **extra):
    defaults = {
        "title": f"Film {n}",
        "slug": f"film-{n}",
        "video_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "duration": 125,
        "transcript": "Berättare: hej.",
        "published": True,
    }
    return Film.objects.create(**{**defaults, **extra})


def jpeg_with_gps(size=(1600, 1200)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Kamera AB"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90°
    exif[0x8825] = {1: "N", 2: (59.0, 13.0, 20.0), 3: "E", 4: (17.0, 56.0, 10.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def world():
    huddinge = MunicipalityFactory(name="Huddinge", slug="huddinge", code="0126")
    tyreso = MunicipalityFactory(name="Tyresö", slug="tyreso", code="0138")
    green = ThemeFactory(name="Ekosystemtjänster", slug="ekosystemtjanster")
    jobs = ThemeFactory(name="Jobb", slug="jobb")
    a = TestbedFactory(slug="a", title="Bädd A", municipalities=[huddinge], themes=[green])
    b = TestbedFactory(slug="b", title="Bädd B", municipalities=[tyreso], themes=[jobs])
    hidden = TestbedFactory(slug="dold", published=False, municipalities=[huddinge])
    results = {
        "method": make_result(a, 1, kind=ResultKind.METHOD, date=datetime.date(2016, 5, 1)),
        "report": make_result(b, 2, kind=ResultKind.REPORT, date=datetime.date(2018, 5, 1)),
        "draft": make_result(a, 3, published=False),
        "of_hidden": make_result(hidden, 4),
    }
    return {"a": a, "b": b, "hidden": hidden, **results}


def listed(response):
    return {obj.slug for obj in response.context["object_list"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"resultat-1", "resultat-2"}),
        ("?kind=report", {"resultat-2"}),
        ("?theme=ekosystemtjanster", {"resultat-1"}),
        ("?municipality=tyreso", {"resultat-2"}),
        ("?testbed=a", {"resultat-1"}),
        ("?year=2016", {"resultat-1"}),
        ("?kind=method&municipality=huddinge&year=2016", {"resultat-1"}),
        ("?kind=report&theme=ekosystemtjanster", set()),
    ],
)
def test_results_list_filters(client, world, query, expected):
    response = client.get("/resultat/" + query)
    assert response.status_code == 200
    assert listed(response) == expected


@pytest.mark.parametrize(
    "query", ["?kind=xyz", "?year=abc", "?testbed=dold", "?municipality=nowhere", "?theme=x"]
)
def test_bad_result_filters_give_a_message(client, world, query):
    response = client.get("/resultat/" + query)
    assert response.status_code == 200
    assert 'role="alert"' in response.text


def test_unpublished_results_are_404_and_staff_see_them(client, admin_client, world):
    assert client.get("/resultat/resultat-3/").status_code == 404
    assert client.get("/resultat/resultat-4/").status_code == 404  # testbed unpublished
    assert admin_client.get("/resultat/resultat-3/").status_code == 200
    assert client.get("/resultat/resultat-1/").status_code == 200


@pytest.mark.parametrize("url", ["/resultat/", "/resultat/resultat-1/", "/filmer/"])
def test_result_pages_are_cached_for_visitors_never_for_staff(client, admin_client, world, url):
    """The result list and a result's page are page-cached for anonymous visitors (and so
    kept by a cache in front, issue 14); staff, who see unpublished results, never get a
    cached copy, and an edit shows at once."""
    client.get(url)
    hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit" and "public" in hit["Cache-Control"]
    staff = admin_client.get(url)
    assert "X-Page-Cache" not in staff and "private" in staff["Cache-Control"]
    draft = admin_client.get("/resultat/resultat-3/")  # unpublished: staff only
    assert draft.status_code == 200 and "private" in draft["Cache-Control"]
    assert client.get("/resultat/resultat-3/").status_code == 404
    world["method"].title = "Nytt namn på metoden"
    world["method"].save()
    assert "Nytt namn på metoden" in client.get("/resultat/").text


def test_result_page_renders_sanitised_markdown(client, world):
    result = world["method"]
    result.body = "## Lärdomar\n\n- ett\n\n<script>alert(1)</script>[x](javascript:alert(2))"
    result.save()
    html = client.get(result.get_absolute_url()).text
    assert "<h3>Lärdomar</h3>" in html and "<li>ett</li>" in html
    assert "alert(1)" not in html and "javascript:alert" not in html


def test_testbed_page_lists_its_results_films_and_images(client, world):
    make_film(1, testbed=world["a"], title="Filmen om A")
    make_film(2, testbed=world["a"], title="Opublicerad film", published=False)
    GalleryImage.objects.create(
        testbed=world["a"],
        image="x.jpg",
        alt_text="En gård",
        renditions={
            "width": 800,
            "height": 600,
            "sizes": [
                {"name": "card", "width": 640, "height": 480, "webp": "a.webp", "fallback": "a.jpg"}
            ],
        },
    )
    html = client.get(world["a"].get_absolute_url()).text
    assert "Resultat 1" in html and "Resultat 3" not in html
    assert "Filmen om A" in html and "Opublicerad film" not in html
    assert 'alt="En gård"' in html and 'width="640" height="480"' in html
    assert 'type="image/webp"' in html


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def bulk(n, testbed, start):
    Result.objects.bulk_create(
        Result(
            testbed=testbed,
            title=f"R{start + i}",
            slug=f"r-{start + i}",
            kind=ResultKind.REPORT,
            summary="s",
            date=datetime.date(2017, 1, 1),
            published=True,
        )
        for i in range(n)
    )
    Film.objects.bulk_create(
        Film(
            testbed=testbed,
            title=f"F{start + i}",
            slug=f"f-{start + i}",
            video_url="https://vimeo.com/76979871",
            provider="vimeo",
            video_id="76979871",
            duration=60,
            transcript="t",
            published=True,
        )
        for i in range(n)
    )
    content_changed()  # bulk_create sends no signals: the cached pages must know


@pytest.mark.parametrize(
    "url",
    [
        "/resultat/",
        "/resultat/?municipality=huddinge&kind=report",
        "/filmer/",
        "/filmer/?theme=t",
        "/resultat/flode/",
    ],
)
def test_result_and_film_lists_make_constant_queries(client, url):
    testbed = TestbedFactory(themes=[ThemeFactory(slug="t")])
    testbed.municipalities.set([MunicipalityFactory(slug="huddinge", code="0126")])
    bulk(10, testbed, 0)
    few = count_queries(client, url)
    bulk(490, testbed, 10)
    assert count_queries(client, url) == few


# Films --------------------------------------------------------------------------------------


def test_film_page_loads_nothing_from_the_video_host_before_play(client, world):
    film = make_film(1, testbed=world["a"], video_url="https://youtu.be/dQw4w9WgXcQ")
    html = client.get(film.get_absolute_url()).text
    assert "<iframe" not in html
    assert (
        'data-embed-url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&amp;rel=0"'
        in html
    )
    assert "youtube.com/" not in html.replace(film.video_url, "")  # only the plain link out
    assert "<details" in html and "Berättare: hej." in html


def test_a_film_with_captions_but_no_transcript_does_not_point_to_a_transcript(client, world):
    captioned = make_film(1, testbed=world["a"], transcript="  ", captions_language="sv")
    text = client.get(f"/en/filmer/{captioned.slug}/").text
    noscript = re.search(r"<noscript>(.*?)</noscript>", text, re.S).group(1)
    assert "transcript" not in noscript
    assert "there the film has captions (Swedish)" in noscript
    assert '<details class="transcript">' not in text
    transcribed = make_film(2, testbed=world["a"], captions_language="sv")
    text = client.get(f"/en/filmer/{transcribed.slug}/").text
    assert "read the transcript below" in text
    assert '<details class="transcript">' in text


def test_films_filter_by_theme_and_municipality_through_testbed_or_result(client, world):
    make_film(1, testbed=world["a"])
    make_film(2, result=world["report"])  # via the result's testbed B
    assert listed(client.get("/filmer/?theme=ekosystemtjanster")) == {"film-1"}
    assert listed(client.get("/filmer/?municipality=tyreso")) == {"film-2"}
    assert listed(client.get("/filmer/")) == {"film-1", "film-2"}


@pytest.mark.each_database  # a database constraint or text lookup
def test_publishing_a_film_without_transcript_or_captions_is_refused(world):
    form = FilmForm(
        data={
            "title": "Ny film",
            "slug": "ny-film",
            "video_url": "https://vimeo.com/76979871",
            "duration": 60,
            "testbed": world["a"].pk,
            "published": "on",
        }
    )
    assert not form.is_valid()
    with translation.override("en"):
        assert "transcript or captions" in str(form.errors["published"])
    with pytest.raises(IntegrityError), transaction.atomic():
        make_film(9, testbed=world["a"], transcript="", captions_language="")
    ok = make_film(10, testbed=world["a"], transcript="", captions_language="sv")
    assert ok.pk


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://example.se/a.mp4",
    ],
)
def test_film_form_refuses_other_addresses_with_a_clear_message(world, url):
    form = FilmForm(
        data={"title": "F", "slug": "f", "video_url": url, "duration": 60, "testbed": world["a"].pk}
    )
    assert not form.is_valid()
    with translation.override("en"):
        assert "YouTube or Vimeo" in str(form.errors["video_url"]) or "valid URL" in str(
            form.errors["video_url"]
        )
    assert not Film.objects.filter(slug="f").exists()


def test_film_form_stores_the_parsed_id(world):
    form = FilmForm(
        data={
            "title": "F",
            "slug": "f",
            "video_url": "https://player.vimeo.com/video/76979871",
            "duration": 60,
            "testbed": world["a"].pk,
            "captions_language": "sv",
            "published": "on",
        }
    )
    assert form.is_valid(), form.errors
    film = form.save()
    assert (film.provider, film.video_id) == ("vimeo", "76979871")
    assert film.embed_url == "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"


# Images -------------------------------------------------------------------------------------


def gallery_form(testbed, content, name="bild.jpg"):
    return GalleryImageForm(
        data={"testbed": testbed.pk, "alt_text": "En bild", "order": 0},
        files={"image": SimpleUploadedFile(name, content, content_type="image/jpeg")},
    )


def test_uploaded_image_loses_exif_and_gps_and_gets_renditions(world):
    form = gallery_form(world["a"], jpeg_with_gps())
    assert form.is_valid(), form.errors
    image = form.save()
    with default_storage.open(image.image.name) as handle:
        stored = Image.open(handle)
        assert stored.size == (1200, 1600)  # orientation applied
        exif = stored.getexif()
        assert 0x8825 not in exif and 0x010F not in exif and 0x0112 not in exif
    sizes = {entry["name"]: entry for entry in image.renditions["sizes"]}
    assert [sizes[n]["width"] for n in ("thumb", "card", "large")] == [320, 640, 1200]
    for entry in sizes.values():
        for key, fmt in (("webp", "WEBP"), ("fallback", "JPEG")):
            with default_storage.open(entry[key]) as handle:
                rendition = Image.open(handle)
                assert rendition.format == fmt
                assert rendition.size == (entry["width"], entry["height"])
                assert 0x8825 not in rendition.getexif()


def truncated_jpeg():
    return jpeg_with_gps()[:3000]


def bomb_png():
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (PDF, "bild.jpg"),  # wrong type, right extension
        (b"GIF89a" + b"\x00" * 100, "bild.png"),
        (truncated_jpeg(), "bild.jpg"),
        (bomb_png(), "bild.png"),
        (b"x" * (11 * 1024 * 1024), "bild.jpg"),  # too large
    ],
)
def test_bad_images_are_refused_with_a_form_error_and_nothing_stored(
    world, tmp_path, content, name
):
    form = gallery_form(world["a"], content, name)
    assert not form.is_valid()
    assert form.errors["image"]
    assert GalleryImage.objects.count() == 0
    media = tmp_path / "media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


# Attachments --------------------------------------------------------------------------------


def test_attachment_is_checked_and_served_as_a_download(client, world):
    result = world["method"]
    form = ResultAttachmentForm(
        data={"title": "Rapport"},
        files={"file": SimpleUploadedFile("rapport.pdf", PDF, content_type="text/html")},
        instance=ResultAttachment(result=result),
    )
    assert form.is_valid(), form.errors
    attachment = form.save()
    assert attachment.content_type == "application/pdf"
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    result.published = False
    result.save()
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_attachment_with_wrong_content_is_refused(world):
    form = ResultAttachmentForm(
        data={"title": "Rapport"},
        files={"file": SimpleUploadedFile("rapport.pdf", b"<html>hej</html>")},
        instance=ResultAttachment(result=world["method"]),
    )
    assert not form.is_valid()
    assert ResultAttachment.objects.count() == 0


# Feed and sitemap ---------------------------------------------------------------------------


def test_atom_feed_lists_published_results_only(client, world):
    response = client.get("/resultat/flode/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.text
    assert "Resultat 1" in xml and "Resultat 2" in xml
    assert "Resultat 3" not in xml and "Resultat 4" not in xml
    assert 'href="/resultat/flode/"' in client.get("/").text


def test_atom_feed_dates_are_the_results_own_dates_not_when_they_were_loaded(client, db):
    """The demo data is loaded in 2026; its results are from 2017-2018, and so is the feed."""
    testbed = TestbedFactory(slug="flemingsberg")
    make_result(testbed, 1, date=datetime.date(2017, 3, 14))
    edited = make_result(testbed, 2, date=datetime.date(2016, 9, 1))
    edit_time = edited.created_at + datetime.timedelta(days=3)
    Result.objects.filter(pk=edited.pk).update(updated_at=edit_time)
    feed = ElementTree.fromstring(client.get("/resultat/flode/").content)
    entries = {
        entry.findtext(f"{ATOM}title"): (
            entry.findtext(f"{ATOM}published"),
            entry.findtext(f"{ATOM}updated"),
        )
        for entry in feed.iter(f"{ATOM}entry")
    }
    # Entered and never edited: published and updated on the result's own date.
    assert entries["Resultat 1"] == ("2017-03-14T00:00:00+01:00", "2017-03-14T00:00:00+01:00")
    # Edited after it was entered: the edit is its update; it is still a result of 2016.
    published, updated = entries["Resultat 2"]
    assert published == "2016-09-01T00:00:00+02:00"
    assert datetime.datetime.fromisoformat(updated) == edit_time
    assert feed.findtext(f"{ATOM}updated") == updated


def test_sitemap_lists_public_pages_in_both_languages(client, world, sitemap_text):
    make_film(1, testbed=world["a"])
    xml = sitemap_text()
    assert "/testbaddar/a/" in xml and "/en/testbaddar/a/" in xml
    assert "/resultat/resultat-1/" in xml and "/filmer/film-1/" in xml
    assert "/testbaddar/dold/" not in xml and "resultat-3" not in xml
    assert 'hreflang="en"' in xml
    assert Testbed.objects.count() == 3


# A film shown through a result follows the result's published rule ------------------------


@pytest.fixture
def film_of_hidden_testbed(world):
    """A published film whose (published) result belongs to an unpublished testbed."""
    return make_film(
        7, result=world["of_hidden"], title="Solcellsfilmen i dolda bädden", slug="dold-film"
    )


@pytest.mark.search_index
def test_film_through_a_result_of_an_unpublished_testbed_is_not_public(
    client, admin_client, world, film_of_hidden_testbed, sitemap_text
):
    film = film_of_hidden_testbed
    visible = make_film(8, result=world["report"], title="Solcellsfilmen i bädd B")
    assert set(Film.objects.published()) == {visible}
    # 1. The film page (staff still see it, to fix it).
    assert client.get(film.get_absolute_url()).status_code == 404
    assert client.get(f"/en{film.get_absolute_url()}").status_code == 404
    assert admin_client.get(film.get_absolute_url()).status_code == 200
    assert client.get(visible.get_absolute_url()).status_code == 200
    assert listed(client.get("/filmer/")) == {visible.slug}
    # 2. The site search.
    search = re.sub(r"<[^>]+>", "", client.get("/sok/", {"q": "Solcellsfilmen"}).text)
    assert "Solcellsfilmen i bädd B" in search
    assert "Solcellsfilmen i dolda bädden" not in search and "dold-film" not in search
    # 3. The Atom feed (it lists results; neither the film nor its result may show).
    feed = client.get("/resultat/flode/").text
    assert "dolda bädden" not in feed and "dold-film" not in feed and "Resultat 4" not in feed
    # 4. The sitemap.
    sitemap = sitemap_text()
    assert "/filmer/dold-film/" not in sitemap and f"/filmer/{visible.slug}/" in sitemap
    # 5. The API, list and detail.
    api_list = client.get("/api/v1/films/").json()
    assert [row["slug"] for row in api_list["results"]] == [visible.slug]
    assert client.get("/api/v1/films/dold-film/").status_code == 404


def test_film_becomes_public_when_its_results_testbed_is_published(
    client, world, film_of_hidden_testbed, sitemap_text
):
    Testbed.objects.filter(pk=world["hidden"].pk).update(published=True)
    assert client.get(film_of_hidden_testbed.get_absolute_url()).status_code == 200
    assert "/filmer/dold-film/" in sitemap_text()


def test_result_filter_offers_only_testbeds_with_results_and_keeps_every_slug(client):
    with_results = TestbedFactory(title="Med resultat", slug="med-resultat")
    bulk(3, with_results, 0)
    without = TestbedFactory(title="Utan resultat", slug="utan-resultat")
    with CaptureQueriesContext(connection) as few:
        small = client.get("/resultat/")
    Testbed.objects.bulk_create(
        Testbed(
            title=f"Tom {i}",
            slug=f"tom-{i}",
            question="?",
            summary="s",
            status=Testbed.Status.ONGOING,
            start_date=datetime.date(2016, 1, 1),
            latitude=59.2,
            longitude=17.9,
            published=True,
        )
        for i in range(300)
    )
    content_changed()
    with CaptureQueriesContext(connection) as many:
        big = client.get("/resultat/")
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(big.content) == len(small.content)
    assert '<option value="med-resultat">Med resultat</option>' in big.text
    assert "Tom 1" not in big.text and "Utan resultat" not in big.text
    # A published testbed without results is still a valid filter, shown as chosen.
    chosen = client.get("/resultat/?testbed=utan-resultat")
    assert chosen.status_code == 200 and not chosen.context["filter_errors"]
    assert '<option value="utan-resultat" selected>Utan resultat</option>' in chosen.text
    assert client.get("/resultat/?testbed=med-resultat").context["paginator"].count == 3
    assert (
        without.slug not in client.get("/resultat/?testbed=med-resultat").text.split("<select")[0]
    )


@pytest.mark.each_database  # PostgreSQL text cannot hold NUL
def test_a_nul_in_the_testbed_filter_is_an_unknown_testbed_not_a_server_error(client):
    TestbedFactory(title="Med resultat", slug="med-resultat")
    for path in ("/resultat/", "/en/resultat/"):
        response = client.get(path, {"testbed": "\x00"})
        assert response.status_code == 200
        assert 'aria-invalid="true"' in response.text or "errorlist" in response.text


def test_atom_feed_follows_the_language(client, world):
    """/en/resultat/flode/: the feed's title, subtitle, categories, links and xml:lang in
    English; /resultat/flode/ in Swedish. Entries read their text in the active language."""
    feeds = {}
    for language, path in (("sv", "/resultat/flode/"), ("en", "/en/resultat/flode/")):
        response = client.get(path)
        assert response.status_code == 200
        feed = ElementTree.fromstring(response.content)
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language
        feeds[language] = feed
    with translation.override("en"):
        english_title = str(translation.gettext("New results from the Södertörn Model"))
        english_kind = str(ResultKind.METHOD.label)
    with translation.override("sv"):
        swedish_kind = str(ResultKind.METHOD.label)
    assert feeds["en"].findtext(f"{ATOM}title") == english_title
    assert feeds["sv"].findtext(f"{ATOM}title") != english_title
    assert feeds["en"].findtext(f"{ATOM}subtitle") == "Newly published results from the testbeds."
    for language, feed in feeds.items():
        links = [link.get("href") for link in feed.iter(f"{ATOM}link")]
        links += [entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")]
        assert links
        for link in links:
            assert ("/en/" in link) == (language == "en"), link
        categories = {c.get("term") for c in feed.iter(f"{ATOM}category")}
        assert (english_kind if language == "en" else swedish_kind) in categories
