import datetime

from django.contrib.syndication.views import Feed
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, View

from .filters import FilmFilter, ResultFilter
from .models import Film, Result, ResultAttachment


class FilteredListView(ListView):
    """A list page with a django-filter form; bad values give messages, valid ones apply."""

    filterset_class = None
    paginate_by = 12

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.base_queryset(), request=self.request
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        bound = self.filterset.is_bound
        return super().get_context_data(
            filter=self.filterset,
            filter_errors=self.filterset.form.errors if bound else {},
            **kwargs,
        )


class ResultListView(FilteredListView):
    template_name = "results/result_list.html"
    filterset_class = ResultFilter

    def base_queryset(self):
        return Result.objects.published().with_relations()


class ResultDetailView(DetailView):
    template_name = "results/result_detail.html"

    def get_queryset(self):
        return (
            Result.objects.visible_to(self.request.user)
            .with_relations()
            .prefetch_related("attachments", "films")
        )


class AttachmentView(View):
    """Serve an attachment of a visible result with the type checked at upload."""

    def get(self, request, slug, pk):
        result = get_object_or_404(
            Result.objects.visible_to(request.user).select_related("testbed"), slug=slug
        )
        attachment = get_object_or_404(ResultAttachment, result=result, pk=pk)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"{result.slug}-{attachment.pk}.{attachment.extension}",
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        # A result can be unpublished (or its testbed hidden): no shared cache may keep it.
        public = result.published and result.testbed.published
        response["Cache-Control"] = "private, max-age=3600" if public else "private, no-store"
        return response


class FilmListView(FilteredListView):
    template_name = "results/film_list.html"
    filterset_class = FilmFilter

    def base_queryset(self):
        return Film.objects.published().with_relations()


class FilmDetailView(DetailView):
    template_name = "results/film_detail.html"

    def get_queryset(self):
        return Film.objects.visible_to(self.request.user).with_relations()


# A row saved again within this time of its creation was entered, not edited.
EDITED_AFTER = datetime.timedelta(minutes=5)


def result_moment(day: datetime.date) -> datetime.datetime:
    """A result's date as an aware datetime: midnight in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class LatestResultsFeed(Feed):
    feed_type = Atom1Feed
    title = _("New results from the Södertörn Model")
    subtitle = _("Newly published results from the testbeds.")
    link = reverse_lazy("results:list")

    def items(self):
        return Result.objects.published().select_related("testbed").order_by("-date", "-id")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        """The result's own date (a report of 2017 is from 2017), not when its row was made
        (for the demo data, the day it was loaded)."""
        return result_moment(item.date)

    def item_updateddate(self, item):
        """When the result was last edited, if it was edited after it was entered; otherwise
        its own date (the feed's <updated> is then the newest result's date)."""
        published = result_moment(item.date)
        edited = item.updated_at - item.created_at > EDITED_AFTER
        return max(published, item.updated_at) if edited else published

    def item_categories(self, item):
        return [item.get_kind_display(), item.testbed.title]

    def feed_url(self):
        return reverse("results:feed")
