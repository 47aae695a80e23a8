"""Parameters, tables, columns and method of the inactivity analysis ("where the handset
sleeps")."""

from __future__ import annotations

from pydantic import Field

from linesight_analytics.inactivity.parameters import LocalTimeParameters


class InactivityParameters(LocalTimeParameters):
    """What an inactivity analysis may be asked: whose, how long a gap, when night is."""

    min_gap_hours: float = Field(
        4.0, gt=0, le=8784, examples=[4.0],
        description="Shortest gap in activity to report, in hours (at most a year)",
    )
    overnight_only: bool = Field(
        True, description="List only the gaps that overlap the night window (true), or "
                          "every gap of at least min_gap_hours, marked overnight or not",
    )


_SIDES = {"before": "the last event before the gap", "after": "the first event after the gap"}


def _side(side: str, with_role: bool) -> dict[str, str]:
    what = _SIDES[side]
    out = {
        f"{side}_exhibit_id": f"Exhibit of {what}.",
        f"{side}_source_row": f"Line of the original file of {what}.",
        f"{side}_kind": f"Kind of {what} (voice, sms, mms, data, missed, voicemail).",
        f"{side}_direction": f"Direction of {what} (in, out, forward).",
    }
    if with_role:
        out[f"{side}_cell_role"] = (
            "Which cell of that event is used: last (the cell at the end of a call, when the "
            "record gives one) or first (the cell when it began).")
    out |= {
        f"{side}_cgi": f"Cell id as written in {what}; null when it names no cell.",
        f"{side}_site_name": "Site name of that cell in the cells list, when given.",
        f"{side}_lat": "Latitude of that cell's mast (WGS 84, 6 dp); null when not located.",
        f"{side}_lon": "Longitude of that cell's mast (WGS 84, 6 dp); null when not located.",
        f"{side}_cell_exhibit_id": "Exhibit of the cells row that gave the position.",
        f"{side}_cell_source_row": "Line of the cells row that gave the position.",
    }
    return out


#: The main table, one row per gap.
DEFINITIONS = {
    "subject": "The number the exhibit is about (E.164).",
    "gap_start_utc": "End of the last activity before the gap: the end (start + duration) "
                     "of the last event before it (UTC, ISO 8601).",
    "gap_end_utc": "Start of the first event after the gap (UTC, ISO 8601).",
    "gap_hours": "Length of the gap in hours (2 dp).",
    "overnight": "Whether the gap overlaps the night window on the local clock.",
    "night_date": "The local date on which the first night the gap overlaps starts; null "
                  "when it overlaps none.",
    **_side("before", with_role=True),
    **_side("after", with_role=False),
    "same_cell": "Whether the last cell before and the first cell after are the same cell "
                 "at the same position; null when either event names no cell.",
}
COLUMNS = tuple(DEFINITIONS)

PLACES_TABLE = "places"
PLACES_TITLE = "Places ranked by nights: the cells either side of the overnight gaps"
PLACE_DEFINITIONS = {
    "subject": "The number the exhibit is about (E.164).",
    "rank": "1 for the place bounding the most nights, then by gaps, then cell id.",
    "cgi": "Cell id as written in the events.",
    "site_name": "Site name in the cells list, when given.",
    "lat": "Latitude of the mast (WGS 84, 6 dp); null when the cell is in no cells list.",
    "lon": "Longitude of the mast (WGS 84, 6 dp); null when the cell is in no cells list.",
    "cell_exhibit_id": "Exhibit of the cells row that gave the position.",
    "cell_source_row": "Line of the cells row that gave the position.",
    "nights": "Distinct nights on which the cell was the last cell before or the first cell "
              "after an overnight gap.",
    "gaps": "Gaps listed in the gaps table that the cell bounds (once per gap, even when it "
            "is the cell on both sides).",
    "last_before": "Listed gaps for which it is the last cell before.",
    "first_after": "Listed gaps for which it is the first cell after.",
    "first_night": "Earliest of those nights (local date), null when none.",
    "last_night": "Latest of those nights (local date), null when none.",
    "exhibit_ids": "Exhibits of the events counted.",
    "source_rows": "Per exhibit, the lines of the events either side of the gaps counted.",
}
PLACE_COLUMNS = tuple(PLACE_DEFINITIONS)

