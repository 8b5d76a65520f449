from django.urls import path

from . import views

app_name = "testbeds"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("testbaddar/", views.TestbedListView.as_view(), name="list"),
    path("testbaddar.geojson", views.TestbedGeoJSONView.as_view(), name="geojson"),
    path("testbaddar/<slug:slug>/", views.TestbedDetailView.as_view(), name="detail"),
    path("kommuner/", views.MunicipalityListView.as_view(), name="municipalities"),
    path("kommuner/<slug:slug>/", views.MunicipalityDetailView.as_view(), name="municipality"),
]
