"""Co-location: periods together and demonstrably apart, and candidate companions."""

from linesight_analytics.colocation.columns import (
    EVENT_PAIR_COLUMNS,
    PAIR_SUMMARY_COLUMNS,
    PERIOD_COLUMNS,
    PLACE_COLUMNS,
    RANKING_COLUMNS,
    RANKING_DEFINITIONS,
)
from linesight_analytics.colocation.compute import compute
from linesight_analytics.colocation.schemas import (
    COLUMNS,
    DEFINITIONS,
    METHOD,
    ColocationParameters,
)

__all__ = [
    "COLUMNS",
    "DEFINITIONS",
    "EVENT_PAIR_COLUMNS",
    "METHOD",
    "PAIR_SUMMARY_COLUMNS",
    "PERIOD_COLUMNS",
    "PLACE_COLUMNS",
    "RANKING_COLUMNS",
    "RANKING_DEFINITIONS",
    "ColocationParameters",
    "compute",
]
