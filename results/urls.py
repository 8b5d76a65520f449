from django.urls import path

from sodertorn.cache import cache_for_anonymous

from . import views

app_name = "results"

urlpatterns = [
    # Cached for anonymous visitors as the other public pages are; a staff member, who may
    # see unpublished results, has a session and is never served from the cache.
    path("", cache_for_anonymous(views.ResultListView.as_view()), name="list"),
    path("flode/", views.LatestResultsFeed(), name="feed"),
    path("<slug:slug>/", cache_for_anonymous(views.ResultDetailView.as_view()), name="detail"),
    path("<slug:slug>/bilagor/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
]
