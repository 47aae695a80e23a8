"""Inactivity ("where the handset sleeps"): gaps in activity, the cells either side, the
places ranked by nights and the home cell by three methods."""

from linesight_analytics.inactivity.compute import compute
from linesight_analytics.inactivity.schemas import (
    COLUMNS,
    DEFINITIONS,
    HOME_COLUMNS,
    HOME_DEFINITIONS,
    HOME_TABLE,
    METHOD,
    PLACE_COLUMNS,
    PLACE_DEFINITIONS,
    PLACES_TABLE,
    InactivityParameters,
)

__all__ = [
    "COLUMNS",
    "DEFINITIONS",
    "HOME_COLUMNS",
    "HOME_DEFINITIONS",
    "HOME_TABLE",
    "METHOD",
    "PLACES_TABLE",
    "PLACE_COLUMNS",
    "PLACE_DEFINITIONS",
    "InactivityParameters",
    "compute",
]
