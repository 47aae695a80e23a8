"""A batch of records → canonical ``events`` rows, the way a profile says to read them.

The generalisation of :func:`linesight_ingest.parsing.normalise.normalise_batch`: the
same Polars checks, number and time handling and output, with the column names, date and
time formats, source zone, duration format and vocabularies taken from the profile. For
``uk-operator-cdr-v1`` every reason and every output byte is the same as that function's
(checked by the tests against the sample's Parquet hash).
"""

from __future__ import annotations

import polars as pl
import pyarrow as pa

from linesight_ingest.parsing import numbers, times
from linesight_ingest.parsing.normalise import (
    BAD_CELL,
    BAD_DURATION,
    BAD_IMEI,
    BAD_IMSI,
    BAD_TARGET,
    BLANK,
    _cell,
    _fold_stats,
    _kept_raw,
    to_events_table,
)
from linesight_ingest.parsing.profiles.model import Profile, format_label, format_shape
from linesight_ingest.parsing.profiles.tabular import HeaderMatch
from linesight_ingest.parsing.reader import Record
from linesight_ingest.parsing.report import ReportBuilder

#: every key a batch frame carries (null where the profile or file has no such column)
KEYS = ("record_id", "target", "date", "time", "datetime", "direction", "call_type",
        "calling", "called", "other_party", "duration", "imei", "imsi", "first_cell",
        "last_cell", "charging_id")
BAD_HMS = "duration is not in hh:mm:ss form"
_HMS = r"^(\d{1,4}):([0-5]\d):([0-5]\d)$"

__all__ = ["KEYS", "normalise_with_profile", "to_events_table"]


def _words(vocab: dict[str, str]) -> str:
    words = list(vocab)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _frame(records: list[Record], header: HeaderMatch, target: str | None) -> pl.DataFrame:
    n = len(records)
    data: dict[str, list] = {"source_row": [r.line for r in records]}
    for key in KEYS:
        pos = header.positions.get(key)
        data[key] = [r.fields[pos] for r in records] if pos is not None else [None] * n
    if target is not None:
        data["target"] = [target] * n
    return pl.DataFrame(data, schema={"source_row": pl.Int64, **{k: pl.String for k in KEYS}})


def _blank(key: str) -> pl.Expr:
    return pl.col(key).is_null() | (pl.col(key) == "")


def _lookup(col: str, vocab: dict[str, str]) -> pl.Expr:
    folded = {k.strip().lower(): v for k, v in vocab.items()}
    return pl.col(col).str.to_lowercase().replace_strict(folded, default=None,
                                                        return_dtype=pl.String)


def _parse(col: str, fmt: str, dtype) -> pl.Expr:
    raw = pl.col(col)
    return (pl.when(raw.str.contains(format_shape(fmt)))
            .then(raw.str.strptime(dtype, fmt, strict=False)).otherwise(None))


def _seconds(profile: Profile) -> pl.Expr:
    d = pl.col("duration")
    if profile.duration == "seconds":
        return d.cast(pl.Int64, strict=False)
    part = lambda i: d.str.extract(_HMS, i).cast(pl.Int64, strict=False)
    return part(1) * 3600 + part(2) * 60 + part(3)


def _parties(df: pl.DataFrame, raw: pl.DataFrame, profile: Profile
             ) -> tuple[pl.Series, pl.Series]:
    """The raw a- and b-party strings (``other_party``: the target is a on outgoing rows
    and b otherwise)."""
    if profile.parties == "calling_called":
        return raw["calling"], raw["called"]
    out = df["_direction"] == "out"
    both = pl.DataFrame({"out": out, "t": raw["target"], "o": raw["other_party"]})
    a = both.select(pl.when(pl.col("out")).then(pl.col("t")).otherwise(pl.col("o")))
    b = both.select(pl.when(pl.col("out")).then(pl.col("o")).otherwise(pl.col("t")))
    return a.to_series().alias("calling"), b.to_series().alias("called")


