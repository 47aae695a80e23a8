"""Pairwise mode: periods together, apart and conflicting for every pair of the numbers
asked about, a summary per pair, every event pair, and a map of the events in periods."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import polars as pl

from linesight_analytics.analyses.computed import ResultTable
from linesight_analytics.colocation.columns import (
    EVENT_PAIR_COLUMNS,
    EVENT_PAIR_DEFINITIONS,
    EVENT_PAIRS_TABLE,
    PAIR_KINDS,
    PAIR_SUMMARY_COLUMNS,
    PAIR_SUMMARY_DEFINITIONS,
    PAIR_SUMMARY_TABLE,
    PERIOD_KINDS,
)
from linesight_analytics.colocation.maps import periods_map
from linesight_analytics.colocation.matches import all_matches
from linesight_analytics.colocation.pairs import Geometry, Rule
from linesight_analytics.colocation.periods import PAIR, period_rows, with_periods
from linesight_analytics.colocation.schemas import ColocationParameters
from linesight_analytics.colocation.traced import lines_by
from linesight_analytics.contact_frequency.compute import iso_utc
from linesight_analytics.geo.geojson import metres

US_PER_MINUTE = 60_000_000


def pairwise(located: pl.DataFrame, geometry: Geometry, parameters: ColocationParameters
             ) -> tuple[list[list[Any]], tuple[ResultTable, ...], dict[str, Any], dict]:
    """The periods (main rows), the further tables, the summary's figures and the map."""
    p = parameters
    subjects = sorted(p.subjects or [])
    rule = Rule(p.max_distance_m, p.apart_min_distance_m, p.apart_travel_speed_kmh)
    matches = with_periods(
        all_matches(subjects, located, p.time_tolerance_minutes * US_PER_MINUTE, geometry,
                    rule, p.timezone),
        p.min_gap_minutes * US_PER_MINUTE)
    periods = period_rows(matches)
    tables = (
        ResultTable(PAIR_SUMMARY_TABLE, "Per pair of numbers: time together and apart",
                    PAIR_SUMMARY_COLUMNS, PAIR_SUMMARY_DEFINITIONS,
                    _pair_summary(subjects, matches, periods)),
        ResultTable(EVENT_PAIRS_TABLE, "Every simultaneous pair of events and what it shows",
                    EVENT_PAIR_COLUMNS, EVENT_PAIR_DEFINITIONS, _event_pair_rows(matches)),
    )
    figures = {
        "simultaneous_pairs": matches.height,
        "pairs_by_kind": _counts(matches, "pair_kind", PAIR_KINDS),
        "periods_by_kind": _counts(
            pl.DataFrame({"kind": [r[3] for r in periods]}, schema={"kind": pl.String}),
            "kind", PERIOD_KINDS),
    }
    return periods, tables, figures, periods_map(matches)


def _counts(frame: pl.DataFrame, column: str, names: tuple[str, ...]) -> dict[str, int]:
    return {n: frame.filter(pl.col(column) == n).height for n in names}


def _pair_summary(subjects: list[str], matches: pl.DataFrame, periods: list[list[Any]]
                  ) -> list[list[Any]]:
    keyed = matches.with_columns(pair=pl.concat_str(PAIR, separator=" "))
    lines_a = lines_by(keyed, "pair", "exhibit_id_a", "source_row_a")
    lines_b = lines_by(keyed, "pair", "exhibit_id_b", "source_row_b")
    days = {(r[0], r[1], r[2]): r[3] for r in keyed.filter(pl.col("period_kind").is_not_null())
            .group_by("subject_a", "subject_b", "period_kind")
            .agg(pl.col("local_day").n_unique()).iter_rows()}
    rows = []
    for a, b in combinations(subjects, 2):
        mine = keyed.filter((pl.col("subject_a") == a) & (pl.col("subject_b") == b))
        kinds = mine.get_column("pair_kind")
        spans = [r for r in periods if r[0] == a and r[1] == b]
        together = [r for r in spans if r[3] == "together"]
        key = f"{a} {b}"
        rows.append([
            a, b, mine.height, int((kinds == "together").sum()),
            int((kinds == "apart").sum()), int((kinds == "undetermined").sum()),
            *[sum(1 for r in spans if r[3] == k) for k in ("together", "apart", "conflicting")],
            *[round(float(sum(r[6] for r in spans if r[3] == k)), 2)
              for k in ("together", "apart", "conflicting")],
            *[days.get((a, b, k), 0) for k in ("together", "apart", "conflicting")],
            together[0][4] if together else None, together[-1][5] if together else None,
            sorted(set(lines_a[key]) | set(lines_b[key])), lines_a[key], lines_b[key],
        ])
    return rows


def _event_pair_rows(matches: pl.DataFrame) -> list[list[Any]]:
    rows = []
    for m in matches.iter_rows(named=True):
        rows.append([
            m["subject_a"], m["subject_b"], m["pair_kind"], m["period"],
            iso_utc(m["t_utc_a"]), iso_utc(m["t_utc_b"]), m["seconds_apart"], m["distance_m"],
            m["cgi_a"], m["cgi_b"], m["cell_role_a"], m["cell_role_b"], m["time_basis_a"],
            m["time_basis_b"], metres(m["radius_m_a"]), metres(m["radius_m_b"]),
            m["exhibit_id_a"], m["source_row_a"], m["exhibit_id_b"], m["source_row_b"],
            m["cell_exhibit_id_a"], m["cell_source_row_a"], m["cell_exhibit_id_b"],
            m["cell_source_row_b"],
        ])
    return rows
