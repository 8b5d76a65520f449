"""Demo results, films and gallery images on the demo testbeds (called by load_demo).

Two results are real (``REAL_RESULTS``): Södertörnsanalysen and the result of the programme's
stage 2, on the two testbeds the sources name, written in our own words with the source named
in the text. Everything else is invented and marked as example content. Every date lies in
the programme's years, within its testbed's period; the rows' own times are set to that date.

Film addresses are well-formed YouTube/Vimeo addresses with ids that spell "Exempel"; they
point at no real film of the programme. Gallery images are drawn with Pillow and stored
through the same pipeline as uploads.
"""

import datetime
import io
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from sodertorn.images import store_image
from testbeds.models import Testbed

from .models import Film, GalleryImage, Result, ResultKind

TZ = ZoneInfo("Europe/Stockholm")

# Results of earlier versions of the demo, removed on the next load.
RETIRED = ("gronkarta-tyresta",)

REAL_RESULTS = [
    # slug, testbed slug, kind, date, title, summary, body (facts from the sources only)
    (
        "sodertornsanalysen-smaomraden",
        "flemingsbergs-stationsomrade",
        ResultKind.METHOD,
        "2019-05-27",
        "Södertörnsanalysen: småområden jämförda över tid",
        "Ett öppet analysverktyg som programmet tog fram för att jämföra småområden, bland dem "
        "Flemingsberg, Tyresö centrum och Rinkeby, över tid med sociala, ekonomiska och "
        "ekologiska indikatorer.",
        "## Vad verktyget gör\n\nSödertörnsanalysen jämför småområden från 2000 till 2017 i ett "
        "bubbeldiagram i Gapminders stil: den som använder verktyget väljer vad axlarna, "
        "bubblornas storlek och deras färg ska visa. Det finns också en kartvy och en "
        "uppdelning på kön. Statistiken för småområdena kommer från Region Stockholm.\n\n"
        "## Spridning\n\nSödertörnsanalysen presenterades som ett av 50 utvalda projekt på en "
        "webbplattform som lanserades under Habitat III.\n\n"
        "## Källor\n\n- Vinnovas projektdatabas: Södertörnsmodellen, diarienummer 2014-00918 "
        "(”Externa länkar”).\n- Södertörnsmodellens webbplats.\n\n"
        "*Datumet är programmets slutkonferens den 27 maj 2019; källorna anger inte när "
        "verktyget publicerades.*\n",
    ),
    (
        "arbetssatt-for-hallbar-stadsutveckling",
        "tyreso-centrum",
        ResultKind.LESSON,
        "2016-11-30",
        "Ett behovsanpassat arbetssätt för hållbar stadsutveckling",
        "Programmets samlade resultat efter steg 2: ett sätt att arbeta med stadsutveckling där "
        "sociala, ekologiska och ekonomiska aspekter vägs samman, och där kommuner och privata "
        "aktörer bygger kunskap tillsammans.",
        "## Resultatet\n\nEnligt projektets beskrivning i Vinnovas projektdatabas är det "
        "övergripande resultatet ett nytt sätt att bedriva stadsutveckling utifrån ett "
        "hållbarhetsperspektiv, där sociala, ekologiska och ekonomiska aspekter integreras i "
        "ett strukturerat arbetssätt som anpassas efter behoven.\n\n"
        "## Vad det bygger på\n\n"
        "- Ett bättre samspel mellan kommuner och privata aktörer, som bygger upp och delar "
        "kunskap och ger en gemensam förståelse för de lokala behoven.\n"
        "- En ny organisationsform, med testbäddar, idégrupper och en samverkansgrupp, där "
        "aktörer från olika delar av samhällsbyggandet tillsammans tar fram lösningar som "
        "utgår från kommunernas behov.\n"
        "- Social hållbarhet som utgår från medborgardialog, med mål, aspekter och indikatorer "
        "som tas fram i samverkan.\n\n"
        "Resultatet gäller programmets alla testbäddar; Tyresö centrum var en av dem.\n\n"
        "## Källa\n\nVinnovas projektdatabas: Södertörnsmodellen steg 2, diarienummer "
        "2014-00918 (”Resultat och förväntade effekter”, ”Upplägg och genomförande”). Texten "
        "är vår egen sammanfattning.\n\n*Datumet är slutet av steg 2, november 2016.*\n",
    ),
]

RESULTS = [
    # slug, testbed slug, kind, date, title, summary, body (invented: examples)
    (
        "lokala-upphandlingskrav-fittja",
        "lokala-jobb-i-fittja-centrum",
        ResultKind.METHOD,
        "2018-05-14",
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
        "2016-10-24",
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
        "tomter-nara-stationerna-nynasbanan",
        "stationsnara-lagen-langs-nynasbanan",
        ResultKind.REPORT,
        "2018-11-12",
        "Rapport: obebyggda tomter nära stationerna",
        "En rapport om hur två kommuner gick igenom marken kring stationerna längs Nynäsbanan "
        "och vilka tomter som kan bebyggas först.",
        "## Sammanfattning\n\nRapporten bygger på båda kommunernas underlag och visar "
        "tomterna inom gångavstånd från stationerna, med ägare och planläge.\n\n"
        "*Rapporten är ett exempel.*\n",
    ),
]

FILMS = [
    # slug, title, url, seconds, testbed slug, result slug, captions, transcript, date
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
        "2016-10-10",
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
        "2017-11-20",
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
        "2018-05-21",
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


def _at(date: str) -> datetime.datetime:
    return datetime.datetime.combine(
        datetime.date.fromisoformat(date), datetime.time(12), tzinfo=TZ
    )


def load(*, database, stdout, style, debug):
    Result.objects.using(database).filter(slug__in=RETIRED, is_demo=True).delete()
    testbeds = {t.slug: t for t in Testbed.objects.using(database).all()}
    results = {}
    rows = [(row, False) for row in REAL_RESULTS] + [(row, True) for row in RESULTS]
    for (slug, testbed, kind, date, title, summary, body), is_demo in rows:
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
                "is_demo": is_demo,
            },
        )
        Result.objects.using(database).filter(pk=results[slug].pk).update(
            created_at=_at(date), updated_at=_at(date)
        )
    for slug, title, url, seconds, testbed, result, captions, transcript, date in FILMS:
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
        Film.objects.using(database).filter(pk=film.pk).update(
            created_at=_at(date), updated_at=_at(date)
        )
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
            f"Demo results: {len(REAL_RESULTS) + len(RESULTS)} results, {len(FILMS)} films, "
            f"{len(GALLERY)} images."
        )
    )
