"""Staff's second factor: with STAFF_OTP on, the admin wants a verified TOTP device."""

import pytest
from django.core.management import CommandError, call_command
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "rätt-lösenord-123"


@pytest.fixture
def otp_on(settings):
    settings.STAFF_OTP = True
    return settings


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_user("kurator", password=PASSWORD, is_staff=True)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.se", PASSWORD)


def token_for(device: TOTPDevice) -> str:
    number = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{number:0{device.digits}d}"


def admin_login(client, username, token=None):
    data = {"username": username, "password": PASSWORD, "next": "/admin/"}
    if token is not None:
        data["otp_token"] = token
    return client.post("/admin/login/?next=/admin/", data)


def verified_login(client, user, device):
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def test_the_admin_login_asks_for_the_code(client, otp_on):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert 'name="otp_token"' in response.content.decode()


def test_a_password_alone_does_not_open_the_admin(client, otp_on, curator):
    TOTPDevice.objects.create(user=curator, name="telefon")
    response = admin_login(client, "kurator")
    assert response.status_code == 200
    assert "authenticator app" in response.content.decode() or "autentiserings" in (
        response.content.decode()
    )
    assert client.get("/admin/").status_code == 302


def test_a_wrong_code_is_refused(client, otp_on, curator):
    device = TOTPDevice.objects.create(user=curator, name="telefon")
    wrong = f"{(int(token_for(device)) + 1) % 1_000_000:06d}"
    response = admin_login(client, "kurator", wrong)
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_password_and_current_code_open_the_admin(client, otp_on, curator):
    device = TOTPDevice.objects.create(user=curator, name="telefon")
    response = admin_login(client, "kurator", token_for(device))
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_session_without_the_second_factor_is_sent_to_the_login(client, otp_on, curator):
    TOTPDevice.objects.create(user=curator, name="telefon")
    client.force_login(curator)  # e.g. through the member login: password only
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_a_device_are_told_how_to_get_one(client, otp_on, curator):
    response = admin_login(client, "kurator", "123456")
    assert response.status_code == 200
    text = response.content.decode()
    assert "add_totp_device kurator" in text
    assert client.get("/admin/").status_code == 302


def test_wrong_passwords_are_still_counted_by_the_login_throttle(client, otp_on, curator):
    device = TOTPDevice.objects.create(user=curator, name="telefon")
    for _ in range(5):
        client.post("/admin/login/", {"username": "kurator", "password": "fel"})
    assert admin_login(client, "kurator", token_for(device)).status_code == 429


def test_a_superuser_sets_up_a_device_in_the_admin(client, otp_on, superuser, curator):
    own = TOTPDevice.objects.create(user=superuser, name="telefon")
    verified_login(client, superuser, own)
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 200
    response = client.post(
        "/admin/otp_totp/totpdevice/add/",
        {
            "user": curator.pk,
            "name": "Kurators telefon",
            "confirmed": "on",
            "key": "3132333435363738393031323334353637383930",
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "throttling_failure_count": 0,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert TOTPDevice.objects.filter(user=curator, confirmed=True).exists()


def test_curators_cannot_manage_devices(client, otp_on, curator):
    device = TOTPDevice.objects.create(user=curator, name="telefon")
    verified_login(client, curator, device)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 403


def test_the_command_prints_the_address_for_the_authenticator_app(client, otp_on, curator):
    from io import StringIO

    out = StringIO()
    call_command("add_totp_device", "kurator", stdout=out, stderr=StringIO())
    url = out.getvalue().splitlines()[0]
    assert url.startswith("otpauth://totp/")
    assert "kurator" in url and "secret=" in url
    device = TOTPDevice.objects.get(user=curator)
    assert admin_login(client, "kurator", token_for(device)).status_code == 302
    with pytest.raises(CommandError):
        call_command("add_totp_device", "kurator", stdout=StringIO(), stderr=StringIO())
    call_command("add_totp_device", "kurator", "--replace", stdout=StringIO(), stderr=StringIO())
    assert TOTPDevice.objects.filter(user=curator).count() == 1
    with pytest.raises(CommandError):
        call_command("add_totp_device", "nobody", stdout=StringIO(), stderr=StringIO())


def test_without_staff_otp_a_password_is_enough(client, settings, curator):
    settings.STAFF_OTP = False
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "kurator", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_command_can_show_a_qr_code_and_the_admin_serves_one(client, otp_on, superuser):
    from io import StringIO

    out = StringIO()
    call_command("add_totp_device", "admin", "--qr", stdout=out, stderr=StringIO())
    assert "█" in out.getvalue() or "▀" in out.getvalue()
    device = TOTPDevice.objects.get(user=superuser)
    verified_login(client, superuser, device)
    response = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
