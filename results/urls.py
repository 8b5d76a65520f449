from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("", views.ResultListView.as_view(), name="list"),
    path("flode/", views.LatestResultsFeed(), name="feed"),
    path("<slug:slug>/", views.ResultDetailView.as_view(), name="detail"),
    path("<slug:slug>/bilagor/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
]
