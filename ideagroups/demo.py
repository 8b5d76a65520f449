"""Demo data for idea groups (called by load_demo after collaboration's demo data).

The four themed idea groups and the groups of the two publicly named testbeds are real; their
descriptions are our own words. Their members, the work they register and the system
solutions are invented and marked as example content.

Demo logins (kurator, ledare, medlem) are created only when DEBUG is on. With DEBUG off they
are not created, and demo logins left from an earlier development run are disabled. The other
demo people have no usable password: they cannot log in.
"""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from collaboration.models import Actor, Meeting, SystemSolution
from sodertorn.uploads import validate_document
from testbeds.models import Testbed, Theme

from . import roles, services
from .models import IdeaGroup, Membership, Transition, WorkEntry

TZ = ZoneInfo("Europe/Stockholm")
PROGRAMME_START = datetime.date(2014, 6, 1)
PROGRAMME_END = datetime.date(2019, 5, 27)
Kind, Status, Role = WorkEntry.Kind, WorkEntry.Status, Membership.Role

# slug, name, focus, theme slug, testbed slugs, description
GROUPS = [
    (
        "ekosystemtjanster",
        "Ekosystemtjänster",
        IdeaGroup.Focus.THEME,
        "ekosystemtjanster",
        ["dagvatten-och-gronska-i-hallunda", "klimatanpassad-bebyggelse-vid-nynashamns-hamn"],
        "Idégruppen arbetade med hur naturens nyttor kan tas till vara när nya områden "
        "planeras, och hur de kan vägas in redan i tidiga skeden. Gruppen arbetade över flera "
        "testbäddar.",
    ),
    (
        "markatkomst",
        "Markåtkomst",
        IdeaGroup.Focus.THEME,
        "markatkomst",
        ["markanvisning-for-blandad-stad-i-handen", "stationsnara-boende-i-ronninge"],
        "Idégruppen undersökte hur kommuner och byggherrar får tillgång till mark för ny "
        "bebyggelse, och hur markanvisning kan användas för att nå hållbarhetsmål.",
    ),
    (
        "social-hallbarhet",
        "Social hållbarhet, medborgardialog och social konsekvensbedömning",
        IdeaGroup.Focus.THEME,
        "lokal-social-hallbarhet",
        ["lokala-jobb-i-fittja-centrum", "trygga-strak-i-sodertalje-centrum"],
        "Idégruppen arbetade med hur invånarnas erfarenheter kan tas till vara i planeringens "
        "alla skeden, och hur de sociala konsekvenserna av en plan kan bedömas innan beslut "
        "fattas.",
    ),
    (
        "sodertornsanalysen",
        "Södertörnsanalysen",
        IdeaGroup.Focus.THEME,
        None,
        ["flemingsbergs-stationsomrade", "tyreso-centrum"],
        "Idégruppen tog fram Södertörnsanalysen: ett öppet analysverktyg som jämför småområden "
        "över tid, 2000–2017, med sociala, ekonomiska och ekologiska indikatorer. Verktyget "
        "visar bland annat ett bubbeldiagram med valbara axlar, en kartvy och en uppdelning "
        "på kön.",
    ),
    (
        "flemingsbergs-stationsomrade",
        "Idégruppen för Flemingsbergs stationsområde",
        IdeaGroup.Focus.TESTBED,
        None,
        ["flemingsbergs-stationsomrade"],
        "Idégruppen för testbädden Flemingsbergs stationsområde i Huddinge. Här möttes "
        "kommunens tjänstepersoner, byggherrar, konsulter och forskare.",
    ),
    (
        "tyreso-centrum",
        "Idégruppen för Tyresö centrum",
        IdeaGroup.Focus.TESTBED,
        None,
        ["tyreso-centrum"],
        "Idégruppen för testbädden Tyresö centrum. Här möttes kommunens tjänstepersoner, "
        "byggherrar, konsulter och forskare.",
    ),
]

