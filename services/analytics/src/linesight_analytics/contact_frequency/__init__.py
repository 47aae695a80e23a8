"""Contact frequency: the pure computation (Polars), its parameters and its columns."""

from linesight_analytics.contact_frequency.compute import (
    ContactFrequency,
    InvalidEvents,
    contact_frequency,
)
from linesight_analytics.contact_frequency.schemas import (
    ABSENT,
    COLUMNS,
    DEFINITIONS,
    METHOD,
    WITHHELD,
    ContactFrequencyParameters,
)

__all__ = [
    "ABSENT",
    "COLUMNS",
    "DEFINITIONS",
    "METHOD",
    "WITHHELD",
    "ContactFrequency",
    "ContactFrequencyParameters",
    "InvalidEvents",
    "contact_frequency",
]
