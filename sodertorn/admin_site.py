"""The admin site: Django's, plus a second factor (TOTP through django-otp) for staff.

With STAFF_OTP on (the default in production; DJANGO_STAFF_OTP=0 or DJANGO_DEBUG=1 turn it
off) the admin's login asks for the six-digit code of the staff member's authenticator app,
and only a session verified that way may use the admin: a staff member who logged in through
the member login, or whose session predates the second factor, is asked to log in again.

A staff member without a device is told so at the login and is set up by a superuser: in the
admin (Django OTP › TOTP devices, then the QR code link) or with
`manage.py add_totp_device <username>`, which prints the otpauth:// address to scan.
"""

from django import forms
from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device
from django_otp.admin import OTPAdminAuthenticationForm


class StaffOTPAuthenticationForm(OTPAdminAuthenticationForm):
    """The admin login with the code field; a clear message for staff without a device."""

    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": _("Enter the six-digit code from your authenticator app."),
        "invalid_token": _("The code is wrong or has expired. Enter the current code."),
    }

    def _chosen_device(self, user):
        """The device picked in the form, or the member's only device: most staff have one
        authenticator app and need not pick it (django-otp asks for an explicit choice)."""
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user, confirmed=True, for_verify=True))
            if len(devices) == 1:
                device = devices[0]
        return device

    def clean(self):
        # Username and password first (django-axes counts wrong passwords there).
        cleaned = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is not None and not user_has_device(user):
            raise forms.ValidationError(
                _(
                    "Your account has no second factor yet. Ask a superuser to set up an "
                    "authenticator app for you (manage.py add_totp_device %(username)s), "
                    "then log in with its code."
                ),
                code="no_device",
                params={"username": user.get_username()},
            )
        self.clean_otp(user)
        return cleaned


class StaffAdminSite(AdminSite):
    """Django's AdminSite that, with STAFF_OTP on, requires an OTP-verified session."""

    @property
    def login_form(self):
        return StaffOTPAuthenticationForm if settings.STAFF_OTP else None

    @property
    def login_template(self):
        return "otp/admin111/login.html" if settings.STAFF_OTP else None

    def get_urls(self):
        from django.urls import path

        from .translation_admin import needs_english_view

        return [
            path(
                "needs-english/",
                self.admin_view(lambda request: needs_english_view(request, self)),
                name="needs_english",
            ),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        from .translation_admin import translated_admins

        may_see = any(
            model_admin.has_view_or_change_permission(request)
            for _model, model_admin in translated_admins(self)
        )
        extra_context = {**(extra_context or {}), "show_needs_english": may_see}
        return super().index(request, extra_context)

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        if not settings.STAFF_OTP:
            return True
        is_verified = getattr(request.user, "is_verified", None)
        return bool(is_verified and is_verified())
