"""Parameters, tables, columns and method of the pattern-of-life analysis."""

from __future__ import annotations

from pydantic import Field

from linesight_analytics.inactivity.parameters import LocalTimeParameters

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOURS = tuple(f"h{hour:02d}" for hour in range(24))


class PatternOfLifeParameters(LocalTimeParameters):
    """What a pattern-of-life analysis may be asked: whose, on which clock, how many cells."""

    top_n: int = Field(
        10, ge=1, le=1000, examples=[10],
        description="How many cells to list per subject, by day and by night",
    )


#: The main table: per subject, one row per weekday, one column per local hour.
DEFINITIONS = {
    "subject": "The number the exhibit is about (E.164).",
    "weekday": "Local day of the week (Mon to Sun) on which the events started.",
    **{h: f"Events that started between {h[1:]}:00 and {h[1:]}:59 local time on that "
          "weekday." for h in HOURS},
    "total": "Events that started on that weekday (the sum of h00 to h23).",
}
COLUMNS = tuple(DEFINITIONS)

TOP_DAY_TABLE = "top_cells_day"
TOP_DAY_TITLE = "Top cells by day"
TOP_NIGHT_TABLE = "top_cells_night"
TOP_NIGHT_TITLE = "Top cells by night"
TOP_DEFINITIONS = {
    "subject": "The number the exhibit is about (E.164).",
    "rank": "1 for the cell of most events in the window, then by distinct days, then cell id.",
    "cgi": "First cell of the events, as written in them.",
    "site_name": "Site name in the cells list, when given.",
    "lat": "Latitude of the mast (WGS 84, 6 dp); null when the cell is in no cells list.",
    "lon": "Longitude of the mast (WGS 84, 6 dp); null when the cell is in no cells list.",
    "cell_exhibit_id": "Exhibit of the cells row that gave the position.",
    "cell_source_row": "Line of the cells row that gave the position.",
    "events": "Events of the subject that started in the window (day or night) at this cell.",
    "distinct_days": "Distinct local dates of those events (by day), or distinct nights, "
                     "dated by the local date on which the night starts (by night).",
    "share": "events divided by the subject's events in the window that name a first cell "
             "(4 dp).",
    "first_seen_utc": "Start of the earliest of those events (UTC, ISO 8601).",
    "last_seen_utc": "Start of the latest of those events (UTC, ISO 8601).",
    "exhibit_ids": "Exhibits of the events counted.",
    "source_rows": "Per exhibit, the lines of the events counted.",
}
TOP_COLUMNS = tuple(TOP_DEFINITIONS)

BY_KIND_TABLE = "by_kind"
BY_KIND_TITLE = "Events by kind"
BY_KIND_DEFINITIONS = {
    "subject": "The number the exhibit is about (E.164).",
    "kind": "voice, sms, mms, data, missed or voicemail.",
    "events": "Events of the subject of that kind.",
    "outgoing": "Of those, direction out.",
    "incoming": "Of those, direction in.",
    "forwarded": "Of those, direction forward (diverted).",
    "day_events": "Of those, started outside the night window (local time).",
    "night_events": "Of those, started in the night window (local time).",
    "events_per_exhibit": "Per exhibit, how many of those events it holds: every event of "
                          "the subject and kind in that exhibit is counted.",
}
BY_KIND_COLUMNS = tuple(BY_KIND_DEFINITIONS)

METHOD = (
    ("Times are read on the local wall clock of the time zone given (default Europe/London: "
     "GMT in winter, BST in summer); an event is placed by its start time."),
    ("The 7x24 grid counts every event of the subject, whatever its kind and whether or not "
     "it names a cell, by the local weekday and hour in which it started; each subject's "
     "grid sums to its event count, stated in the summary."),
    ("Night runs from night_start (inclusive) to night_end (exclusive) on the local clock; "
     "day is every other time; a night is dated by the local date on which it starts."),
    ("Top cells count each event once at its first cell (the cell serving it when it began; "
     "for a data session, the cell in use at or before the record time); events that name "
     "no first cell are counted in the summary only."),
    ("A cell's position is the cells row valid at the event's time (of several, the newest "
     "valid_from, then the later row); a cell listed with two positions in the period is "
     "two rows; a cell in no list is kept without position, never guessed."),
    ("Top cells are ranked by events, then distinct days, then cell id; the share is of the "
     "subject's events in the same window that name a first cell."),
    ("Each top-cell row lists the lines it counts per exhibit; the kinds table gives per "
     "exhibit the number of the subject's events of each kind, so every figure can be "
     "recounted from the exhibits."),
)