# username, first name, last name, actor slug, [(group slug, role)] – invented people
PEOPLE = [
    (
        "demo.henrik.sjogren",
        "Henrik",
        "Sjögren",
        "kth",
        [("flemingsbergs-stationsomrade", Role.MEMBER)],
    ),
    (
        "demo.eva.sjoberg",
        "Eva",
        "Sjöberg",
        "wallenstam",
        [("flemingsbergs-stationsomrade", Role.MEMBER)],
    ),
    ("demo.elin.norberg", "Elin", "Norberg", "tyreso-kommun", [("tyreso-centrum", Role.LEAD)]),
    ("demo.oskar.wahl", "Oskar", "Wahl", "white-arkitekter", [("tyreso-centrum", Role.MEMBER)]),
    ("demo.lena.dahl", "Lena", "Dahl", "wsp", [("ekosystemtjanster", Role.LEAD)]),
    (
        "demo.amir.haddad",
        "Amir",
        "Haddad",
        "botkyrka-kommun",
        [("ekosystemtjanster", Role.MEMBER), ("social-hallbarhet", Role.MEMBER)],
    ),
    ("demo.peter.falk", "Peter", "Falk", "skanska", [("markatkomst", Role.LEAD)]),
    ("demo.nina.berglund", "Nina", "Berglund", "haninge-kommun", [("markatkomst", Role.MEMBER)]),
    ("demo.sara.lund", "Sara", "Lund", "sodertorns-hogskola", [("social-hallbarhet", Role.LEAD)]),
    ("demo.johan.strand", "Johan", "Strand", "nordregio", [("sodertornsanalysen", Role.MEMBER)]),
]

# The documented demo logins (README): created only with DEBUG on.
LOGINS = [
    # username, password, first, last, actor slug, memberships, curator?
    ("kurator", "kurator-demo-2019", "Karin", "Holm", None, [], True),
    (
        "ledare",
        "ledare-demo-2019",
        "Jonas",
        "Ekholm",
        "kth",
        [("flemingsbergs-stationsomrade", Role.LEAD), ("sodertornsanalysen", Role.LEAD)],
        False,
    ),
    (
        "medlem",
        "medlem-demo-2019",
        "Mira",
        "Sandberg",
        "huddinge-kommun",
        [("flemingsbergs-stationsomrade", Role.MEMBER), ("social-hallbarhet", Role.MEMBER)],
        False,
    ),
]

