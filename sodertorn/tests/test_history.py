"""Every change recoverable: history of content changes (who, when, which fields, before and
after), revert to a version and restore of deleted objects from the admin."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from audit.models import AuditEntry
from collaboration.models import Actor
from collaboration.tests.factories import ActorFactory
from ideagroups.models import IdeaGroup
from ideagroups.tests.factories import IdeaGroupFactory
from indicators.models import Indicator, Observation
from indicators.services import import_observations
from indicators.tests.factories import IndicatorFactory, municipality_area
from results.models import Film, GalleryImage, Result
from sodertorn.publishing import set_published
from sodertorn.tests.factories import UserFactory
from testbeds.models import Testbed
from testbeds.tests.factories import MunicipalityFactory, TestbedFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("chef", "chef@example.com", "pw-123456789")


@pytest.fixture
def staff(superuser, client):
    client.force_login(superuser)
    return client


def admin_url(obj_or_model, page, *args):
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=args)


def form_data(response, **changes) -> dict:
    """The data a browser would post back for the form on this admin page, with changes."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, FieldFile) or field.disabled:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if value is None:
            data[name] = ""
        elif isinstance(value, list | tuple):
            data[name] = [str(getattr(item, "pk", item)) for item in value]
        else:
            prepared = field.prepare_value(value)
            data[name] = prepared if isinstance(prepared, str) else str(prepared)
    for formset in response.context.get("inline_admin_formsets", []):
        prefix = formset.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update(changes)
    return data


