"""Demo results, films and gallery images on the demo testbeds (called by load_demo).

All invented and marked as example content. Film addresses are well-formed YouTube/Vimeo
addresses with ids that spell "Exempel"; they point at no real film of the programme.
Gallery images are drawn with Pillow and stored through the same pipeline as uploads.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from sodertorn.images import store_image
from testbeds.models import Testbed

from .models import Film, GalleryImage, Result, ResultKind

RESULTS = [
    # slug, testbed slug, kind, date, title, summary, body
    (
        "lokala-upphandlingskrav-fittja",
        "lokala-jobb-i-fittja-centrum",
        ResultKind.METHOD,
        "2017-05-12",
        "Lokala krav i upphandlingen av centrumrenoveringen",
        "En metod för att skriva in praktikplatser och lokala underentreprenörer i "
        "upphandlingen av en centrumrenovering, prövad med fastighetsägaren.",
        "## Vad vi gjorde\n\nKommunen och fastighetsägaren gick igenom vilka delar av "
        "renoveringen som kunde handlas upp i mindre delar.\n\n## Vad vi lärde oss\n\n"
        "- Små delar gör det lättare för lokala företag att lämna anbud.\n"
        "- Krav på praktikplatser behöver följas upp under hela entreprenaden.\n",
    ),
    (
        "dagvattenparken-i-hallunda",
        "dagvatten-och-gronska-i-hallunda",
        ResultKind.SOLUTION,
        "2016-10-03",
        "Dagvattenpark med växtbäddar",
        "En gårdslösning där regnvatten från tak leds till växtbäddar och svackdiken i "
        "stället för till ledningsnätet.",
        "## Lösningen\n\nTakvatten leds i öppna rännor till växtbäddar.\n\n"
        "| Mått | Före | Efter |\n|---|---|---|\n| Hårdgjord yta | 70 % | 45 % |\n"
        "| Antal planteringar | 4 | 19 |\n\n*Siffrorna är exempeldata.*\n",
    ),
    (
        "spelregler-for-markanvisning-handen",
        "markanvisning-for-blandad-stad-i-handen",
        ResultKind.POLICY,
        "2018-02-20",
        "Gemensamma spelregler för markanvisning",
        "Ett förslag till spelregler som gör det tydligt för byggaktörer hur kommunen "
        "väger pris, blandade upplåtelseformer och hållbarhet vid markanvisning.",
        "## Rekommendationer\n\n1. Publicera bedömningsgrunderna innan anvisningen.\n"
        "2. Väg in sociala och ekologiska åtaganden, inte bara pris.\n"
        "3. Följ upp åtagandena i exploateringsavtalet.\n",
    ),
    (
        "trygghetsvandringar-sodertalje",
        "trygga-strak-i-sodertalje-centrum",
        ResultKind.LESSON,
        "2017-11-15",
        "Det här lärde vi oss av trygghetsvandringarna",
        "Boende, handlare och kommunen gick stråken tillsammans före och efter "
        "åtgärderna. Belysning och öppna bottenvåningar gjorde störst skillnad.",
        "## Lärdomar\n\n- Gå samma sträcka vid samma tid före och efter.\n"
        "- Bjud in unga särskilt: de använder stråken sent på kvällen.\n",
    ),
    (
        "gronkarta-tyresta",
        "grona-samband-kring-tyresta",
        ResultKind.REPORT,
        "2016-06-01",
        "Rapport: gemensam karta över gröna samband",
        "En rapport om hur två kommuner tog fram en gemensam karta över gröna kilar och "
        "spridningsvägar, och hur den används i översiktsplaneringen.",
        "## Sammanfattning\n\nKartan bygger på båda kommunernas underlag och visar "
        "spridningsvägar över kommungränsen.\n",
    ),
]

FILMS = [
    # slug, title, url, seconds, testbed slug, result slug, captions, transcript
    (
        "film-dagvattenparken",
        "Så fungerar dagvattenparken",
        "https://www.youtube.com/watch?v=Exempel0001",
        185,
        "dagvatten-och-gronska-i-hallunda",
        "dagvattenparken-i-hallunda",
        "sv",
        "Berättare: När det regnar rinner vattnet från taken ut i rännorna här.\n\n"
        "Boende: Vi var med och valde växterna till bäddarna.",
    ),
    (
        "film-trygga-strak",
        "Trygga stråk – en kvällsvandring",
        "https://vimeo.com/100000001",
        242,
        "trygga-strak-i-sodertalje-centrum",
        None,
        "",
        "Berättare: Vi går från stationen mot torget klockan nio en tisdagskväll.\n\n"
        "Handlare: Sedan vi öppnade fönstren mot gatan känns det mer befolkat.",
    ),
    (
        "film-lokala-jobb-fittja",
        "Lokala jobb när centrum rustas",
        "https://youtu.be/Exempel0002",
        128,
        "lokala-jobb-i-fittja-centrum",
        "lokala-upphandlingskrav-fittja",
        "sv",
        "",
    ),
]

GALLERY = [
    # testbed slug, colours, alt text, caption
    (
        "dagvatten-och-gronska-i-hallunda",
        ((144, 202, 249), (46, 125, 50)),
        "Tecknad skiss av en gård med växtbäddar och en ränna för regnvatten.",
        "Skiss över dagvattengården (exempelbild).",
    ),
    (
        "dagvatten-och-gronska-i-hallunda",
        ((121, 85, 72), (165, 214, 167)),
        "Tecknad skiss av ett svackdike mellan två hus.",
        "Svackdiket mellan husen (exempelbild).",
    ),
    (
        "trygga-strak-i-sodertalje-centrum",
        ((38, 50, 56), (255, 213, 79)),
        "Tecknad skiss av en gata i kvällsljus med gatlampor och upplysta skyltfönster.",
        "Stråket efter den nya belysningen (exempelbild).",
    ),
]


def _drawn_image(colours, seed: int) -> SimpleUploadedFile:
    sky, ground = colours
    image = Image.new("RGB", (1600, 1000), ground)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 1600, 430 + seed * 40], fill=sky)
    for i in range(6):
        x = 120 + i * 240
        draw.rectangle([x, 360, x + 150, 760], fill=(236, 239, 241), outline=(55, 71, 79), width=6)
        draw.ellipse([x + 20, 800, x + 130, 900], fill=(27, 94, 32))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile("exempel.jpg", buffer.getvalue(), content_type="image/jpeg")


def load(*, database, stdout, style, debug):
    testbeds = {t.slug: t for t in Testbed.objects.using(database).all()}
    results = {}
    for slug, testbed, kind, date, title, summary, body in RESULTS:
        results[slug], _ = Result.objects.using(database).update_or_create(
            slug=slug,
            defaults={
                "testbed": testbeds[testbed],
                "kind": kind,
                "date": datetime.date.fromisoformat(date),
                "title": title,
                "summary": summary,
                "body": body,
                "published": True,
                "is_demo": True,
            },
        )
    for slug, title, url, seconds, testbed, result, captions, transcript in FILMS:
        film = Film.objects.using(database).filter(slug=slug).first() or Film(slug=slug)
        film.title, film.video_url, film.duration = title, url, seconds
        film.provider = "youtube" if "youtu" in url else "vimeo"
        film.testbed = testbeds[testbed]
        film.result = results[result] if result else None
        film.captions_language, film.transcript = captions, transcript
        film.description = "Exempelfilm: adressen är påhittad och leder inte till en riktig film."
        film.published, film.is_demo = True, True
        if not film.poster:
            colours = (
                ((0, 57, 47), (127, 209, 185))
                if film.provider == "youtube"
                else ((38, 50, 56), (255, 213, 79))
            )
            film.poster, film.poster_renditions = store_image(
                _drawn_image(colours, 1), folder="films/posters"
            )
            film.poster_alt = f"Tecknad bild ur filmen ”{title}” (exempelbild)."
        film.save(using=database)
    for order, (testbed, colours, alt, caption) in enumerate(GALLERY):
        if (
            GalleryImage.objects.using(database)
            .filter(testbed=testbeds[testbed], order=order)
            .exists()
        ):
            continue
        name, renditions = store_image(_drawn_image(colours, order), folder="testbeds/gallery")
        GalleryImage.objects.using(database).create(
            testbed=testbeds[testbed],
            image=name,
            renditions=renditions,
            alt_text=alt,
            caption=caption,
            credit="Södertörnsmodellen (exempel)",
            order=order,
        )
    stdout.write(
        style.SUCCESS(
            f"Demo results: {len(RESULTS)} results, {len(FILMS)} films, {len(GALLERY)} images."
        )
    )
