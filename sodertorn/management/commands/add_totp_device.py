"""Give a staff member a TOTP device (their second factor in the admin) and print the
otpauth:// address their authenticator app reads (as a QR code, or typed in).

    manage.py add_totp_device kurator
    manage.py add_totp_device kurator --name "Work phone" --replace --qr
"""

from base64 import b32encode

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Create a TOTP device for a staff member and print its otpauth:// address."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Authenticator app", help="The device's name.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the member's existing TOTP devices first (a lost phone).",
        )
        parser.add_argument("--qr", action="store_true", help="Also print a QR code to scan.")

    @transaction.atomic
    def handle(self, username, name, replace, **options):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if not user.is_staff:
            self.stderr.write(f"Note: {username} is not staff; the device counts once they are.")
        existing = TOTPDevice.objects.filter(user=user)
        if replace:
            existing.delete()
        elif existing.exists():
            raise CommandError(f"{username} already has a TOTP device; --replace makes a new one.")
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        self.stdout.write(device.config_url)
        self.stdout.write(
            f"Secret (to type in instead of scanning): {b32encode(device.bin_key).decode()}",
            style_func=None,
        )
        if options.get("qr"):
            import segno

            segno.make(device.config_url).terminal(out=self.stdout, compact=True)
        self.stderr.write(
            "Show this only to the staff member (--qr prints it as a QR code to scan); "
            "it is their second factor. The admin shows the QR code too (TOTP devices)."
        )
