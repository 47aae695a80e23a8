"""Drawing a map as SVG text: pure string building, the same bytes for the same input.

Units are page millimetres (the SVG's view box), written with two decimals. What is
drawn, bottom to top:

* an optional tile background (images embedded as ``data:`` URIs, clipped to the frame);
* ``area`` polygons as dashed outlines, ``sector`` polygons with a translucent fill;
* ``route`` lines, with arrowheads pointing the way the route runs every
  ``ARROW_SPACING_MM`` along it (at most ``ARROWS_PER_LINE`` on one line);
* ``cell`` masts as open triangles, ``event`` points as dots, ``anpr_read`` points as
  squares;
* a scale bar, a north arrow, and the legend beside the frame.

Colours come from ``properties.group`` (a fixed palette, in the order groups first
appear; groups past the palette share one grey, and the legend says how many do).

Limits, each counted for the caption, never silent:

* Points of the same role and colour at the same place (to 0.01 mm) are drawn once (many
  events at one mast); the legend gives how many points are at how many places. Points
  of different colours at one place (two phones on one mast) are drawn side by side on a
  ``DODGE_MM`` circle around it, so none hides another.
* At most ``POINT_LIMIT`` point symbols, ``LINE_LIMIT`` lines and ``POLYGON_LIMIT``
  polygons are drawn, in document order; features past a limit are counted as omitted.
* Line and polygon vertices closer than ``THIN_MM`` on the page to the last one drawn
  are skipped (the line looks the same; no feature is dropped).
* Labels are written for areas and for cell masts when there are at most
  ``LABEL_LIMIT`` of them.
"""

from __future__ import annotations

import base64
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from linesight_reporting.rendering.maps.features import (
    POINT_ROLES,
    ROLE_TITLES,
    ROLES,
    FeatureSet,
    Shape,
)
from linesight_reporting.rendering.maps.projection import (
    Frame,
    Projection,
    distance_label,
    ground_mm_per_m,
    scale_bar_m,
)
from linesight_reporting.rendering.maps.tiles import MapBackground, tile_bounds

#: Colour-blind-safe first (Okabe–Ito), then further distinct hues.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B",
           "#6A3D9A", "#A6761D", "#E7298A")
OTHER_GROUPS = "#9E9E9E"
ROLE_COLOURS = {"area": "#222222", "sector": "#4A6A8A", "route": "#333333",
                "cell": "#222222", "event": "#333333", "anpr_read": "#333333"}

POINT_LIMIT = 5_000
LINE_LIMIT = 1_000
POLYGON_LIMIT = 2_000
LABEL_LIMIT = 40
DODGE_MM = 1.0
THIN_MM = 0.1
ARROW_MIN_MM = 2.0
ARROW_SPACING_MM = 20.0
ARROWS_PER_LINE = 200
LEGEND_WIDTH_MM = 56.0
GAP_MM = 4.0
FONT = "DejaVu Sans"

Page = tuple[float, float]


