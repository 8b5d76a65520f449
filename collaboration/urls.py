from django.urls import path

from sodertorn.cache import cache_for_anonymous

from . import views

app_name = "collaboration"

urlpatterns = [
    path("aktorer/", cache_for_anonymous(views.ActorListView.as_view()), name="actors"),
    path(
        "aktorer/<slug:slug>/", cache_for_anonymous(views.ActorDetailView.as_view()), name="actor"
    ),
    path("samverkan/", cache_for_anonymous(views.CollaborationView.as_view()), name="group"),
]
