import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from results.models import Film, GalleryImage
from sodertorn.tests.factories import CuratorFactory
from testbeds.tests.factories import TestbedFactory

pytestmark = pytest.mark.django_db

ADD_URLS = [
    "/admin/results/result/add/",
    "/admin/results/film/add/",
    "/admin/results/galleryimage/add/",
]


@pytest.mark.parametrize("url", ADD_URLS)
def test_anonymous_and_non_staff_cannot_reach_the_results_admin(client, django_user_model, url):
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    user = django_user_model.objects.create_user("besok", password="pw-123456789")
    client.force_login(user)
    assert "/admin/login/" in client.get(url).get("Location", "")


def test_staff_without_permission_is_refused_and_nothing_is_created(client, django_user_model):
    user = django_user_model.objects.create_user("redaktor", password="pw", is_staff=True)
    client.force_login(user)
    testbed = TestbedFactory()
    data = {"title_sv": "F", "slug": "f", "video_url": "https://vimeo.com/76979871", "duration": 60,
            "testbed": testbed.pk, "transcript_sv": "t"}  # fmt: skip
    assert client.post("/admin/results/film/add/", data).status_code == 403
    assert not Film.objects.exists()
    user.user_permissions.add(Permission.objects.get(codename="add_film"))
    response = client.post("/admin/results/film/add/", data)
    assert response.status_code == 302
    assert Film.objects.get().video_id == "76979871"


def test_admin_film_form_shows_the_video_address_error(admin_client):
    testbed = TestbedFactory()
    response = admin_client.post(
        "/admin/results/film/add/",
        {
            "title_sv": "F",
            "slug": "f",
            "video_url": "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
            "duration": 60,
            "testbed": testbed.pk,
            "transcript": "t",
        },  # fmt: skip
    )
    assert response.status_code == 200
    assert "YouTube" in response.text and "Vimeo" in response.text
    assert not Film.objects.exists()


def test_admin_gallery_upload_makes_renditions(client):
    client.force_login(CuratorFactory())  # a curator, not a superuser
    testbed = TestbedFactory()
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (10, 120, 60)).save(buffer, "PNG")
    response = client.post(
        "/admin/results/galleryimage/add/",
        {
            "testbed": testbed.pk,
            "alt_text_sv": "Grön gård",
            "order": 1,
            "image": SimpleUploadedFile("gard.png", buffer.getvalue(), content_type="image/png"),
        },  # fmt: skip
    )
    assert response.status_code == 302, response.content[:2000]
    image = GalleryImage.objects.get()
    assert [s["width"] for s in image.renditions["sizes"]] == [320, 640, 900]
    assert image.image.name.endswith(".png")


@pytest.mark.parametrize("model", ["result", "film", "galleryimage"])
def test_curators_keep_results_films_and_images_but_do_not_delete(client, model):
    """Curators used to get 403 here: the Kurator group had no permission on these models."""
    client.force_login(CuratorFactory())
    for page in ("", "add/"):
        assert client.get(f"/admin/results/{model}/{page}").status_code == 200
    index = client.get("/admin/")
    assert "results" in {app["app_label"] for app in index.context["app_list"]}
    listing = client.get(f"/admin/results/{model}/")
    choices = listing.context["action_form"].fields["action"].choices if model == "result" else []
    assert "delete_selected" not in {value for value, _label in choices}
