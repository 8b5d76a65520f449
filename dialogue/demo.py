"""Demo dialogue rounds on the demo testbeds (called by load_demo). All invented, marked demo.

The rounds are dated within the programme's years, 2014–2019, as the rest of the demo, and are
closed, with one exception: the example round on Nykvarn centrum (``OPEN_ROUND``), clearly
labelled as such, is dated relative to the day the demo is loaded, so that it is open then and
posting can be tried. Each round fits its testbed's planning stage (fixtures/testbeds.json):
Hallunda's plan, after samråd (spring 2016) and granskning (autumn 2016), is up for adoption;
Södertälje's completed testbed was followed up in spring 2018; Nykvarn's planned one starts
with an early dialogue.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from testbeds.models import Testbed

from .models import Contribution, DialogueRound, PlanningStage, Response

TZ = ZoneInfo("Europe/Stockholm")
# The one round dated from the day of loading (open then); every other demo date is fixed.
OPEN_ROUND = "exempelrunda-nykvarn-centrum"
# Rounds of earlier versions of the demo, removed with their contributions on the next load.
RETIRED = ("skolgarden-efter-skoltid",)

ROUNDS = [
    # slug, testbed slug, stage, title, question, opens, closes (dates; the open round: days
    # from the day of loading)
    (
        OPEN_ROUND,
        "energismart-fortatning-i-nykvarn-centrum",
        PlanningStage.EARLY,
        "Exempelrunda att prova: Vad behöver Nykvarn centrum?",
        "**Det här är en exempelrunda.** Den är öppen räknat från den dag demodatan laddades, "
        "så att du kan prova att lämna ett förslag eller en kommentar. Allt annat i demon är "
        "daterat 2014–2019.\n\n"
        "Nykvarn planerar fler bostäder nära centrum och stationen.\n\n"
        "- Vad skulle göra centrum till en bättre plats att bo på?\n"
        "- Vad behöver finnas nära för att du ska kunna låta bilen stå?",
        -10,
        20,
    ),
    (
        "samrad-dagvattenparken",
        "dagvatten-och-gronska-i-hallunda",
        PlanningStage.CONSULTATION,
        "Samråd om dagvattenparken i Hallunda",
        "Kommunen har tagit fram ett förslag till dagvattenpark med växtbäddar och "
        "svackdiken. **Vad tycker du om förslaget?**",
        datetime.date(2016, 3, 7),
        datetime.date(2016, 4, 8),
    ),
    (
        "granskning-dagvattenparken",
        "dagvatten-och-gronska-i-hallunda",
        PlanningStage.REVIEW,
        "Granskning av dagvattenparken i Hallunda",
        "Förslaget har ändrats efter samrådet: en spång går nu över svackdiket och dikena "
        "görs grundare. **Har du synpunkter på det ändrade förslaget?**",
        datetime.date(2016, 11, 14),
        datetime.date(2016, 12, 9),
    ),
    (
        "uppfoljning-trygga-strak",
        "trygga-strak-i-sodertalje-centrum",
        PlanningStage.FOLLOW_UP,
        "Uppföljning: känns stråken tryggare nu?",
        "Ett år efter den nya belysningen vill vi veta hur stråket mellan stationen och "
        "torget upplevs en vardagskväll.",
        datetime.date(2018, 4, 16),
        datetime.date(2018, 5, 31),
    ),
]

CONTRIBUTIONS = [
    # round slug, kind, status, name, area, text, supporters, sent (a date; in the open
    # round: days before the day of loading), answer
    (
        OPEN_ROUND,
        "proposal",
        "approved",
        "Amina",
        "Nykvarn",
        "Bygg cykelparkering med tak vid stationen, så att fler kan cykla dit året om.",
        14,
        8,
        "",
    ),
    (
        OPEN_ROUND,
        "comment",
        "approved",
        "",
        "Nykvarn",
        "Det saknas platser att sitta ner i centrum. Bänkar och ett tak mot regnet skulle "
        "göra stor skillnad.",
        0,
        6,
        "Tack! Sittplatser och väderskydd tas med i underlaget till planarbetet.",
    ),
    (
        OPEN_ROUND,
        "proposal",
        "pending",
        "Olle",
        "Nykvarn",
        "Låt de nya husen dela på solceller på taken och visa hur mycket el de ger.",
        0,
        1,
        "",
    ),
    (
        "samrad-dagvattenparken",
        "proposal",
        "approved",
        "Bo",
        "Hallunda",
        "Gör en spång över svackdiket så att man kan gå genom parken även när det regnat.",
        23,
        datetime.date(2016, 3, 14),
        "Förslaget tas med: en spång ritas in i granskningshandlingen.",
    ),
    (
        "samrad-dagvattenparken",
        "proposal",
        "approved",
        "",
        "Norsborg",
        "Plantera växter som blommar vid olika tider så att parken är fin hela säsongen.",
        9,
        datetime.date(2016, 3, 22),
        "",
    ),
    (
        "samrad-dagvattenparken",
        "comment",
        "approved",
        "Sara",
        "",
        "Bra att regnvattnet tas om hand på gården. Tänk på att barn leker nära dikena.",
        0,
        datetime.date(2016, 3, 29),
        "Dikena görs grunda med flacka slänter; djupet är högst 30 cm.",
    ),
    (
        "samrad-dagvattenparken",
        "comment",
        "hidden",
        "",
        "",
        "Reklam för en webbutik (dold exempeltext).",
        0,
        datetime.date(2016, 4, 2),
        "",
    ),
    (
        "granskning-dagvattenparken",
        "comment",
        "approved",
        "Bo",
        "Hallunda",
        "Bra med spången. Gör den så bred att man kan mötas med barnvagn.",
        0,
        datetime.date(2016, 11, 21),
        "Spången blir två meter bred, så att två barnvagnar kan mötas.",
    ),
    (
        "granskning-dagvattenparken",
        "proposal",
        "approved",
        "",
        "Hallunda",
        "Sätt en skylt vid parken som berättar hur dagvattnet tas om hand.",
        6,
        datetime.date(2016, 11, 28),
        "",
    ),
    (
        "uppfoljning-trygga-strak",
        "comment",
        "approved",
        "",
        "Södertälje centrum",
        "Stråket känns ljusare nu, men vid busshållplatsen är det fortfarande mörkt.",
        4,
        datetime.date(2018, 4, 25),
        "Tack! Belysningen vid hållplatsen ses över tillsammans med trafikbolaget.",
    ),
    (
        OPEN_ROUND,
        "comment",
        "approved",
        "",
        "",
        "Gångvägen bakom skolan är smal och mörk på kvällen.",
        0,
        4,
        "",
    ),
    (
        "uppfoljning-trygga-strak",
        "comment",
        "approved",
        "",
        "",
        "I gångtunneln är lamporna ofta trasiga.",
        0,
        datetime.date(2018, 4, 20),
        "Tack! Lamporna i tunneln byts till en tåligare sort i juni.",
    ),
    (
        "uppfoljning-trygga-strak",
        "comment",
        "approved",
        "Leila",
        "",
        "Lamporna i tunneln har blivit bättre, men den känns fortfarande ödslig.",
        0,
        datetime.date(2018, 5, 8),
        "",
    ),
    (
        "uppfoljning-trygga-strak",
        "proposal",
        "approved",
        "",
        "Södertälje centrum",
        "Plantera lägre buskar vid trappan, så att man ser vem som kommer.",
        7,
        datetime.date(2018, 5, 14),
        "",
    ),
]

# Rounds where residents can mark a place, with the named places offered without the map
# (inside the testbed's area, or for Nykvarn, which has none, its municipality).
PLACE_ROUNDS = {
    OPEN_ROUND: "Pendeltågsstationen; 59.1780; 17.4320\nTorget; 59.1795; 17.4285",
    "uppfoljning-trygga-strak": (
        "Busshållplatsen; 59.1945; 17.6250\nGångtunneln; 59.1950; 17.6230\nTorget; 59.1962; 17.6275"
    ),
}

# The places marked with demo contributions (by text): place name (blank: marked on the map
# only), latitude, longitude (None: an address line only).
PLACES = {
    "Bygg cykelparkering med tak vid stationen, så att fler kan cykla dit året om.": (
        "Pendeltågsstationen",
        "59.178000",
        "17.432000",
    ),
    "Det saknas platser att sitta ner i centrum. Bänkar och ett tak mot regnet skulle "
    "göra stor skillnad.": ("Torget", "59.179500", "17.428500"),
    "Gångvägen bakom skolan är smal och mörk på kvällen.": ("", "59.177000", "17.426000"),
    "Låt de nya husen dela på solceller på taken och visa hur mycket el de ger.": (
        "Centrumvägen 5",
        None,
        None,
    ),
    "Stråket känns ljusare nu, men vid busshållplatsen är det fortfarande mörkt.": (
        "Busshållplatsen",
        "59.194500",
        "17.625000",
    ),
    "I gångtunneln är lamporna ofta trasiga.": ("Gångtunneln", "59.195000", "17.623000"),
    "Lamporna i tunneln har blivit bättre, men den känns fortfarande ödslig.": (
        "Gångtunneln",
        "59.195000",
        "17.623000",
    ),
    "Plantera lägre buskar vid trappan, så att man ser vem som kommer.": (
        "",
        "59.196200",
        "17.628000",
    ),
}

SIGNED = "Kommunen, planenheten (exempel)"


def _day(value, today: datetime.date) -> datetime.date:
    """A fixed date, or (the open round's) a number of days from the day of loading."""
    return value if isinstance(value, datetime.date) else today + datetime.timedelta(days=value)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def remove_retired(database) -> None:
    """The retired rounds, with their contributions (and, through them, answers and support)."""
    Contribution.objects.using(database).filter(round__slug__in=RETIRED).delete()
    DialogueRound.objects.using(database).filter(slug__in=RETIRED, is_demo=True).delete()


def load(*, database, stdout, style, debug):
    today = timezone.localdate()
    remove_retired(database)
    testbeds = {t.slug: t for t in Testbed.objects.using(database).all()}
    rounds = {}
    for slug, testbed, stage, title, question, opens, closes in ROUNDS:
        opens_on = _day(opens, today)
        rounds[slug], _ = DialogueRound.objects.using(database).update_or_create(
            slug=slug,
            defaults={
                "testbed": testbeds[testbed],
                "stage": stage,
                "title": title,
                "question": question,
                "opens_on": opens_on,
                "closes_on": _day(closes, today),
                "allows_places": slug in PLACE_ROUNDS,
                "place_names": PLACE_ROUNDS.get(slug, ""),
                "is_demo": True,
            },
        )
        # auto_now: set the round's own times to its opening day, as an editor would have.
        created = _at(opens_on - datetime.timedelta(days=7), 9)
        DialogueRound.objects.using(database).filter(pk=rounds[slug].pk).update(
            created_at=created, updated_at=created
        )
    for slug, kind, status, name, area, text, supporters, sent, answer in CONTRIBUTIONS:
        sent_on = _day(-sent if isinstance(sent, int) else sent, today)
        created = _at(sent_on, 10)
        place_name, latitude, longitude = PLACES.get(text, ("", None, None))
        contribution, _ = Contribution.objects.using(database).update_or_create(
            round=rounds[slug],
            text=text,
            defaults={
                "kind": kind,
                "status": status,
                "name": name,
                "area": area,
                "consent": True,
                "support_count": supporters,
                "place_name": place_name,
                "latitude": latitude,
                "longitude": longitude,
                "created_at": created,
                "hidden_reason": "Reklam, inte ett bidrag till dialogen."
                if status == "hidden"
                else "",
                "moderated_at": None
                if status == "pending"
                else created + datetime.timedelta(days=1),
                "is_demo": True,
            },
        )
        if answer:
            response, _ = Response.objects.using(database).update_or_create(
                contribution=contribution,
                signed=SIGNED,
                defaults={"text": answer, "is_demo": True},
            )
            answered = created + datetime.timedelta(days=3)
            Response.objects.using(database).filter(pk=response.pk).update(
                created_at=answered, updated_at=answered
            )
    stdout.write(
        style.SUCCESS(f"Demo dialogue: {len(ROUNDS)} rounds, {len(CONTRIBUTIONS)} contributions.")
    )
