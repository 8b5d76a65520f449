"""The kernel's accounts (log-in, password, the set-password link invitations carry) and the
roles found through the project apps like every other plug-in (issue 13)."""

from importlib.util import find_spec

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.urls import resolve, reverse
from django.utils import translation

from sodertorn import hooks, roles
from sodertorn.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# Accounts in the kernel -----------------------------------------------------------------------


def test_the_account_pages_live_in_the_kernel_under_the_same_names_and_paths():
    from sodertorn.accounts import password_reset, urls

    assert urls.app_name == "accounts"
    assert find_spec("ideagroups.accounts_urls") is None
    assert find_spec("ideagroups.password_reset") is None
    paths = {
        "login": "/konto/logga-in/",
        "logout": "/konto/logga-ut/",
        "password_change": "/konto/losenord/",
        "password_change_done": "/konto/losenord/klart/",
        "password_reset": "/konto/losenord/aterstall/",
        "password_reset_done": "/konto/losenord/aterstall/skickat/",
        "password_reset_complete": "/konto/losenord/aterstall/klart/",
    }
    for name, path in paths.items():
        assert reverse(f"accounts:{name}") == path
        assert resolve(path).namespace == "accounts"
    with translation.override("en"):
        assert resolve("/en/konto/logga-in/").view_name == "accounts:login"
    assert resolve(paths["password_reset"]).func.view_class is password_reset.PasswordResetView


def test_the_set_password_link_an_invitation_carries_is_the_kernels():
    from sodertorn.accounts.links import login_link, set_password_link

    user = UserFactory()
    link = set_password_link(user, base_url="https://example.org/")
    assert link.startswith("https://example.org/konto/losenord/aterstall/")
    match = resolve(link.removeprefix("https://example.org"))
    assert match.view_name == "accounts:password_reset_confirm"
    assert default_token_generator.check_token(user, match.kwargs["token"])
    assert login_link(base_url="https://example.org/") == "https://example.org/konto/logga-in/"


# Roles through the project apps -----------------------------------------------------------------


def test_grants_are_read_from_the_project_apps_roles_modules(monkeypatch):
    declared = {
        apps.get_containing_app_config(module.__name__).label
        for module in hooks.project_modules("roles", exclude=("sodertorn",))
        if hasattr(module, "GRANTS")
    }
    installed = {config.label for config in apps.get_app_configs()}
    third_party = set(roles.THIRD_PARTY_GRANTS) & installed
    assert set(roles.grants()) == declared | third_party
    assert {"testbeds", "ideagroups", "dialogue", "competences"} <= declared

    # an app that is not a project app (no hooks module) is not asked, even with a roles.py
    monkeypatch.setattr(hooks, "project_modules", lambda module, exclude=(): [])
    roles.grants.cache_clear()
    try:
        assert set(roles.grants()) == third_party
    finally:
        roles.grants.cache_clear()
