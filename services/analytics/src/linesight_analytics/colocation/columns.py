"""Output columns of the co-location analysis, with one sentence per column."""

from __future__ import annotations

#: What an event pair can show: the two masts close (``together``), far beyond both
#: cells' reach (``apart``), or neither (``undetermined``).
PAIR_KINDS = ("together", "apart", "undetermined")
#: What a period can be: ``conflicting`` when evidence of both falls in the same window.
PERIOD_KINDS = ("together", "apart", "conflicting")

#: Names of the further tables, in the order the result lists them.
PAIR_SUMMARY_TABLE = "pair_summary"
EVENT_PAIRS_TABLE = "event_pairs"
PLACES_TABLE = "target_places"

# --- pairwise mode: the main table ------------------------------------------------------

PERIOD_COLUMNS = (
    "subject_a", "subject_b", "period", "kind", "start_utc", "end_utc", "hours",
    "together_pairs", "apart_pairs", "min_distance_m", "max_distance_m", "cells_a",
    "cells_b", "exhibit_ids", "source_rows_a", "source_rows_b", "cell_source_rows",
)

PERIOD_DEFINITIONS = {
    "subject_a": "The first number of the pair (E.164; the lower of the two).",
    "subject_b": "The second number of the pair (E.164).",
    "period": "Number of the period within the pair, 1 for the earliest.",
    "kind": "together (only co-located event pairs), apart (only demonstrably apart pairs) or "
            "conflicting (both kinds of evidence overlap in time: a court must weigh them).",
    "start_utc": "Time of the earliest event of the period's pairs (UTC, ISO 8601).",
    "end_utc": "Time of the latest event of the period's pairs (UTC, ISO 8601).",
    "hours": "end_utc minus start_utc, in hours (2 decimal places); 0 for a single moment.",
    "together_pairs": "Event pairs in the period whose cells are co-located.",
    "apart_pairs": "Event pairs in the period whose cells are demonstrably apart.",
    "min_distance_m": "Smallest mast-to-mast distance of the period's pairs, whole metres.",
    "max_distance_m": "Largest mast-to-mast distance of the period's pairs, whole metres.",
    "cells_a": "Cell ids (as written in the records) of subject_a's events in the period.",
    "cells_b": "Cell ids (as written in the records) of subject_b's events in the period.",
    "exhibit_ids": "Exhibits of the events counted, both sides.",
    "source_rows_a": "Per exhibit, the lines of subject_a's events in the period's pairs.",
    "source_rows_b": "Per exhibit, the lines of subject_b's events in the period's pairs.",
    "cell_source_rows": "Per cells exhibit, the lines of the cells list that gave the masts' "
                        "positions and ranges.",
}

PAIR_SUMMARY_COLUMNS = (
    "subject_a", "subject_b", "simultaneous_pairs", "together_pairs", "apart_pairs",
    "undetermined_pairs", "together_periods", "apart_periods", "conflicting_periods",
    "hours_together", "hours_apart", "hours_conflicting", "days_together", "days_apart",
    "days_conflicting", "first_together_utc", "last_together_utc", "exhibit_ids",
    "source_rows_a", "source_rows_b",
)

PAIR_SUMMARY_DEFINITIONS = {
    "subject_a": "The first number of the pair (E.164; the lower of the two).",
    "subject_b": "The second number of the pair (E.164).",
    "simultaneous_pairs": "Pairs of located events of the two numbers within the time "
                          "tolerance of each other.",
    "together_pairs": "Simultaneous pairs whose masts are within the co-location distance.",
    "apart_pairs": "Simultaneous pairs whose masts are demonstrably apart.",
    "undetermined_pairs": "Simultaneous pairs that are neither (too far to be co-located, "
                          "too near to exclude it); in no period.",
    "together_periods": "Periods of kind together.",
    "apart_periods": "Periods of kind apart.",
    "conflicting_periods": "Periods of kind conflicting.",
    "hours_together": "Summed length of the together periods, hours (2 decimal places).",
    "hours_apart": "Summed length of the apart periods, hours (2 decimal places).",
    "hours_conflicting": "Summed length of the conflicting periods, hours (2 decimal places).",
    "days_together": "Local calendar days on which a pair of a together period falls (a "
                     "pair's day is that of its earlier event).",
    "days_apart": "Local calendar days on which a pair of an apart period falls.",
    "days_conflicting": "Local calendar days on which a pair of a conflicting period falls.",
    "first_together_utc": "Start of the first together period (UTC), null when none.",
    "last_together_utc": "End of the last together period (UTC), null when none.",
    "exhibit_ids": "Exhibits of the events in the simultaneous pairs, both sides.",
    "source_rows_a": "Per exhibit, the lines of subject_a's events in simultaneous pairs.",
    "source_rows_b": "Per exhibit, the lines of subject_b's events in simultaneous pairs.",
}

EVENT_PAIR_COLUMNS = (
    "subject_a", "subject_b", "kind", "period", "time_a_utc", "time_b_utc",
    "seconds_apart", "distance_m", "cgi_a", "cgi_b", "cell_role_a", "cell_role_b",
    "time_basis_a", "time_basis_b", "radius_a_m", "radius_b_m", "exhibit_id_a",
    "source_row_a", "exhibit_id_b", "source_row_b", "cell_exhibit_id_a",
    "cell_source_row_a", "cell_exhibit_id_b", "cell_source_row_b",
)

