"""The portal's URLconf plus /bench/cards: bench/render.py's 24 cards rendered with no
database, behind the portal's middleware (the reference its uncached pages are measured
against)."""

import ast
from pathlib import Path

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from sodertorn import urls as portal


def reference_template() -> tuple[str, list[dict]]:
    """REFERENCE and CARDS as bench/render.py defines them, read without importing it (it sets
    Django up and seeds when imported): the two assignments alone are run."""
    source = Path(__file__).resolve().parent.parent.joinpath("render.py").read_text()
    wanted = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id in {"REFERENCE", "CARDS"} for t in node.targets)
    ]
    namespace: dict = {}
    exec(compile(ast.Module(wanted, type_ignores=[]), "bench/render.py", "exec"), namespace)  # noqa: S102
    return namespace["REFERENCE"], namespace["CARDS"]


REFERENCE, CARDS = reference_template()
_template = engines["django"].from_string(REFERENCE)


def cards(request):
    return HttpResponse(_template.render({"cards": CARDS}))


urlpatterns = [*portal.urlpatterns, path("bench/cards", cards)]
handler500 = portal.handler500
