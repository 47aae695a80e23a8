"""ANPR reads (CSV) → the ``anpr_reads`` table; registers the parser for kind ``anpr``.

One row per read: a vehicle registration mark (VRM) seen by one camera at one time.
Columns are found by name (aliases in :data:`ALIASES`; docs in
``services/ingest/docs/anpr.md``): VRM, camera id and the time are required; latitude,
longitude, direction and confidence are optional.

* **Time**: one timestamp column (``dd/mm/yyyy HH:MM:SS`` UK local, or ISO 8601 with an
  offset) or split date and time columns; see :mod:`linesight_ingest.parsing.when`.
* **VRM**: upper-cased with all white space removed (``vrm``); the text as written is
  kept (``vrm_raw``). UK formats vary (current, prefix, suffix, dateless, cherished,
  Northern Ireland, foreign and diplomatic plates), so the only VRMs rejected are the
  obviously invalid: blank, a no-read marker, characters other than A-Z and 0-9, or more
  than 10 characters.
* **Position**: only from the row. A reads file that carries the camera's latitude and
  longitude gives them; otherwise they stay null. The parser never looks a camera up in a
  separate sites table: a position the exhibit did not state would be the analyst's
  inference, which belongs in an analysis that names its camera-site source.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
from linesight_shared.tables import ANPR_READS_SCHEMA

from linesight_ingest.parsing import headers
from linesight_ingest.parsing.csv_stream import iter_csv
from linesight_ingest.parsing.parquet import DatasetWriter, with_metadata
from linesight_ingest.parsing.registry import ParseOutput, Progress, finish_table, register
from linesight_ingest.parsing.report import ReportBuilder
from linesight_ingest.parsing.rowcheck import Check, blank, frame, given_but, keep_good, text
from linesight_ingest.parsing.when import parse_when

PARSER_NAME = "anpr-reads-v1"
PARSER_VERSION = "1.0.0"
KIND = "anpr"
TABLE = "anpr_reads"

ALIASES: dict[str, tuple[str, ...]] = {
    "vrm": ("vrm", "vrn", "plate", "registration", "reg", "regno", "numberplate",
            "vehicleregistration"),
    "camera_id": ("cameraid", "camera", "cameraref", "camerasite", "siteid"),
    "timestamp": ("timestamp", "readtime", "readdatetime", "datetime", "readutc", "seen",
                  "observedat"),
    "date": ("date", "readdate"),
    "time": ("time",),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "long", "lng", "longitude"),
    "direction": ("direction", "dir", "heading", "travel direction"),
    "confidence": ("confidence", "readconfidence", "score", "confidencepct"),
}
NO_READ = ("NOREAD", "UNKNOWN", "UNREAD", "NOPLATE", "NONE", "NULL", "NA", "N/A", "-")
_COMPASS = {"NORTHBOUND": "N", "SOUTHBOUND": "S", "EASTBOUND": "E", "WESTBOUND": "W",
            "NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W"}

BLANK = "required value is blank"
BAD_VRM = "VRM holds characters other than letters A-Z and digits"
LONG_VRM = "VRM is longer than 10 characters"
NO_READ_VRM = "VRM is a no-read marker, not a registration"
BAD_WHEN = "not a time (dd/mm/yyyy HH:MM:SS UK local, or ISO 8601 with an offset)"
BAD_LAT = "latitude is not a number from -90 to 90"
BAD_LON = "longitude is not a number from -180 to 180"
HALF_POSITION = "latitude and longitude must be given together"
BAD_CONFIDENCE = "confidence is not a number from 0 to 1 (or a percentage up to 100)"
_DECIMAL = r"^[+-]?(\d{1,15}(\.\d{0,15})?|\.\d{1,15})$"


def _decimal(key: str) -> pl.Expr:
    s = text(key)
    return pl.when(s.str.contains(_DECIMAL)).then(s.cast(pl.Float64, strict=False))


def _matcher(report: ReportBuilder):
    def match(header: list[str]) -> headers.Matched | None:
        m = headers.match(header, ALIASES)
        p = m.positions
        missing = [k for k in ("vrm", "camera_id") if k not in p]
        if "timestamp" not in p and not {"date", "time"} <= p.keys():
            missing.append("timestamp (or date and time)")
        if missing:
            m.errors.append("not an ANPR reads file: missing " + ", ".join(missing)
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


def _normalise(df: pl.DataFrame, m: headers.Matched) -> tuple[pl.DataFrame, list[Check]]:
    p = m.positions
    when_raw = (df["timestamp"] if "timestamp" in p
                else df.select(text("date") + pl.lit(" ") + text("time"))[:, 0])
    when = parse_when(when_raw)
    vrm = text("vrm").str.to_uppercase().str.replace_all(r"\s+", "")
    lat, lon, conf = _decimal("lat"), _decimal("lon"), _decimal("confidence")
    time_key = "timestamp" if "timestamp" in p else "date"
    df = df.with_columns(
        vrm.alias("_vrm"), when["utc"].alias("_utc"), when["time_flag"].alias("_flag"),
        when["source_tz"].alias("_tz"), when_raw.alias("_when_raw"),
        pl.when((lat >= -90) & (lat <= 90)).then(lat).alias("_lat"),
        pl.when((lon >= -180) & (lon <= 180)).then(lon).alias("_lon"),
        pl.when((conf >= 0) & (conf <= 1)).then(conf)
        .when((conf > 1) & (conf <= 100)).then(conf / 100).alias("_conf"),
    )
    checks: list[Check] = [
        ("vrm", blank("vrm"), BLANK),
        ("vrm", pl.col("_vrm").is_in(NO_READ), NO_READ_VRM),
        ("vrm", ~blank("vrm") & ~pl.col("_vrm").is_in(NO_READ)
         & ~pl.col("_vrm").str.contains(r"^[A-Z0-9]+$"), BAD_VRM),
        ("vrm", pl.col("_vrm").str.len_chars() > 10, LONG_VRM),
        ("camera_id", blank("camera_id"), BLANK),
        *((k, blank(k), BLANK) for k in (("timestamp",) if "timestamp" in p
                                          else ("date", "time"))),
        (time_key, ~pl.col("_when_raw").is_null() & pl.col("_utc").is_null()
         & ~blank(time_key), BAD_WHEN),
        ("lat", given_but("lat", pl.col("_lat")), BAD_LAT),
        ("lon", given_but("lon", pl.col("_lon")), BAD_LON),
        ("lat", blank("lat") != blank("lon"), HALF_POSITION),
        ("confidence", given_but("confidence", pl.col("_conf")), BAD_CONFIDENCE),
    ]
    return df, checks


def _direction() -> pl.Expr:
    d = text("direction").str.to_uppercase().str.replace_all(r"\s+", "")
    return d.replace(_COMPASS)


def _to_table(ok: pl.DataFrame, exhibit_id: str) -> pa.Table:
    out = ok.select(
        pl.lit(exhibit_id).alias("exhibit_id"), "source_row",
        pl.lit(None, dtype=pl.String).alias("source_ref"),
        pl.col("_vrm").alias("vrm"), pl.col("vrm").alias("vrm_raw"),
        text("camera_id").alias("camera_id"), pl.col("_utc").alias("read_utc"),
        pl.col("_tz").alias("source_tz"), pl.col("_flag").alias("time_flag"),
        pl.col("_lat").alias("lat"), pl.col("_lon").alias("lon"),
        _direction().alias("direction"), pl.col("_conf").alias("confidence"),
    ).sort("source_row")
    arrow = out.to_arrow()
    return pa.Table.from_arrays([arrow.column(f.name).cast(f.type) for f in ANPR_READS_SCHEMA],
                                schema=ANPR_READS_SCHEMA)


def libraries() -> dict[str, str]:
    return {"polars": pl.__version__, "pyarrow": pa.__version__}


class AnprReadsParser:
    name = PARSER_NAME
    version = PARSER_VERSION

    def parse(self, path: Path, *, exhibit_id: str, out_dir: Path, batch_rows: int,
              progress: Progress | None = None) -> ParseOutput:
        report = ReportBuilder(parser=PARSER_NAME, parser_version=PARSER_VERSION)
        out = ParseOutput(report=report, libraries=libraries())
        m, batches = iter_csv(path, report, _matcher(report), fmt="ANPR reads",
                              batch_rows=batch_rows, progress=progress)
        if m is None:
            return out
        dest = out_dir / f"{TABLE}.parquet"
        schema = with_metadata(ANPR_READS_SCHEMA, {
            "linesight.exhibit_id": exhibit_id, "linesight.parser": PARSER_NAME,
            "linesight.parser_version": PARSER_VERSION,
            **{f"linesight.library.{k}": v for k, v in libraries().items()}})
        positions = {k: m.positions.get(k) for k in ALIASES}
        names = {k: m.name_of(k) for k in ALIASES}
        with DatasetWriter(dest, schema) as writer:
            for batch in batches:
                df, checks = _normalise(frame(batch, positions), m)
                table = _to_table(keep_good(df, checks, names, report), exhibit_id)
                report.rows_accepted += table.num_rows
                flags = table.column("time_flag").drop_null().to_pylist()
                report.time_flags.update(flags)
                writer.write(table)
        return finish_table(out, TABLE, dest)


register(KIND, AnprReadsParser())
