"""Journeys between areas: departure, arrival, route and repeated journeys of one phone."""

from linesight_analytics.journeys.compute import compute
from linesight_analytics.journeys.schemas import (
    COLUMNS,
    DEFINITIONS,
    GROUP_COLUMNS,
    GROUP_DEFINITIONS,
    GROUPS_TABLE,
    METHOD,
    Area,
    JourneysParameters,
)

__all__ = [
    "COLUMNS",
    "DEFINITIONS",
    "GROUPS_TABLE",
    "GROUP_COLUMNS",
    "GROUP_DEFINITIONS",
    "METHOD",
    "Area",
    "JourneysParameters",
    "compute",
]