EVENT_PAIR_DEFINITIONS = {
    "subject_a": "The first number of the pair (E.164).",
    "subject_b": "The second number of the pair (E.164).",
    "kind": "together, apart or undetermined (see the method).",
    "period": "The period (of this pair of numbers) the event pair belongs to; null for "
              "undetermined pairs.",
    "time_a_utc": "Time of subject_a's event at this cell (UTC): its start for the first "
                  "cell, its end for the last cell.",
    "time_b_utc": "Time of subject_b's event at this cell (UTC).",
    "seconds_apart": "Absolute difference of the two times, seconds.",
    "distance_m": "Distance between the two cells' masts, whole metres.",
    "cgi_a": "subject_a's cell id as written in the record.",
    "cgi_b": "subject_b's cell id as written in the record.",
    "cell_role_a": "first (the cell at the start of the event) or last (at its end).",
    "cell_role_b": "first or last.",
    "time_basis_a": "at, at_end or at_or_before (data sessions: the cell was in use at or "
                    "before the record time).",
    "time_basis_b": "at, at_end or at_or_before.",
    "radius_a_m": "Range of subject_a's cell (stated, or the default radius), whole metres.",
    "radius_b_m": "Range of subject_b's cell, whole metres.",
    "exhibit_id_a": "Exhibit of subject_a's event.",
    "source_row_a": "Line of subject_a's event in its exhibit.",
    "exhibit_id_b": "Exhibit of subject_b's event.",
    "source_row_b": "Line of subject_b's event in its exhibit.",
    "cell_exhibit_id_a": "Cells exhibit that gave subject_a's mast position.",
    "cell_source_row_a": "Line of that cells exhibit.",
    "cell_exhibit_id_b": "Cells exhibit that gave subject_b's mast position.",
    "cell_source_row_b": "Line of that cells exhibit.",
}

# --- ranking mode: the main table -------------------------------------------------------

RANKING_COLUMNS = (
    "rank", "candidate", "score", "places", "multi_place_days", "days_together",
    "distinct_hours_together", "together_pairs", "simultaneous_events", "co_located_events",
    "together_share", "apart_pairs", "days_apart", "undetermined_pairs",
    "first_together_utc", "last_together_utc", "exhibit_ids", "source_rows",
)

RANKING_DEFINITIONS = {
    "rank": "Position in the ranking, 1 for the likeliest companion (see the method for the "
            "order).",
    "candidate": "Another number in the inputs (E.164).",
    "score": "Places together: how many of the target's places (see the target_places "
             "table) the candidate was co-located with the target at. The first ranking key.",
    "places": "The numbers of those places (target_places table).",
    "multi_place_days": "Local days (of the target's event) on which the two were co-located "
                        "at two or more of the target's places. The second ranking key.",
    "days_together": "Local days (of the target's event) with at least one co-located pair.",
    "distinct_hours_together": "Local clock hours (date and hour of the target's event) with "
                               "at least one co-located pair.",
    "together_pairs": "Pairs of a target event and a candidate event within the time "
                      "tolerance whose masts are co-located.",
    "simultaneous_events": "Candidate events with at least one located target event within "
                           "the time tolerance.",
    "co_located_events": "Candidate events in at least one co-located pair.",
    "together_share": "co_located_events / simultaneous_events (4 decimal places); null when "
                      "there are no simultaneous events.",
    "apart_pairs": "Pairs within the time tolerance whose masts are demonstrably apart.",
    "days_apart": "Local days (of the target's event) with at least one apart pair.",
    "undetermined_pairs": "Pairs within the time tolerance that are neither co-located nor "
                          "demonstrably apart.",
    "first_together_utc": "Time of the target's event in the earliest co-located pair (UTC).",
    "last_together_utc": "Time of the target's event in the latest co-located pair (UTC).",
    "exhibit_ids": "Exhibits of the events in this row's co-located pairs, both numbers.",
    "source_rows": "Per exhibit, the lines of both numbers' events in co-located pairs. The "
                   "apart and undetermined pairs are most of both numbers' records and are "
                   "not listed here: the pairwise mode on the target and this candidate lists "
                   "every pair with both lines.",
}

PLACE_COLUMNS = (
    "place", "lat", "lon", "masts", "cells", "target_points", "target_days", "first_utc",
    "last_utc", "source_rows", "cell_source_rows",
)

PLACE_DEFINITIONS = {
    "place": "Number of the place, 1 for the target's commonest place (most located events).",
    "lat": "Latitude of the place's commonest mast (WGS 84, 6 decimal places).",
    "lon": "Longitude of the place's commonest mast (WGS 84, 6 decimal places).",
    "masts": "Mast positions grouped into the place (all within the co-location distance of "
             "the place's commonest mast).",
    "cells": "Cell ids (as written in the target's records) of those masts.",
    "target_points": "The target's located events (per cell named) at the place.",
    "target_days": "Local days on which the target was placed there.",
    "first_utc": "The target's first event there (UTC).",
    "last_utc": "The target's last event there (UTC).",
    "source_rows": "Per exhibit, the lines of the target's events placed there.",
    "cell_source_rows": "Per cells exhibit, the lines that gave those masts' positions.",
}
