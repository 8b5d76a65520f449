"""Demo data for competence matching (called by load_demo after the idea groups' demo data).

The vocabulary follows the issue and the programme's themes and goals (seeds 000–003); the
entries marked `is_demo` are our own additions. Every link — what a testbed needs, what an
actor or a member has — is invented and marked as example content. Idempotent: rows are found
by slug and by their pair of keys.
"""

from django.contrib.auth import get_user_model

from collaboration.models import Actor
from testbeds.models import Testbed

from .models import ActorCompetence, Competence, MemberCompetence, Need

# slug, name, description, invented by us (is_demo)
VOCABULARY = [
    (
        "social-konsekvensanalys",
        "Social konsekvensanalys",
        "Att bedöma hur en plan påverkar olika gruppers vardag, hälsa och möjligheter innan "
        "beslut fattas.",
        False,
    ),
    (
        "ekosystemtjanster",
        "Ekosystemtjänster",
        "Att kartlägga och värdera naturens nyttor, som rening av vatten, pollinering och "
        "rekreation, och väga in dem i planeringen.",
        False,
    ),
    (
        "gis",
        "GIS",
        "Geografiska informationssystem: kartanalys, rumslig statistik och kartunderlag för "
        "planeringen.",
        False,
    ),
    (
        "medskapande-design",
        "Medskapande design",
        "Att utforma platser och tjänster tillsammans med dem som ska använda dem, till exempel "
        "i workshoppar och med modeller.",
        False,
    ),
    (
        "planjuridik",
        "Planjuridik",
        "Plan- och bygglagen, detaljplaner, exploateringsavtal och markanvisningar: juridiken "
        "kring hur mark får användas.",
        False,
    ),
    (
        "energisystem",
        "Energisystem",
        "Energiförsörjning, energieffektiva byggnader och lokal produktion som solel och "
        "fjärrvärme.",
        False,
    ),
    (
        "mobilitet",
        "Mobilitet",
        "Hur människor och varor rör sig: kollektivtrafik, gång, cykel och mobilitetstjänster.",
        False,
    ),
    (
        "bostadsfinansiering",
        "Bostadsfinansiering",
        "Kalkyler och finansiering för nya bostäder, upplåtelseformer och betalningsvilja.",
        False,
    ),
    (
        "medborgardialog",
        "Medborgardialog",
        "Att ge invånarna inflytande i planeringens olika skeden och ta vara på deras kunskap.",
        False,
    ),
    (
        "markatkomst",
        "Markåtkomst",
        "Hur kommuner och byggherrar får tillgång till mark för ny bebyggelse.",
        False,
    ),
    (
        "indikatorer-och-uppfoljning",
        "Indikatorer och uppföljning",
        "Att välja mått för hållbar stadsutveckling och följa hur ett område förändras över tid.",
        False,
    ),
    (
        "lokala-jobb",
        "Lokala jobb och företagande",
        "Att skapa arbeten och stärka företagande i området, till exempel inom förvaltning och "
        "service.",
        False,
    ),
    (
        "dagvattenhantering",
        "Dagvattenhantering",
        "Öppna och gröna lösningar för regn- och smältvatten i bebyggd miljö.",
        True,
    ),
    (
        "trygghetsanalys",
        "Trygghetsanalys",
        "Att kartlägga var och varför människor känner sig otrygga, och vad som kan ändras.",
        True,
    ),
    (
        "klimatanpassning",
        "Klimatanpassning",
        "Att planera för ett varmare och blötare klimat: översvämningar, värmeböljor och höjda "
        "havsnivåer.",
        True,
    ),
]

# testbed slug -> competence slugs it needs (invented)
NEEDS = {
    "flemingsbergs-stationsomrade": [
        "social-konsekvensanalys",
        "mobilitet",
        "bostadsfinansiering",
        "gis",
        "medborgardialog",
    ],
    "tyreso-centrum": ["medskapande-design", "planjuridik", "energisystem", "medborgardialog"],
    "lokala-jobb-i-fittja-centrum": ["lokala-jobb", "social-konsekvensanalys", "medborgardialog"],
    "dagvatten-och-gronska-i-hallunda": [
        "ekosystemtjanster",
        "dagvattenhantering",
        "gis",
        "medborgardialog",
    ],
    "stationsnara-boende-i-ronninge": ["bostadsfinansiering", "mobilitet", "planjuridik"],
    "markanvisning-for-blandad-stad-i-handen": [
        "markatkomst",
        "planjuridik",
        "bostadsfinansiering",
    ],
    "trygga-strak-i-sodertalje-centrum": [
        "trygghetsanalys",
        "medskapande-design",
        "social-konsekvensanalys",
    ],
    "klimatanpassad-bebyggelse-vid-nynashamns-hamn": [
        "klimatanpassning",
        "dagvattenhantering",
        "planjuridik",
    ],
    "energismart-fortatning-i-nykvarn-centrum": ["energisystem", "bostadsfinansiering"],
    "stationsnara-lagen-langs-nynasbanan": ["mobilitet", "markatkomst", "bostadsfinansiering"],
}

