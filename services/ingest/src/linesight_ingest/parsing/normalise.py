"""A batch of split records → rows of the canonical ``events`` table, and their rejects.

Every check is a Polars expression over the whole batch; a row failing any check is
rejected with its line, the column, the value as written and the reason, and every other
row is kept. Rows come out in ``source_row`` order and exactly in ``EVENTS_SCHEMA``.
"""

from __future__ import annotations

from collections import Counter

import polars as pl
import pyarrow as pa
from linesight_shared.tables import EVENTS_SCHEMA

from linesight_ingest.parsing import numbers, times
from linesight_ingest.parsing.layout import (
    BY_KEY,
    CALL_TYPES,
    COLUMNS,
    DIRECTIONS,
    SOURCE_TZ,
    HeaderMatch,
)
from linesight_ingest.parsing.reader import Record, Records
from linesight_ingest.parsing.report import ReportBuilder

BLANK = "required value is blank"
BAD_TARGET = "target number is not a valid phone number"
BAD_DATE = "not a calendar date in dd/mm/yyyy form"
BAD_TIME = "not a time in HH:MM:SS form"
BAD_DIRECTION = "unknown direction (expected MO, MT or FWD)"
BAD_CALL_TYPE = "unknown call type (expected Voice, SMS, MMS, Data, Missed or Voicemail)"
BAD_DURATION = "duration is not a whole number of seconds"
BAD_IMEI = "IMEI is not 14 to 16 digits"
BAD_IMSI = "IMSI is not 14 or 15 digits"
BAD_CELL = "cell ID is not a CGI (MCC-MNC-LAC-CI) or ECGI (MCC-MNC-ECI)"

_CGI = r"^(\d{3})-(\d{2,3})-0*(\d{1,5})-0*(\d{1,9})$"
_ECGI = r"^(\d{3})-(\d{2,3})-0*(\d{1,9})$"
_REQUIRED_VALUES = ("target", "date", "time", "direction", "call_type")


def _frame(records: Records | list[Record], header: HeaderMatch) -> pl.DataFrame:
    if not isinstance(records, Records):
        records = Records.from_records(list(records), header.width)
    return records.frame.select(
        pl.col("source_row").cast(pl.Int64),
        *((pl.col(f"f{pos}") if (pos := header.positions.get(col.key)) is not None
           else pl.lit(None, dtype=pl.String)).alias(col.key) for col in COLUMNS))


def _cell(raw: pl.Expr) -> pl.Expr:
    """CGI/ECGI with leading zeros dropped from LAC, CI and ECI (MCC and MNC kept as
    written: MNC ``03`` and ``003`` are different networks)."""
    return (pl.when(raw.str.contains(_CGI)).then(raw.str.replace(_CGI, "$1-$2-$3-$4"))
            .when(raw.str.contains(_ECGI)).then(raw.str.replace(_ECGI, "$1-$2-$3"))
            .otherwise(None))


def _blank(key: str) -> pl.Expr:
    return pl.col(key).is_null() | (pl.col(key) == "")


def normalise_batch(records: Records | list[Record], header: HeaderMatch, *, exhibit_id: str,
                    book: numbers.NumberBook, report: ReportBuilder) -> pa.Table:
    """Normalise one batch; rejects go into ``report``; returns the accepted rows."""
    raw = _frame(records, header)
    # (``Record ID`` is not carried, so it is not trimmed)
    df = raw.with_columns(pl.col(c.key).str.strip_chars() for c in COLUMNS
                          if c.key != "record_id")
    target = numbers.normalise_parties(df["target"], book)
    calling = numbers.normalise_parties(raw["calling"], book)
    called = numbers.normalise_parties(raw["called"], book)
    df = df.with_columns(
        target["number"].alias("subject"), target["kind"].alias("_target_kind"),
        calling["number"].alias("_a"), calling["kind"].alias("_a_kind"),
        called["number"].alias("_b"), called["kind"].alias("_b_kind"),
        pl.col("direction").str.to_uppercase()
        .replace_strict(DIRECTIONS, default=None, return_dtype=pl.String).alias("_direction"),
        pl.col("call_type").str.to_uppercase()
        .replace_strict(CALL_TYPES, default=None, return_dtype=pl.String).alias("_kind"),
        _kept_raw(raw["calling"]).alias("a_party_raw"),
        _kept_raw(raw["called"]).alias("b_party_raw"),
    )
    df = _per_distinct(df, "date", {"_date": times.parse_dates(pl.col("date"))})
    df = _per_distinct(df, "time", {"_time": times.parse_times(pl.col("time"))})
    for key in ("first_cell", "last_cell"):
        df = _per_distinct(df, key, {f"_{key}": _cell(pl.col(key))})
    for key, shape in (("duration", r"^\d{1,9}$"), ("imei", r"^\d{14,16}$"),
                       ("imsi", r"^\d{14,15}$")):
        df = _per_distinct(df, key, {f"_{key}_ok": pl.col(key).str.contains(shape)})
    checks: list[tuple[str, pl.Expr, str]] = [
        *((k, _blank(k), BLANK) for k in _REQUIRED_VALUES),
        ("target", ~_blank("target") & (pl.col("_target_kind") != numbers.E164), BAD_TARGET),
        ("date", ~_blank("date") & pl.col("_date").is_null(), BAD_DATE),
        ("time", ~_blank("time") & pl.col("_time").is_null(), BAD_TIME),
        ("direction", ~_blank("direction") & pl.col("_direction").is_null(), BAD_DIRECTION),
        ("call_type", ~_blank("call_type") & pl.col("_kind").is_null(), BAD_CALL_TYPE),
        ("duration", ~_blank("duration") & ~pl.col("_duration_ok"),
         BAD_DURATION),
        ("imei", ~_blank("imei") & ~pl.col("_imei_ok"), BAD_IMEI),
        ("imsi", ~_blank("imsi") & ~pl.col("_imsi_ok"), BAD_IMSI),
        ("first_cell", ~_blank("first_cell") & pl.col("_first_cell").is_null(), BAD_CELL),
        ("last_cell", ~_blank("last_cell") & pl.col("_last_cell").is_null(), BAD_CELL),
    ]
    flags = df.select(bad.fill_null(False).alias(f"_check{n}")
                      for n, (_, bad, _) in enumerate(checks))
    is_bad = flags.select(pl.any_horizontal(pl.all())).to_series()
    if is_bad.any():
        hits = pl.concat([raw, flags], how="horizontal").filter(is_bad)
        for n, (key, _, reason) in enumerate(checks):
            for line, value in (hits.filter(pl.col(f"_check{n}"))
                                .select("source_row", key).iter_rows()):
                report.reject(line, BY_KEY[key].header, value, reason)
    ok = df.filter(~is_bad)
    return _events(ok, exhibit_id=exhibit_id, report=report)


