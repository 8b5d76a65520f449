"""The kernel's image service (sodertorn.images): an image replaced or removed through any
image field leaves no file behind once the save has committed, and nothing is deleted on a
rollback."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from PIL import Image

from collaboration.services import clear_logo, set_logo
from collaboration.tests.factories import ActorFactory
from results.forms import FilmForm
from results.tests.test_results import make_film
from sodertorn.images import replace_image
from testbeds.models import Testbed
from testbeds.tests.test_admin import add_form_data, curator_client, huddinge, url  # noqa: F401

pytestmark = pytest.mark.django_db

FILES_PER_IMAGE = 7  # the clean original and 3 renditions, each as WebP and a fallback


def jpeg(colour=(200, 30, 30), size=(900, 600)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return SimpleUploadedFile("bild.jpg", buffer.getvalue(), content_type="image/jpeg")


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def test_a_cover_without_alt_text_is_a_form_error_on_the_swedish_alt_text(
    curator_client,  # noqa: F811
    huddinge,  # noqa: F811
):
    """The model's clean() names ``cover_alt``; the admin form has ``cover_alt_sv`` and
    ``cover_alt_en``: the message goes to the Swedish input, not a 500, and nothing is saved."""
    before = media_files()
    data = add_form_data(huddinge)
    response = curator_client.post(url("testbed_add"), {**data, "cover_image": jpeg()})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["cover_alt_sv"]
    with translation.override("sv"):
        assert errors["cover_alt_sv"] == [str(_("An image needs alt text."))]
    assert not Testbed.objects.filter(slug=data["slug"]).exists()
    assert media_files() == before


def test_replacing_a_cover_in_the_admin_leaves_no_file_behind(
    curator_client,  # noqa: F811
    huddinge,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    data = add_form_data(huddinge, cover_alt="Stationen")
    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(url("testbed_add"), {**data, "cover_image": jpeg()})
    assert response.status_code == 302
    testbed = Testbed.objects.get(slug=data["slug"])
    first = media_files()
    assert len(first) == FILES_PER_IMAGE
    assert testbed.cover_image.name in first

    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(
            url("testbed_change", testbed.pk), {**data, "cover_image": jpeg((10, 90, 200))}
        )
    assert response.status_code == 302
    testbed.refresh_from_db()
    after = media_files()
    assert len(after) == FILES_PER_IMAGE  # the old image and its six renditions are gone
    assert not after & first
    assert testbed.cover_image.name in after
    names = {entry[key] for entry in testbed.cover_renditions["sizes"] for key in entry}
    assert names - {"thumb", "card", "large"} >= after - {testbed.cover_image.name}

    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(
            url("testbed_change", testbed.pk), {**data, "cover_image-clear": "on"}
        )
    assert response.status_code == 302
    testbed.refresh_from_db()
    assert (testbed.cover_image.name, testbed.cover_renditions) == ("", {})
    assert media_files() == set()


def test_replacing_a_film_poster_through_its_form_deletes_the_old_one(
    django_capture_on_commit_callbacks,
):
    from testbeds.tests.factories import TestbedFactory

    film = make_film(1, testbed=TestbedFactory(), poster_alt="Affisch")
    fields = {name: getattr(film, name) for name in ("title", "slug", "video_url", "duration")}
    data = {**fields, "transcript": film.transcript, "poster_alt": "Affisch"}
    data["testbed"] = film.testbed_id
    for colour in ((200, 30, 30), (30, 200, 30)):
        form = FilmForm(data=data, files={"poster": jpeg(colour)}, instance=film)
        assert form.is_valid(), form.errors
        with django_capture_on_commit_callbacks(execute=True):
            film = form.save()
        assert len(media_files()) == FILES_PER_IMAGE
    assert film.poster.name in media_files()


def test_nothing_is_deleted_when_the_save_rolls_back():
    actor = ActorFactory()
    with transaction.atomic():
        set_logo(actor, jpeg())
    kept = media_files()
    assert actor.logo.name in kept and len(kept) == FILES_PER_IMAGE
    with pytest.raises(RuntimeError), transaction.atomic():
        replace_image(actor, "logo", "logo_renditions", jpeg((0, 0, 255)))
        actor.save()
        raise RuntimeError("the save fails")
    assert kept <= media_files()  # the image the database still names is whole


def test_a_replaced_or_removed_logo_is_deleted_on_commit(django_capture_on_commit_callbacks):
    actor = ActorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        set_logo(actor, jpeg())
    with django_capture_on_commit_callbacks(execute=True):
        set_logo(actor, jpeg((0, 200, 0)))
    assert len(media_files()) == FILES_PER_IMAGE
    with django_capture_on_commit_callbacks(execute=True):
        clear_logo(actor)
    assert media_files() == set()
