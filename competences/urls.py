from django.urls import path

from sodertorn.cache import cache_for_anonymous

from . import views

app_name = "competences"

urlpatterns = [
    path("kompetens/", cache_for_anonymous(views.CompetenceIndexView.as_view()), name="index"),
    # A form that POSTs (CSRF) and is per person: never cached.
    path("kompetens/mina/", views.MyCompetencesView.as_view(), name="mine"),
]
