from django.urls import path

from sodertorn.cache import cache_for_anonymous

from . import views

app_name = "ideagroups"

urlpatterns = [
    path("idegrupper/", cache_for_anonymous(views.IdeaGroupListView.as_view()), name="list"),
    path(
        "idegrupper/<slug:slug>/",
        cache_for_anonymous(views.IdeaGroupDetailView.as_view()),
        name="detail",
    ),
    path(
        "idegrupper/<slug:group>/arbete/<int:pk>/",
        cache_for_anonymous(views.WorkEntryDetailView.as_view()),
        name="entry",
    ),
    path("mina-sidor/", views.MyPagesView.as_view(), name="my_pages"),
    path(
        "mina-sidor/grupper/<slug:slug>/nytt-arbete/",
        views.EntryCreateView.as_view(),
        name="entry_create",
    ),
    path("mina-sidor/arbete/<int:pk>/", views.MemberEntryView.as_view(), name="my_entry"),
    path("mina-sidor/arbete/<int:pk>/andra/", views.EntryUpdateView.as_view(), name="entry_edit"),
    path(
        "mina-sidor/arbete/<int:pk>/skicka/", views.EntrySubmitView.as_view(), name="entry_submit"
    ),
]
