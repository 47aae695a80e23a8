"""Parameters and method of the co-location analysis; its columns are in ``columns``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from linesight_analytics.colocation.columns import PERIOD_COLUMNS, PERIOD_DEFINITIONS
from linesight_analytics.contact_frequency.schemas import E164_PATTERN
from linesight_analytics.geo.locate import DEFAULT_RADIUS_M

#: Most subjects the pairwise mode compares (every pair of them is a table section).
MAX_SUBJECTS = 20

# --- the method, one sentence per step --------------------------------------------------

COMMON_METHOD = (
    ("Each event is placed at the mast of every cell it names (its first cell at its start, "
     "its last cell at its end), using the cells-list row valid at that time; events whose "
     "cells cannot be placed are counted and left out, never guessed."),
    ("Two events of two numbers are simultaneous when their times differ by no more than "
     "the time tolerance; every such pair is compared, one pair per located cell of each."),
    ("A simultaneous pair is together (co-located) when the two masts are within the "
     "co-location distance of each other (the same cell is distance 0)."),
    ("A simultaneous pair is apart (demonstrably apart) when the masts are farther than the "
     "apart distance and farther than the two cells' ranges added together (plus, when a "
     "travel speed is given, the distance that speed covers in the time between the two "
     "events), so no handset served by one cell could be served by the other."),
    ("Any other simultaneous pair is undetermined: it is counted but shows neither."),
    ("Distances are between masts on the WGS 84 mean sphere (haversine), rounded to whole "
     "metres before they are compared; a mast position says where the serving antenna is, "
     "not where the handset was."),
    ("Data sessions are placed at their record time (the cell was in use at or before it) "
     "unless the parameters leave them out."),
    ("Local days and hours are calendar days and clock hours in the time zone given "
     "(Europe/London unless stated)."),
)

PAIRWISE_METHOD = (
    ("For each pair of the numbers asked about, together pairs and apart pairs are "
     "separately joined, in time order, into runs of one kind; a run ends at a pair of the "
     "other kind or at a gap longer than the joining gap."),
    ("Runs of different kinds whose time spans overlap are merged into one conflicting "
     "period, so the periods of a pair never overlap and contradictory evidence is shown, "
     "not hidden."),
    ("A period spans from its earliest to its latest event; hours are summed period spans, "
     "days are the distinct local days of the pairs' earlier events."),
)

RANKING_METHOD = (
    ("Every other number in the inputs is compared with the target: its events "
     "simultaneous with a located target event are paired with each such target event; a "
     "pair's day and hour are those of the target's event."),
    ("The target's mast positions are grouped into places: the commonest position not yet "
     "in a place starts the next place and takes every remaining position within the "
     "co-location distance of it; place 1 is the target's commonest place."),
    ("Candidates are ranked by the number of the target's places they were co-located with "
     "the target at (the score), then days on which they were together at two or more of "
     "those places, then days together, then the share of their simultaneous events that "
     "are co-located, then co-located pairs, then number."),
    ("So a number that shares the target's home cell every night but is apart by day scores "
     "1 and ranks below one that is with the target at several places on many days; its "
     "nights still show in days_together."),
)

#: The whole method of the analysis (both modes); a result carries the common steps and
#: those of its mode.
METHOD = COMMON_METHOD + PAIRWISE_METHOD + RANKING_METHOD
#: The main table of the pairwise mode (the ranking mode's is ``RANKING_COLUMNS``).
COLUMNS = PERIOD_COLUMNS
DEFINITIONS = PERIOD_DEFINITIONS

E164 = Annotated[str, StringConstraints(pattern=E164_PATTERN)]


class ColocationParameters(BaseModel):
    """What a co-location analysis is asked: either two or more numbers (pairwise mode) or
    one target whose companions are ranked (ranking mode)."""

    model_config = ConfigDict(extra="forbid")

    subjects: list[E164] | None = Field(
        None, min_length=2, max_length=MAX_SUBJECTS,
        examples=[["+447700900123", "+447700900456"]],
        description="Pairwise mode: the numbers (E.164, 2 to 20, no repeats) whose periods "
                    "together and apart are shown for every pair of them",
    )
    target: E164 | None = Field(
        None, examples=["+447700900123"],
        description="Ranking mode: the number whose candidate companions are ranked among "
                    "every other number in the inputs",
    )
    max_distance_m: int = Field(
        2000, ge=0, le=100_000,
        description="Co-located: the two cells' masts are within this many metres (the same "
                    "cell is 0 m)",
    )
    time_tolerance_minutes: int = Field(
        15, ge=0, le=24 * 60,
        description="Two events are simultaneous when their times differ by no more than "
                    "this many minutes",
    )
    apart_min_distance_m: int = Field(
        10_000, ge=0, le=1_000_000,
        description="Demonstrably apart: the masts are farther than this many metres and "
                    "farther than both cells' ranges added together; must be at least "
                    "max_distance_m",
    )
    apart_travel_speed_kmh: int = Field(
        0, ge=0, le=1_000,
        description="Optional: to count as apart the masts must also be farther than the "
                    "two ranges plus the distance this speed covers in the time between the "
                    "two events (0: no allowance for travel)",
    )
    min_gap_minutes: int = Field(
        60, ge=0, le=7 * 24 * 60,
        description="Pairwise mode: pairs of one kind no more than this many minutes apart are "
                    "joined into one period",
    )
    default_radius_m: int = Field(
        int(DEFAULT_RADIUS_M), gt=0, le=100_000,
        description="Range used for a cell whose list gives none, metres",
    )
    use_data_sessions: bool = Field(
        True,
        description="Place data sessions too (their cell was in use at or before the "
                    "record time); false leaves them out and counts them",
    )
    timezone: str = Field(
        "Europe/London", examples=["Europe/London"],
        description="IANA time zone of the local days and hours",
    )
    from_utc: AwareDatetime | None = Field(
        None, description="Only events starting at or after this time (with its offset)")
    to_utc: AwareDatetime | None = Field(
        None, description="Only events starting before this time (with its offset)")

    @model_validator(mode="after")
    def _consistent(self) -> ColocationParameters:
        if (self.subjects is None) == (self.target is None):
            raise ValueError("give either subjects (two or more numbers: pairwise mode) or "
                             "target (one number: ranking mode), not both and not neither")
        if self.subjects is not None and len(set(self.subjects)) != len(self.subjects):
            raise ValueError("subjects must not repeat a number")
        if self.apart_min_distance_m < self.max_distance_m:
            raise ValueError("apart_min_distance_m must be at least max_distance_m, or a pair "
                             "could be both together and apart")
        if self.from_utc is not None and self.to_utc is not None \
                and self.from_utc >= self.to_utc:
            raise ValueError("from_utc must be before to_utc")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {self.timezone!r}") from None
        return self

    @property
    def mode(self) -> str:
        return "pairwise" if self.subjects is not None else "ranking"


def as_utc(value: datetime | None) -> datetime | None:
    """A window bound in UTC (``None`` stays ``None``)."""
    return None if value is None else value.astimezone(UTC)
