from django.urls import path

from . import views

app_name = "follow"

urlpatterns = [
    path("skickat/", views.sent, name="sent"),
    path("bekrafta/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("avsluta/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("avslutat/", views.unsubscribed, name="unsubscribed"),
    path("<slug:kind>/<str:key>/", views.SubscribeView.as_view(), name="subscribe"),
    path("<slug:kind>/<str:key>/flode/", views.feed, name="feed"),
]
