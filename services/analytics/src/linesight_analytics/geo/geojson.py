"""GeoJSON features of the location analyses: builders, rounding and a fixed order.

Every location analysis draws with the same few roles, so a map renderer or the KML
export treats them alike:

``cell``      Point at the mast                       props: cgi, site_name, label
``sector``    Polygon: the cell's wedge or circle     props: cgi, azimuth, beamwidth,
                                                      radius_m, label
``event``     Point at the mast of the event's cell   props: subject, time_utc, kind,
                                                      direction, cgi, cell_role, time_basis,
                                                      uncertainty, exhibit_id, source_row,
                                                      label
``route``     LineString                              props: subject, label, from_utc, to_utc
``anpr_read`` Point at the camera                     props: vrm, camera_id, time_utc, label
``area``      Polygon                                 props: name, label

A builder may add properties (traceability such as ``cell_exhibit_id``, or ``group``,
the subject or vehicle a renderer colours by). Coordinates are ``[lon, lat]`` rounded
to 6 decimal places (about 0.1 m); metres are whole numbers; angles keep 2 decimal
places. :func:`feature_collection` orders features by role (areas and sectors first,
so points are drawn on top), keeping the order the analysis gave within a role; each
analysis builds its features from rows it has already sorted with a total order.
"""

from __future__ import annotations

from typing import Any

from linesight_analytics.geo.sectors import COORDINATE_DP, circle_ring, sector_ring

#: Drawing order of the roles: the first is drawn at the bottom.
ROLE_ORDER = ("area", "sector", "route", "cell", "event", "anpr_read")
#: Decimal places kept for azimuths and beamwidths.
ANGLE_DP = 2


def coordinate(value: float) -> float:
    """A latitude or longitude rounded to 6 decimal places."""
    return round(float(value), COORDINATE_DP)


def position(lat: float, lon: float) -> list[float]:
    """A GeoJSON position: ``[lon, lat]``, each rounded to 6 decimal places."""
    return [coordinate(lon), coordinate(lat)]


def metres(value: float | None) -> int | None:
    """A distance in whole metres (``None`` stays ``None``)."""
    return None if value is None else round(float(value))


def angle(value: float | None) -> float | None:
    """An azimuth or beamwidth rounded to 2 decimal places (``None`` stays ``None``)."""
    return None if value is None else round(float(value), ANGLE_DP)


def feature(geometry: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON Feature (``properties`` must hold ``role`` and ``label``)."""
    if properties.get("role") not in ROLE_ORDER:
        raise ValueError(f"unknown feature role {properties.get('role')!r}")
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def point(lat: float, lon: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": position(lat, lon)}


def polygon(ring: list[list[float]]) -> dict[str, Any]:
    """A Polygon of one closed, anticlockwise exterior ring."""
    return {"type": "Polygon", "coordinates": [ring]}


def line_string(positions: list[list[float]]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": positions}


def cell_feature(*, cgi: str, lat: float, lon: float, site_name: str | None, label: str,
                 **extra: Any) -> dict[str, Any]:
    """The mast of a cell."""
    return feature(point(lat, lon), {"role": "cell", "cgi": cgi, "site_name": site_name,
                                     "label": label, **extra})


def sector_feature(*, cgi: str, lat: float, lon: float, azimuth: float | None,
                   beamwidth: float | None, radius_m: float, label: str,
                   **extra: Any) -> dict[str, Any]:
    """A cell's wedge (or circle when its facing is unknown: see ``geo.sectors``)."""
    ring = sector_ring(lat, lon, azimuth, beamwidth, radius_m)
    return feature(polygon(ring), {
        "role": "sector", "cgi": cgi, "azimuth": angle(azimuth),
        "beamwidth": angle(beamwidth), "radius_m": metres(radius_m), "label": label,
        **extra})


def event_feature(*, lat: float, lon: float, subject: str | None, time_utc: str, kind: str,
                  direction: str, cgi: str, cell_role: str, time_basis: str,
                  uncertainty: str, exhibit_id: str, source_row: int, label: str,
                  **extra: Any) -> dict[str, Any]:
    """One located point of an event, drawn at its cell's mast."""
    return feature(point(lat, lon), {
        "role": "event", "subject": subject, "time_utc": time_utc, "kind": kind,
        "direction": direction, "cgi": cgi, "cell_role": cell_role,
        "time_basis": time_basis, "uncertainty": uncertainty, "exhibit_id": exhibit_id,
        "source_row": source_row, "label": label, **extra})


def route_feature(*, positions: list[list[float]], subject: str | None, label: str,
                  from_utc: str, to_utc: str, **extra: Any) -> dict[str, Any]:
    """A LineString through ``positions`` (already ``[lon, lat]``, at least two)."""
    if len(positions) < 2:
        raise ValueError("a route needs at least two positions")
    return feature(line_string(positions), {
        "role": "route", "subject": subject, "label": label, "from_utc": from_utc,
        "to_utc": to_utc, **extra})


def anpr_read_feature(*, lat: float, lon: float, vrm: str, camera_id: str, time_utc: str,
                      label: str, **extra: Any) -> dict[str, Any]:
    """One ANPR read at its camera."""
    return feature(point(lat, lon), {"role": "anpr_read", "vrm": vrm, "camera_id": camera_id,
                                     "time_utc": time_utc, "label": label, **extra})


def area_feature(*, name: str, lat: float, lon: float, radius_m: float, label: str,
                 **extra: Any) -> dict[str, Any]:
    """A circular area (64 points) around a centre."""
    return feature(polygon(circle_ring(lat, lon, radius_m)), {
        "role": "area", "name": name, "label": label, "radius_m": metres(radius_m),
        **extra})


def feature_collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    """A FeatureCollection, features ordered by role (:data:`ROLE_ORDER`), keeping the
    given order within a role."""
    rank = {role: i for i, role in enumerate(ROLE_ORDER)}
    ordered = sorted(features, key=lambda f: rank[f["properties"]["role"]])
    return {"type": "FeatureCollection", "features": ordered}
