"""Log-in, log-out, password change and reset for every account (members of idea groups
today): django.contrib.auth's views with our templates (templates/registration/, Swedish and
English through i18n), at /konto/ in the namespace ``accounts``. There is no sign-up: people
are invited (ideagroups.services.invite_member mails a set-password link, links.py)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .password_reset import PasswordResetView

app_name = "accounts"

urlpatterns = [
    path(
        "logga-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "losenord/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/change_password.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/change_password_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "losenord/aterstall/",
        # Rate-limited; the account lookup and the mail happen in the task queue, so every
        # address gets the same answer in the same time (password_reset.py).
        PasswordResetView.as_view(success_url=reverse_lazy("accounts:password_reset_done")),
        name="password_reset",
    ),
    path(
        "losenord/aterstall/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "losenord/aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "losenord/aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