# group slug, author, kind, title, date, text, attach a PDF?
PUBLISHED_WORK = [
    (
        "flemingsbergs-stationsomrade",
        "demo.henrik.sjogren",
        Kind.WORKSHOP,
        "Workshop om stationens entréer",
        datetime.date(2015, 4, 21),
        "Tjugo deltagare från kommunen, byggherrar och forskare gick runt stationen och "
        "markerade var entréerna upplevs som otydliga.\n\nGruppen enades om tre platser att "
        "arbeta vidare med.",
        False,
    ),
    (
        "flemingsbergs-stationsomrade",
        "demo.eva.sjoberg",
        Kind.STUDY,
        "Förstudie om bostäder nära resecentrum",
        datetime.date(2016, 3, 15),
        "Förstudien jämför tre sätt att bygga bostäder nära resecentrum, med olika blandning av "
        "bostäder, service och arbetsplatser.\n\nRapporten finns som bilaga.",
        True,
    ),
    (
        "tyreso-centrum",
        "demo.elin.norberg",
        Kind.MEETING,
        "Dialogmöte med handlare i centrum",
        datetime.date(2015, 9, 8),
        "Handlarna i centrum berättade hur de ser på torgets framtid och vad som får kunder "
        "att stanna kvar.",
        False,
    ),
    (
        "tyreso-centrum",
        "demo.oskar.wahl",
        Kind.PROPOSAL,
        "Förslag om ett grönt stråk genom centrum",
        datetime.date(2016, 5, 30),
        "Förslaget binder ihop centrum med naturområdena runt omkring genom ett sammanhängande "
        "grönt stråk för gående och cyklister.",
        False,
    ),
    (
        "ekosystemtjanster",
        "demo.lena.dahl",
        Kind.REPORT,
        "Ekosystemtjänster i tre detaljplaner",
        datetime.date(2016, 11, 15),
        "Rapporten beskriver hur ekosystemtjänster vägdes in i tre detaljplaner och vad som "
        "kan göras tidigare i processen nästa gång.",
        False,
    ),
    (
        "ekosystemtjanster",
        "demo.amir.haddad",
        Kind.WORKSHOP,
        "Workshop om dagvatten i Hallunda",
        datetime.date(2015, 10, 6),
        "Workshopen prövade hur dagvatten kan tas om hand i öppna lösningar som också blir "
        "gröna mötesplatser.",
        False,
    ),
    (
        "markatkomst",
        "demo.peter.falk",
        Kind.STUDY,
        "Markanvisning som verktyg för blandad stad",
        datetime.date(2016, 2, 1),
        "Studien går igenom hur villkor i markanvisningar kan ge en blandning av upplåtelseformer "
        "och verksamheter.",
        False,
    ),
    (
        "social-hallbarhet",
        "demo.sara.lund",
        Kind.PROPOSAL,
        "Modell för social konsekvensbedömning",
        datetime.date(2018, 3, 20),
        "Modellen beskriver steg för steg hur en plans sociala konsekvenser kan bedömas "
        "tillsammans med dem som berörs.",
        False,
    ),
    (
        "social-hallbarhet",
        "demo.amir.haddad",
        Kind.WORKSHOP,
        "Medborgardialog i Hovsjö",
        datetime.date(2019, 5, 15),
        "Unga i Hovsjö visade var de rör sig och vilka platser de saknar. Resultatet lämnades "
        "till planarbetet.",
        False,
    ),
    (
        "sodertornsanalysen",
        "demo.johan.strand",
        Kind.REPORT,
        "Jämförelse av småområden 2000–2017",
        datetime.date(2018, 10, 10),
        "Rapporten visar hur Södertörnsanalysen kan användas för att jämföra småområden, till "
        "exempel Flemingsberg och Tyresö centrum, över tid.",
        False,
    ),
]

# The demo member's own entries (only with the demo logins).
MEMBER_WORK = [
    (
        "flemingsbergs-stationsomrade",
        "medlem",
        Kind.MEETING,
        "Anteckningar från platsbesök i Flemingsberg",
        datetime.date(2016, 9, 14),
        "Utkast: anteckningar från platsbesöket med idégruppen.",
        Status.DRAFT,
        "",
    ),
    (
        "flemingsbergs-stationsomrade",
        "medlem",
        Kind.STUDY,
        "Enkät till resenärer vid stationen",
        datetime.date(2016, 10, 3),
        "Enkäten frågade resenärer hur de tar sig till och från stationen.",
        Status.RETURNED,
        "Skriv hur många som svarade och när enkäten gjordes, så kan vi publicera.",
    ),
    (
        "social-hallbarhet",
        "medlem",
        Kind.WORKSHOP,
        "Workshop om trygghet vid stationen",
        datetime.date(2017, 3, 22),
        "Deltagarna markerade platser där de känner sig otrygga och föreslog åtgärder.",
        Status.SUBMITTED,
        "",
    ),
]

# slug, title, summary, adopted meeting title, testbed slugs, group slugs
SOLUTIONS = [
    (
        "sodertornsanalysen-som-underlag",
        "Södertörnsanalysen som gemensamt kunskapsunderlag",
        "Alla testbäddar använder Södertörnsanalysen för att beskriva sitt område och följa hur "
        "det förändras.",
        "Start för steg 3",
        ["flemingsbergs-stationsomrade", "tyreso-centrum"],
        ["sodertornsanalysen"],
    ),
    (
        "ekosystemtjanster-i-detaljplaner",
        "Checklista för ekosystemtjänster i detaljplaner",
        "En checklista som hjälper planerare att väga in ekosystemtjänster från programskedet.",
        "Lärdomar från steg 2",
        ["dagvatten-och-gronska-i-hallunda", "klimatanpassad-bebyggelse-vid-nynashamns-hamn"],
        ["ekosystemtjanster"],
    ),
    (
        "social-konsekvensbedomning",
        "Gemensam metod för social konsekvensbedömning",
        "En metod som kommunerna kan använda för att bedöma sociala konsekvenser tillsammans med "
        "invånarna.",
        "Förberedelser inför slutkonferensen",
        ["flemingsbergs-stationsomrade", "tyreso-centrum"],
        ["social-hallbarhet"],
    ),
]


