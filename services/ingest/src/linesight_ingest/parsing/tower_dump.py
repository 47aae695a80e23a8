"""Tower dumps (CSV) → the ``events`` table; registers the parser for kind ``tower_dump``.

A tower dump is every event an operator logged on a set of cells in a time window: often
millions of rows, of many unrelated people. Layout ``uk-tower-dump-v1`` (documented in
``services/ingest/docs/tower-dump.md``), columns found by name, case- and
punctuation-insensitively: ``Cell ID, Event Date, Event Time, Event Type, A Number,
B Number, IMSI, IMEI, Duration (s)``.

Read in batches with the CDR machinery: numbers through
:func:`linesight_ingest.parsing.numbers.normalise_parties` (one ``NumberBook`` for the
whole file, so each distinct number is asked of ``phonenumbers`` once), dates and times
through :mod:`linesight_ingest.parsing.times` (UK local, BST flags), cells through the
CDR's CGI/ECGI rule, output through the CDR's ``events`` builder.

``subject`` is the number of the handset that was on the mast: the A number for
originated events (MO voice/SMS/MMS, data), the B number for terminated ones (MT
voice/SMS/MMS, missed, voicemail) and for a forward (the subscriber whose forwarding
fired). It is null when that side is withheld, blank or not a valid number; the row is
kept if the handset is still identified by IMSI or IMEI, and rejected otherwise.
``first_cell`` is the cell the event was logged on; ``last_cell`` stays null.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from linesight_shared.tables import EVENTS_SCHEMA, EVENTS_TABLE

from linesight_ingest.parsing import headers, numbers, times
from linesight_ingest.parsing.cdr import libraries
from linesight_ingest.parsing.csv_stream import iter_csv
from linesight_ingest.parsing.normalise import (
    BAD_CELL,
    BAD_DATE,
    BAD_TIME,
    _cell,
    _fold_stats,
    to_events_table,
)
from linesight_ingest.parsing.parquet import DatasetWriter, with_metadata
from linesight_ingest.parsing.registry import ParseOutput, Progress, finish_table, register
from linesight_ingest.parsing.report import ReportBuilder
from linesight_ingest.parsing.rowcheck import Check, blank, frame, keep_good, text

PARSER_NAME = "uk-tower-dump-v1"
PARSER_VERSION = "1.0.0"
KIND = "tower_dump"
SOURCE_TZ = "Europe/London"

ALIASES: dict[str, tuple[str, ...]] = {
    "cell": ("cell id", "cell", "cgi", "ecgi", "cell global id"),
    "date": ("event date", "date", "call date"),
    "time": ("event time", "time", "call time"),
    "type": ("event type", "type", "call type", "record type"),
    "a": ("a number", "a party", "calling number", "originating number"),
    "b": ("b number", "b party", "called number", "terminating number"),
    "imsi": ("imsi",), "imei": ("imei",),
    "duration": ("duration", "duration (s)", "duration s", "duration secs"),
}
REQUIRED = ("cell", "date", "time", "type", "a", "b")
#: ``Event Type`` (upper case, spaces/dashes/underscores removed) → (direction, kind)
EVENT_TYPES = {
    "MOVOICE": ("out", "voice"), "MOC": ("out", "voice"),
    "MTVOICE": ("in", "voice"), "MTC": ("in", "voice"),
    "MOSMS": ("out", "sms"), "MTSMS": ("in", "sms"),
    "MOMMS": ("out", "mms"), "MTMMS": ("in", "mms"),
    "DATA": ("out", "data"), "GPRS": ("out", "data"), "MODATA": ("out", "data"),
    "MISSED": ("in", "missed"), "MTMISSED": ("in", "missed"),
    "VOICEMAIL": ("in", "voicemail"),
    "FWD": ("forward", "voice"), "FORWARDED": ("forward", "voice"),
    "CALLFORWARD": ("forward", "voice"),
}
BLANK = "required value is blank"
BAD_TYPE = ("unknown event type (expected MO/MT Voice, MO/MT SMS, MO/MT MMS, Data, Missed, "
            "Voicemail or FWD)")
BAD_DURATION = "duration is not a whole number of seconds"
BAD_IMEI = "IMEI is not 14 to 16 digits"
BAD_IMSI = "IMSI is not 14 or 15 digits"
NO_HANDSET = ("the handset on the cell has no identity: its number is blank, withheld or "
              "invalid and there is no IMSI or IMEI")


def _matcher(report: ReportBuilder):
    def match(header: list[str]) -> headers.Matched | None:
        m = headers.match(header, ALIASES)
        missing = [ALIASES[k][0].title() for k in REQUIRED if k not in m.positions]
        if missing:
            m.errors.append("not a tower dump: missing columns " + ", ".join(missing)
                            + f". Columns seen: {headers.columns_seen(header)}")
        for problem in m.errors:
            report.file_error(problem, line=1)
        if m.errors:
            return None
        if m.unknown:
            report.warn("columns not in the layout were ignored: " + ", ".join(m.unknown),
                        line=1)
        return m
    return match


def _normalise(df: pl.DataFrame, book: numbers.NumberBook
               ) -> tuple[pl.DataFrame, list[Check]]:
    a = numbers.normalise_parties(df["a"], book)
    b = numbers.normalise_parties(df["b"], book)
    key = text("type").str.to_uppercase().str.replace_all(r"[\s\-_]", "")
    dir_map = {k: v[0] for k, v in EVENT_TYPES.items()}
    kind_map = {k: v[1] for k, v in EVENT_TYPES.items()}
    df = df.with_columns(
        a["number"].alias("_a"), a["kind"].alias("_a_kind"),
        b["number"].alias("_b"), b["kind"].alias("_b_kind"),
        times.parse_dates(text("date")).alias("_date"),
        times.parse_times(text("time")).alias("_time"),
        key.replace_strict(dir_map, default=None, return_dtype=pl.String).alias("_direction"),
        key.replace_strict(kind_map, default=None, return_dtype=pl.String).alias("_kind"),
        _cell(text("cell")).alias("_cell"),
    )
    mast_is_a = pl.col("_direction") == "out"
    df = df.with_columns(pl.when(mast_is_a).then(pl.col("_a")).otherwise(pl.col("_b"))
                         .alias("subject"))
    checks: list[Check] = [
        *((k, blank(k), BLANK) for k in ("cell", "date", "time", "type")),
        ("cell", ~blank("cell") & pl.col("_cell").is_null(), BAD_CELL),
        ("date", ~blank("date") & pl.col("_date").is_null(), BAD_DATE),
        ("time", ~blank("time") & pl.col("_time").is_null(), BAD_TIME),
        ("type", ~blank("type") & pl.col("_kind").is_null(), BAD_TYPE),
        ("duration", ~blank("duration") & ~text("duration").str.contains(r"^\d{1,9}$"),
         BAD_DURATION),
        ("imei", ~blank("imei") & ~text("imei").str.contains(r"^\d{14,16}$"), BAD_IMEI),
        ("imsi", ~blank("imsi") & ~text("imsi").str.contains(r"^\d{14,15}$"), BAD_IMSI),
        ("a" , pl.col("_kind").is_not_null() & pl.col("subject").is_null()
         & blank("imsi") & blank("imei"), NO_HANDSET),
    ]
    return df, checks


def _events(ok: pl.DataFrame, exhibit_id: str, report: ReportBuilder):
    when = times.localise(ok.select(pl.col("_date").dt.combine(pl.col("_time"))).to_series(),
                          SOURCE_TZ)
    incoming = pl.col("_direction").is_in(["in", "forward"])
    a_kind = (pl.when((pl.col("_a_kind") == numbers.ABSENT) & incoming)
              .then(pl.lit(numbers.WITHHELD)).otherwise(pl.col("_a_kind")))
    out = ok.with_columns(when["start_utc"], when["time_flag"], a_kind.alias("a_party_kind"))
    out = out.select(
        (pl.lit(f"{exhibit_id}:") + pl.col("source_row").cast(pl.String)).alias("event_id"),
        pl.lit(exhibit_id).alias("exhibit_id"), "source_row", "subject",
        pl.col("_a").alias("a_party"), pl.when(blank("a")).then(None).otherwise(pl.col("a"))
        .alias("a_party_raw"), "a_party_kind",
        pl.col("_b").alias("b_party"), pl.when(blank("b")).then(None).otherwise(pl.col("b"))
        .alias("b_party_raw"), pl.col("_b_kind").alias("b_party_kind"),
        ((pl.col("a_party_kind") == numbers.WITHHELD)
         | (pl.col("_b_kind") == numbers.WITHHELD)).alias("withheld"),
        pl.col("_direction").alias("direction"), pl.col("_kind").alias("kind"),
        "start_utc", (text("date") + pl.lit(" ") + text("time")).alias("start_local_raw"),
        pl.lit(SOURCE_TZ).alias("source_tz"), "time_flag",
        text("duration").cast(pl.Int64, strict=False).alias("duration_s"),
        text("imei").alias("imei"), text("imsi").alias("imsi"),
        pl.col("_cell").alias("first_cell"), pl.lit(None, dtype=pl.String).alias("last_cell"),
        pl.lit(None, dtype=pl.String).alias("charging_id"),
    ).sort("source_row")
    _fold_stats(out, report)
    return to_events_table(out)


class TowerDumpParser:
    name = PARSER_NAME
    version = PARSER_VERSION

    def parse(self, path: Path, *, exhibit_id: str, out_dir: Path, batch_rows: int,
              progress: Progress | None = None) -> ParseOutput:
        report = ReportBuilder(parser=PARSER_NAME, parser_version=PARSER_VERSION)
        out = ParseOutput(report=report, libraries=libraries())
        m, batches = iter_csv(path, report, _matcher(report), fmt=PARSER_NAME,
                              batch_rows=batch_rows, progress=progress)
        if m is None:
            return out
        dest = out_dir / f"{EVENTS_TABLE}.parquet"
        schema = with_metadata(EVENTS_SCHEMA, {
            "linesight.exhibit_id": exhibit_id, "linesight.parser": PARSER_NAME,
            "linesight.parser_version": PARSER_VERSION, "linesight.source_tz": SOURCE_TZ,
            **{f"linesight.library.{k}": v for k, v in libraries().items()}})
        positions = {k: m.positions.get(k) for k in ALIASES}
        names = {k: m.name_of(k) for k in ALIASES}
        book = numbers.NumberBook()
        with DatasetWriter(dest, schema) as writer:
            for batch in batches:
                df, checks = _normalise(frame(batch, positions), book)
                writer.write(_events(keep_good(df, checks, names, report), exhibit_id, report))
        return finish_table(out, EVENTS_TABLE, dest,
                            empty_note="the file has a header and no data rows (a nil return?)")


register(KIND, TowerDumpParser())