def num(value: float) -> str:
    """Two decimals, never ``-0.00``."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def _points(part: Sequence[Page]) -> str:
    return " ".join(f"{num(x)},{num(y)}" for x, y in part)


def thinned(part: Sequence[Page], closed: bool = False) -> list[Page]:
    """``part`` without vertices closer than ``THIN_MM`` to the last kept one (the last
    vertex of a line is always kept)."""
    if not part:
        return []
    kept = [part[0]]
    for x, y in part[1:-1]:
        if math.hypot(x - kept[-1][0], y - kept[-1][1]) >= THIN_MM:
            kept.append((x, y))
    if len(part) > 1 and (not closed or part[-1] != part[0]):
        kept.append(part[-1])
    return kept


@dataclass
class DrawStats:
    """What was drawn, per role, for the legend and the caption."""

    features: dict[str, int] = field(default_factory=dict)   # features of the role
    drawn: dict[str, int] = field(default_factory=dict)      # features shown
    places: dict[str, int] = field(default_factory=dict)     # distinct point symbols
    omitted: dict[str, int] = field(default_factory=dict)    # past a limit
    shared_places: dict[str, int] = field(default_factory=dict)  # places of several colours
    unlabelled: list[str] = field(default_factory=list)      # roles whose labels are off
    scale_bar_m: int = 0

    def add(self, counter: dict[str, int], role: str, n: int = 1) -> None:
        counter[role] = counter.get(role, 0) + n

    @property
    def total_drawn(self) -> int:
        return sum(self.drawn.values())

    @property
    def total_omitted(self) -> int:
        return sum(self.omitted.values())


class _Colours:
    def __init__(self, groups: Sequence[str]) -> None:
        self.index = {g: i for i, g in enumerate(groups)}

    def of(self, shape: Shape) -> str:
        if shape.group is None:
            return ROLE_COLOURS[shape.role]
        i = self.index[shape.group]
        return PALETTE[i] if i < len(PALETTE) else OTHER_GROUPS


# -- symbols ---------------------------------------------------------------------------

def dodge(k: int, n: int) -> Page:
    """Where the ``k``-th of ``n`` colours at one place is drawn: on a ``DODGE_MM`` circle
    around it, the first at the top, clockwise (no offset when the place has one colour)."""
    if n == 1:
        return 0.0, 0.0
    angle = -math.pi / 2 + 2 * math.pi * k / n
    return DODGE_MM * math.cos(angle), DODGE_MM * math.sin(angle)


def _symbol(role: str, x: float, y: float, colour: str) -> str:
    if role == "cell":
        return (f'<polygon points="{num(x)},{num(y - 1.3)} {num(x - 1.15)},{num(y + 0.7)} '
                f'{num(x + 1.15)},{num(y + 0.7)}" fill="#FFFFFF" stroke="{colour}" '
                f'stroke-width="0.30"/>')
    if role == "anpr_read":
        return (f'<rect x="{num(x - 0.8)}" y="{num(y - 0.8)}" width="1.60" height="1.60" '
                f'fill="{colour}" stroke="#000000" stroke-width="0.12"/>')
    return (f'<circle cx="{num(x)}" cy="{num(y)}" r="0.75" fill="{colour}" '
            f'stroke="#FFFFFF" stroke-width="0.15"/>')


def _arrowheads(part: Sequence[Page], colour: str) -> list[str]:
    """Arrowheads along a line, pointing the way it runs: every ``ARROW_SPACING_MM`` of
    its length, the first half a spacing (or half the line, if shorter) from its start;
    at most ``ARROWS_PER_LINE``; none on a line shorter than ``ARROW_MIN_MM``."""
    segments = [(x1, y1, x2, y2, math.hypot(x2 - x1, y2 - y1))
                for (x1, y1), (x2, y2) in itertools.pairwise(part)]
    total = sum(s[4] for s in segments)
    if total < ARROW_MIN_MM:
        return []
    out: list[str] = []
    next_at, travelled = min(ARROW_SPACING_MM, total) / 2, 0.0
    for x1, y1, x2, y2, length in segments:
        if length == 0:
            continue
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        while next_at <= travelled + length and len(out) < ARROWS_PER_LINE:
            mx, my = x1 + ux * (next_at - travelled), y1 + uy * (next_at - travelled)
            tip = (mx + ux * 1.0, my + uy * 1.0)
            left = (mx - ux * 1.0 - uy * 0.75, my - uy * 1.0 + ux * 0.75)
            right = (mx - ux * 1.0 + uy * 0.75, my - uy * 1.0 - ux * 0.75)
            out.append(f'<polygon points="{_points([tip, left, right])}" fill="{colour}"/>')
            next_at += ARROW_SPACING_MM
        travelled += length
    return out


def _text(x: float, y: float, text: str, size: float, *, anchor: str = "start",
          weight: str = "normal", colour: str = "#111111") -> str:
    return (f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" '
            f'font-weight="{weight}" text-anchor="{anchor}" fill="{colour}">'
            f'{escape(text)}</text>')


# -- layers ----------------------------------------------------------------------------

class _Layers:
    """Builds each role's layer, keeping the counts."""

    def __init__(self, features: FeatureSet, page_parts: dict[int, list[list[Page]]],
                 colours: _Colours, stats: DrawStats) -> None:
        self.features, self.page_parts = features, page_parts
        self.colours, self.stats = colours, stats
        self.points_drawn = 0

    def points(self, role: str, shapes: Sequence[Shape]) -> list[str]:
        colours_at: dict[tuple[str, str], list[str]] = {}   # place → its colours, in order
        for shape in shapes:
            colour = self.colours.of(shape)
            for part in self.page_parts[shape.index]:
                here = colours_at.setdefault((num(part[0][0]), num(part[0][1])), [])
                if colour not in here:
                    here.append(colour)
        out: list[str] = []
        labels: dict[tuple[str, str], list[str]] = {}
        seen: dict[tuple[str, tuple[str, str]], None] = {}
        for shape in shapes:
            colour, shown = self.colours.of(shape), False
            for part in self.page_parts[shape.index]:
                x, y = part[0]
                place = (num(x), num(y))
                key = (colour, place)
                if key not in seen and self.points_drawn < POINT_LIMIT:
                    seen[key] = None
                    self.points_drawn += 1
                    dx, dy = dodge(colours_at[place].index(colour), len(colours_at[place]))
                    out.append(_symbol(role, x + dx, y + dy, colour))
                if key in seen:
                    shown = True
                    if role == "cell" and shape.label:
                        labels.setdefault(place, []).append(shape.label)
            self.stats.add(self.stats.drawn if shown else self.stats.omitted, role)
        self.stats.places[role] = len(seen)
        shared = sum(1 for colours in colours_at.values() if len(colours) > 1)
        if shared:
            self.stats.shared_places[role] = shared
        if role == "cell":
            out.extend(self._cell_labels(labels))
        return out

    def _cell_labels(self, labels: dict[tuple[str, str], list[str]]) -> list[str]:
        if len(labels) > LABEL_LIMIT:
            self.stats.unlabelled.append("cell")
            return []
        out = []
        for (x, y), names in labels.items():
            distinct = list(dict.fromkeys(names))
            text = distinct[0] + (f" (+{len(distinct) - 1})" if len(distinct) > 1 else "")
            out.append(_text(float(x) + 1.5, float(y) + 0.7, text, 1.9, colour="#222222"))
        return out

    def lines(self, role: str, shapes: Sequence[Shape]) -> list[str]:
        out: list[str] = []
        for n, shape in enumerate(shapes):
            if n >= LINE_LIMIT:
                self.stats.add(self.stats.omitted, role)
                continue
            colour = self.colours.of(shape)
            for part in self.page_parts[shape.index]:
                kept = thinned(part)
                out.append(f'<polyline points="{_points(kept)}" fill="none" '
                           f'stroke="{colour}" stroke-width="0.45" stroke-opacity="0.85" '
                           f'stroke-linejoin="round" stroke-linecap="round"/>')
                out.extend(_arrowheads(kept, colour))
            self.stats.add(self.stats.drawn, role)
        return out

    def polygons(self, role: str, shapes: Sequence[Shape]) -> list[str]:
        out: list[str] = []
        labelled = role == "area" and len(shapes) <= LABEL_LIMIT
        if role == "area" and not labelled:
            self.stats.unlabelled.append("area")
        for n, shape in enumerate(shapes):
            if n >= POLYGON_LIMIT:
                self.stats.add(self.stats.omitted, role)
                continue
            colour = self.colours.of(shape)
            rings = " ".join(f"M {_points(thinned(part, closed=True))} Z"
                             for part in self.page_parts[shape.index])
            if role == "sector":
                style = (f'fill="{colour}" fill-opacity="0.12" fill-rule="evenodd" '
                         f'stroke="{colour}" stroke-opacity="0.6" stroke-width="0.20"')
            else:
                style = (f'fill="none" stroke="{colour}" stroke-width="0.35" '
                         f'stroke-dasharray="1.60 0.80"')
            out.append(f'<path d="{rings}" {style}/>')
            if labelled and shape.label:
                ring = self.page_parts[shape.index][0]
                xs, ys = [p[0] for p in ring], [p[1] for p in ring]
                out.append(_text((min(xs) + max(xs)) / 2, min(ys) - 1.0, shape.label, 2.2,
                                 anchor="middle", colour=colour))
            self.stats.add(self.stats.drawn, role)
        return out


