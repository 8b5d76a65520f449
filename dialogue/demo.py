"""Demo dialogue rounds on the demo testbeds (called by load_demo). All invented, marked demo.

Dates are relative to the day the demo is loaded, so the open round is open whenever it is
loaded, the closed ones closed (with a summary: the samrådsredogörelse of the samråd, the
granskningsutlåtande of the granskning that followed it) and the upcoming one upcoming. The
testbeds' plan stages are in fixtures/testbeds.json (Hallunda's plan, after samråd and
granskning, is up for adoption).
"""

import datetime

from django.utils import timezone

from testbeds.models import Testbed

from .models import Contribution, DialogueRound, PlanningStage, Response

ROUNDS = [
    # slug, testbed slug, stage, title, question, opens (days from today), closes
    (
        "skolgarden-efter-skoltid",
        "skolgarden-som-motesplats-i-tumba",
        PlanningStage.EARLY,
        "Hur vill du använda skolgården efter skoltid?",
        "Skolgården i Tumba ska bli en mötesplats även på kvällar och helger.\n\n"
        "- Vad skulle få dig att gå dit?\n- Vad behöver finnas för att det ska kännas tryggt?\n\n"
        "Svaren används när kommunen tar fram ett förslag till ny gård.",
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
        -90,
        -30,
    ),
    (
        "granskning-dagvattenparken",
        "dagvatten-och-gronska-i-hallunda",
        PlanningStage.REVIEW,
        "Granskning av dagvattenparken i Hallunda",
        "Förslaget har ändrats efter samrådet: en spång går nu över svackdiket och dikena "
        "görs grundare. **Har du synpunkter på det ändrade förslaget?**",
        -25,
        -5,
    ),
    (
        "uppfoljning-trygga-strak",
        "trygga-strak-i-sodertalje-centrum",
        PlanningStage.FOLLOW_UP,
        "Uppföljning: känns stråken tryggare nu?",
        "Ett år efter den nya belysningen vill vi veta hur stråket mellan stationen och "
        "torget upplevs en vardagskväll.",
        30,
        60,
    ),
]

CONTRIBUTIONS = [
    # round slug, kind, status, name, area, text, supporters, days ago, answer
    (
        "skolgarden-efter-skoltid",
        "proposal",
        "approved",
        "Amina",
        "Tumba",
        "Sätt upp belysning vid basketplanen så att den går att använda på vinterkvällar.",
        14,
        8,
        "",
    ),
    (
        "skolgarden-efter-skoltid",
        "comment",
        "approved",
        "",
        "Storvreten",
        "Jag går förbi gården varje kväll. Det saknas bänkar och en plats med tak.",
        0,
        6,
        "Tack! Bänkar och ett regnskydd finns med i skissen som vi visar i vår.",
    ),
    (
        "skolgarden-efter-skoltid",
        "proposal",
        "pending",
        "Olle",
        "Tumba",
        "Öppna skolans toaletter på helgerna när det är aktiviteter på gården.",
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
        70,
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
        60,
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
        55,
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
        50,
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
        20,
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
        15,
        "",
    ),
]

SIGNED = "Kommunen, planenheten (exempel)"


def load(*, database, stdout, style, debug):
    today = timezone.localdate()
    testbeds = {t.slug: t for t in Testbed.objects.using(database).all()}
    rounds = {}
    for slug, testbed, stage, title, question, opens, closes in ROUNDS:
        rounds[slug], _ = DialogueRound.objects.using(database).update_or_create(
            slug=slug,
            defaults={
                "testbed": testbeds[testbed],
                "stage": stage,
                "title": title,
                "question": question,
                "opens_on": today + datetime.timedelta(days=opens),
                "closes_on": today + datetime.timedelta(days=closes),
                "is_demo": True,
            },
        )
    now = timezone.now()
    for slug, kind, status, name, area, text, supporters, days_ago, answer in CONTRIBUTIONS:
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
                "created_at": now - datetime.timedelta(days=days_ago),
                "hidden_reason": "Reklam, inte ett bidrag till dialogen."
                if status == "hidden"
                else "",
                "moderated_at": None
                if status == "pending"
                else now - datetime.timedelta(days=days_ago - 1),
                "is_demo": True,
            },
        )
        if answer:
            Response.objects.using(database).update_or_create(
                contribution=contribution,
                signed=SIGNED,
                defaults={"text": answer, "is_demo": True},
            )
    stdout.write(
        style.SUCCESS(f"Demo dialogue: {len(ROUNDS)} rounds, {len(CONTRIBUTIONS)} contributions.")
    )
