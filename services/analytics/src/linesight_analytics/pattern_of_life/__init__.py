"""Pattern of life: a 7x24 activity grid per phone, the top cells by day and by night, and
the events by kind."""

from linesight_analytics.pattern_of_life.compute import compute
from linesight_analytics.pattern_of_life.schemas import (
    BY_KIND_COLUMNS,
    BY_KIND_DEFINITIONS,
    BY_KIND_TABLE,
    COLUMNS,
    DEFINITIONS,
    METHOD,
    TOP_COLUMNS,
    TOP_DAY_TABLE,
    TOP_DEFINITIONS,
    TOP_NIGHT_TABLE,
    PatternOfLifeParameters,
)

__all__ = [
    "BY_KIND_COLUMNS",
    "BY_KIND_DEFINITIONS",
    "BY_KIND_TABLE",
    "COLUMNS",
    "DEFINITIONS",
    "METHOD",
    "TOP_COLUMNS",
    "TOP_DAY_TABLE",
    "TOP_DEFINITIONS",
    "TOP_NIGHT_TABLE",
    "PatternOfLifeParameters",
    "compute",
]