def tiny_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF with some text (Helvetica, WinAnsi encoding)."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = "BT /F1 12 Tf 16 TL 72 790 Td " + " ".join(f"({escape(line)}) '" for line in lines)
    stream = (body + " ET").encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _at(date: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(date, datetime.time(hour), tzinfo=TZ)


def load_groups(database: str) -> dict[str, IdeaGroup]:
    testbeds = {t.slug: t for t in Testbed.objects.using(database).all()}
    themes = {t.slug: t for t in Theme.objects.using(database).all()}
    groups = {}
    for slug, name, focus, theme, testbed_slugs, description in GROUPS:
        linked = [testbeds[s] for s in testbed_slugs if s in testbeds]
        start = min([PROGRAMME_START, *(t.start_date for t in linked)])
        group, _created = IdeaGroup.objects.using(database).update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "focus": focus,
                "theme": themes.get(theme) if theme else None,
                "description": description,
                "start_date": start if focus == IdeaGroup.Focus.THEME else linked[0].start_date,
                "end_date": PROGRAMME_END,
                "published": True,
                "is_demo": False,
            },
        )
        group.testbeds.set(linked)
        groups[slug] = group
    return groups


def _person(database, username, first, last, *, password=None):
    User = get_user_model()
    user, _created = User.objects.using(database).get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
    )
    user.first_name, user.last_name, user.is_active = first, last, True
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save(using=database)
    return user


def _memberships(database, user, actor, memberships, groups):
    for group_slug, role in memberships:
        Membership.objects.using(database).update_or_create(
            user=user,
            group=groups[group_slug],
            left__isnull=True,
            defaults={"actor": actor, "role": role, "joined": groups[group_slug].start_date},
        )


def load_people(database: str, groups, actors, *, debug: bool, stdout, style) -> dict:
    member_role = Group.objects.using(database).get(name=roles.MEMBER)
    curator_role = Group.objects.using(database).get(name=roles.CURATOR)
    users = {}
    for username, first, last, actor_slug, memberships in PEOPLE:
        user = _person(database, username, first, last)
        user.groups.add(member_role)
        _memberships(database, user, actors[actor_slug], memberships, groups)
        users[username] = user

    User = get_user_model()
    if not debug:
        disabled = 0
        for username, *_rest in LOGINS:
            user = User.objects.using(database).filter(username=username).first()
            if user is not None and user.has_usable_password():
                user.set_unusable_password()
                user.save(using=database)
                disabled += 1
        stdout.write(
            style.WARNING(
                "Demo logins were not created: DEBUG is off. "
                + (f"{disabled} existing demo login(s) were disabled. " if disabled else "")
                + "Invite members from the admin instead."
            )
        )
        return users

    for username, password, first, last, actor_slug, memberships, curator in LOGINS:
        user = _person(database, username, first, last, password=password)
        user.is_staff = curator
        user.save(using=database)
        user.groups.add(curator_role if curator else member_role)
        if actor_slug:
            _memberships(database, user, actors[actor_slug], memberships, groups)
        users[username] = user
    stdout.write(
        style.SUCCESS(
            "Demo logins (development only): "
            + ", ".join(f"{name} / {password}" for name, password, *_rest in LOGINS)
        )
    )
    return users


