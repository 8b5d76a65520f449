"""One idea of a project app (sodertorn/hooks.py): an installed app with a ``hooks`` module.
Admin registration, sitemaps, search sources, demo loaders, testbed sections, page-cache
invalidation, the main menu and ruff's first-party list all follow from it."""

import subprocess
import sys
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import admin

from sodertorn import cache, hooks, sitemaps
from testbeds import sections
from testbeds.management.commands.load_demo import demo_hooks

ROOT = Path(settings.BASE_DIR)
PROJECT_APPS = {
    "testbeds",
    "collaboration",
    "ideagroups",
    "results",
    "indicators",
    "opendata",
    "dialogue",
    "competences",
    "about",
    "search",
    "audit",
    "follow",
    "sodertorn",
}
# Top-level packages of the repository that are not apps.
OTHER_FIRST_PARTY = {"tests"}


def test_the_project_apps_are_the_installed_apps_with_a_hooks_module():
    assert {config.name for config in hooks.project_apps()} == PROJECT_APPS
    on_disk = {p.parent.name for p in ROOT.glob("*/hooks.py")}
    assert on_disk == PROJECT_APPS
    # Installed packages are not ours, whatever modules they have (django.contrib.postgres has
    # a `search` module, django.contrib.auth an `admin` one).
    assert not hooks.is_project_app(apps.get_app_config("postgres"))
    assert not hooks.is_project_app(apps.get_app_config("auth"))


def test_ruff_sorts_every_project_app_as_first_party():
    """No first-party list is kept by hand: ruff takes the repository's top-level packages
    (src = ["."]). A project app sorted as third-party would be merged into the django block."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "isort" not in pyproject["tool"]["ruff"].get("lint", {})
    names = sorted({config.name for config in hooks.project_apps()} | OTHER_FIRST_PARTY)
    source = "import django\n\n" + "".join(f"import {name}\n" for name in names)
    ruff = Path(sys.executable).parent / "ruff"
    checked = subprocess.run(
        [str(ruff), "check", "--select", "I", "--stdin-filename", "probe.py", "-"],
        input=source,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # The probe can fail: the same imports in one block are not sorted as ruff wants.
    merged = "import django\n" + "".join(f"import {name}\n" for name in names)
    assert (
        subprocess.run(
            [str(ruff), "check", "--select", "I", "--stdin-filename", "probe.py", "-"],
            input=merged,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).returncode
        == 1
    )


def test_every_project_app_with_an_admin_module_is_registered():
    registered = {model._meta.app_label for model in admin.site._registry}
    for config in hooks.project_apps():
        if (Path(config.path) / "admin.py").exists() and config.name != "sodertorn":
            assert config.label in registered, config.name
    # The installed packages the kernel names (sodertorn/apps.py).
    assert {"auth", "otp_totp"} <= registered
    # sodertorn.admin, after auth's: users and groups on the superuser-only admin classes.
    from django.contrib.auth.models import User

    assert type(admin.site._registry[User]).__module__ == "sodertorn.admin"


def test_sitemaps_search_and_demo_come_from_the_project_apps():
    names = set(sitemaps.collect())
    assert names  # every app with a sitemaps module contributes
    from search.registry import sources

    assert {source.model._meta.app_label for source in sources()} >= {
        "testbeds",
        "results",
        "collaboration",
        "ideagroups",
        "indicators",
        "dialogue",
    }
    loaders = [fn.__module__ for fn in demo_hooks()]
    assert loaders[-1] == "search.demo"  # the index is rebuilt after the content is in
    assert {module.split(".")[0] for module in loaders} <= PROJECT_APPS


def test_testbed_sections_and_menu_come_from_hooks():
    templates = [section.template for section in sections.registered()]
    assert templates == [
        "indicators/_testbed_areas.html",
        "results/_testbed_gallery.html",
        "ideagroups/_testbed_section.html",
        "competences/_testbed_section.html",
        "dialogue/_testbed_section.html",
        "collaboration/_testbed_contacts.html",
        "results/_testbed_results.html",
        "collaboration/_testbed_grants.html",
        "results/_testbed_films.html",
        "indicators/_testbed_section.html",
        "follow/_section.html",
    ]
    assert [item.url_name for item in hooks.menu_items()][:2] == ["testbeds:home", "testbeds:list"]


def test_every_public_model_of_a_project_app_refreshes_the_page_cache():
    registered = cache.registered_models()
    for config in hooks.project_apps():
        for model in config.get_models():
            label = model._meta.label_lower
            if config.label in cache.NOT_PUBLIC_APPS or getattr(model, "page_cache_exempt", 0):
                assert label not in registered, label
            elif not model.__name__.startswith("Historical"):
                assert label in registered, label


def test_register_keeps_order_and_ignores_a_second_registration():
    name = "tests-only-hook"

    def late():
        return ["late"]

    def early():
        return ["early"]

    try:
        hooks.register(name, late, order=20)
        hooks.register(name, order=10)(early)
        hooks.register(name, late, order=20)
        assert hooks.collect(name) == ["early", "late"]
    finally:
        hooks._hooks.pop(name, None)
