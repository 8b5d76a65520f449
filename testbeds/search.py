"""Testbeds in the site search (discovered by the search app; see search/registry.py)."""

from django.utils.translation import gettext_lazy as _

from sodertorn.searchable import SearchSource, markdown_body

from .models import Testbed


def _body(testbed: Testbed) -> str:
    return f"{testbed.question}\n\n{markdown_body('body')(testbed)}"


sources = [
    SearchSource(
        key="testbeds",
        model=Testbed,
        label=_("Testbeds"),
        title="title",
        summary="summary",
        body=_body,
        keywords=lambda testbed: f"{testbed.title} {testbed.place_name}",
        published=lambda: Testbed.objects.published(),
        municipalities=["municipalities"],
        order=10,
    ),
]
