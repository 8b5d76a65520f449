"""Admin forms for testbeds and municipalities: the GeoJSON area with a map."""

from django import forms

from sodertorn.forms import CleanImageMixin
from sodertorn.geo import GeoJSONAreaField, MapWidget

from .models import Municipality, Testbed


class TestbedAdminForm(CleanImageMixin, forms.ModelForm):
    # The cover image is checked by content and stored cleaned, with renditions.
    image_field = "cover_image"
    renditions_field = "cover_renditions"

    class Meta:
        model = Testbed
        fields = (
            "title",
            "slug",
            "question",
            "summary",
            "body",
            "status",
            "plan_stage",
            "municipalities",
            "themes",
            "start_date",
            "end_date",
            "place_name",
            "latitude",
            "longitude",
            "area",
            "cover_image",
            "cover_alt",
            "published",
            "is_demo",
        )
        field_classes = {"area": GeoJSONAreaField}
        widgets = {
            "area": MapWidget(latitude_field="latitude", longitude_field="longitude"),
        }


class MunicipalityAdminForm(forms.ModelForm):
    class Meta:
        model = Municipality
        fields = ("name", "slug", "code", "center_latitude", "center_longitude", "boundary")
        field_classes = {"boundary": GeoJSONAreaField}
        widgets = {
            "boundary": MapWidget(
                latitude_field="center_latitude", longitude_field="center_longitude"
            ),
        }
