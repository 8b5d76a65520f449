"""Reads for the dialogue pages: every public page and export goes through these."""

from django.db.models import F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from sodertorn.geo import area_feature, feature_collection, point_feature

from .models import Contribution, DialogueRound, Response


def public_rounds():
    return DialogueRound.objects.published().select_related("testbed")


def public_contributions(round_):
    """The approved contributions of a round, newest first, with their answers."""
    return (
        Contribution.objects.public()
        .filter(round=round_)
        .prefetch_related(Prefetch("responses", queryset=Response.objects.order_by("created_at")))
        .order_by("-created_at", "-id")
    )


def summary_groups(round_) -> list[tuple]:
    """What was said in a closed round, grouped as its summary (the samrådsredogörelse) and
    its CSV show it: ``[(kind, contributions), ...]``, the proposals first, most supported
    first, then the comments in the order they came in; approved contributions only, each
    with its answers (two queries a group, whatever the count)."""
    public = public_contributions(round_)
    return [
        (
            Contribution.Kind.PROPOSAL,
            public.filter(kind=Contribution.Kind.PROPOSAL).order_by(
                "-support_count", "created_at", "id"
            ),
        ),
        (
            Contribution.Kind.COMMENT,
            public.filter(kind=Contribution.Kind.COMMENT).order_by("created_at", "id"),
        ),
    ]


def testbed_rounds_prefetch() -> Prefetch:
    """The rounds shown in the testbed page's dialogue section (with public counts)."""
    return Prefetch(
        "dialogue_rounds",
        queryset=DialogueRound.objects.with_counts().order_by("-opens_on", "-id"),
        to_attr="public_dialogue_rounds",
    )


# Placed contributions -------------------------------------------------------------------------

MAP_LIMIT = 500  # markers on the round page's map (and rows of its list): the newest
DENSITY_CELL = 0.005  # degrees: points without a place name are counted in cells this size


def _excerpt(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else f"{text[: length - 1]}…"


def placed_contributions(round_, per_page: int = 20) -> list:
    """The newest MAP_LIMIT published contributions of the round that marked a place (a
    point, a named place or an address line), each with ``link``: its card on the round
    page's list (``?page=N#bidrag-ID``, N from its position among all the round's published
    contributions, ``per_page`` a page). One query, no answers."""
    items = list(
        Contribution.objects.public()
        .filter(round=round_)
        .annotate(position=Window(RowNumber(), order_by=[F("created_at").desc(), F("id").desc()]))
        .exclude(place_name="", latitude__isnull=True)
        .only("kind", "text", "place_name", "latitude", "longitude", "created_at", "round_id")
        .order_by("-created_at", "-id")[:MAP_LIMIT]
    )
    for item in items:
        item.link = f"?page={(item.position - 1) // per_page + 1}#bidrag-{item.pk}"
        item.place_title = f"{item.get_kind_display()}: {place_label(item)}"
    return items


def place_label(item) -> str:
    return item.place_name or _("Marked on the map")


def place_features(placed) -> dict:
    """The round page's map: one marker for each placed contribution with a point, named by
    its kind and place; its popup links to the same item in the list under the map."""
    return feature_collection(
        [
            point_feature(
                item.latitude,
                item.longitude,
                {
                    "title": item.place_title,
                    "url": item.link,
                    "place": _excerpt(item.text),
                },
            )
            for item in placed
            if item.has_point
        ]
    )


def place_area_features(round_) -> dict:
    """Where the form's map lets residents mark a place: the testbed's area, else its
    municipalities' boundaries (drawn on the map; the server checks the same)."""
    title = _("Where places can be marked")
    areas = round_.place_areas()
    if not areas:
        box = round_.place_box()
        if box:
            south, west, north, east = box
            ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
            areas = [{"type": "Polygon", "coordinates": [ring]}]
    return feature_collection([area_feature(area, title) for area in areas])


def place_density(round_) -> list[dict]:
    """The closed round's summary: the published placed contributions counted per place,
    most first. A named place or address line is one row (its marker at the average of its
    points, if any); points marked on the map without a name are counted in grid cells of
    DENSITY_CELL degrees. One query."""
    rows = (
        Contribution.objects.public()
        .filter(round=round_)
        .exclude(place_name="", latitude__isnull=True)
        .values_list("kind", "place_name", "latitude", "longitude")
    )
    groups: dict[tuple, dict] = {}
    for kind, name, latitude, longitude in rows:
        if name:
            key = ("name", name)
        else:
            key = (
                "cell",
                round(float(latitude) / DENSITY_CELL),
                round(float(longitude) / DENSITY_CELL),
            )
        group = groups.setdefault(
            key, {"name": name, "named": bool(name), "comments": 0, "proposals": 0, "points": []}
        )
        group["proposals" if kind == Contribution.Kind.PROPOSAL else "comments"] += 1
        if latitude is not None:
            group["points"].append((float(latitude), float(longitude)))
    density = []
    for key, group in groups.items():
        points = group.pop("points")
        latitude = longitude = None
        if points:
            latitude = sum(p[0] for p in points) / len(points)
            longitude = sum(p[1] for p in points) / len(points)
        if key[0] == "cell":
            group["name"] = _("Marked on the map near %(latitude)s, %(longitude)s") % {
                "latitude": f"{key[1] * DENSITY_CELL:.3f}",
                "longitude": f"{key[2] * DENSITY_CELL:.3f}",
            }
        group.update(
            total=group["comments"] + group["proposals"], latitude=latitude, longitude=longitude
        )
        density.append(group)
    density.sort(key=lambda group: (-group["total"], group["name"]))
    return density


def density_features(density) -> dict:
    """The summary's density map: one graduated marker per row of the table with a point."""
    return feature_collection(
        [
            point_feature(
                group["latitude"],
                group["longitude"],
                {"title": group["name"], "count": group["total"]},
            )
            for group in density
            if group["latitude"] is not None
        ]
    )


def places_export(round_) -> dict:
    """The GeoJSON export: every published contribution of the round with a point, oldest
    first, with its answers (two queries). No names or areas of residence."""
    items = (
        public_contributions(round_)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("created_at", "id")
    )
    tz = timezone.get_current_timezone()
    return feature_collection(
        [
            point_feature(
                item.latitude,
                item.longitude,
                {
                    "number": item.pk,
                    "kind": item.kind,
                    "text": item.text,
                    "place_name": item.place_name,
                    "created": item.created_at.astimezone(tz).date().isoformat(),
                    "answer": "\n\n".join(f"{r.signed}: {r.text}" for r in item.responses.all()),
                },
            )
            for item in items
        ]
    )


def receipt_url(contribution) -> str:
    """The resident's private receipt of ``contribution`` (dialogue/receipts.py)."""
    from . import receipts

    return receipts.url(contribution)


def public_answers(contribution):
    """The answers of ``contribution`` the public may read: none unless it is published."""
    return Response.objects.filter(
        contribution=contribution,
        contribution__in=Contribution.objects.public(),
    ).order_by("created_at", "id")
