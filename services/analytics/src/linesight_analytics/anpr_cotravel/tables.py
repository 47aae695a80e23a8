"""The rows of the ranking and of the matches table (output-sized Python)."""

from __future__ import annotations

from typing import Any

import polars as pl

from linesight_analytics.contact_frequency.compute import iso_utc

#: The total order of the matches table.
MATCH_ORDER = ("rank", "read_utc", "camera_id", "anpr_exhibit_id", "anpr_source_row", "t_utc",
               "event_id", "cell_role")


def ranked_matches(matches: pl.DataFrame) -> pl.DataFrame:
    """The matches of the listed candidates (with their ``rank``) in the table's order."""
    return matches.sort(MATCH_ORDER)


def iso_utc_expr(column: str) -> pl.Expr:
    """:func:`iso_utc` as a Polars expression: microseconds only when not zero."""
    t = pl.col(column).dt.convert_time_zone("UTC")
    micros = t.dt.microsecond()
    fraction = pl.when(micros == 0).then(pl.lit("")).otherwise(
        pl.lit(".") + micros.cast(pl.String).str.zfill(6))
    return pl.concat_str([t.dt.strftime("%Y-%m-%dT%H:%M:%S"), fraction, pl.lit("Z")])


def match_rows(matches: pl.DataFrame) -> list[list[Any]]:
    """One row per match (columns as ``schemas.MATCH_COLUMNS``)."""
    table = matches.select(
        "rank", "subject", "vrm", iso_utc_expr("read_utc"), "camera_id", "read_lat",
        "read_lon", "anpr_exhibit_id", "anpr_source_row", iso_utc_expr("t_utc"), "kind",
        "cell_role", "time_basis", "cgi", "site_name", "lat", "lon", "radius_m", "exhibit_id",
        "source_row", "cell_exhibit_id", "cell_source_row", "distance_m", "allowance_m",
        "dt_us", "implied_speed_kmh")
    return [[
        rank, subject, vrm, read_utc, camera, round(read_lat, 6), round(read_lon, 6),
        anpr_exhibit, anpr_row, t_utc, kind, role, basis, cgi, site, round(lat, 6),
        round(lon, 6), round(radius), exhibit, row, cell_exhibit, cell_row, round(distance),
        round(allowance), round(dt_us / 1_000_000), round(speed, 1),
    ] for (rank, subject, vrm, read_utc, camera, read_lat, read_lon, anpr_exhibit, anpr_row,
           t_utc, kind, role, basis, cgi, site, lat, lon, radius, exhibit, row, cell_exhibit,
           cell_row, distance, allowance, dt_us, speed) in table.iter_rows()]


def ranking_rows(ranked: pl.DataFrame, matches: pl.DataFrame, *, target: str,
                 candidate_is_vehicle: bool) -> list[list[Any]]:
    """One row per ranked candidate (columns as ``schemas.COLUMNS``)."""
    reads: dict[int, dict[str, set[int]]] = {}
    events: dict[int, dict[str, set[int]]] = {}
    for m in matches.select("rank", "anpr_exhibit_id", "anpr_source_row", "exhibit_id",
                            "source_row").iter_rows(named=True):
        reads.setdefault(m["rank"], {}).setdefault(m["anpr_exhibit_id"], set()).add(
            m["anpr_source_row"])
        events.setdefault(m["rank"], {}).setdefault(m["exhibit_id"], set()).add(m["source_row"])
    rows = []
    for r in ranked.sort("rank").iter_rows(named=True):
        subject, vrm = ((target, r["candidate"]) if candidate_is_vehicle
                        else (r["candidate"], target))
        anpr_lines, event_lines = _sorted(reads[r["rank"]]), _sorted(events[r["rank"]])
        rows.append([
            r["rank"], subject, vrm, r["score"], r["distinct_days"], r["days_contradicted"],
            r["share_consistent"], r["distinct_hours"], r["records_matched"], r["records_in_time"], r["matched_reads"],
            r["matched_events"], r["match_pairs"], r["distinct_cameras"], r["distinct_cells"],
            iso_utc(r["first_match"]), iso_utc(r["last_match"]),
            [d.isoformat() for d in r["dates"]], sorted({*anpr_lines, *event_lines}),
            anpr_lines, event_lines,
        ])
    return rows


def _sorted(lines: dict[str, set[int]]) -> dict[str, list[int]]:
    return {exhibit: sorted(lines[exhibit]) for exhibit in sorted(lines)}
