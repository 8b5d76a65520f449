"""Open data: every indicator's observations as CSV and JSON.

The CSV has the columns the importer reads (indicator, area, year, gender, value, note,
is_example) plus area_name, so an exported file can be imported again unchanged.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpResponse, StreamingHttpResponse

from sodertorn import csvwriter

from .charts import raw_value
from .models import Indicator, Observation

CSV_COLUMNS = ("indicator", "area", "area_name", "year", "gender", "value", "note", "is_example")


def observation_rows(indicators: list[Indicator]):
    """(indicator code, area code, area name, year, gender, value, note, is_example) tuples."""
    codes = {indicator.pk: indicator.code for indicator in indicators}
    queryset = (
        Observation.objects.filter(indicator_id__in=codes)
        .annotate(
            area_code=Coalesce(
                NullIf(F("area__own_code"), Value("")), F("area__municipality__code")
            ),
            area_name=Coalesce(
                NullIf(F("area__own_name"), Value("")), F("area__municipality__name")
            ),
        )
        .order_by("indicator__code", "area_code", "year", "gender")
        .values_list(
            "indicator_id",
            "area_code",
            "area_name",
            "year",
            "gender",
            "value",
            "note",
            "is_example",
        )
    )
    for (
        indicator_id,
        area_code,
        area_name,
        year,
        gender,
        value,
        note,
        is_example,
    ) in queryset.iterator(chunk_size=5000):
        yield codes[indicator_id], area_code, area_name, year, gender, value, note, is_example


def csv_response(indicators: list[Indicator], *, filename: str) -> StreamingHttpResponse:
    """Streamed through the portal's CSV writer: imported notes and area names are text and
    get the formula guard; values stay numbers (a Decimal, written without trailing zeros)."""

    def rows():
        for code, area, name, year, gender, value, note, is_example in observation_rows(indicators):
            yield (code, area, name, year, gender, Decimal(raw_value(value)), note, is_example)

    return csvwriter.response(CSV_COLUMNS, rows(), filename=filename, stream=True, open_data=True)


def indicator_meta(indicator: Indicator) -> dict:
    return {
        "code": indicator.code,
        "name": indicator.name,
        "description": indicator.description,
        "dimension": indicator.dimension,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "source": indicator.source,
        "method": indicator.method,
        "responsible_body": indicator.responsible_body,
        "target": (
            {"value": float(indicator.target_value), "year": indicator.target_year}
            if indicator.has_target
            else None
        ),
        "kolada_kpi": indicator.kolada_kpi or None,
        "url": indicator.get_absolute_url(),
    }


def json_document(indicators: list[Indicator], *, single: bool) -> dict:
    by_code = {
        indicator.code: {**indicator_meta(indicator), "observations": []}
        for indicator in indicators
    }
    for code, area, name, year, gender, value, note, is_example in observation_rows(indicators):
        by_code[code]["observations"].append(
            {
                "area": area,
                "area_name": name,
                "year": year,
                "gender": gender,
                "value": float(value),
                "note": note,
                "is_example": is_example,
            }
        )
    if single:
        (only,) = by_code.values()
        observations = only.pop("observations")
        return {"indicator": only, "observations": observations}
    return {"indicators": list(by_code.values())}


def json_response(indicators: list[Indicator], *, single: bool) -> HttpResponse:
    body = json.dumps(json_document(indicators, single=single), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response
