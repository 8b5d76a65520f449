"""The audit log gets its model from the import that names it, not by importing a sibling
(issue 13)."""

import pytest

from audit.models import AuditEntry
from audit.services import audited_import

pytestmark = pytest.mark.django_db


# Audit gets its model from the import -----------------------------------------------------------


def test_the_audit_log_records_the_model_the_import_names():
    from testbeds.models import Theme

    class Report:
        ok = True
        rows = 2

    @audited_import(Theme)
    def import_themes(data, *, name=""):
        return Report()

    assert isinstance(import_themes(b"", name="teman.csv"), Report)
    entry = AuditEntry.objects.get(action="import")
    assert (entry.content_type.app_label, entry.content_type.model) == ("testbeds", "theme")
    assert entry.object_repr == "teman.csv" and entry.details["rows"] == 2


def test_the_indicator_import_names_its_observations():
    from indicators.services import import_observations

    import_observations("indicator,area,year,value\n", name="tom.csv")
    entry = AuditEntry.objects.get(action="import")
    assert (entry.content_type.app_label, entry.content_type.model) == (
        "indicators",
        "observation",
    )
