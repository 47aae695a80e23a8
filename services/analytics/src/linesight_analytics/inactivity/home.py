"""Places ranked by nights, and the home cell by three methods side by side.

* A place is a cell id (as the events write it) with the cells row that gave its position
  (``version``; null when the cell is in no cells list).
* The places table counts, per subject, each place that is the last cell before or the
  first cell after a listed gap: the distinct nights of the overnight gaps it bounds, the
  gaps it bounds (once per gap), and how often on each side. Ranked by nights, then gaps,
  then cell id, then cells row (the earlier version first; no position last).
* Home methods, per subject:
  ``overnight_gaps`` is the top place with at least one night;
  ``night_events`` (scikit-mobility's ``home_location``) is the place of most events whose
  start falls in the night window, ties to more distinct nights, then cell id, then row;
  ``distinct_nights`` is the place seen on most distinct nights, ties to more events, then
  cell id, then row. The runner-up is the next place in the same order, the margin the
  difference of their scores. scikit-mobility counts positions (so the sectors of one mast
  merge) and falls back to all events when there are none at night; here a place is a cell
  and a subject without night events has no ``night_events`` winner.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from linesight_analytics.inactivity.lines import lines_of
from linesight_analytics.inactivity.rows import iso_day_of, ranked
from linesight_analytics.inactivity.schemas import HOME_METHODS, PLACE_COLUMNS

PLACE_KEY = ["subject_code", "cgi_code", "version"]


def place_table(sides: pl.DataFrame, cgis: pl.Series, positions: pl.DataFrame) -> pl.DataFrame:
    """``sides``: one row per gap side naming a cell (``_g``, ``side``, ``subject_code``,
    ``overnight``, ``night_day``, ``cgi_code`` into ``cgis``, ``version``). Ranked places
    with their cell ids and positions."""
    overnight = pl.col("overnight")
    grouped = sides.group_by(PLACE_KEY).agg(
        nights=pl.col("night_day").filter(overnight).n_unique().cast(pl.Int64),
        gaps=pl.col("_g").n_unique().cast(pl.Int64),
        last_before=(pl.col("side") == "before").sum().cast(pl.Int64),
        first_after=(pl.col("side") == "after").sum().cast(pl.Int64),
        first_night=pl.col("night_day").filter(overnight).min(),
        last_night=pl.col("night_day").filter(overnight).max(),
    )
    ordered = ranked(_named(grouped, cgis), ["nights", "gaps", "cgi_code", "version"],
                     [True, True, False, False])
    return ordered.join(positions, on="version", how="left", maintain_order="left")


def place_rows(places: pl.DataFrame, sides: pl.DataFrame, subjects: pl.Series,
               exhibits: list[str]) -> list[list[Any]]:
    """The rows of the places table (``places`` as :func:`place_table` returns it)."""
    table = places.with_columns(subject=subjects.gather(places.get_column("subject_code")),
                                first_night=iso_day_of(pl.col("first_night")),
                                last_night=iso_day_of(pl.col("last_night")))
    lines = lines_of(table, sides, PLACE_KEY, exhibits)
    return [[*row, sorted(per_exhibit), per_exhibit]
            for row, per_exhibit in zip(table.select(PLACE_COLUMNS[:-2]).rows(), lines,
                                        strict=True)]


def night_places(night_points: pl.DataFrame, cgis: pl.Series) -> pl.DataFrame:
    """Per subject and place: events in the night window, and distinct nights."""
    return _named(night_points.group_by(PLACE_KEY).agg(
        events=pl.len().cast(pl.Int64),
        nights=pl.col("night_day").n_unique().cast(pl.Int64),
    ), cgis)


def _named(places: pl.DataFrame, cgis: pl.Series) -> pl.DataFrame:
    return places.with_columns(cgi=cgis.gather(places.get_column("cgi_code")))


def leaders(places: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """The first two places per subject, ordered by ``by`` (descending), cell id, row."""
    return ranked(places, [*by, "cgi_code", "version"],
                  [True] * len(by) + [False, False]).filter(pl.col("rank") <= 2)


def home_rows(by_gaps: pl.DataFrame, by_night: pl.DataFrame, gap_sides: pl.DataFrame,
              night_points: pl.DataFrame, positions: pl.DataFrame, subjects: pl.Series,
              exhibits: list[str]) -> list[list[Any]]:
    """Three rows per subject (the methods in fixed order). ``by_gaps`` is the ranked
    places table, ``by_night`` the output of :func:`night_places`, ``gap_sides`` the gap
    sides of the overnight gaps, ``night_points`` the night events counted."""
    top = {
        "overnight_gaps": (by_gaps.filter((pl.col("nights") > 0) & (pl.col("rank") <= 2))
                           .with_columns(score=pl.col("nights")), gap_sides),
        "night_events": (leaders(by_night, ["events", "nights"])
                         .with_columns(score=pl.col("events")), night_points),
        "distinct_nights": (leaders(by_night, ["nights", "events"])
                            .with_columns(score=pl.col("nights")), night_points),
    }
    where = {r["version"]: r for r in positions.iter_rows(named=True)}
    found: dict[str, dict[int, tuple]] = {}
    runners_up: dict[str, dict[int, tuple]] = {}
    for method, (table, counted) in top.items():
        winners = table.filter(pl.col("rank") == 1).select(*PLACE_KEY, "cgi", "score")
        lines = lines_of(winners, counted, PLACE_KEY, exhibits)
        found[method] = {w[0]: (*w, per_exhibit)
                         for w, per_exhibit in zip(winners.rows(), lines, strict=True)}
        runners_up[method] = {r[0]: r for r in table.filter(pl.col("rank") == 2).select(
            "subject_code", "cgi", "score").rows()}
    rows = []
    for code, subject in enumerate(subjects.to_list()):
        reference = found["overnight_gaps"].get(code)
        for method, unit in HOME_METHODS.items():
            rows.append(_home_row(subject, method, unit, found[method].get(code),
                                  runners_up[method].get(code), reference, where))
    return rows


def _home_row(subject: str, method: str, unit: str, winner: tuple | None,
              runner_up: tuple | None, reference: tuple | None, where: dict) -> list[Any]:
    if winner is None:
        return [subject, method, None, None, None, None, None, None, None, unit, None,
                None, None, None, [], {}]
    _code, _cgi_code, version, cgi, score, per_exhibit = winner
    cell = where.get(version, {})
    runner_cgi, runner_score = (runner_up[1], runner_up[2]) if runner_up else (None, None)
    agrees = (None if method == "overnight_gaps" or reference is None
              else (cgi, version) == (reference[3], reference[2]))
    return [subject, method, cgi, cell.get("site_name"), cell.get("lat"), cell.get("lon"),
            cell.get("cell_exhibit_id"), cell.get("cell_source_row"), score, unit,
            runner_cgi, runner_score, score - (runner_score or 0), agrees,
            sorted(per_exhibit), per_exhibit]