HOME_TABLE = "home_methods"
HOME_TITLE = "Home cell by three methods, side by side"
#: The methods, in the order of their rows.
HOME_METHODS = {
    "overnight_gaps": "nights",
    "night_events": "events",
    "distinct_nights": "nights",
}
HOME_DEFINITIONS = {
    "subject": "The number the exhibit is about (E.164).",
    "method": "overnight_gaps: the top place of the places table; night_events: the cell of "
              "most events in the night window (scikit-mobility home_location); "
              "distinct_nights: the cell seen on most distinct nights.",
    "cgi": "The winning cell id; null when the method has nothing to count.",
    "site_name": "Site name of the winning cell, when given.",
    "lat": "Latitude of the winning cell's mast (6 dp); null when not located.",
    "lon": "Longitude of the winning cell's mast (6 dp); null when not located.",
    "cell_exhibit_id": "Exhibit of the cells row that gave the position.",
    "cell_source_row": "Line of the cells row that gave the position.",
    "score": "The winner's score, in score_unit; null when there is no winner.",
    "score_unit": "nights (overnight_gaps, distinct_nights) or events (night_events).",
    "runner_up_cgi": "The second-placed cell id; null when there is none.",
    "runner_up_score": "The second-placed cell's score; null when there is none.",
    "margin": "score minus runner_up_score (the score itself when there is no runner-up, "
              "null when there is no winner); 0 means a tie, settled by the order stated in "
              "the method.",
    "agrees_with_gaps": "Whether the winner is the overnight_gaps winner (same cell, same "
                        "position); null for overnight_gaps itself and when either method "
                        "has no winner.",
    "exhibit_ids": "Exhibits of the events counted for the winner.",
    "source_rows": "Per exhibit, the lines of the events counted for the winner.",
}
HOME_COLUMNS = tuple(HOME_DEFINITIONS)

METHOD = (
    ("Every event of the subject is activity, whatever its kind: a data session counts, and "
     "so does a missed or diverted call (which a network can record while the handset is "
     "off); the kinds of the events either side of each gap are shown."),
    ("An event is active from its start to its end (start + duration, or the start when the "
     "duration is unknown)."),
    ("A gap runs from the latest end of the subject's events so far to the start of the next "
     "event, and is kept when it lasts at least the minimum; before the first and after the "
     "last event there is no gap."),
    ("Night, day and dates are read on the local wall clock of the time zone given "
     "(default Europe/London, GMT or BST), night from night_start (inclusive) to night_end "
     "(exclusive)."),
    ("A gap is overnight when it overlaps the night window; it is dated by the local date on "
     "which the first night it overlaps starts, and a gap over several nights counts for "
     "that first night only."),
    ("The last cell before a gap is the cell at the end of the last event (its last cell "
     "when the record gives one, else its first cell); the first cell after is the first "
     "cell of the first event after."),
    ("A cell's position is the cells row valid at the event's time (of several, the newest "
     "valid_from, then the later row); a place is a cell id with that row, so a moved mast "
     "is two places and a cell in no list is a place without position."),
    ("A place counts a night when it is the last cell before or the first cell after an "
     "overnight gap of that night; places are ranked by nights, then gaps, then cell id."),
    ("Home by overnight gaps is the top place; home by night events (as scikit-mobility's "
     "home_location, 22:00-07:00 by default) is the cell of most events whose start is in "
     "the night window, ties to more distinct nights, then cell id; home by distinct nights "
     "is the cell seen on most distinct nights, ties to more events, then cell id."),
    ("For the night-event methods each event counts once, at its first cell; events that "
     "name no first cell are counted in the summary."),
    ("Every row lists the exhibits and lines of the events it counts; the summary accounts "
     "for every event read."),
)
