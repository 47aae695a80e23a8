"""Reading a result document's GeoJSON into shapes a map can draw, counting what it cannot.

The analyses write a FeatureCollection (coordinates ``[lon, lat]`` in WGS 84, features in
a fixed order). Each feature says what it is in ``properties.role``; the geometry a role
may have is fixed:

* ``cell``, ``event``, ``anpr_read``: a ``Point`` (or ``MultiPoint``);
* ``route``: a ``LineString`` (or ``MultiLineString``);
* ``sector``, ``area``: a ``Polygon`` (or ``MultiPolygon``).

A feature that cannot be drawn (no geometry, a role the map does not know, a geometry
that does not fit its role, a coordinate outside longitude −180..180 or latitude
−85.05..85.05, where Web Mercator's square world ends) is not guessed at: it is counted
under the reason, and the map's caption gives the counts. ``properties.group`` (a subject, a vehicle) gives a colour; groups are numbered
in the order they first appear, so the same document always gets the same colours.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

#: Drawing order, bottom to top: outlines and wedges under lines, lines under symbols.
ROLES = ("area", "sector", "route", "cell", "event", "anpr_read")
POINT_ROLES = frozenset({"cell", "event", "anpr_read"})
ROLE_TITLES = {"area": "Areas", "sector": "Cell sectors", "route": "Routes",
               "cell": "Cell masts", "event": "Events", "anpr_read": "ANPR reads"}

_GEOMETRY_OF_ROLE = {
    "cell": ("Point", "MultiPoint"), "event": ("Point", "MultiPoint"),
    "anpr_read": ("Point", "MultiPoint"), "route": ("LineString", "MultiLineString"),
    "sector": ("Polygon", "MultiPolygon"), "area": ("Polygon", "MultiPolygon"),
}

LonLat = tuple[float, float]
MAX_LAT = 85.051129


class InvalidCoordinate(ValueError):
    """A position that is not a ``[lon, lat]`` pair of numbers inside the globe."""


@dataclass(frozen=True)
class Shape:
    """One feature to draw: its role, its parts (a point is one part of one position; a
    line one part per line; a polygon one part per ring), group, label and index in the
    collection (so a reader can find it in the result document)."""

    index: int
    role: str
    parts: tuple[tuple[LonLat, ...], ...]
    group: str | None
    label: str | None


@dataclass(frozen=True)
class FeatureSet:
    shapes: tuple[Shape, ...]
    total: int
    not_drawn: dict[str, int] = field(default_factory=dict)
    groups: tuple[str, ...] = ()

    def positions(self) -> Iterator[LonLat]:
        for shape in self.shapes:
            for part in shape.parts:
                yield from part


def features_of(geojson: Any) -> list[Any]:
    """The features of a FeatureCollection (none for ``null`` or anything else)."""
    if not isinstance(geojson, dict) or geojson.get("type") != "FeatureCollection":
        return []
    features = geojson.get("features")
    return features if isinstance(features, list) else []


def _position(value: Any) -> LonLat:
    try:
        lon, lat = value[0], value[1]
    except (TypeError, IndexError, KeyError):
        raise InvalidCoordinate(str(value)[:40]) from None
    if type(lon) not in (int, float) or type(lat) not in (int, float):  # bool is not
        raise InvalidCoordinate(str(value)[:40])
    lon, lat = float(lon), float(lat)
    if not (-180.0 <= lon <= 180.0 and -MAX_LAT <= lat <= MAX_LAT):
        raise InvalidCoordinate(f"{lon}, {lat}")
    return lon, lat


def _parts(geometry: dict) -> tuple[tuple[LonLat, ...], ...]:
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(coords, list):
        raise InvalidCoordinate("no coordinates")
    if kind == "Point":
        return ((_position(coords),),)
    if kind == "MultiPoint":
        return tuple((_position(p),) for p in coords)
    if kind == "LineString":
        return (tuple(_position(p) for p in coords),)
    if kind in ("MultiLineString", "Polygon"):
        return tuple(tuple(_position(p) for p in line) for line in coords)
    # MultiPolygon: every ring of every polygon (holes are cut by the even-odd rule).
    return tuple(tuple(_position(p) for p in ring) for polygon in coords for ring in polygon)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def read_features(geojson: Any) -> FeatureSet:
    """The drawable shapes of ``geojson`` in document order, and why the others are not."""
    features = features_of(geojson)
    shapes: list[Shape] = []
    not_drawn: dict[str, int] = {}
    groups: dict[str, None] = {}

    def skip(reason: str) -> None:
        not_drawn[reason] = not_drawn.get(reason, 0) + 1

    for index, feature in enumerate(features):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        role = properties.get("role")
        if role not in _GEOMETRY_OF_ROLE:
            skip(f"role “{role}” is not one the map draws")
            continue
        if not isinstance(geometry, dict):
            skip("no geometry")
            continue
        if geometry.get("type") not in _GEOMETRY_OF_ROLE[role]:
            skip(f"a {geometry.get('type')} geometry does not fit the role “{role}”")
            continue
        try:
            parts = tuple(p for p in _parts(geometry) if p)
        except InvalidCoordinate:
            skip("a coordinate is not a longitude/latitude pair a map can show")
            continue
        if not parts:
            skip("empty geometry")
            continue
        group = _text(properties.get("group"))
        if group is not None:
            groups.setdefault(group, None)
        shapes.append(Shape(index=index, role=role, parts=parts, group=group,
                            label=_text(properties.get("label"))))
    return FeatureSet(shapes=tuple(shapes), total=len(features),
                      not_drawn=dict(sorted(not_drawn.items())), groups=tuple(groups))