def _entry(database, group, author, kind, title, date, text, status, comment="", pdf=False):
    entry, _created = WorkEntry.objects.using(database).update_or_create(
        group=group,
        title=title,
        defaults={
            "author": author,
            "kind": kind,
            "date": date,
            "text": text,
            "status": status,
            "curator_comment": comment,
            "published_at": _at(date, 12) + datetime.timedelta(days=7)
            if status == Status.PUBLISHED
            else None,
            "is_demo": True,
        },
    )
    if pdf and not (entry.attachment and entry.attachment.storage.exists(entry.attachment.name)):
        content = tiny_pdf(
            [
                title,
                "",
                "Exempel: ett påhittat dokument för demonstrationen.",
                f"Idégrupp: {group.name}",
            ]
        )
        upload = SimpleUploadedFile(f"{title}.pdf", content, content_type="application/pdf")
        services.store_attachment(entry, upload, validate_document(upload))
        entry.save(using=database)
    # The entry's own times on its date, as when it was registered (the demo's dates lie in
    # the programme's years); auto_now would give the day of loading.
    WorkEntry.objects.using(database).filter(pk=entry.pk).update(
        created_at=_at(date, 9), updated_at=entry.published_at or _at(date, 9)
    )
    return entry


def _history(database, entry, steps):
    """Record the demo entry's transitions once (who and when), as the services would."""
    if entry.transitions.exists():
        return
    previous = Status.DRAFT
    for to_status, by, at, comment in steps:
        Transition.objects.using(database).create(
            entry=entry, from_status=previous, to_status=to_status, by=by, at=at, comment=comment
        )
        previous = to_status


def load_work(database, groups, users, *, debug: bool) -> int:
    curator = users.get("kurator")
    count = 0
    for group_slug, author, kind, title, date, text, pdf in PUBLISHED_WORK:
        entry = _entry(
            database,
            groups[group_slug],
            users[author],
            kind,
            title,
            date,
            text,
            Status.PUBLISHED,
            pdf=pdf,
        )
        _history(
            database,
            entry,
            [
                (Status.SUBMITTED, users[author], _at(date, 10) + datetime.timedelta(days=2), ""),
                (Status.PUBLISHED, curator, entry.published_at, ""),
            ],
        )
        count += 1
    if debug:
        for group_slug, author, kind, title, date, text, status, comment in MEMBER_WORK:
            entry = _entry(
                database,
                groups[group_slug],
                users[author],
                kind,
                title,
                date,
                text,
                status,
                comment,
            )
            steps = []
            if status in (Status.SUBMITTED, Status.RETURNED):
                steps.append((Status.SUBMITTED, users[author], _at(date, 10), ""))
            if status == Status.RETURNED:
                steps.append((Status.RETURNED, curator, _at(date, 15), comment))
            _history(database, entry, steps)
            count += 1
    return count


def load_solutions(database, groups) -> int:
    from collaboration.models import CollaborationGroup

    collaboration = CollaborationGroup.objects.using(database).first()
    if collaboration is None:
        return 0
    testbeds = {t.slug: t for t in Testbed.objects.using(database).all()}
    for slug, title, summary, meeting_title, testbed_slugs, group_slugs in SOLUTIONS:
        meeting = (
            Meeting.objects.using(database).filter(group=collaboration, title=meeting_title).first()
        )
        solution, _created = SystemSolution.objects.using(database).update_or_create(
            slug=slug,
            defaults={
                "group": collaboration,
                "title": title,
                "summary": summary,
                "adopted_at": meeting,
                "adopted_on": meeting.date if meeting else None,
                "is_demo": True,
            },
        )
        solution.testbeds.set([testbeds[s] for s in testbed_slugs if s in testbeds])
        solution.idea_groups.set([groups[s] for s in group_slugs])
    return len(SOLUTIONS)


def load(*, database, stdout, style, debug):
    actors = {a.slug: a for a in Actor.objects.using(database).all()}
    groups = load_groups(database)
    users = load_people(database, groups, actors, debug=debug, stdout=stdout, style=style)
    work = load_work(database, groups, users, debug=debug)
    solutions = load_solutions(database, groups)
    stdout.write(
        style.SUCCESS(
            f"Demo idea groups: {len(groups)} groups, {len(users)} people, {work} work entries, "
            f"{solutions} system solutions."
        )
    )
