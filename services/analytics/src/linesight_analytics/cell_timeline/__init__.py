"""Cell-site timeline: each event of one phone on its cell (by cell and time), its sector
and uncertainty, as a table, a table of cells used, and GeoJSON."""

from linesight_analytics.cell_timeline.compute import compute
from linesight_analytics.cell_timeline.points import iso_utc_expr, uncertainty
from linesight_analytics.cell_timeline.schemas import (
    CELLS_COLUMNS,
    CELLS_DEFINITIONS,
    CELLS_TABLE,
    COLUMNS,
    DEFINITIONS,
    METHOD,
    CellTimelineParameters,
)

__all__ = [
    "CELLS_COLUMNS",
    "CELLS_DEFINITIONS",
    "CELLS_TABLE",
    "COLUMNS",
    "DEFINITIONS",
    "METHOD",
    "CellTimelineParameters",
    "compute",
    "iso_utc_expr",
    "uncertainty",
]
