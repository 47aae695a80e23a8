"""Maps drawn offline from a result document's GeoJSON: an SVG figure and its caption.

``map_figure`` is pure (GeoJSON and an already fetched background in, SVG text out): the
renderer calls it. Fetching tiles (``fetch_background``) is for the gather step only.
The caption says how the map was made and accounts for every feature: drawn, not drawn
(and why), or left out past a drawing limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linesight_reporting.rendering.maps.features import (
    ROLE_TITLES,
    FeatureSet,
    features_of,
    read_features,
)
from linesight_reporting.rendering.maps.projection import (
    BRITISH_NATIONAL_GRID,
    WEB_MERCATOR,
    Projection,
    choose_projection,
    distance_label,
    fit,
)
from linesight_reporting.rendering.maps.svg import (
    DODGE_MM,
    LABEL_LIMIT,
    LINE_LIMIT,
    POINT_LIMIT,
    POLYGON_LIMIT,
    DrawStats,
    draw_svg,
)
from linesight_reporting.rendering.maps.tiles import (
    MapBackground,
    MapTile,
    TileSource,
    fetch_background,
)

OFFLINE = "Drawn offline from the result document; no map tiles."


@dataclass(frozen=True)
class MapFigure:
    svg: str                   # one <svg> element ("" when no feature can be drawn)
    caption: tuple[str, ...]   # sentences
    projection: Projection | None
    features_total: int
    features_drawn: int
    scale_bar_m: int
    background: MapBackground | None


def has_features(geojson: Any) -> bool:
    return bool(features_of(geojson))


def counted(n: int, noun: str) -> str:
    """``1 place``, ``1,234 places``."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _accounting(features: FeatureSet, stats: DrawStats) -> list[str]:
    out = []
    if features.not_drawn:
        reasons = "; ".join(f"{reason}: {n:,}" for reason, n in features.not_drawn.items())
        out.append(f"Not drawn: {counted(sum(features.not_drawn.values()), 'feature')} "
                   f"({reasons}).")
    if stats.omitted:
        limits = (f"at most {POINT_LIMIT:,} point symbols, {LINE_LIMIT:,} routes and "
                  f"{POLYGON_LIMIT:,} polygons are drawn")
        left = "; ".join(f"{_lower_first(ROLE_TITLES[r])}: {n:,}"
                         for r, n in stats.omitted.items())
        out.append(f"Left out past the drawing limits ({limits}, in document order): "
                   f"{counted(stats.total_omitted, 'feature')} ({left}); the result document "
                   "holds them all.")
    merged = [f"{stats.drawn[r]:,} {_lower_first(ROLE_TITLES[r])} at "
              f"{counted(stats.places[r], 'place')}" for r in stats.places
              if stats.drawn.get(r, 0) > stats.places[r]]
    if merged:
        out.append("Points of one colour at the same place are drawn once: "
                   + "; ".join(merged) + ".")
    if stats.shared_places:
        shared = "; ".join(f"{_lower_first(ROLE_TITLES[r])} at {counted(n, 'place')}"
                           for r, n in stats.shared_places.items())
        out.append("Points of different colours at one place are drawn side by side, "
                   f"{DODGE_MM:g} mm around it ({shared}).")
    for role in stats.unlabelled:
        out.append(f"{ROLE_TITLES[role]} are not labelled (more than {LABEL_LIMIT}).")
    return out


def _background_sentence(background: MapBackground | None) -> str:
    if background is None:
        return OFFLINE
    if background.failure is not None:
        return (f"Drawn offline from the result document, without the configured map tiles "
                f"({background.url_template}): {background.failure}.")
    credit = f" ({background.attribution})" if background.attribution else ""
    return (f"Background: {len(background.tiles)} map tiles at zoom {background.zoom} from "
            f"{background.url_template}{credit}, fetched when the report was gathered; "
            "their URLs and SHA-256 are listed below. The features are drawn from the "
            "result document.")


def map_figure(geojson: Any, background: MapBackground | None = None, *,
               id_prefix: str = "map") -> MapFigure | None:
    """The map of ``geojson``, or None when it has no features at all."""
    if not has_features(geojson):
        return None
    features = read_features(geojson)
    if not features.shapes:
        none = f"No map: none of the result's {counted(features.total, 'feature')} can be drawn."
        return MapFigure(svg="", caption=(none, *_accounting(features, DrawStats())),
                         projection=None, features_total=features.total, features_drawn=0,
                         scale_bar_m=0, background=background)
    tiles = background is not None and bool(background.tiles)
    projection = choose_projection(features.positions(), tiles=tiles)
    frame = fit(projection.forward(list(features.positions())))
    svg, stats = draw_svg(features, projection, frame, background if tiles else None,
                          id_prefix=id_prefix)
    caption = [
        (f"{stats.total_drawn:,} of {features.total:,} features drawn on the "
        f"{projection.method}; the arrow points to {projection.north}."),
        *_accounting(features, stats),
        (f"Scale bar {distance_label(stats.scale_bar_m)}, measured on the ground at the "
        "centre of the map."),
        _background_sentence(background),
    ]
    return MapFigure(svg=svg, caption=tuple(caption), projection=projection,
                     features_total=features.total, features_drawn=stats.total_drawn,
                     scale_bar_m=stats.scale_bar_m, background=background)


__all__ = [
    "BRITISH_NATIONAL_GRID",
    "OFFLINE",
    "WEB_MERCATOR",
    "MapBackground",
    "MapFigure",
    "MapTile",
    "TileSource",
    "fetch_background",
    "has_features",
    "map_figure",
]
