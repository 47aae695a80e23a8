"""Tower-dump intersection: the handsets (by number, else IMSI, else IMEI) that appear in
several dumps, with counts, times and source lines per dump, and a table of the dumps."""

from linesight_analytics.tower_dumps.compute import compute, identified
from linesight_analytics.tower_dumps.schemas import (
    COLUMNS,
    DEFINITIONS,
    DUMPS_COLUMNS,
    DUMPS_DEFINITIONS,
    DUMPS_TABLE,
    IDENTIFIER_KINDS,
    METHOD,
    TowerDumpsParameters,
)

__all__ = [
    "COLUMNS",
    "DEFINITIONS",
    "DUMPS_COLUMNS",
    "DUMPS_DEFINITIONS",
    "DUMPS_TABLE",
    "IDENTIFIER_KINDS",
    "METHOD",
    "TowerDumpsParameters",
    "compute",
    "identified",
]