def normalise_with_profile(records: list[Record], header: HeaderMatch, profile: Profile, *,
                           exhibit_id: str, book: numbers.NumberBook, report: ReportBuilder,
                           target: str | None = None) -> pa.Table:
    """Normalise one batch; rejects go into ``report``; returns the accepted rows.

    ``target`` is the number from the header block when the profile takes it from there.
    """
    t = profile.times
    raw = _frame(records, header, target)
    df = raw.with_columns(pl.col(k).str.strip_chars() for k in KEYS)
    df = df.with_columns(_lookup("direction", profile.directions).alias("_direction"))
    a_raw, b_raw = _parties(df, raw, profile)
    subject = numbers.normalise_parties(df["target"], book)
    calling = numbers.normalise_parties(a_raw, book)
    called = numbers.normalise_parties(b_raw, book)
    if t.datetime_format:
        when = [_parse("datetime", t.datetime_format, pl.Datetime("us")).alias("_local")]
    else:
        when = [_parse("date", t.date_format, pl.Date).alias("_date"),
                _parse("time", t.time_format, pl.Time).alias("_time")]
    df = df.with_columns(
        subject["number"].alias("subject"), subject["kind"].alias("_target_kind"),
        calling["number"].alias("_a"), calling["kind"].alias("_a_kind"),
        called["number"].alias("_b"), called["kind"].alias("_b_kind"),
        *when,
        _lookup("call_type", profile.call_types).alias("_kind"),
        _cell(pl.col("first_cell")).alias("_first_cell"),
        _cell(pl.col("last_cell")).alias("_last_cell"),
        _kept_raw(a_raw).alias("a_party_raw"),
        _kept_raw(b_raw).alias("b_party_raw"),
    )
    if t.datetime_format:
        df = df.with_columns(pl.col("_local").alias("_start"),
                             pl.col("datetime").alias("_local_raw"))
        time_checks = [("datetime", ~_blank("datetime") & pl.col("_local").is_null(),
                        f"not a date and time in {format_label(t.datetime_format)} form")]
    else:
        df = df.with_columns(pl.col("_date").dt.combine(pl.col("_time")).alias("_start"),
                             (pl.col("date") + pl.lit(" ") + pl.col("time")).alias("_local_raw"))
        time_checks = [
            ("date", ~_blank("date") & pl.col("_date").is_null(),
             f"not a calendar date in {format_label(t.date_format)} form"),
            ("time", ~_blank("time") & pl.col("_time").is_null(),
             f"not a time in {format_label(t.time_format)} form"),
        ]
    duration_ok = (r"^\d{1,9}$" if profile.duration == "seconds" else _HMS)
    checks: list[tuple[str, pl.Expr, str]] = [
        *((k, _blank(k), BLANK) for k in profile.required_value_keys()),
        *([("target", ~_blank("target") & (pl.col("_target_kind") != numbers.E164),
            BAD_TARGET)] if target is None else []),
        *time_checks,
        ("direction", ~_blank("direction") & pl.col("_direction").is_null(),
         f"unknown direction (expected {_words(profile.directions)})"),
        ("call_type", ~_blank("call_type") & pl.col("_kind").is_null(),
         f"unknown call type (expected {_words(profile.call_types)})"),
        ("duration", ~_blank("duration") & ~pl.col("duration").str.contains(duration_ok),
         BAD_DURATION if profile.duration == "seconds" else BAD_HMS),
        ("imei", ~_blank("imei") & ~pl.col("imei").str.contains(r"^\d{14,16}$"), BAD_IMEI),
        ("imsi", ~_blank("imsi") & ~pl.col("imsi").str.contains(r"^\d{14,15}$"), BAD_IMSI),
        ("first_cell", ~_blank("first_cell") & pl.col("_first_cell").is_null(), BAD_CELL),
        ("last_cell", ~_blank("last_cell") & pl.col("_last_cell").is_null(), BAD_CELL),
    ]
    df = df.with_columns(pl.any_horizontal(*(bad for _, bad, _ in checks)).alias("_bad"))
    for key, bad, reason in checks:
        hits = raw.filter(df.select(bad.fill_null(False)).to_series())
        for line, value in hits.select("source_row", key).iter_rows():
            report.reject(line, profile.columns[key].name, value, reason)
    ok = df.filter(~pl.col("_bad").fill_null(False))
    return _to_events(ok, profile, exhibit_id=exhibit_id, report=report)


def _to_events(ok: pl.DataFrame, profile: Profile, *, exhibit_id: str,
               report: ReportBuilder) -> pa.Table:
    tz = profile.times.source_tz
    when = times.localise(ok["_start"], tz)
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
        pl.col("_local_raw").alias("start_local_raw"),
        pl.lit(tz).alias("source_tz"),
        "time_flag",
        _seconds(profile).alias("duration_s"),
        pl.when(_blank("imei")).then(None).otherwise(pl.col("imei")).alias("imei"),
        pl.when(_blank("imsi")).then(None).otherwise(pl.col("imsi")).alias("imsi"),
        pl.col("_first_cell").alias("first_cell"), pl.col("_last_cell").alias("last_cell"),
        pl.when(_blank("charging_id")).then(None).otherwise(pl.col("charging_id"))
        .alias("charging_id"),
    ).sort("source_row")
    _fold_stats(out, report)
    return to_events_table(out)