# -- furniture -------------------------------------------------------------------------

def _scale_bar(frame: Frame, metres: int, mm_per_ground_m: float) -> str:
    bar = metres * mm_per_ground_m
    label = distance_label(metres)
    x, y = 5.0, frame.height_mm - 7.0
    width = bar + 6.0 + 1.5 * len(label) + 2.0
    half = bar / 2
    return "".join([
        (f'<rect x="{num(x - 2)}" y="{num(y - 3.2)}" width="{num(width)}" height="7.40" '
        'fill="#FFFFFF" fill-opacity="0.85"/>'),
        (f'<rect x="{num(x)}" y="{num(y)}" width="{num(half)}" height="1.20" fill="#000000" '
        'stroke="#000000" stroke-width="0.15"/>'),
        (f'<rect x="{num(x + half)}" y="{num(y)}" width="{num(half)}" height="1.20" '
        'fill="#FFFFFF" stroke="#000000" stroke-width="0.15"/>'),
        _text(x, y - 0.8, "0", 2.2),
        _text(x + bar + 1.5, y + 1.2, label, 2.4, weight="bold"),
    ])


def _north_arrow(frame: Frame, north: str) -> str:
    cx, top = frame.width_mm - 9.0, 4.0
    arrow = [(cx, top + 1.0), (cx - 2.2, top + 9.0), (cx, top + 7.0), (cx + 2.2, top + 9.0)]
    return "".join([
        (f'<rect x="{num(cx - 7.5)}" y="{num(top - 1.5)}" width="15.00" height="19.00" '
        'fill="#FFFFFF" fill-opacity="0.85"/>'),
        f'<polygon points="{_points(arrow)}" fill="#000000"/>',
        _text(cx, top + 13.0, "N", 3.4, anchor="middle", weight="bold"),
        _text(cx, top + 16.2, north, 1.9, anchor="middle"),
    ])


