"""The import graph: no app imports a sibling app sideways.

The rule, checked over every import statement (``import x`` and ``from x import y``, at module
level or inside functions) of every Python module of every project app (sodertorn/hooks.py:
an installed app with a ``hooks`` module), migrations and tests/ folders left out:

A module of app A may import a module of another project app B only if

1. B is the kernel, ``sodertorn`` (everything points down to it); or
2. the module is B's ``selectors``, ``services`` or ``hooks`` (``B.selectors``,
   ``B.services.x``, ``from B import services``); or
3. B is the core app, ``testbeds``, and the module is its ``models`` or ``filters`` (the
   catalogue every satellite points down to: a result belongs to a testbed), and A is not
   the kernel; or
4. the importing module is A's ``demo`` (the demo loader run by ``load_demo``, never at request
   time) and the module is B's ``models``: demo rows of one app refer to another's.

Anything else is a sideways arrow and fails this test, except the entries of ``ALLOWED``
below: today's remaining arrows that belong to moves other branches of issue 13 are making
right now. That list only shrinks: an entry that no longer occurs fails the test too, so it is
deleted when the move is merged.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from sodertorn import hooks

ROOT = Path(settings.BASE_DIR)
KERNEL = "sodertorn"
CORE = "testbeds"
THROUGH = {"selectors", "services", "hooks"}
CORE_MODULES = {"models", "filters"}

# importer module -> imported module: why it is still here and who removes it.
ALLOWED = {
    # The ideagroups -> collaboration cycle is inverted: one direction remains (idea groups
    # point down to collaboration's actors). These go when Actor is read through a selector.
    "ideagroups.forms -> collaboration.models": "ideagroups/collaboration cycle (issue13-arrows)",
    "ideagroups.models -> collaboration.models": "ideagroups/collaboration cycle (issue13-arrows)",
    "ideagroups.selectors -> collaboration.models": "ideagroups/collaboration cycle "
    "(issue13-arrows)",
    # issue13-arrows: selectors (ideagroups/selectors.py, indicators/services.py are theirs now).
    "competences.selectors -> ideagroups.models": "needs an ideagroups selector (issue13-arrows "
    "is editing ideagroups/selectors.py)",
    "competences.views -> ideagroups.models": "needs an ideagroups selector (issue13-arrows)",
    "audit.services -> indicators.models": "the import's audit entry should get its model from "
    "the indicator import (issue13-arrows is editing indicators/services.py)",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, importer: str) -> set[str]:
    """Every module this source imports: ``a.b`` for ``import a.b`` and ``from a import b``
    (a name that may be a module is taken as one), ``a.b`` for ``from a.b import c``."""
    found = set()
    package = importer.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(importer.split(".")[: -node.level] or [package])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            if "." in module:
                found.add(module)
            else:  # from app import x: x is a module of the app (or a name of its __init__)
                found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def sideways(importer: str, imported: str, apps: set[str]) -> bool:
    """True when this import breaks the rule of the module docstring."""
    source_app, target_app = importer.split(".")[0], imported.split(".")[0]
    if target_app not in apps or target_app in (source_app, KERNEL):
        return False
    target_module = imported.split(".")[1] if "." in imported else ""
    if target_module in THROUGH:
        return False
    if target_app == CORE and target_module in CORE_MODULES and source_app != KERNEL:
        return False
    return not (importer.split(".")[1:] == ["demo"] and target_module == "models")


def project_modules():
    for config in hooks.project_apps():
        for path in sorted(Path(config.path).rglob("*.py")):
            relative = path.relative_to(config.path).parts
            if "migrations" in relative or "tests" in relative:
                continue
            yield module_name(path), path


def violations() -> set[str]:
    apps = {config.name for config in hooks.project_apps()}
    found = set()
    for importer, path in project_modules():
        for imported in imported_modules(path.read_text(encoding="utf-8"), importer):
            if sideways(importer, imported, apps):
                found.add(f"{importer} -> {imported.split('.')[0]}.{imported.split('.')[1]}")
    return found


def test_no_app_imports_a_sibling_sideways():
    new = sorted(violations() - ALLOWED.keys())
    assert not new, (
        "Sideways imports between apps (go through the kernel, or the sibling's selectors, "
        f"services or hooks module; see this test's docstring): {new}"
    )


def test_the_allowed_list_only_shrinks():
    gone = sorted(ALLOWED.keys() - violations())
    assert not gone, f"These arrows are gone: delete them from ALLOWED: {gone}"


def test_the_kernel_imports_no_app_except_through_services_or_hooks():
    apps = {config.name for config in hooks.project_apps()} - {KERNEL}
    kernel = [v for v in violations() if v.startswith(f"{KERNEL}.")]
    assert not kernel
    # and the core app's models are no exception for the kernel
    assert sideways("sodertorn.cache", "testbeds.models", apps | {KERNEL})


@pytest.mark.parametrize(
    ("importer", "source", "expected"),
    [
        ("results.views", "from collaboration.models import Actor", True),
        ("results.views", "import ideagroups.views", True),
        ("results.views", "from ideagroups import forms", True),
        ("results.views", "from ideagroups import selectors", False),
        ("results.views", "from ideagroups.services import publish", False),
        ("results.views", "from collaboration.hooks import menu_items", False),
        ("results.views", "from sodertorn.cache import content_changed", False),
        ("results.views", "from testbeds.models import Testbed", False),
        ("results.views", "from testbeds.views import TestbedDetail", True),
        ("results.demo", "from collaboration.models import Actor", False),
        ("results.admin", "def f():\n    from dialogue.admin import X\n", True),
        ("results.views", "from .models import Result", False),
        ("results.views", "from django.db import models", False),
    ],
)
def test_a_new_sideways_import_is_caught(importer, source, expected):
    apps = {config.name for config in hooks.project_apps()}
    found = any(sideways(importer, m, apps) for m in imported_modules(source, importer))
    assert found is expected
