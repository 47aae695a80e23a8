"""An optional map background: Web Mercator tiles from a configured tile server.

Off by default: maps are drawn offline from the result document alone. When
``LINESIGHT_REPORTING_MAP_TILE_URL`` is set (a template such as
``http://tiles.example/{z}/{x}/{y}.png``), the render job fetches the tiles covering the
map *when it gathers the report* (never while drawing: the renderer reads no network),
and the section keeps each tile's bytes, URL and SHA-256, so the PDF says exactly which
background was shown and a court can check it.

The method:

* The map frame is fitted to the features in Web Mercator exactly as the renderer will
  fit it (``projection.fit``), so the tiles cover what is drawn.
* The zoom level is the highest whose tiles are at least ``TILE_MM`` wide on paper
  (256 pixels in 50 mm: about 130 pixels per inch), lowered until at most ``MAX_TILES``
  tiles cover the frame, and never above ``MAX_ZOOM``.
* Tiles are fetched one by one in row order (north to south, west to east). A tile that
  does not arrive (a network error, an answer other than 200, more than
  ``MAX_TILE_BYTES``, bytes that are not a PNG or JPEG image) stops the fetch and the map is drawn with no background at all (a partial
  background would mislead); the reason is kept and printed under the map. A failed
  fetch never fails the report.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

import httpx
import structlog

from linesight_reporting.rendering.maps.features import read_features
from linesight_reporting.rendering.maps.projection import WEB_MERCATOR, Frame, fit

log = structlog.get_logger("linesight.reporting.maps")

WORLD_M = 20037508.342789244   # half the side of the Web Mercator square world, metres
TILE_MM = 50.0
MAX_TILES = 30
MAX_ZOOM = 19
MAX_TILE_BYTES = 2_000_000


@dataclass(frozen=True)
class MapTile:
    z: int
    x: int
    y: int
    url: str
    sha256: str
    media_type: str
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class MapBackground:
    """The tiles under a map, or why there are none (``failure``)."""

    url_template: str
    attribution: str | None
    zoom: int | None
    tiles: tuple[MapTile, ...] = ()
    failure: str | None = None


@dataclass(frozen=True)
class TileSource:
    """Where tiles come from: a URL template with ``{z}``, ``{x}`` and ``{y}``."""

    url_template: str
    attribution: str | None = None
    timeout_s: float = 10.0

    def url(self, z: int, x: int, y: int) -> str:
        return (self.url_template.replace("{z}", str(z)).replace("{x}", str(x))
                .replace("{y}", str(y)))


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """Web Mercator metres ``(west, south, east, north)`` of tile ``z/x/y``."""
    size = 2 * WORLD_M / 2 ** z
    west, north = -WORLD_M + x * size, WORLD_M - y * size
    return west, north - size, west + size, north


def _index(value: float, z: int) -> int:
    size = 2 * WORLD_M / 2 ** z
    return min(max(math.floor(value / size), 0), 2 ** z - 1)


def tiles_covering(frame: Frame) -> tuple[int, range, range]:
    """The zoom and the tile columns and rows that cover ``frame`` (Web Mercator)."""
    z = math.floor(math.log2(2 * WORLD_M * frame.mm_per_m / TILE_MM))
    z = min(max(z, 0), MAX_ZOOM)
    while True:
        columns = range(_index(frame.x0 + WORLD_M, z), _index(frame.x1 + WORLD_M, z) + 1)
        rows = range(_index(WORLD_M - frame.y1, z), _index(WORLD_M - frame.y0, z) + 1)
        if len(columns) * len(rows) <= MAX_TILES or z == 0:
            return z, columns, rows
        z -= 1


def _media_type(content: bytes) -> str | None:
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def _fetch(client: httpx.Client, source: TileSource, z: int, x: int,
           y: int) -> MapTile | str:
    """The tile, or why it could not be had."""
    url = source.url(z, x, y)
    content = bytearray()
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                return f"tile {z}/{x}/{y} was answered with HTTP {response.status_code}"
            for chunk in response.iter_bytes():
                content += chunk
                if len(content) > MAX_TILE_BYTES:
                    return f"tile {z}/{x}/{y} is larger than {MAX_TILE_BYTES:,} bytes"
    except httpx.HTTPError as exc:
        return f"tile {z}/{x}/{y} could not be fetched ({type(exc).__name__})"
    media_type = _media_type(bytes(content))
    if media_type is None:
        return f"tile {z}/{x}/{y} is not a PNG or JPEG image"
    return MapTile(z=z, x=x, y=y, url=url, sha256=hashlib.sha256(content).hexdigest(),
                   media_type=media_type, content=bytes(content))


def fetch_background(source: TileSource, geojson: Any, *,
                     client: httpx.Client | None = None) -> MapBackground | None:
    """The tiles under the map of ``geojson`` (None when there is nothing to draw)."""
    features = read_features(geojson)
    if not features.shapes:
        return None
    z, columns, rows = tiles_covering(fit(WEB_MERCATOR.forward(list(features.positions()))))
    own = client is None
    http = client or httpx.Client(timeout=source.timeout_s)
    tiles: list[MapTile] = []
    try:
        for y in rows:
            for x in columns:
                got = _fetch(http, source, z, x, y)
                if isinstance(got, str):
                    log.warning("report.map_tiles.failed", reason=got,
                                url_template=source.url_template)
                    return MapBackground(url_template=source.url_template,
                                         attribution=source.attribution, zoom=z, failure=got)
                tiles.append(got)
    finally:
        if own:
            http.close()
    return MapBackground(url_template=source.url_template, attribution=source.attribution,
                         zoom=z, tiles=tuple(tiles))