def _tiles(background: MapBackground | None, frame: Frame) -> list[str]:
    if background is None or not background.tiles:
        return []
    out = []
    for tile in background.tiles:
        west, south, east, north = tile_bounds(tile.z, tile.x, tile.y)
        x0, y0 = frame.to_page(west, north)
        x1, y1 = frame.to_page(east, south)
        data = base64.b64encode(tile.content).decode("ascii")
        out.append(f'<image x="{num(x0)}" y="{num(y0)}" width="{num(x1 - x0)}" '
                   f'height="{num(y1 - y0)}" preserveAspectRatio="none" '
                   f'href="data:{tile.media_type};base64,{data}"/>')
    return out


def _attribution(background: MapBackground | None, frame: Frame) -> str:
    if background is None or not background.tiles:
        return ""
    text = f"Background: {background.attribution or background.url_template}"
    width = 0.95 * len(text) + 2.0
    x, y = frame.width_mm - 1.0, frame.height_mm - 1.2
    return (f'<rect x="{num(x - width)}" y="{num(y - 2.3)}" width="{num(width + 1.0)}" '
            'height="3.50" fill="#FFFFFF" fill-opacity="0.85"/>'
            + _text(x - 0.5, y, text, 1.8, anchor="end"))


def _legend_symbol(role: str, x: float, y: float) -> str:
    colour = ROLE_COLOURS[role]
    if role in POINT_ROLES:
        return _symbol(role, x, y, colour)
    if role == "route":
        return (f'<polyline points="{num(x - 2.5)},{num(y)} {num(x + 2.5)},{num(y)}" '
                f'stroke="{colour}" stroke-width="0.45" fill="none"/>'
                f'<polygon points="{_points([(x + 1.4, y), (x - 0.4, y - 0.8), (x - 0.4, y + 0.8)])}" '
                f'fill="{colour}"/>')
    box = f'x="{num(x - 2.5)}" y="{num(y - 1.6)}" width="5.00" height="3.20"'
    if role == "sector":
        return (f'<rect {box} fill="{colour}" fill-opacity="0.12" stroke="{colour}" '
                'stroke-opacity="0.6" stroke-width="0.20"/>')
    return f'<rect {box} fill="none" stroke="{colour}" stroke-width="0.35" stroke-dasharray="1.60 0.80"/>'


