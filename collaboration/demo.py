"""Demo data for actors, the collaboration group, contacts and grants (called by load_demo).

The partners, the funders, the two Vinnova grants and the two sister projects are real (see
the programme facts and seeds 001-003);
their descriptions are our own words and their logos are drawn placeholders, flagged as such.
The collaboration group's members' representatives, its meetings and the contact persons are
invented and marked as example content. Idempotent: rows are found by slug or reference.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from testbeds.models import Municipality, Testbed

from . import services
from .models import Actor, CollaborationGroup, ContactPerson, Grant, Meeting, Seat, Sector

# slug, name, sector, description (our own words, facts from the programme description only)
PARTNERS = [
    (
        "kth",
        "KTH",
        Sector.ACADEMIA,
        "Kungliga Tekniska högskolan samordnade Södertörnsmodellen genom institutionen för "
        "hållbar utveckling, miljövetenskap och teknik. KTH var koordinator för båda "
        "Vinnova-bidragen.",
    ),
    (
        "sodertorns-hogskola",
        "Södertörns högskola",
        Sector.ACADEMIA,
        "Högskolan i Flemingsberg var partner i programmet och bidrog med forskning om "
        "stadsutveckling på Södertörn.",
    ),
    (
        "nordregio",
        "Nordregio",
        Sector.ACADEMIA,
        "Nordiskt forskningsinstitut för regional utveckling och planering, partner i programmet.",
    ),
    (
        "white-arkitekter",
        "White Arkitekter",
        Sector.BUSINESS,
        "Arkitektföretag och partner i Södertörnsmodellen.",
    ),
    ("skanska", "Skanska", Sector.BUSINESS, "Byggföretag och partner i Södertörnsmodellen."),
    ("wsp", "WSP", Sector.BUSINESS, "Teknikkonsult och partner i Södertörnsmodellen."),
    (
        "wallenstam",
        "Wallenstam",
        Sector.BUSINESS,
        "Fastighetsföretag och partner i Södertörnsmodellen.",
    ),
    ("ecoloop", "Ecoloop", Sector.BUSINESS, "Företag och partner i Södertörnsmodellen."),
    (
        "2050-consulting",
        "2050 Consulting",
        Sector.BUSINESS,
        "Konsultföretag och partner i Södertörnsmodellen.",
    ),
    (
        "sgbc",
        "Sweden Green Building Council",
        Sector.CIVIL_SOCIETY,
        "Sweden Green Building Council (SGBC) arbetar för hållbart samhällsbyggande och var "
        "partner i programmet.",
    ),
    (
        "skl-international",
        "SKL International",
        Sector.PUBLIC,
        "SKL International var partner i Södertörnsmodellen.",
    ),
    (
        "vinnova",
        "Vinnova",
        Sector.FUNDER,
        "Sveriges innovationsmyndighet finansierade Södertörnsmodellen i steg 2 och steg 3 "
        "inom Utmaningsdriven innovation.",
    ),
]

SECTOR_COLOURS = {
    Sector.ACADEMIA: (0, 69, 124),
    Sector.BUSINESS: (120, 53, 15),
    Sector.PUBLIC: (0, 90, 74),
    Sector.CIVIL_SOCIETY: (107, 15, 107),
    Sector.FUNDER: (61, 61, 61),
}

GROUP_NAME = "Samverkansgruppen"
GROUP_PURPOSE = (
    "Samverkansgruppen samlar programmets parter: akademin, näringslivet, de åtta "
    "Södertörnskommunerna och finansiären. Gruppen ska se till att testbäddarna leder till "
    "lösningar som fler kan använda.\n\n"
    "Programmet hade tre mål: innovativa lösningar genom samverkan mellan olika aktörer, nya "
    "former för medborgarinflytande i planeringens alla skeden, och metoder och indikatorer "
    "för hållbar stadsutveckling."
)
GROUP_METHOD = (
    "Gruppen träffas några gånger per år. Idégrupperna redovisar vad de har kommit fram till, "
    "och gruppen beslutar vilka lösningar som ska prövas i fler kommuner. Besluten och "
    "protokollen publiceras här."
)

# (seat actor slug, role, representative's title) – invented, shown as example content
SEATS = [
    ("kth", Seat.Role.CHAIR, "Programansvarig"),
    ("sodertorns-hogskola", Seat.Role.MEMBER, "Forskare i stadsutveckling"),
    ("nordregio", Seat.Role.MEMBER, "Forskare"),
    ("white-arkitekter", Seat.Role.MEMBER, "Arkitekt"),
    ("skanska", Seat.Role.MEMBER, "Projektutvecklare"),
    ("wsp", Seat.Role.MEMBER, "Konsult i samhällsplanering"),
    ("sgbc", Seat.Role.MEMBER, "Verksamhetsutvecklare"),
    ("huddinge-kommun", Seat.Role.MEMBER, "Planchef"),
    ("botkyrka-kommun", Seat.Role.MEMBER, "Samhällsbyggnadsstrateg"),
    ("haninge-kommun", Seat.Role.MEMBER, "Planchef"),
    ("tyreso-kommun", Seat.Role.MEMBER, "Stadsbyggnadschef"),
    ("sodertalje-kommun", Seat.Role.MEMBER, "Planstrateg"),
    ("vinnova", Seat.Role.MEMBER, "Handläggare (adjungerad)"),
]

# date, title, agenda, minutes, decisions, actors present, testbeds discussed (slugs)
MEETINGS = [
    (
        datetime.date(2014, 9, 16),
        "Uppstart av samverkansgruppen",
        "1. Presentation av parterna\n2. Programmets tre mål\n3. Hur testbäddar väljs",
        "Parterna presenterade sig och sina förväntningar. Kommunerna beskrev vilka "
        "planeringsfrågor de vill pröva i testbäddar.",
        "Varje kommun föreslår minst en testbädd till nästa möte.\n"
        "Idégrupper bildas för varje testbädd.",
        ["kth", "sodertorns-hogskola", "huddinge-kommun", "tyreso-kommun", "botkyrka-kommun"],
        [],
    ),
    (
        datetime.date(2015, 2, 10),
        "Val av testbäddar",
        "1. Kommunernas förslag\n2. Urval\n3. Tematiska idégrupper",
        "Förslagen diskuterades utifrån hur väl de kopplar till pågående planering.",
        "Flemingsbergs stationsområde och Tyresö centrum blir testbäddar.\n"
        "Tematiska idégrupper bildas för ekosystemtjänster, markåtkomst och social hållbarhet.",
        ["kth", "huddinge-kommun", "tyreso-kommun", "white-arkitekter", "skanska", "wsp"],
        ["flemingsbergs-stationsomrade", "tyreso-centrum"],
    ),
    (
        datetime.date(2016, 10, 4),
        "Lärdomar från steg 2",
        "1. Idégruppernas redovisningar\n2. Inriktning för en fortsättning",
        "Idégrupperna redovisade sina resultat. Gruppen diskuterade hur arbetet kan "
        "fortsätta i ett steg 3.",
        "KTH samordnar en ansökan om fortsatt finansiering.",
        ["kth", "vinnova", "huddinge-kommun", "haninge-kommun", "sgbc"],
        [
            "flemingsbergs-stationsomrade",
            "tyreso-centrum",
            "markanvisning-for-blandad-stad-i-handen",
        ],
    ),
    (
        datetime.date(2017, 9, 12),
        "Start för steg 3",
        "1. Tre inriktningar i steg 3\n2. Södertörnsakademin",
        "Steg 3 har tre inriktningar: kunskapsdriven, samskapande och värdeskapande "
        "stadsutveckling. Gruppen diskuterade upplägget för en Södertörnsakademi.",
        "Södertörnsanalysen används som gemensamt kunskapsunderlag i alla testbäddar.",
        ["kth", "sodertorns-hogskola", "nordregio", "sodertalje-kommun", "botkyrka-kommun"],
        ["lokala-jobb-i-fittja-centrum", "trygga-strak-i-sodertalje-centrum"],
    ),
    (
        datetime.date(2019, 4, 9),
        "Förberedelser inför slutkonferensen",
        "1. Program för slutkonferensen den 27 maj 2019\n2. Vad lever vidare efter programmet",
        "Gruppen gick igenom programmet för slutkonferensen och vilka metoder kommunerna vill "
        "fortsätta använda.",
        "Metoden för social konsekvensbedömning rekommenderas till alla kommuner.",
        ["kth", "huddinge-kommun", "tyreso-kommun", "haninge-kommun", "wsp", "wallenstam"],
        ["flemingsbergs-stationsomrade", "tyreso-centrum"],
    ),
]

# testbed slug -> [(name, role, actor slug, e-mail, order)] – invented people
CONTACTS = {
    "flemingsbergs-stationsomrade": [
        (
            "Maja Ekström",
            "Projektledare för testbädden",
            "huddinge-kommun",
            "maja.ekstrom@example.com",
            1,
        ),
        (
            "Henrik Sjögren",
            "Forskare och idégruppens kontakt",
            "kth",
            "henrik.sjogren@example.com",
            2,
        ),
    ],
    "tyreso-centrum": [
        (
            "Elin Norberg",
            "Projektledare för testbädden",
            "tyreso-kommun",
            "elin.norberg@example.com",
            1,
        ),
    ],
    "lokala-jobb-i-fittja-centrum": [
        ("Amir Haddad", "Näringslivsutvecklare", "botkyrka-kommun", "amir.haddad@example.com", 1),
    ],
    "markanvisning-for-blandad-stad-i-handen": [
        (
            "Nina Berglund",
            "Exploateringsingenjör",
            "haninge-kommun",
            "nina.berglund@example.com",
            1,
        ),
    ],
}

# The programme's two Vinnova grants and two sister projects (facts from the funders' public
# records, seeds 001-003 and the programme facts; the summaries are our own words). Testbeds by
# slug (only those that exist are linked), municipalities by slug ("*": all eight), areas by
# slug (linked later, by link_grant_areas: the areas are loaded after this app's demo).
ALL_MUNICIPALITIES = "*"

GRANTS = [
    {
        "reference": "2014-00918",
        "slug": "sodertornsmodellen-steg-2",
        "kind": Grant.Kind.PROGRAMME,
        "title": "Södertörnsmodellen, steg 2",
        "amount_sek": 8_000_000,
        "call": "Utmaningsdriven innovation – steg 2 samverkansprojekt",
        "start_date": datetime.date(2014, 6, 1),
        "end_date": datetime.date(2016, 11, 30),
        "date_precision": Grant.Precision.MONTH,
        "funder": "vinnova",
        "coordinator": "kth",
        "coordinator_name": "KTH, institutionen för hållbar utveckling, miljövetenskap och teknik",
        "summary": (
            "Syftet var ett systematiskt sätt att arbeta med hållbar stadsutveckling i "
            "storstadsregionens kranskommuner, med de åtta kommunerna söder om Stockholm som "
            "utgångspunkt. Projektet hade tre mål: att pröva nya lösningar genom samverkan "
            "mellan aktörer, att pröva och utvärdera nya former för medborgarinflytande i "
            "planeringens olika skeden, och att ta fram metoder och indikatorer för hållbar "
            "stadsutveckling.\n\n"
            "Arbetet gav en ny organisationsform där akademi, näringsliv och kommuner tar fram "
            "lösningar utifrån kommunernas behov, och ett arbetssätt där sociala, ekologiska och "
            "ekonomiska aspekter vägs samman."
        ),
        "source_name": "Vinnovas projektdatabas",
        "source_url": "https://www.vinnova.se/p/sodertornsmodellen/",
        "testbeds": ["flemingsbergs-stationsomrade", "tyreso-centrum"],
        "municipalities": ALL_MUNICIPALITIES,
        "areas": [],
    },
    {
        "reference": "2017-01575",
        "slug": "sodertornsmodellen-steg-3",
        "kind": Grant.Kind.PROGRAMME,
        "title": "Södertörnsmodellen, steg 3",
        "amount_sek": 9_286_000,
        "call": "Utmaningsdriven innovation – steg 3 implementering",
        "start_date": datetime.date(2017, 6, 1),
        "end_date": datetime.date(2019, 12, 31),
        "date_precision": Grant.Precision.YEAR,
        "funder": "vinnova",
        "coordinator": "kth",
        "coordinator_name": "KTH, institutionen för hållbar utveckling, miljövetenskap och teknik",
        "summary": (
            "I steg 3 prövades modellerna från steg 2 i kommunernas planprocesser, i tre "
            "inriktningar: kunskapsdriven, medskapande och värdeskapande stadsutveckling. "
            "En Södertörnsakademi skulle sprida idéerna vidare. Programmet avslutades med en "
            "konferens den 27 maj 2019; hela budgeten var omkring 23 miljoner kronor."
        ),
        "source_name": "Vinnovas projektdatabas",
        "source_url": "https://www.vinnova.se/p/sodertornsmodellen2/",
        "testbeds": ["flemingsbergs-stationsomrade", "tyreso-centrum"],
        "municipalities": ALL_MUNICIPALITIES,
        "areas": [],
    },
    {
        "reference": "",
        "slug": "forstudie-stadsutveckling-norra-botkyrka",
        "kind": Grant.Kind.SISTER,
        "title": "Förstudie stadsutveckling norra Botkyrka",
        "amount_sek": 450_000,
        "call": "ESF, programområde 2: Ökat arbetskraftsutbud (förprojektering)",
        "start_date": datetime.date(2014, 1, 20),
        "end_date": datetime.date(2014, 11, 14),
        "date_precision": Grant.Precision.DAY,
        "funder": "esf",
        "coordinator": "botkyrka-kommun",
        "coordinator_name": "Botkyrka kommunledning",
        "summary": (
            "En förstudie med stöd från Europeiska socialfonden om hur förnyelsen av "
            "miljonprogrammets områden i norra Botkyrka kan ge lokala jobb, trygghet och "
            "attraktivitet, särskilt för unga och personer med utländsk bakgrund. Tillsammans "
            "med lokala aktörer kartlade den behov, möjligheter och hinder för arbeten inom "
            "fastighetsförvaltning, centrumutveckling, lokalt trygghetsarbete och service, och "
            "för småskaliga näringar.\n\n"
            "Förstudien gällde kommundelarna Hallunda-Norsborg, Fittja och Alby. Den jämförde "
            "med erfarenheter och forskning från andra kommuner och EU-länder (med stöd av "
            "nätverken EUKN och URBACT) och skulle leda till förslag på modeller och "
            "samverkansformer för programperioden 2014–2020."
        ),
        "source_name": "Svenska ESF-rådets projektbank",
        "source_url": (
            "https://www.esf.se/sv/Resultat/Projektbanken/Behallare-for-projekt/Stockholm/"
            "Forstudie-stadsutveckling-norra-Botkyrka/"
        ),
        "testbeds": [],
        "municipalities": ["botkyrka"],
        "areas": ["hallunda-norsborg", "fittja", "alby"],
    },
    {
        "reference": "2013-01747",
        "slug": "pa-gransen",
        "kind": Grant.Kind.SISTER,
        "title": "På gränsen – innovativa samarbeten inom offentlig sektor",
        "amount_sek": 322_380,
        "call": "",
        "start_date": datetime.date(2013, 9, 1),
        "end_date": datetime.date(2014, 5, 31),
        "date_precision": Grant.Precision.MONTH,
        "funder": "vinnova",
        "coordinator": None,
        "coordinator_name": "Stockholms stad – Stockholms stadsmuseum",
        "summary": (
            "Stadsmuseet och Medeltidsmuseet i Stockholm ville, tillsammans med "
            "Stockholmsforskningen, stärka samarbeten mellan dem som bygger staden. Målet på "
            "sikt var en kommunal ”dejtingsajt för kompetenser”, så att stadsutvecklingen "
            "tar hänsyn till hållbarhetens alla delar: den ekonomiska, den miljömässiga och "
            "den sociokulturella.\n\n"
            "Projektet arbetade med dialog och lärande, seminarier i nätverk och studiebesök, "
            "och spred sina idéer till flera förvaltningar i Stockholms stad och till "
            "forskare. Tanken på en mötesplats för kompetenser är det som portalens "
            "kompetensmatchning bygger vidare på."
        ),
        "source_name": "Vinnovas projektdatabas",
        "source_url": "https://www.vinnova.se/p/pa-gransen---innovativa-samarbeten-inom-offentlig-sektor/",
        "testbeds": [],
        "municipalities": [],
        "areas": ["0180"],
    },
]

# Extra funder of a sister project (not a partner of the programme).
FUNDERS = [
    (
        "esf",
        "Europeiska socialfonden",
        Sector.FUNDER,
        "EU:s fond för sysselsättning. Den finansierade förstudien om stadsutveckling i "
        "norra Botkyrka 2014, ett systerprojekt till Södertörnsmodellen; den var inte partner "
        "i programmet.",
    ),
]


def placeholder_logo(name: str, sector: str) -> SimpleUploadedFile:
    """A plain drawn logo: the initials on the sector's colour (never the actor's own)."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    initials = "".join(w[0] for w in words[:3]).upper() or "?"
    image = Image.new("RGB", (480, 240), SECTOR_COLOURS.get(sector, (60, 60, 60)))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=110)
    box = draw.textbbox((0, 0), initials, font=font)
    x = (image.width - (box[2] - box[0])) / 2 - box[0]
    y = (image.height - (box[3] - box[1])) / 2 - box[1]
    draw.text((x, y), initials, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("placeholder.png", buffer.getvalue(), content_type="image/png")


def municipal_actor_slug(municipality: Municipality) -> str:
    return f"{municipality.slug}-kommun"


def load_actors(database: str) -> dict[str, Actor]:
    actors = {}
    for slug, name, sector, description in PARTNERS + FUNDERS:
        actor, _created = Actor.objects.using(database).update_or_create(
            slug=slug,
            defaults={"name": name, "sector": sector, "description": description, "is_demo": False},
        )
        actors[slug] = actor
    for municipality in Municipality.objects.using(database).all():
        slug = municipal_actor_slug(municipality)
        actor, _created = Actor.objects.using(database).update_or_create(
            slug=slug,
            defaults={
                "name": f"{municipality.name} kommun",
                "sector": Sector.PUBLIC,
                "municipality": municipality,
                "description": f"{municipality.name} är en av de åtta Södertörnskommunerna i "
                "programmet.",
                "is_demo": False,
            },
        )
        actors[slug] = actor
    for actor in actors.values():
        if (
            not actor.logo
            or not actor.logo_renditions.get("sizes")
            or (actor.logo_is_demo and not actor.logo.storage.exists(actor.logo.name))
        ):
            services.set_logo(actor, placeholder_logo(actor.name, actor.sector), is_demo=True)
    return actors


def load_group(database: str, actors: dict[str, Actor]) -> CollaborationGroup:
    group = CollaborationGroup.objects.using(database).first()
    if group is None:
        group = CollaborationGroup(name=GROUP_NAME)
    group.name, group.purpose, group.working_method = GROUP_NAME, GROUP_PURPOSE, GROUP_METHOD
    group.is_demo = True
    group.save(using=database)
    wanted = set()
    for slug, role, title in SEATS:
        seat, _created = Seat.objects.using(database).update_or_create(
            group=group,
            actor=actors[slug],
            defaults={
                "role": role,
                "representative": "",
                "representative_title": title,
                "is_demo": True,
            },
        )
        wanted.add(seat.pk)
    Seat.objects.using(database).filter(group=group, is_demo=True).exclude(pk__in=wanted).delete()
    testbeds = {t.slug: t for t in Testbed.objects.using(database).all()}
    for date, title, agenda, minutes, decisions, present, discussed in MEETINGS:
        meeting, _created = Meeting.objects.using(database).update_or_create(
            group=group,
            date=date,
            title=title,
            defaults={
                "agenda": agenda,
                "minutes": minutes,
                "decisions": decisions,
                "is_demo": True,
            },
        )
        meeting.actors_present.set([actors[slug] for slug in present])
        meeting.testbeds_discussed.set([testbeds[slug] for slug in discussed if slug in testbeds])
    return group


def load_contacts(database: str, actors: dict[str, Actor]) -> int:
    count = 0
    for testbed_slug, people in CONTACTS.items():
        testbed = Testbed.objects.using(database).filter(slug=testbed_slug).first()
        if testbed is None:
            continue
        for name, role, actor_slug, email, order in people:
            ContactPerson.objects.using(database).update_or_create(
                testbed=testbed,
                name=name,
                defaults={
                    "role": role,
                    "actor": actors[actor_slug],
                    "email": email,
                    "order": order,
                    "is_demo": True,
                },
            )
            count += 1
    return count


def load_grants(database: str, actors: dict[str, Actor]) -> int:
    testbeds = {t.slug: t for t in Testbed.objects.using(database).only("slug")}
    municipalities = {m.slug: m for m in Municipality.objects.using(database).only("slug")}
    for record in GRANTS:
        fields = {
            key: value
            for key, value in record.items()
            if key not in ("testbeds", "municipalities", "areas", "funder", "coordinator", "slug")
        }
        grant, _created = Grant.objects.using(database).update_or_create(
            slug=record["slug"],
            defaults={
                **fields,
                "funder": actors[record["funder"]],
                "coordinator": actors[record["coordinator"]] if record["coordinator"] else None,
                "is_demo": False,
            },
        )
        grant.testbeds.set([testbeds[slug] for slug in record["testbeds"] if slug in testbeds])
        wanted = record["municipalities"]
        grant.municipalities.set(
            list(municipalities.values())
            if wanted == ALL_MUNICIPALITIES
            else [municipalities[slug] for slug in wanted if slug in municipalities]
        )
    link_grant_areas(database)
    return len(GRANTS)


def link_grant_areas(database: str = "default") -> int:
    """Link the demo grants to the areas their records name, where those areas exist.

    The areas are loaded by the indicators app's demo, which runs after this one, so that demo
    calls this again at its end (and a later ``load_demo`` finds them anyway). An area is found
    by its code (``0180``), by a code that ends with ``-<slug>`` (``0127-fittja``), or by its
    name made a slug (``Hallunda-Norsborg``). Returns the number of links made."""
    from indicators.models import Area

    areas = list(Area.objects.using(database).light())
    by_key = {}
    for area in areas:
        for key in (area.code, area.code.rsplit("-", 1)[-1], slugify(area.name)):
            by_key.setdefault(key, area)
    linked = 0
    for record in GRANTS:
        found = [by_key[key] for key in record["areas"] if key in by_key]
        grant = Grant.objects.using(database).filter(slug=record["slug"]).first()
        if grant is not None:
            grant.areas.set(found)
            linked += len(found)
    return linked


def load(*, database, stdout, style, debug):
    actors = load_actors(database)
    load_group(database, actors)
    contacts = load_contacts(database, actors)
    grants = load_grants(database, actors)
    stdout.write(
        style.SUCCESS(
            f"Demo actors: {len(actors)} actors, the collaboration group with {len(SEATS)} seats "
            f"and {len(MEETINGS)} meetings, {contacts} contact persons, {grants} grants."
        )
    )
