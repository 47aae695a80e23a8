"""A result's GeoJSON as KML 2.2, the map format Google Earth opens.

* One ``Folder`` per feature role (areas, sectors, routes, cells, events, ANPR reads, in
  the drawing order of ``geo.geojson.ROLE_ORDER``), each ``Placemark`` in the order of
  the FeatureCollection. A Placemark's ``name`` is the feature's ``label``; every other
  property is in its ``ExtendedData`` (sorted by name; values spelled as in the JSON
  result, ``exports.text``), so the exhibit and source line of each
  point travel with it.
* One shared ``Style`` per role (``#role-event`` ...), referenced by each Placemark.
* Events and ANPR reads carry a ``TimeStamp`` (their ``time_utc``) and routes a
  ``TimeSpan`` (``from_utc`` to ``to_utc``), so Google Earth's time slider plays the
  timeline; cells, sectors and areas have no time and are always shown.
* Geometry: Point, LineString, Polygon (outer ring, then inner rings) and their Multi*
  forms (as a ``MultiGeometry``); coordinates are written ``lon,lat`` as KML requires,
  with the figures of the GeoJSON (already rounded to 6 decimal places).
* Deterministic: no time of generation, no random ids; the same FeatureCollection gives
  the same bytes. Text is XML-escaped, and the characters XML 1.0 cannot carry (control
  characters other than tab, LF and CR) are replaced by U+FFFD.
"""

from __future__ import annotations

from typing import Any

from linesight_analytics.exports.text import value_text
from linesight_analytics.geo.geojson import ROLE_ORDER

KML_NS = "http://www.opengis.net/kml/2.2"

#: Folder titles per role.
FOLDER_NAMES = {"area": "Areas", "sector": "Sectors", "route": "Routes", "cell": "Cells",
                "event": "Events", "anpr_read": "ANPR reads"}
#: Style per role: KML colours are aabbggrr.
_STYLES = {
    "area": "<LineStyle><color>ff0080ff</color><width>2</width></LineStyle>"
            "<PolyStyle><color>330080ff</color></PolyStyle>",
    "sector": "<LineStyle><color>ffb48246</color><width>1</width></LineStyle>"
              "<PolyStyle><color>40b48246</color></PolyStyle>",
    "route": "<LineStyle><color>ff2020d0</color><width>3</width></LineStyle>",
    "cell": "<IconStyle><color>ff404040</color><scale>0.8</scale><Icon><href>"
            "http://maps.google.com/mapfiles/kml/shapes/placemark_square.png</href></Icon>"
            "</IconStyle><LabelStyle><scale>0.7</scale></LabelStyle>",
    "event": "<IconStyle><color>ff2020d0</color><scale>0.7</scale><Icon><href>"
             "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png</href></Icon>"
             "</IconStyle><LabelStyle><scale>0</scale></LabelStyle>",
    "anpr_read": "<IconStyle><color>ff00a000</color><scale>0.8</scale><Icon><href>"
                 "http://maps.google.com/mapfiles/kml/shapes/triangle.png</href></Icon>"
                 "</IconStyle><LabelStyle><scale>0</scale></LabelStyle>",
}
_TIMESTAMPED = ("event", "anpr_read")
#: One pass per value: escape &, < and >; replace what XML 1.0 cannot carry by U+FFFD.
_XML_TEXT = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;",
    **{c: "\ufffd" for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                              0xFFFE, 0xFFFF)}})


def _x(value: Any) -> str:
    return value_text(value).translate(_XML_TEXT)


def _attr(value: Any) -> str:
    return _x(value).replace('"', "&quot;")


def _coordinates(positions: list[list[float]]) -> str:
    return " ".join(",".join(value_text(c) for c in p[:2]) for p in positions)


def _geometry(g: dict[str, Any]) -> str:
    kind, c = g["type"], g.get("coordinates")
    if kind == "Point":
        return f"<Point><coordinates>{_coordinates([c])}</coordinates></Point>"
    if kind == "LineString":
        return (f"<LineString><tessellate>1</tessellate><coordinates>{_coordinates(c)}"
                "</coordinates></LineString>")
    if kind == "Polygon":
        outer, *inner = c
        ring = "<LinearRing><coordinates>{}</coordinates></LinearRing>"
        return ("<Polygon><tessellate>1</tessellate><outerBoundaryIs>"
                + ring.format(_coordinates(outer)) + "</outerBoundaryIs>"
                + "".join("<innerBoundaryIs>" + ring.format(_coordinates(r))
                          + "</innerBoundaryIs>" for r in inner) + "</Polygon>")
    single = {"MultiPoint": "Point", "MultiLineString": "LineString", "MultiPolygon": "Polygon"}
    if kind in single:
        parts = [{"type": single[kind], "coordinates": part} for part in c]
    elif kind == "GeometryCollection":
        parts = g["geometries"]
    else:
        raise ValueError(f"cannot write a {kind!r} geometry as KML")
    return "<MultiGeometry>" + "".join(_geometry(p) for p in parts) + "</MultiGeometry>"


def _when(props: dict[str, Any], role: str) -> str:
    if role in _TIMESTAMPED and props.get("time_utc"):
        return f"<TimeStamp><when>{_x(props['time_utc'])}</when></TimeStamp>"
    if role == "route" and props.get("from_utc") and props.get("to_utc"):
        return (f"<TimeSpan><begin>{_x(props['from_utc'])}</begin>"
                f"<end>{_x(props['to_utc'])}</end></TimeSpan>")
    return ""


def _placemark(f: dict[str, Any], role: str) -> str:
    props = f.get("properties") or {}
    data = "".join(
        f'<Data name="{_attr(k)}"><value>{_x(props[k])}</value></Data>'
        for k in sorted(props) if k != "label")
    return (f"<Placemark><name>{_x(props.get('label'))}</name>"
            f"<styleUrl>#role-{role}</styleUrl>{_when(props, role)}"
            f"<ExtendedData>{data}</ExtendedData>{_geometry(f['geometry'])}</Placemark>")


def geojson_kml(collection: dict[str, Any], *, name: str,
                description: str | None = None) -> bytes:
    """The FeatureCollection as KML 2.2 bytes (UTF-8), in a Document called ``name``."""
    if collection.get("type") != "FeatureCollection":
        raise ValueError("expected a GeoJSON FeatureCollection")
    by_role: dict[str, list[str]] = {role: [] for role in ROLE_ORDER}
    for f in collection.get("features", []):
        role = (f.get("properties") or {}).get("role")
        if role not in by_role:
            raise ValueError(f"feature role {role!r} is not one of {', '.join(ROLE_ORDER)}")
        by_role[role].append(_placemark(f, role))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<kml xmlns="{KML_NS}">',
             "<Document>", f"<name>{_x(name)}</name>"]
    if description:
        lines.append(f"<description>{_x(description)}</description>")
    lines += [f'<Style id="role-{role}">{style}</Style>' for role, style in _STYLES.items()]
    for role in ROLE_ORDER:
        if by_role[role]:
            lines.append(f"<Folder><name>{FOLDER_NAMES[role]}</name>")
            lines += by_role[role]
            lines.append("</Folder>")
    lines += ["</Document>", "</kml>", ""]
    return "\n".join(lines).encode("utf-8")
