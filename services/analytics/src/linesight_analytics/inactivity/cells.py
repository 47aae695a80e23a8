"""Which cells row gives the position of a cell named by an event, at the event's time.

The rule is the one of ``linesight_analytics.geo.locate`` (the cells row valid at the
time, ``valid_from <= t < valid_to``; of several, the newest ``valid_from``, then the later
row by exhibit and line; an LTE cell is also found by its ECGI without the TAC), and the
keys come from its ``cell_keys``. What differs is the speed on millions of events: the rule
is settled once per cell id when a single cells row is valid over the whole span of the
times it is asked about (the usual case: a mast that did not move), and event by event
only for the cell ids with several versions in that span.

A *place* of the location analyses is a cell id as the events write it together with the
cells row that gave its position, so a mast that moved is two places, and a cell in no
cells list is one place with no position (kept, never guessed).
"""

from __future__ import annotations

import polars as pl

from linesight_analytics.contact_frequency import InvalidEvents
from linesight_analytics.geo.locate import cell_keys

#: The columns of a cells row that a place reports.
POSITION_COLUMNS = ("cell_exhibit_id", "cell_source_row", "site_name", "lat", "lon")


def version_table(cells: pl.DataFrame) -> pl.DataFrame:
    """Every cells row under every key it is found by, numbered (``version``), with its
    validity in microseconds since 1970 (``valid_to`` null: open-ended). A cells line given
    twice (a cells list pinned twice) is refused: its two copies would split a place."""
    repeated = cells.filter(pl.struct("exhibit_id", "source_row").is_duplicated())
    if repeated.height:
        first = repeated.sort("exhibit_id", "source_row").row(0, named=True)
        raise InvalidEvents(
            f"cells exhibit {first['exhibit_id']} line {first['source_row']}: the same line "
            f"is in the inputs more than once ({repeated.height} row(s)); was a cells list "
            "pinned twice?")
    return cell_keys(cells).with_row_index("version").with_columns(
        vf=pl.col("valid_from").dt.epoch("us"), vt=pl.col("valid_to").dt.epoch("us"))


def cell_versions(points: pl.DataFrame, cgis: pl.Series, versions: pl.DataFrame) -> pl.Series:
    """The version (row number in ``versions``) valid for each point, null when none.

    ``points`` has ``cgi_code`` (UInt32, index into ``cgis``, the distinct cell ids as
    written) and ``t_us`` (the point's time, microseconds since 1970, UTC).
    """
    if points.height == 0 or versions.height == 0:
        return pl.repeat(None, points.height, dtype=pl.UInt32, eager=True).alias("version")
    spans = points.group_by("cgi_code").agg(t_min=pl.col("t_us").min(),
                                             t_max=pl.col("t_us").max())
    spans = spans.with_columns(cgi=cgis.gather(spans.get_column("cgi_code")))
    open_end = pl.col("vt").is_null()
    candidates = spans.join(versions, left_on="cgi", right_on="key").filter(
        (pl.col("vf") <= pl.col("t_max")) & (open_end | (pl.col("vt") > pl.col("t_min"))))
    verdict = candidates.group_by("cgi_code").agg(
        rows=pl.len(),
        covers=((pl.col("vf") <= pl.col("t_min"))
                & (open_end | (pl.col("vt") > pl.col("t_max")))).all(),
        version=pl.col("version").first(),
    )
    settled = verdict.filter((pl.col("rows") == 1) & pl.col("covers"))
    lookup = pl.repeat(None, cgis.len(), dtype=pl.UInt32, eager=True).scatter(
        settled.get_column("cgi_code"), settled.get_column("version"))
    found = lookup.gather(points.get_column("cgi_code"))
    mixed = verdict.filter(~((pl.col("rows") == 1) & pl.col("covers"))).get_column("cgi_code")
    if mixed.len() == 0:
        return found
    unsettled = points.select("cgi_code", "t_us").with_row_index("_p").filter(
        pl.col("cgi_code").is_in(mixed.implode()))
    exact = _exact(unsettled.with_columns(cgi=cgis.gather(unsettled.get_column("cgi_code"))),
                   versions)
    return found.scatter(exact.get_column("_p"), exact.get_column("version"))


def _exact(points: pl.DataFrame, versions: pl.DataFrame) -> pl.DataFrame:
    """Point by point: of the rows valid at the point's time, the newest start, then the
    later row (exhibit, line)."""
    joined = points.join(versions, left_on="cgi", right_on="key").filter(
        (pl.col("vf") <= pl.col("t_us"))
        & (pl.col("vt").is_null() | (pl.col("t_us") < pl.col("vt"))))
    return joined.sort("_p", "vf", "cell_exhibit_id", "cell_source_row").group_by(
        "_p", maintain_order=True).last().select("_p", "version")


def positions(versions: pl.DataFrame) -> pl.DataFrame:
    """``version`` -> the cells row's exhibit, line, site name and rounded position."""
    return versions.select(
        "version", *POSITION_COLUMNS[:3],
        lat=pl.col("lat").round(6), lon=pl.col("lon").round(6))


def located(where: pl.DataFrame) -> pl.Series:
    """The versions that give a position (latitude and longitude both known)."""
    return where.filter(pl.col("lat").is_not_null() & pl.col("lon").is_not_null()).get_column(
        "version")
