"""ANPR co-travel: the vehicles whose reads follow a phone, or the phones that follow a vehicle.

Pure: the pinned events, cells and ANPR reads in, plain Python rows out; no database,
no clock. The method, stated once for the report:

* **Phone points.** Each event names up to two cells (first and last); each gives a
  point at the mast of the cells row valid at the point's time (``geo.locate``), with
  the cell's radius (or the default radius) as its uncertainty. Points with no position
  are counted and not compared. Data-session points are at or before their record time.
* **Reads.** An ANPR read is a vehicle at a camera at a time; reads whose camera has no
  position cannot be compared and are counted as unusable.
* **Close in time.** A read and a point are compared when their times differ by at most
  ``time_tolerance_minutes``. They are found by cutting time into buckets as wide as the
  tolerance and joining each bucket to itself and its neighbours, never by pairing
  everything with everything. Asked about a vehicle, only the events that can have a
  point in a bucket next to one of its reads are placed at all.
* **Fits in place.** The phone is taken to have been within the *allowance* of the mast:
  the cell's radius plus ``slack_m`` (default 1,000 m), or ``max_distance_m`` when given.
  A vehicle carrying the phone moves at most ``max_speed_kmh`` (default 130 km/h), so
  the pair *matches* when ``distance(camera, mast) - allowance <= max_speed x |dt|``.
  With ``dt = 0`` this is "the camera is within the allowance"; each match shows the
  distance, the time difference and the speed it implies beyond the allowance. The
  rule is generous by design (ten minutes at 130 km/h is over 20 km): it is meant for
  journeys between places; within one town most vehicles fit most phones, and a
  smaller tolerance or speed separates them better.
* **Candidates.** Asked about a phone (``subject``), every vehicle with a match is a
  candidate; asked about a vehicle (``vrm``), every phone with a match is. For each:
  the local dates and clock hours of its matched records, the reads, events, cameras
  and cells involved; ``days_contradicted``, the dates on which one of its records,
  within the tolerance of a record of the target, fitted none of them (the two were
  apart then); and ``share_consistent``, the share of its records within the tolerance
  of the target's records that fit. Records made while the other side was not recorded
  count neither way.
* **Ranking.** Candidates matched on fewer than ``min_days`` local dates are left out
  (counted in the summary). The score is the number of days together: local dates on
  which more of the candidate's records in time with the target's fit than do not. A
  vehicle that carries the phone fits nearly whenever both are recorded, so each of its
  days counts even when a stray cell (a handset served by a far mast, as happens)
  contradicts it now and then; one coincidence counts one day; a busy vehicle often near
  the phone's places by chance, or one passing the same cameras at other times, is as
  often seen where the phone was not, and those days do not count. Ties are settled by
  share_consistent, days, hours, records matched, then the VRM or number: a total
  order. Only the ``max_candidates`` highest (default 100) are listed, with their
  matches; the summary counts the rest.
* **Traceability.** Every match gives the read's and the event's exhibit and line and
  the cells row used; every ranked row lists the lines it counts, per exhibit. The
  summary accounts for every events row and every ANPR row.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from linesight_analytics.analyses.computed import Computed, Inputs, ResultTable
from linesight_analytics.anpr_cotravel.geojson import cotravel_geojson
from linesight_analytics.anpr_cotravel.pairs import (
    events_near_reads,
    fit,
    time_pairs,
    tolerance_us,
)
from linesight_analytics.anpr_cotravel.ranking import match_counts, rank_candidates
from linesight_analytics.anpr_cotravel.schemas import (
    COLUMNS,
    DEFINITIONS,
    MATCH_COLUMNS,
    MATCH_DEFINITIONS,
    MATCHES_TABLE,
    MATCHES_TITLE,
    METHOD,
    AnprCotravelParameters,
)
from linesight_analytics.anpr_cotravel.tables import match_rows, ranked_matches, ranking_rows
from linesight_analytics.contact_frequency.compute import InvalidEvents, check_events
from linesight_analytics.geo.locate import locate

_HAS_CELL = pl.col("first_cell").is_not_null() | pl.col("last_cell").is_not_null()
_HAS_POSITION = pl.col("lat").is_not_null() & pl.col("lon").is_not_null()


def compute(inputs: Inputs, parameters: AnprCotravelParameters) -> Computed:
    """Rank the vehicles that travel with a phone, or the phones that travel with a
    vehicle (see the module docstring)."""
    if inputs.cells.height == 0:
        raise InvalidEvents("ANPR co-travel needs a cells list (the positions of the masts); "
                            "no cells were given")
    if inputs.anpr_reads.height == 0:
        raise InvalidEvents("ANPR co-travel needs ANPR reads; none were given")
    if parameters.subject is not None:
        return _from_phone(inputs, parameters)
    return _from_vehicle(inputs, parameters)


def _from_phone(inputs: Inputs, p: AnprCotravelParameters) -> Computed:
    events, reads = inputs.events, inputs.anpr_reads
    mine = events.filter(pl.col("subject") == p.subject)
    if mine.height == 0:
        raise InvalidEvents(f"no events of subject {p.subject} in the inputs "
                            f"({events.height} events read)")
    check_events(mine)
    with_cell = mine.filter(_HAS_CELL)
    points = locate(with_cell, inputs.cells)
    located = _points(points)
    positioned = _reads(reads)
    summary: dict[str, Any] = {
        "mode": "phone", "subject": p.subject, "vrm": None, "timezone": p.timezone,
        "events_read": events.height, "events_other_subjects": events.height - mine.height,
        "events_of_subject": mine.height, "events_without_cell": mine.height - with_cell.height,
        "points": points.height, "points_unlocated": points.height - located.height,
        "points_located": located.height,
        "anpr_reads_read": reads.height, "reads_without_position": reads.height - positioned.height,
        "reads_positioned": positioned.height,
    }
    return _compare(located, positioned, p, summary, candidate_is_vehicle=True,
                    target=p.subject)


def _from_vehicle(inputs: Inputs, p: AnprCotravelParameters) -> Computed:
    events, reads = inputs.events, inputs.anpr_reads
    vehicle = reads.filter(pl.col("vrm") == p.vrm)
    if vehicle.height == 0:
        raise InvalidEvents(f"no ANPR reads of vehicle {p.vrm} in the inputs "
                            f"({reads.height} reads read)")
    positioned = _reads(vehicle)
    with_subject = events.filter(pl.col("subject").is_not_null())
    with_cell = with_subject.filter(_HAS_CELL)
    near = events_near_reads(with_cell, positioned, tolerance_us(p.time_tolerance_minutes))
    check_events(near)
    points = locate(near, inputs.cells)
    located = _points(points)
    named = with_cell.select(pl.col("first_cell").is_not_null().sum()
                             + pl.col("last_cell").is_not_null().sum()).item()
    summary: dict[str, Any] = {
        "mode": "vehicle", "subject": None, "vrm": p.vrm, "timezone": p.timezone,
        "anpr_reads_read": reads.height, "reads_other_vehicles": reads.height - vehicle.height,
        "reads_of_vehicle": vehicle.height,
        "reads_without_position": vehicle.height - positioned.height,
        "reads_positioned": positioned.height,
        "events_read": events.height, "events_without_subject": events.height - with_subject.height,
        "events_without_cell": with_subject.height - with_cell.height,
        "points": named, "points_far_from_reads": named - points.height,
        "points_unlocated": points.height - located.height, "points_located": located.height,
    }
    return _compare(located, positioned, p, summary, candidate_is_vehicle=False, target=p.vrm)


def _points(points: pl.DataFrame) -> pl.DataFrame:
    return points.filter(pl.col("located")).with_row_index("p_i")


def _reads(reads: pl.DataFrame) -> pl.DataFrame:
    return reads.filter(_HAS_POSITION).select(
        "vrm", "camera_id", "read_utc", read_lat="lat", read_lon="lon",
        anpr_exhibit_id="exhibit_id", anpr_source_row="source_row",
    ).with_row_index("r_i")


def _compare(located: pl.DataFrame, positioned: pl.DataFrame, p: AnprCotravelParameters,
             summary: dict[str, Any], *, candidate_is_vehicle: bool, target: str) -> Computed:
    pairs = time_pairs(located, positioned, tolerance_us(p.time_tolerance_minutes))
    timed = fit(pairs, located, positioned, slack_m=p.slack_m,
                max_distance_m=p.max_distance_m, max_speed_kmh=p.max_speed_kmh)
    # the candidate's own records: its reads (ranking vehicles) or its points (phones)
    record = "r_i" if candidate_is_vehicle else "p_i"
    owners = (positioned.select(candidate="vrm", record_t="read_utc") if candidate_is_vehicle
              else located.select(candidate="subject", record_t="t_utc"))
    records = timed.group_by(record).agg(fits=pl.col("consistent").any()).rename(
        {record: "record"})
    records = records.with_columns(
        candidate=owners.get_column("candidate").gather(records.get_column("record")),
        record_t=owners.get_column("record_t").gather(records.get_column("record")))
    ranking = rank_candidates(records, timezone=p.timezone, min_days=p.min_days)
    listed = ranking.ranked.filter(
        pl.lit(True) if p.max_candidates is None else pl.col("rank") <= p.max_candidates)
    consistent = timed.filter(pl.col("consistent"))
    consistent = consistent.with_columns(
        candidate=owners.get_column("candidate").gather(consistent.get_column(record)))
    matches = ranked_matches(
        consistent.join(listed.select("candidate", "rank"), on="candidate").join(
            located.drop("located"), on="p_i").join(positioned, on="r_i"))
    summary.update({
        "points_in_time": timed.get_column("p_i").n_unique(),
        "points_matched": consistent.get_column("p_i").n_unique(),
        "reads_in_time": timed.get_column("r_i").n_unique(),
        "reads_matched": consistent.get_column("r_i").n_unique(),
        "candidates_in_time": records.get_column("candidate").n_unique(),
        "candidates_matched": ranking.candidates_matched,
        "candidates_below_min_days": ranking.below_min_days,
        "candidates_ranked": ranking.ranked.height,
        "candidates_listed": listed.height,
        "candidates_not_listed": ranking.ranked.height - listed.height,
        "matches_listed": matches.height,
        "result": _result(summary, ranking.ranked.height, ranking.candidates_matched),
    })
    return Computed(
        columns=COLUMNS,
        rows=ranking_rows(listed.join(match_counts(matches), on="rank", how="left"), matches,
                          target=target, candidate_is_vehicle=candidate_is_vehicle),
        summary=summary, definitions=DEFINITIONS, method=METHOD,
        tables=(ResultTable(name=MATCHES_TABLE, title=MATCHES_TITLE, columns=MATCH_COLUMNS,
                            definitions=MATCH_DEFINITIONS, rows=match_rows(matches)),),
        geojson=cotravel_geojson(matches),
    )


def _result(summary: dict[str, Any], ranked: int, matched: int) -> str:
    if summary["points_located"] == 0:
        return "no candidates: no point of the phone(s) could be placed near the reads' times"
    if summary["reads_positioned"] == 0:
        return "no candidates: no ANPR read has a camera position"
    if matched == 0:
        return "no candidates: no read and event fit together in time and place"
    if ranked == 0:
        return "no candidates: every matched candidate is below min_days"
    return "candidates ranked"
