from django.urls import path

from sodertorn.cache import cache_for_anonymous

from . import views

app_name = "films"

urlpatterns = [
    # Cached for anonymous visitors, as the result pages are (results/urls.py).
    path("", cache_for_anonymous(views.FilmListView.as_view()), name="list"),
    path("<slug:slug>/", cache_for_anonymous(views.FilmDetailView.as_view()), name="detail"),
]