def change_via_admin(client, obj, **changes):
    response = client.get(admin_url(obj, "change", obj.pk))
    assert response.status_code == 200
    response = client.post(admin_url(obj, "change", obj.pk), form_data(response, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def delete_via_admin(client, obj):
    response = client.post(admin_url(obj, "delete", obj.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()


def restore_via_admin(client, model, pk):
    """Open "Restore deleted", follow the object's link and press Revert."""
    listing = client.get(admin_url(model, "deleted"))
    assert listing.status_code == 200
    rows = [row for row in listing.context["rows"] if row["object_id"] == pk]
    assert rows, f"{model.__name__} {pk} is not listed as deleted"
    form_page = client.get(rows[0]["restore_url"])
    assert form_page.status_code == 200
    response = client.post(rows[0]["restore_url"], form_data(form_page))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


# History: who, when, which fields, before and after ---------------------------------------


def test_an_admin_edit_is_in_the_history_with_who_and_the_fields_before_and_after(staff, superuser):
    testbed = TestbedFactory(title="Gamla namnet", summary="Kort.")
    # The admin edits each translated field per language (title_sv, title_en).
    change_via_admin(staff, testbed, title_sv="Nya namnet", summary_sv="Längre sammanfattning.")
    latest = testbed.history.first()
    assert latest.history_user == superuser
    assert latest.history_type == "~"
    delta = latest.diff_against(latest.prev_record)
    changes = {change.field: (change.old, change.new) for change in delta.changes}
    assert changes["title_sv"] == ("Gamla namnet", "Nya namnet")
    assert changes["summary_sv"] == ("Kort.", "Längre sammanfattning.")

    page = staff.get(admin_url(testbed, "history", testbed.pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Gamla namnet" in text and "Nya namnet" in text
    assert "chef" in text


def test_history_records_theme_and_municipality_changes(staff):
    huddinge, botkyrka = MunicipalityFactory(name="Huddinge"), MunicipalityFactory(name="Botkyrka")
    mobility = ThemeFactory(name="Mobilitet")
    testbed = TestbedFactory(municipalities=[huddinge])
    change_via_admin(staff, testbed, municipalities=[str(botkyrka.pk)], themes=[str(mobility.pk)])
    latest = testbed.history.first()
    assert list(latest.municipalities.values_list("municipality", flat=True)) == [botkyrka.pk]
    assert list(latest.themes.values_list("theme", flat=True)) == [mobility.pk]
    first = testbed.history.last()
    assert list(first.municipalities.values_list("municipality", flat=True)) in ([], [huddinge.pk])


def test_revert_to_an_earlier_version_restores_fields_and_themes(staff):
    old_theme, new_theme = ThemeFactory(), ThemeFactory()
    testbed = TestbedFactory(title="Version ett", themes=[old_theme])
    version_one = testbed.history.first()
    change_via_admin(staff, testbed, title_sv="Version två", themes=[str(new_theme.pk)])
    revert_url = reverse(
        "admin:testbeds_testbed_simple_history", args=(testbed.pk, version_one.history_id)
    )
    form_page = staff.get(revert_url)
    assert form_page.status_code == 200
    assert staff.post(revert_url, form_data(form_page)).status_code == 302
    testbed.refresh_from_db()
    assert testbed.title == "Version ett"
    assert list(testbed.themes.all()) == [old_theme]
    assert AuditEntry.objects.filter(action="restore", object_id=str(testbed.pk)).exists()


# Restoring deleted objects ------------------------------------------------------------------


def test_a_deleted_testbed_is_listed_and_restored_with_its_fields(staff, superuser):
    huddinge, tyreso = MunicipalityFactory(name="Huddinge"), MunicipalityFactory(name="Tyresö")
    theme = ThemeFactory(name="Bostäder")
    testbed = TestbedFactory(
        title="Flemingsbergs stationsområde",
        slug="flemingsberg",
        summary="Ett nytt resecentrum.",
        place_name="Flemingsberg",
        end_date=datetime.date(2020, 1, 1),
        municipalities=[huddinge, tyreso],
        themes=[theme],
        published=True,
    )
    pk = testbed.pk
    changelist = staff.get(admin_url(Testbed, "changelist"))
    assert admin_url(Testbed, "deleted") in changelist.content.decode()

    delete_via_admin(staff, testbed)
    listing = staff.get(admin_url(Testbed, "deleted"))
    assert "Flemingsbergs stationsområde" in listing.content.decode()

    restore_via_admin(staff, Testbed, pk)
    restored = Testbed.objects.get(pk=pk)
    assert restored.title == "Flemingsbergs stationsområde"
    assert restored.slug == "flemingsberg"
    assert restored.summary == "Ett nytt resecentrum."
    assert restored.place_name == "Flemingsberg"
    assert restored.end_date == datetime.date(2020, 1, 1)
    assert restored.published is True
    assert set(restored.municipalities.all()) == {huddinge, tyreso}
    assert list(restored.themes.all()) == [theme]
    # no longer listed as deleted; the delete and the restore are in the audit log
    assert not staff.get(admin_url(Testbed, "deleted")).context["rows"]
    actions = set(AuditEntry.objects.filter(object_id=str(pk)).values_list("action", flat=True))
    assert {"delete", "restore"} <= actions


def make_result():
    return Result.objects.create(
        testbed=TestbedFactory(),
        title="Rapport om stationen",
        slug="rapport-stationen",
        kind="method",
        date=datetime.date(2018, 6, 1),
        summary="Vad vi lärde oss.",
    )


def make_film():
    return Film.objects.create(
        title="Filmen om torget",
        slug="filmen-om-torget",
        video_url="https://vimeo.com/76979871",
        duration=90,
        testbed=TestbedFactory(),
        transcript="Text.",
    )


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(make_result, id="result"),
        pytest.param(make_film, id="film"),
        pytest.param(
            lambda: IdeaGroupFactory(name="Torggruppen", testbeds=[TestbedFactory()]),
            id="idea group",
        ),
        pytest.param(lambda: ActorFactory(name="Huddinge bostäder"), id="actor"),
        pytest.param(lambda: IndicatorFactory(name="Andel i arbete"), id="indicator"),
        pytest.param(lambda: ThemeFactory(name="Klimat"), id="theme"),
    ],
)
def test_deleted_content_is_restored_from_the_admin(staff, make):
    obj = make()
    model, pk, text = type(obj), obj.pk, str(obj)
    delete_via_admin(staff, obj)
    restore_via_admin(staff, model, pk)
    assert str(model.objects.get(pk=pk)) == text


def test_history_of_an_image_keeps_the_file_name_without_copying(staff, settings):
    from results.tests.test_results import jpeg_with_gps

    testbed = TestbedFactory()
    image = GalleryImage.objects.create(
        testbed=testbed,
        image=SimpleUploadedFile("torget.jpg", jpeg_with_gps((40, 30)), content_type="image/jpeg"),
        alt_text="Torget en vårdag",
    )
    name = image.image.name
    record = image.history.first()
    assert record.image == name  # a plain name in the history table
    files_before = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    pk = image.pk
    delete_via_admin(staff, image)
    restore_via_admin(staff, GalleryImage, pk)
    assert GalleryImage.objects.get(pk=pk).image.name == name
    files_after = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    assert files_after == files_before


# Permissions -------------------------------------------------------------------------------


def test_restore_needs_the_models_change_permission(client):
    viewer = UserFactory(username="lasare", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_testbed"))
    client.force_login(viewer)
    testbed = TestbedFactory()
    assert client.get(admin_url(testbed, "history", testbed.pk)).status_code == 200
    assert client.get(admin_url(Testbed, "deleted")).status_code == 403
    version = testbed.history.first()
    revert_url = reverse(
        "admin:testbeds_testbed_simple_history", args=(testbed.pk, version.history_id)
    )
    response = client.post(revert_url, {"title": "Kapat"})
    assert response.status_code == 403
    testbed.refresh_from_db()
    assert testbed.title != "Kapat"


# Bulk paths --------------------------------------------------------------------------------


def test_publishing_through_the_bulk_action_is_in_the_history():
    testbeds = [TestbedFactory(published=False) for _ in range(3)]
    assert set_published(Testbed.objects.all(), published=True) == 3
    for testbed in testbeds:
        latest = testbed.history.first()
        assert latest.published is True
        assert latest.prev_record.published is False
        # the many-to-many rows are copied too: no change is shown for them
        assert list(latest.municipalities.values_list("municipality", flat=True)) == list(
            testbed.municipalities.values_list("pk", flat=True)
        )


def test_observations_have_no_per_row_history_and_an_import_is_audited_once():
    assert not hasattr(Observation, "history")
    area = municipality_area(code="0126", name="Huddinge", slug="huddinge")
    indicator = IndicatorFactory(code="syss")
    history_before = Indicator.history.count()
    csv = "indicator,area,year,value\n" + "".join(
        f"syss,0126,{year},{year - 1990}\n" for year in range(2000, 2020)
    )
    report = import_observations(csv, name="syss.csv")
    assert report.ok and report.created == 20
    assert Observation.objects.filter(indicator=indicator, area=area).count() == 20
    assert Indicator.history.count() == history_before
    entry = AuditEntry.objects.get(action="import")
    assert entry.details["rows"] == 20 and entry.details["created"] == 20
    assert entry.details["file"] == "syss.csv"


def test_every_listed_content_model_has_history():
    for model in (Testbed, Result, Film, IdeaGroup, Actor, Indicator, GalleryImage):
        assert hasattr(model, "history"), model


def test_the_publish_action_writes_history_in_constant_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from testbeds.tests.factories import bulk_testbeds

    municipality = MunicipalityFactory()

    def queries_for(count, start):
        bulk_testbeds(count, municipality, start=start)
        Testbed.objects.update(published=False)
        with CaptureQueriesContext(connection) as captured:
            assert set_published(Testbed.objects.all(), published=True) > 0
        Testbed.objects.all().delete()
        return len(captured)

    queries_for(1, 500)  # warms the content-type cache
    assert queries_for(3, 0) == queries_for(30, 100)
    assert AuditEntry.objects.filter(action="publish").count() == 34


def test_every_history_admin_lists_its_deleted_objects(staff):
    from django.contrib import admin

    from sodertorn.history_admin import HistoryAdmin

    with_history = [m for m, a in admin.site._registry.items() if isinstance(a, HistoryAdmin)]
    assert len(with_history) >= 18
    for model in with_history:
        assert hasattr(model, "history"), model
        assert staff.get(admin_url(model, "changelist")).status_code == 200, model
        assert staff.get(admin_url(model, "deleted")).status_code == 200, model


def test_a_proxy_admin_shows_the_history_of_its_model(staff):
    from ideagroups.models import SubmittedWorkEntry
    from ideagroups.tests.factories import WorkEntryFactory

    entry = WorkEntryFactory(status="submitted", title="Inlämnat arbete")
    page = staff.get(admin_url(SubmittedWorkEntry, "history", entry.pk))
    assert page.status_code == 200
    assert "Inlämnat arbete" in page.content.decode()