def _per_distinct(df: pl.DataFrame, key: str, exprs: dict[str, pl.Expr]) -> pl.DataFrame:
    """``df`` with ``exprs`` (over column ``key``) added, each worked out once per
    distinct value of ``key`` and joined back in row order (a CDR repeats the same
    dates, times, cells and handsets many times)."""
    answers = df.select(pl.col(key).unique()).with_columns(**exprs)
    return df.join(answers, on=key, how="left", nulls_equal=True, maintain_order="left")


def _kept_raw(raw: pl.Series) -> pl.Series:
    """The party string exactly as written; null when it holds nothing but spaces."""
    r = pl.col("r")
    return raw.to_frame("r").select(
        pl.when(r.fill_null("").str.strip_chars() == "").then(None).otherwise(r)).to_series()


def _events(ok: pl.DataFrame, *, exhibit_id: str, report: ReportBuilder) -> pa.Table:
    when = times.localise(ok.select(pl.col("_date").dt.combine(pl.col("_time")))
                          .to_series(), SOURCE_TZ)
    incoming = pl.col("_direction").is_in(["in", "forward"])
    # A blank caller on an incoming or forwarded call is a caller who withheld the number.
    a_kind = (pl.when((pl.col("_a_kind") == numbers.ABSENT) & incoming)
              .then(pl.lit(numbers.WITHHELD)).otherwise(pl.col("_a_kind")))
    out = ok.with_columns(when["start_utc"], when["time_flag"], a_kind.alias("a_party_kind"))
    out = out.select(
        (pl.lit(f"{exhibit_id}:") + pl.col("source_row").cast(pl.String)).alias("event_id"),
        pl.lit(exhibit_id).alias("exhibit_id"),
        "source_row", "subject",
        pl.col("_a").alias("a_party"), "a_party_raw", "a_party_kind",
        pl.col("_b").alias("b_party"), "b_party_raw", pl.col("_b_kind").alias("b_party_kind"),
        ((pl.col("a_party_kind") == numbers.WITHHELD)
         | (pl.col("_b_kind") == numbers.WITHHELD)).alias("withheld"),
        pl.col("_direction").alias("direction"), pl.col("_kind").alias("kind"),
        "start_utc",
        (pl.col("date") + pl.lit(" ") + pl.col("time")).alias("start_local_raw"),
        pl.lit(SOURCE_TZ).alias("source_tz"),
        "time_flag",
        pl.col("duration").cast(pl.Int64, strict=False).alias("duration_s"),
        pl.when(_blank("imei")).then(None).otherwise(pl.col("imei")).alias("imei"),
        pl.when(_blank("imsi")).then(None).otherwise(pl.col("imsi")).alias("imsi"),
        pl.col("_first_cell").alias("first_cell"), pl.col("_last_cell").alias("last_cell"),
        pl.when(_blank("charging_id")).then(None).otherwise(pl.col("charging_id"))
        .alias("charging_id"),
    ).sort("source_row")
    _fold_stats(out, report)
    return to_events_table(out)


def _fold_stats(out: pl.DataFrame, report: ReportBuilder) -> None:
    counts = (lambda col: {k: n for k, n in out.group_by(col).len().iter_rows()
                           if k is not None})
    kinds = Counter(counts("a_party_kind"))
    kinds.update(counts("b_party_kind"))
    report.see_events(
        first=out["start_utc"].min() if out.height else None,
        last=out["start_utc"].max() if out.height else None,
        subjects=counts("subject"), time_flags=counts("time_flag"),
        party_kinds=dict(kinds), accepted=out.height,
    )


def to_events_table(out: pl.DataFrame) -> pa.Table:
    """Exactly ``EVENTS_SCHEMA``: same names, order, types and nullability."""
    arrow = out.to_arrow()
    columns = [arrow.column(f.name).cast(f.type) for f in EVENTS_SCHEMA]
    return pa.Table.from_arrays(columns, schema=EVENTS_SCHEMA)
