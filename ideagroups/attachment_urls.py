"""Attachment downloads: language-neutral (outside i18n_patterns), never HTML."""

from django.urls import path

from . import views

app_name = "attachments"

urlpatterns = [
    path("bilagor/<int:pk>/", views.AttachmentView.as_view(), name="download"),
]
