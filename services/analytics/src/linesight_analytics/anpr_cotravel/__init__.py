"""ANPR co-travel: vehicles whose reads follow a phone, or phones that follow a vehicle."""

from linesight_analytics.anpr_cotravel.compute import compute
from linesight_analytics.anpr_cotravel.schemas import (
    COLUMNS,
    DEFINITIONS,
    MATCH_COLUMNS,
    MATCH_DEFINITIONS,
    MATCHES_TABLE,
    METHOD,
    AnprCotravelParameters,
)

__all__ = [
    "COLUMNS",
    "DEFINITIONS",
    "MATCHES_TABLE",
    "MATCH_COLUMNS",
    "MATCH_DEFINITIONS",
    "METHOD",
    "AnprCotravelParameters",
    "compute",
]
