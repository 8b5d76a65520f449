"""With the demo data (`make run`), the `kurator` login does every curator task of the README.

`kurator` is staff in the group "Kurator" and not a superuser: it logs in with its documented
password through the admin's login form and works only through the admin's pages.
"""

from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from dialogue.models import Contribution
from ideagroups.models import WorkEntry
from indicators.models import Area, Indicator, Observation
from sodertorn import roles
from testbeds.models import Testbed

pytestmark = pytest.mark.django_db

SECTIONS = {
    "testbeds",
    "collaboration",
    "ideagroups",
    "indicators",
    "results",
    "dialogue",
    "competences",
    "axes",
    "about",  # accessibility feedback (issue 15)
    "follow",  # how many follow what (issue 18): view only
}


@pytest.fixture
def kurator(client, settings):
    settings.DEBUG = True  # as `make run`: load_demo creates the demo logins
    call_command("load_demo", stdout=StringIO())
    settings.DEBUG = False
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "kurator", "password": "kurator-demo-2019", "next": "/admin/"},
    )
    assert response.status_code == 302, "the demo curator cannot log in"
    user = User.objects.get(username="kurator")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [roles.CURATOR]
    return client


def action(client, model_url, name, objects, **extra):
    return client.post(
        model_url,
        {"action": name, "_selected_action": [o.pk for o in objects], "index": 0, **extra},
    )


def test_the_demo_curator_does_every_curator_task(kurator, django_capture_on_commit_callbacks):
    client = kurator
    index = client.get("/admin/")
    sections = {app["app_label"] for app in index.context["app_list"]}
    assert sections == SECTIONS  # Indikatorer and Resultat och filmer included; no users

    # Every admin list the declaration gives curators opens.
    for key, model in roles.admin_models():
        opts = model._meta
        if admin.site.is_registered(model) and roles.admin_actions_of("curator", *key.split(".")):
            url = f"/admin/{opts.app_label}/{opts.model_name}/"
            assert client.get(url).status_code == 200, url

    # Testbeds: unpublish and publish again; open a change form (map and area fields).
    testbed = Testbed.objects.get(slug="flemingsbergs-stationsomrade")
    action(client, "/admin/testbeds/testbed/", "unpublish", [testbed])
    testbed.refresh_from_db()
    assert not testbed.published
    action(client, "/admin/testbeds/testbed/", "publish", [testbed])
    testbed.refresh_from_db()
    assert testbed.published
    assert client.get(f"/admin/testbeds/testbed/{testbed.pk}/change/").status_code == 200

    # Idea groups: Arbeten att granska → publish a submitted entry; invite a member.
    entry = WorkEntry.objects.filter(status=WorkEntry.Status.SUBMITTED).first()
    assert entry is not None, "the demo has an entry waiting for review"
    action(client, "/admin/ideagroups/submittedworkentry/", "publish", [entry])
    entry.refresh_from_db()
    assert entry.status == WorkEntry.Status.PUBLISHED
    membership_form = client.get("/admin/ideagroups/membership/invite/")
    assert membership_form.status_code == 200
    group = entry.group
    actor = group.memberships.select_related("actor").first().actor
    # The invitation is queued once the membership is stored and sent after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/ideagroups/membership/invite/",
            {
                "email": "ny.medlem@example.com",
                "first_name": "Ny",
                "last_name": "Medlem",
                "group": group.pk,
                "actor": actor.pk,
                "role": "member",
            },
        )
    assert response.status_code == 302 and len(mail.outbox) == 1
    # The membership form's person field finds accounts; the accounts' own pages stay closed.
    invited = User.objects.get(email="ny.medlem@example.com")
    found = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "ideagroups",
            "model_name": "membership",
            "field_name": "user",
            "term": "ny.medlem@example.com",
        },
    )
    assert [r["text"] for r in found.json()["results"]] == [str(invited)]
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get(f"/admin/auth/user/{User.objects.first().pk}/change/").status_code == 403

    # Indicators: Observationer → "Importera CSV- eller Koladafil".
    listing = client.get("/admin/indicators/observation/")
    assert listing.context["can_import"]
    indicator = Indicator.objects.order_by("code").first()
    area = Area.objects.with_identity().filter(kind="municipality").order_by("area_code").first()
    csv = f"indicator,area,year,value\n{indicator.code},{area.area_code},2025,42\n".encode()
    response = client.post(
        "/admin/indicators/observation/import/",
        {"file": SimpleUploadedFile("data.csv", csv), "file_format": "csv"},
    )
    assert response.status_code == 200
    assert Observation.objects.filter(indicator=indicator, area=area, year=2025).exists()

    # Results, films, gallery images, actors, competences: add forms open.
    for url in (
        "/admin/results/result/add/",
        "/admin/results/film/add/",
        "/admin/results/galleryimage/add/",
        "/admin/collaboration/actor/add/",
        "/admin/competences/competence/add/",
        "/admin/indicators/indicator/add/",
    ):
        assert client.get(url).status_code == 200, url

    # Dialogue moderation: approve a pending contribution.
    pending = Contribution.objects.filter(status=Contribution.Status.PENDING).first()
    assert pending is not None, "the demo has a contribution waiting for moderation"
    action(client, "/admin/dialogue/pendingcontribution/", "approve", [pending])
    pending.refresh_from_db()
    assert pending.status == Contribution.Status.APPROVED

    # Login lockouts: five wrong passwords lock `medlem`; the curator unlocks it.
    resident = Client()
    for _ in range(5):
        resident.post("/konto/logga-in/", {"username": "medlem", "password": "fel"})
    attempt = AccessAttempt.objects.get(username="medlem")
    assert client.get(f"/admin/axes/accessattempt/{attempt.pk}/change/").status_code == 200
    response = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    resident.post("/konto/logga-in/", {"username": "medlem", "password": "medlem-demo-2019"})
    assert "_auth_user_id" in resident.session

    # Only superusers delete for real.
    assert client.get(f"/admin/testbeds/testbed/{testbed.pk}/delete/").status_code == 403
    assert Testbed.objects.filter(pk=testbed.pk).exists()
