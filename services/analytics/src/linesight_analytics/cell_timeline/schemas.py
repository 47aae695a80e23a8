"""Parameters and output columns of the cell-site timeline."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from linesight_analytics.contact_frequency.schemas import E164_PATTERN
from linesight_analytics.geo.locate import DEFAULT_RADIUS_M

#: Why a point has no position (``summary.unlocated_by_reason`` keys).
NOT_IN_ANY_LIST = "cell_not_in_any_list"
NO_VERSION_VALID = "no_list_valid_at_this_time"
LISTED_WITHOUT_POSITION = "cell_listed_without_position"
UNLOCATED_REASONS = (NOT_IN_ANY_LIST, NO_VERSION_VALID, LISTED_WITHOUT_POSITION)

#: The main table: one row per located point (an event's first or last cell), in time order.
COLUMNS = (
    "time_utc", "kind", "direction", "other_party", "cell_role", "time_basis", "cgi",
    "located", "site_name", "lat", "lon", "azimuth", "beamwidth", "radius_m", "uncertainty",
    "exhibit_id", "source_row", "cell_exhibit_id", "cell_source_row",
)

DEFINITIONS = {
    "time_utc": "The time of the point (UTC, ISO 8601): the event's start for its first "
                "cell, its start plus its duration for its last (end) cell.",
    "kind": "voice, sms, mms, data, missed or voicemail.",
    "direction": "out, in or forward, as the subject's record gives it.",
    "other_party": "The number called, calling or diverted to (E.164, WITHHELD, the raw "
                   "string of a short code, or ABSENT); empty for data sessions.",
    "cell_role": "first: the cell the event began on; last: the cell at its end, which some "
                 "operators report.",
    "time_basis": "at: the cell served the event at that time; at_end: the cell at the end "
                  "of a call; at_or_before: a data session's record time, the cell was in use "
                  "at or before it.",
    "cgi": "The cell id as the record writes it (CGI or ECGI).",
    "located": "True when a cell list gives the cell a position valid at the point's time.",
    "site_name": "The mast's site name in the cell list.",
    "lat": "Latitude of the mast (WGS 84, 6 decimal places); empty when not located.",
    "lon": "Longitude of the mast (WGS 84, 6 decimal places); empty when not located.",
    "azimuth": "The direction the cell faces, degrees clockwise from true north; empty when "
               "the list gives none (omnidirectional or unknown).",
    "beamwidth": "The width of the cell's beam in degrees; empty when unknown.",
    "radius_m": "The cell's stated range in whole metres, or the default radius when the list "
                "gives none; the radius of the wedge or circle drawn.",
    "uncertainty": "In words, the area the handset is taken to have been in, or why the point "
                   "has no position.",
    "exhibit_id": "The exhibit the event comes from.",
    "source_row": "The event's line in the original exhibit file.",
    "cell_exhibit_id": "The cell-list exhibit that gave the position.",
    "cell_source_row": "The line of the cell list that gave the position.",
}

CELLS_TABLE = "cells"
CELLS_TITLE = "Cells used"
#: Further table: each distinct cell (as written, and the cell-list row that placed it).
CELLS_COLUMNS = (
    "cgi", "site_name", "located", "lat", "lon", "azimuth", "beamwidth", "radius_m",
    "uncertainty", "points", "events", "first_utc", "last_utc", "cell_exhibit_id",
    "cell_source_row", "exhibit_ids", "source_rows",
)
CELLS_DEFINITIONS = {
    "cgi": "The cell id as the subject's records write it.",
    "site_name": "The mast's site name in the cell list.",
    "located": "True when a cell list placed these points; false for points with no position.",
    "lat": "Latitude of the mast (WGS 84, 6 decimal places).",
    "lon": "Longitude of the mast (WGS 84, 6 decimal places).",
    "azimuth": "Degrees clockwise from true north the cell faces; empty when unknown.",
    "beamwidth": "Width of the beam in degrees; empty when unknown.",
    "radius_m": "Stated range in whole metres, or the default radius when none is stated.",
    "uncertainty": "In words, the area the handset is taken to have been in, or why there "
                   "is no position.",
    "points": "Points of the timeline on this cell (first and last cells both count).",
    "events": "Distinct events with a point on this cell.",
    "first_utc": "Time of the earliest point on this cell (UTC).",
    "last_utc": "Time of the latest point on this cell (UTC).",
    "cell_exhibit_id": "The cell-list exhibit that gave the position; empty when not located.",
    "cell_source_row": "The line of the cell list that gave the position.",
    "exhibit_ids": "Exhibits the counted events come from.",
    "source_rows": "Per exhibit, the line numbers of the events counted in this row.",
}

METHOD = (
    ("Only the events of the named subject are used; with a window, only those that start "
     "within it (from inclusive, to exclusive)."),
    ("Each event gives one point per cell it names: its first cell, at the event's start, "
     "and its last (end) cell, at its start plus its duration, when the operator reports one."),
    ("Every point says what its time means: at (the cell served the event then), at_end (the "
     "cell at the end of a call) or at_or_before (a data session's record time: the cell was "
     "in use at or before it)."),
    ("A cell is placed from the cell-list row valid at the point's time (valid_from <= time < "
     "valid_to), because masts move and cell ids are re-used; of several valid rows the newest "
     "wins, then the later row; an LTE cell is also found by its ECGI without the TAC."),
    ("A point whose cell is in no list, in no list valid at its time, or listed without a "
     "position is kept in the timeline without a position and counted by reason; none is "
     "guessed."),
    ("The handset is taken to have been within the cell's sector: a wedge from the mast of the "
     "listed beamwidth, facing the listed azimuth, of the listed range (or the default radius "
     "when none is listed), or a circle of that radius when the azimuth or beamwidth is "
     "unknown; this states the uncertainty, it does not guarantee the handset was inside."),
    ("Wedges and circles are computed on the WGS 84 ellipsoid, with an arc point at least "
     "every 5 degrees (64 points for a circle); coordinates are rounded to 6 decimal places."),
    ("The route joins the located points in time order, skipping a point at the same mast as "
     "the one before; it shows the order of the masts, not the path travelled."),
    ("Every event read is accounted for: events read = events without subject + events of "
     "other subjects + events outside the window + events naming no cell + events with a cell."),
)


class CellTimelineParameters(BaseModel):
    """What a cell-site timeline is asked for."""

    model_config = ConfigDict(extra="forbid")

    subject: str = Field(
        pattern=E164_PATTERN, examples=["+447700900123"],
        description="The number whose events are placed (E.164)")
    from_utc: AwareDatetime | None = Field(
        None, examples=["2024-03-01T00:00:00Z"],
        description="Use only events that start at or after this time (with a time zone)")
    to_utc: AwareDatetime | None = Field(
        None, examples=["2024-03-08T00:00:00Z"],
        description="Use only events that start before this time (with a time zone)")
    default_radius_m: float = Field(
        DEFAULT_RADIUS_M, gt=0, le=100_000,
        description="Radius in metres of a cell whose list gives no range")

    @field_validator("from_utc", "to_utc")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else value.astimezone(UTC)

    @model_validator(mode="after")
    def _window_is_forward(self) -> CellTimelineParameters:
        if self.from_utc and self.to_utc and self.to_utc <= self.from_utc:
            raise ValueError("to_utc must be later than from_utc")
        return self
