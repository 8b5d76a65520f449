from django.urls import path

from . import views

app_name = "about"

urlpatterns = [
    path("om/", views.programme, name="programme"),
    path("about/", views.programme_redirect, name="programme_redirect"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("tillganglighet/synpunkter/", views.feedback, name="feedback"),
    path("personuppgifter/", views.privacy, name="privacy"),
]