def _legend(features: FeatureSet, stats: DrawStats, left: float, height: float,
            id_prefix: str) -> str:
    out = [_text(left, 4.0, "Legend", 3.0, weight="bold")]
    y = 10.0
    for role in ("cell", "sector", "event", "route", "anpr_read", "area"):
        count = stats.features.get(role, 0)
        if not count:
            continue
        out.append(_legend_symbol(role, left + 3.0, y - 0.8))
        title = "Events (at the serving mast)" if role == "event" else ROLE_TITLES[role]
        out.append(_text(left + 7.0, y, title, 2.3))
        detail = f"{count:,}"
        if role in POINT_ROLES:
            places = stats.places.get(role, 0)
            detail += f" at {places:,} place{'' if places == 1 else 's'}"
        if stats.omitted.get(role):
            detail += f"; {stats.omitted[role]:,} not drawn"
        out.append(_text(left + 7.0, y + 2.9, detail, 1.9, colour="#555555"))
        y += 7.0
    if features.groups:
        y += 1.0
        out.append(_text(left, y, "Colour: group", 2.5, weight="bold"))
        y += 4.5
        for i, group in enumerate(features.groups[:len(PALETTE)]):
            if y > height - 4.0:
                break
            shown = group if len(group) <= 34 else group[:33] + "…"
            out.append(f'<rect x="{num(left + 1.0)}" y="{num(y - 2.2)}" width="4.00" '
                       f'height="2.60" fill="{PALETTE[i]}"/>')
            out.append(_text(left + 7.0, y, shown, 2.2))
            y += 4.0
        others = len(features.groups) - len(PALETTE)
        if others > 0:
            out.append(f'<rect x="{num(left + 1.0)}" y="{num(y - 2.2)}" width="4.00" '
                       f'height="2.60" fill="{OTHER_GROUPS}"/>')
            out.append(_text(left + 7.0, y, f"{others:,} further groups", 2.2))
    return f'<g id="{id_prefix}-legend">{"".join(out)}</g>'


# -- the map ---------------------------------------------------------------------------

def draw_svg(features: FeatureSet, projection: Projection, frame: Frame,
             background: MapBackground | None, *, id_prefix: str) -> tuple[str, DrawStats]:
    """The map as one ``<svg>`` element, and what it drew."""
    positions = [p for s in features.shapes for part in s.parts for p in part]
    projected = iter(projection.forward(positions))
    page_parts = {s.index: [[frame.to_page(*next(projected)) for _ in part]
                            for part in s.parts] for s in features.shapes}
    stats = DrawStats()
    for shape in features.shapes:
        stats.add(stats.features, shape.role)
    layers = _Layers(features, page_parts, _Colours(features.groups), stats)
    body: list[str] = [f'<g id="{id_prefix}-tiles">', *_tiles(background, frame), "</g>"]
    for role in ROLES:
        shapes = [s for s in features.shapes if s.role == role]
        if not shapes:
            continue
        if role in POINT_ROLES:
            drawn = layers.points(role, shapes)
        elif role == "route":
            drawn = layers.lines(role, shapes)
        else:
            drawn = layers.polygons(role, shapes)
        body += [f'<g id="{id_prefix}-layer-{role}" class="layer-{role}">', *drawn, "</g>"]
    mm_per_ground_m = ground_mm_per_m(projection, frame)
    stats.scale_bar_m = scale_bar_m(mm_per_ground_m, frame.width_mm / 4)
    width = frame.width_mm + GAP_MM + LEGEND_WIDTH_MM
    w, h = num(frame.width_mm), num(frame.height_mm)
    svg = "".join([
        (f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}mm" '
        f'height="{h}mm" viewBox="0 0 {num(width)} {h}" font-family="{FONT}">'),
        (f'<defs><clipPath id="{id_prefix}-clip"><rect x="0.00" y="0.00" width="{w}" height="{h}"/>'
        '</clipPath></defs>'),
        f'<rect x="0.00" y="0.00" width="{w}" height="{h}" fill="#FFFFFF"/>',
        f'<g clip-path="url(#{id_prefix}-clip)">', *body, "</g>",
        (f'<rect x="0.00" y="0.00" width="{w}" height="{h}" fill="none" stroke="#000000" '
        'stroke-width="0.30"/>'),
        f'<g id="{id_prefix}-scale-bar">',
        _scale_bar(frame, stats.scale_bar_m, mm_per_ground_m), "</g>",
        f'<g id="{id_prefix}-north-arrow">', _north_arrow(frame, projection.north), "</g>",
        _attribution(background, frame),
        _legend(features, stats, frame.width_mm + GAP_MM, frame.height_mm, id_prefix),
        "</svg>",
    ])
    return svg, stats
