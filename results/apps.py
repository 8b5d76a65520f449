from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Results and films")

    def ready(self):
        from django.db.models import Prefetch

        from testbeds import sections

        from .models import Film, GalleryImage, Result

        sections.register(
            "results/_testbed_gallery.html",
            prefetch=[Prefetch("images", queryset=GalleryImage.objects.order_by("order", "id"))],
            order=10,
        )
        sections.register(
            "results/_testbed_results.html",
            prefetch=[Prefetch("results", queryset=Result.objects.published().order_by("-date"))],
            order=30,
        )
        sections.register(
            "results/_testbed_films.html",
            prefetch=[Prefetch("films", queryset=Film.objects.published())],
            order=40,
        )
