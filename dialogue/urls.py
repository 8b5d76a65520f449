from django.urls import path

from . import views

app_name = "dialogue"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("kvitto/<str:token>/", views.receipt, name="receipt"),
    path("<slug:slug>/", views.round_detail, name="round"),
    path("<slug:slug>/stod/<int:pk>/", views.SupportView.as_view(), name="support"),
    path("<slug:slug>/sammanfattning/", views.summary, name="summary"),
    path("<slug:slug>/sammanfattning.csv", views.round_csv, name="csv"),
    path("<slug:slug>/platser.geojson", views.places_geojson, name="places"),
]