# actor slug -> competence slugs it has (invented)
ACTORS = {
    "kth": ["energisystem", "gis", "indikatorer-och-uppfoljning", "ekosystemtjanster"],
    "sodertorns-hogskola": ["social-konsekvensanalys", "medborgardialog", "trygghetsanalys"],
    "nordregio": ["indikatorer-och-uppfoljning", "gis"],
    "white-arkitekter": ["medskapande-design", "social-konsekvensanalys", "klimatanpassning"],
    "skanska": ["bostadsfinansiering", "energisystem"],
    "wsp": ["mobilitet", "dagvattenhantering", "gis", "klimatanpassning", "ekosystemtjanster"],
    "wallenstam": ["bostadsfinansiering", "markatkomst"],
    "ecoloop": ["ekosystemtjanster", "energisystem"],
    "2050-consulting": ["energisystem", "mobilitet"],
    "sgbc": ["energisystem", "indikatorer-och-uppfoljning"],
    "botkyrka-kommun": ["planjuridik", "medborgardialog", "lokala-jobb"],
    "huddinge-kommun": ["planjuridik", "markatkomst"],
    "haninge-kommun": ["planjuridik", "markatkomst"],
    "tyreso-kommun": ["planjuridik", "medborgardialog"],
}

# username -> competence slugs the (invented) person has; logins only if they exist
MEMBERS = {
    "demo.henrik.sjogren": ["mobilitet", "gis"],
    "demo.eva.sjoberg": ["bostadsfinansiering"],
    "demo.elin.norberg": ["planjuridik", "medborgardialog"],
    "demo.oskar.wahl": ["medskapande-design"],
    "demo.lena.dahl": ["ekosystemtjanster", "dagvattenhantering"],
    "demo.amir.haddad": ["social-konsekvensanalys", "lokala-jobb"],
    "demo.peter.falk": ["markatkomst", "bostadsfinansiering"],
    "demo.nina.berglund": ["planjuridik"],
    "demo.sara.lund": ["social-konsekvensanalys", "medborgardialog", "trygghetsanalys"],
    "demo.johan.strand": ["gis", "indikatorer-och-uppfoljning"],
    "ledare": ["indikatorer-och-uppfoljning", "gis"],
    "medlem": ["medborgardialog", "social-konsekvensanalys"],
}


def load_vocabulary(database: str) -> dict[str, Competence]:
    competences = {}
    for slug, name, description, invented in VOCABULARY:
        competence, _created = Competence.objects.using(database).update_or_create(
            slug=slug, defaults={"name": name, "description": description, "is_demo": invented}
        )
        competences[slug] = competence
    return competences


def load_links(database: str, competences: dict[str, Competence]) -> int:
    """The invented links; rows that already exist are kept (and marked as example)."""
    count = 0
    testbeds = Testbed.objects.using(database).in_bulk(NEEDS, field_name="slug")
    for slug, needed in NEEDS.items():
        if slug in testbeds:
            for key in needed:
                Need.objects.using(database).update_or_create(
                    testbed=testbeds[slug], competence=competences[key], defaults={"is_demo": True}
                )
                count += 1
    actors = Actor.objects.using(database).in_bulk(ACTORS, field_name="slug")
    for slug, has in ACTORS.items():
        if slug in actors:
            for key in has:
                ActorCompetence.objects.using(database).update_or_create(
                    actor=actors[slug], competence=competences[key], defaults={"is_demo": True}
                )
                count += 1
    users = get_user_model().objects.using(database).in_bulk(MEMBERS, field_name="username")
    for username, has in MEMBERS.items():
        if username in users:
            for key in has:
                MemberCompetence.objects.using(database).update_or_create(
                    user=users[username], competence=competences[key], defaults={"is_demo": True}
                )
                count += 1
    return count


def load(*, database, stdout, style, debug):
    competences = load_vocabulary(database)
    links = load_links(database, competences)
    stdout.write(style.SUCCESS(f"Demo competences: {len(competences)} competences, {links} links."))
