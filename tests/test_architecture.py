"""The import graph: no app imports a sibling app sideways.

The rule, checked over every import statement (``import x`` and ``from x import y``, at module
level or inside functions) of every Python module of every project app (sodertorn/hooks.py:
an installed app with a ``hooks`` module), migrations and tests/ folders left out:

The kernel, ``sodertorn``, imports no project app at all (it finds them through
``sodertorn/hooks.py`` and tells them of its writes through ``sodertorn/signals.py``). A module
of any other app A may import a module of another project app B only if

1. B is the kernel (everything points down to it); or
2. the module is B's ``selectors``, ``services`` or ``hooks`` (``B.selectors``,
   ``B.services.x``, ``from B import services``); or
3. B is the core app, ``testbeds``, and the module is its ``models`` or ``filters`` (the
   catalogue every satellite points down to: a result belongs to a testbed); or
4. the importing module is A's ``demo`` (the demo loader run by ``load_demo``, never at request
   time) and the module is B's ``models``: demo rows of one app refer to another's; or
5. the importing module is A's ``models``, the module is B's ``models``, and B comes before A in
   ``MODEL_ORDER`` below: a model may have a ForeignKey, OneToOneField or ManyToManyField to a
   model of a satellite lower in that declared order (an idea group's members come from
   actors, a result from an idea group), never to one above it. The order is one list, so the
   relations between satellites cannot form a cycle.

A string model reference in a relation field, ``models.ForeignKey("app.Model", ...)`` (or
``to="app.Model"``), counts as an import of ``app.models`` by the module it is written in: a
relation by string is an arrow like any other, so a cycle cannot hide behind a string.
``test_model_relations_follow_the_declared_order`` checks the same order over the relation
fields Django itself sees, however they were written.

Anything else is a sideways arrow and fails this test. ``ALLOWED`` below is empty and should
stay so: an arrow that must stay for a while is listed there with the reason and the issue that
removes it, and an entry that no longer occurs fails the test too.
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
RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}
# The satellites, lowest first: an app's models may relate to the models of the apps before it
# (rule 5). Today: collaboration -> indicators (the areas a grant concerns),
# ideagroups -> collaboration (members' actors, system solutions), results -> ideagroups (a
# result's idea group), follow -> indicators, dialogue (what a subscription follows),
# competences -> collaboration (actors). Indicators and their areas are
# the statistical ground the others stand on, so they relate to no other satellite.
MODEL_ORDER = (
    "indicators",
    "collaboration",
    "ideagroups",
    "results",
    "dialogue",
    "follow",
    "competences",
    "opendata",
    "search",
    "about",
    "audit",
)

# importer module -> imported module: why it is still here and who removes it.
ALLOWED: dict[str, str] = {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def model_reference(node: ast.AST) -> str | None:
    """``app.models`` for a relation field to ``"app.Model"`` written as a string."""
    if not isinstance(node, ast.Call):
        return None
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    if name not in RELATION_FIELDS:
        return None
    targets = [*node.args[:1], *(kw.value for kw in node.keywords if kw.arg == "to")]
    for target in targets:
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            app_label, dot, _model = target.value.rpartition(".")
            if dot and app_label:
                return f"{app_label}.models"
    return None


def imported_modules(source: str, importer: str) -> set[str]:
    """Every module this source imports: ``a.b`` for ``import a.b`` and ``from a import b``
    (a name that may be a module is taken as one), ``a.b`` for ``from a.b import c``, and
    ``a.models`` for a relation field to ``"a.Model"`` (a string model reference)."""
    found = set()
    package = importer.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if (reference := model_reference(node)) is not None:
            found.add(reference)
        elif isinstance(node, ast.Import):
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
    if source_app == KERNEL:  # the kernel imports no app at all (rule 1)
        return True
    target_module = imported.split(".")[1] if "." in imported else ""
    if target_module in THROUGH:
        return False
    if target_app == CORE and target_module in CORE_MODULES and source_app != KERNEL:
        return False
    if importer.split(".")[1:] == ["models"] and target_module == "models":
        return not below(target_app, source_app)
    return not (importer.split(".")[1:] == ["demo"] and target_module == "models")


def below(lower: str, upper: str) -> bool:
    """True when satellite ``lower`` comes before ``upper`` in MODEL_ORDER (rule 5)."""
    return (
        lower in MODEL_ORDER
        and upper in MODEL_ORDER
        and (MODEL_ORDER.index(lower) < MODEL_ORDER.index(upper))
    )


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


def test_the_kernel_imports_no_app():
    apps = {config.name for config in hooks.project_apps()} - {KERNEL}
    kernel = [v for v in violations() if v.startswith(f"{KERNEL}.")]
    assert not kernel
    # not even the core app's models, nor another app's services or hooks: an app that must
    # hear of a kernel write connects to a signal of sodertorn/signals.py
    assert sideways("sodertorn.cache", "testbeds.models", apps | {KERNEL})
    assert sideways("sodertorn.publishing", "audit.services", apps | {KERNEL})
    assert sideways("sodertorn.admin", "search.hooks", apps | {KERNEL})


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
        # rule 5: models relate to models of satellites below them in MODEL_ORDER, only
        ("ideagroups.models", "from collaboration.models import Actor", False),
        ("ideagroups.forms", "from collaboration.models import Actor", True),
        ("collaboration.models", "from ideagroups.models import IdeaGroup", True),
        ("results.models", 'f = models.ForeignKey("ideagroups.IdeaGroup", null=True)', False),
        ("results.models", 'f = models.ForeignKey(to="testbeds.Testbed")', False),
        ("results.models", 'f = models.ForeignKey("self", on_delete=models.CASCADE)', False),
        ("results.models", "f = models.ForeignKey(settings.AUTH_USER_MODEL)", False),
        ("results.models", 'f = ForeignKey("auth.User", on_delete=CASCADE)', False),
        # a relation by string pointing up (the cycle issue 13 found) is caught
        ("collaboration.models", 'f = models.ManyToManyField("ideagroups.IdeaGroup")', True),
        ("collaboration.models", 'f = models.OneToOneField(to="results.Result")', True),
        ("testbeds.models", 'f = models.ForeignKey("collaboration.Actor")', True),
    ],
)
def test_a_new_sideways_import_is_caught(importer, source, expected):
    apps = {config.name for config in hooks.project_apps()}
    found = any(sideways(importer, m, apps) for m in imported_modules(source, importer))
    assert found is expected


def test_the_model_order_names_the_satellites():
    satellites = {config.name for config in hooks.project_apps()} - {KERNEL, CORE}
    assert len(set(MODEL_ORDER)) == len(MODEL_ORDER)
    assert set(MODEL_ORDER) == satellites


def test_model_relations_follow_the_declared_order():
    """Every relation field between two satellites, as Django sees it (imported class,
    string or anything else), points down MODEL_ORDER; the kernel's models relate to no app
    and the core's to no satellite."""
    project = {config.label for config in hooks.project_apps()}
    upward = []
    for config in hooks.project_apps():
        for model in config.get_models():
            for field in model._meta.get_fields(include_hidden=True):
                if not field.is_relation or field.auto_created or field.related_model is None:
                    continue
                target = field.related_model._meta.app_label
                if target not in project or target == config.label:
                    continue
                if target in (KERNEL, CORE) and config.label != KERNEL:
                    continue
                if not below(target, config.label):
                    upward.append(f"{model._meta.label}.{field.name} -> {target}")
    assert not upward, f"Relations up MODEL_ORDER (see this test's docstring): {upward}"


def test_a_planted_sideways_import_and_upward_string_reference_fail(tmp_path, monkeypatch):
    """End to end: modules planted in two apps make violations() report both arrows."""
    import sys

    planted = {
        "collaboration.models": 'ideas = models.ManyToManyField("ideagroups.IdeaGroup")\n',
        "results.views": "from collaboration.models import Actor\n",
    }
    paths = []
    for name, source in planted.items():
        path = tmp_path / f"{name.replace('.', '_')}.py"
        path.write_text(source, encoding="utf-8")
        paths.append((name, path))
    real = project_modules
    monkeypatch.setattr(sys.modules[__name__], "project_modules", lambda: [*real(), *paths])
    found = violations() - ALLOWED.keys()
    assert found == {
        "collaboration.models -> ideagroups.models",
        "results.views -> collaboration.models",
    }


def test_apps_join_the_search_without_importing_it():
    """Search sources are declared with the kernel's vocabulary (sodertorn/searchable.py) and
    read by the search app, so the core app does not point up to a satellite."""
    importers = sorted(
        importer
        for importer, path in project_modules()
        if not importer.startswith("search")
        for imported in imported_modules(path.read_text(encoding="utf-8"), importer)
        if imported.split(".")[0] == "search"
    )
    assert importers == []
