"""A fast generator of large, realistic ``uk-operator-cdr-v1`` files (for benchmarks).

    python -m linesight_ingest.samples.cdr_bulk --rows 10000000 --out big.csv [--seed N]

Where :mod:`linesight_ingest.samples.cdr_generator` tells one deal line's story event by
event, this one makes millions of rows with Polars expressions, a million at a time
(memory stays flat), so 10M rows take seconds. What a file holds:

* an operator return for many targets (``SUBJECTS``), each with its own handset and SIM,
  calling and called by a shared pool of contacts, a few of them far busier than others;
* every party shape the parser reads: ``07…``, ``+44…``, ``44…``, ``0044…``, spaced
  ``07xxx xxxxxx``, ``+44 (0)…``, ``+33 …``/``00353…`` abroad, short codes, withheld words,
  blank callers, Ofcom drama-range numbers (invalid), data sessions with charging ids;
* a year of UK local times (2024) with extra events inside the repeated October hour and
  the skipped March hour; 2G/3G CGIs (some with leading zeros) and 4G ECGIs;
* a few defects per million rows (``DEFECTS``): wrong field counts, 31/02, 25:61:00,
  unknown directions, a Latin-1 byte, a NUL byte, stray quotes, blank lines; and a few
  legitimately quoted lines.

The random draws are Polars hashes of the row number, so the same seed and Polars version
give the same bytes. Numbers are drawn from ranges ``phonenumbers`` accepts as valid; any
match with a number in service is coincidence.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import polars as pl

from linesight_ingest.parsing.layout import COLUMNS
from linesight_ingest.samples.cdr_generator import _imei, _valid_mobile

DEFAULT_SEED = 20241027
CHUNK = 1_000_000
SUBJECTS = 400
CONTACTS = 20_000
CELLS = 6_000
#: per million rows: (kind, count)
DEFECTS = {"width": 3, "date": 2, "time": 2, "direction": 2, "latin1": 2, "nul": 1,
           "stray_quote": 2, "blank": 3, "quoted_ok": 100}
ABROAD = ["+33 6 12 34 56 78", "0033612345679", "+353 85 123 4567", "00353851234568",
          "+49 1512 3456789", "+1 202 555 0143"]
WITHHELD = ["Withheld", "Private", "", "Unknown", "WITHHELD", "Restricted"]
SHORT = ["150", "901", "999", "101", "118118"]
DRAMA = ["07700 900123", "07700900461", "01632 960000"]
PLACEHOLDER_LATIN1 = "\u00a3"  # written as the Latin-1 byte 0xA3, not UTF-8


class _Pools:
    """The invented world (Python ``random``, seeded): numbers, handsets, cells."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        nsn = [_valid_mobile(rng) for _ in range(SUBJECTS + CONTACTS)]
        self.subject = pl.Series(nsn[:SUBJECTS])
        self.contact = pl.Series(nsn[SUBJECTS:])
        self.imei = pl.Series([_imei(rng) for _ in range(SUBJECTS)])
        self.imsi = pl.Series([f"23430{rng.randrange(10**10):010d}" for _ in range(SUBJECTS)])
        cells = []
        for _ in range(CELLS):
            if rng.random() < 0.5:
                lac, ci = rng.randrange(1, 65535), rng.randrange(1, 65535)
                pad = rng.random() < 0.1
                cells.append(f"234-30-{lac:06d}-{ci:05d}" if pad else f"234-30-{lac}-{ci}")
            else:
                cells.append(f"234-{rng.choice(['10', '15', '20', '30'])}-"
                             f"{rng.randrange(1, 2**28)}")
        self.cell = pl.Series(cells)


def _pick(pool: pl.Series | list[str], draw: pl.Expr) -> pl.Expr:
    values = pl.Series(pool) if isinstance(pool, list) else pool
    return pl.lit(values).gather(draw % len(values))


#: (prefix, gap after the first four digits, share in %) of the ways a UK mobile is written
SHAPES = [("0", "", 60), ("+44", "", 20), ("44", "", 10), ("0", " ", 4), ("+44 (0)", "", 3),
          ("0044", "", 3)]
_SHAPE_OF_PERCENT = pl.Series([i for i, (_, _, share) in enumerate(SHAPES) for _ in range(share)])


def _shape(nsn: pl.Expr, draw: pl.Expr) -> pl.Expr:
    """One UK mobile written the way different operator systems write it."""
    shape = pl.lit(_SHAPE_OF_PERCENT).gather(draw % 100)
    prefix = pl.lit(pl.Series([p for p, _, _ in SHAPES])).gather(shape)
    gap = pl.lit(pl.Series([g for _, g, _ in SHAPES])).gather(shape)
    return pl.concat_str([prefix, nsn.str.slice(0, 4), gap, nsn.str.slice(4)])


def _chunk(pools: _Pools, start: int, stop: int, seed: int) -> pl.Series:
    """Lines ``start`` … ``stop - 1`` (0-based data rows), without line endings."""
    frame = pl.DataFrame({"i": pl.int_range(start, stop, dtype=pl.UInt64, eager=True)})
    i = pl.col("i")
    h = [i.hash(seed * 131 + k) for k in range(16)]
    # each stage is materialised before the next uses it (no expression evaluated twice)
    frame = frame.with_columns((h[0] % SUBJECTS).cast(pl.Int64).alias("subj"),
                               # a few contacts are far busier than the rest
                               pl.min_horizontal(h[1] % CONTACTS, h[2] % CONTACTS)
                               .alias("busy"))
    frame = frame.with_columns(pl.lit(pools.subject).gather(pl.col("subj")).alias("t_nsn"),
                               pl.lit(pools.contact).gather(pl.col("busy")).alias("o_nsn"))
    frame = frame.with_columns(_shape(pl.col("o_nsn"), h[3]).alias("other"),
                               _shape(pl.col("t_nsn"), h[6]).alias("target"))
    frame = frame.with_columns(
        pl.when(h[4] % 1000 < 15).then(_pick(ABROAD, h[5]))
        .when(h[4] % 1000 < 22).then(_pick(DRAMA, h[5])).otherwise(pl.col("other"))
        .alias("other"))
    subj, other, target = pl.col("subj"), pl.col("other"), pl.col("target")
    d100 = h[7] % 100
    direction = (pl.when(d100 < 50).then(pl.lit("MO")).when(d100 < 95).then(pl.lit("MT"))
                 .otherwise(pl.lit("FWD")))
    t100 = h[8] % 100
    kind = (pl.when(t100 < 40).then(pl.lit("Voice")).when(t100 < 85).then(pl.lit("SMS"))
            .when(t100 < 93).then(pl.lit("Data")).when(t100 < 97).then(pl.lit("Missed"))
            .when(t100 < 99).then(pl.lit("Voicemail")).otherwise(pl.lit("MMS")))
    frame = frame.with_columns(direction.alias("direction"), kind.alias("call_type"))
    direction, kind = pl.col("direction"), pl.col("call_type")
    is_data = kind == "Data"
    out = direction == "MO"
    calling = (pl.when(out | is_data).then(target)
               .when((direction == "MT") & (h[9] % 100 < 5)).then(_pick(WITHHELD, h[5]))
               .otherwise(other))
    called = (pl.when(is_data).then(pl.lit(""))
              .when(out & (h[9] % 1000 < 6)).then(_pick(SHORT, h[5]))
              .when(out).then(other)
              .when(direction == "FWD").then(_shape(pl.lit(pools.contact).gather(h[10] % CONTACTS), h[3]))
              .otherwise(target))
    seconds = (h[11] % (366 * 86400)).cast(pl.Int64)
    edge = h[12] % 1000
    local = (pl.when(edge < 2).then(pl.lit(1_729_990_800) + seconds % 3600)   # 27/10 01:xx
             .when(edge < 3).then(pl.lit(1_711_846_800) + seconds % 3600)     # 31/03 01:xx
             .otherwise(pl.lit(1_704_067_200) + seconds))                     # 2024
    frame = frame.with_columns((local * 1_000_000).cast(pl.Datetime("us")).alias("when"),
                               _pick(pools.cell, h[14]).alias("first_cell"))
    when, first = pl.col("when"), pl.col("first_cell")
    duration = (pl.when(kind == "Voice").then((h[13] % 1800).cast(pl.String))
                .when(kind == "Data").then((h[13] % 3600).cast(pl.String))
                .when(kind == "Missed").then(pl.lit("0"))
                .when(kind == "Voicemail").then((10 + h[13] % 50).cast(pl.String))
                .otherwise(pl.lit("")))
    last = pl.when(h[15] % 10 < 7).then(first).otherwise(_pick(pools.cell, h[15]))
    cols = {
        "record_id": pl.lit("CDR") + (i + 1).cast(pl.String).str.zfill(9),
        "target": target, "date": when.dt.strftime("%d/%m/%Y"),
        "time": when.dt.strftime("%H:%M:%S"), "direction": direction, "call_type": kind,
        "calling": calling, "called": called, "duration": duration,
        "imei": pl.lit(pools.imei).gather(subj), "imsi": pl.lit(pools.imsi).gather(subj),
        "first_cell": first,
        "last_cell": pl.when(kind == "SMS").then(pl.lit("")).otherwise(last),
        "charging_id": pl.when(is_data).then((h[14] // 7).cast(pl.String).str.slice(0, 10))
        .otherwise(pl.lit("")),
    }
    frame = frame.with_columns(**cols)
    lines = frame.select(pl.concat_str([pl.col(c.key) for c in COLUMNS], separator=",")
                         .alias("line"), pl.col("record_id"))
    return _defects(lines, random.Random(seed * 7919 + start))


def _defects(lines: pl.DataFrame, rng: random.Random) -> pl.Series:
    """Exactly ``DEFECTS`` broken (and legitimately quoted) lines per million, at random
    places (scaled down for a shorter chunk, at least one of each kind)."""
    line = pl.col("line")
    swaps = {
        "width": line.str.slice(0, 40),
        "date": line.str.replace(r",\d{2}/\d{2}/2024,", ",31/02/2024,"),
        "time": line.str.replace(r",\d{2}:\d{2}:\d{2},", ",25:61:00,"),
        "direction": line.str.replace(r",(MO|MT|FWD),", ",XX,"),
        "latin1": line.str.replace(r",Voice,|,SMS,|,Data,|,Missed,|,Voicemail,|,MMS,",
                                   f",Caf{PLACEHOLDER_LATIN1},"),
        "nul": line + pl.lit("\x00"),
        "stray_quote": line.str.replace(",", ',"', literal=True, n=1),
        "blank": pl.lit(""),
        "quoted_ok": pl.concat_str([pl.lit('"') + pl.col("record_id") + pl.lit('"'),
                                    line.str.splitn(",", 2).struct.field("field_1")],
                                   separator=","),
    }
    out = lines["line"]
    n = lines.height
    counts = {k: max(1, per_million * n // 1_000_000) for k, per_million in DEFECTS.items()}
    places = rng.sample(range(n), min(n, sum(counts.values())))
    for kind, count in counts.items():
        chosen, places = places[:count], places[count:]
        if chosen:
            rows = pl.Series("n", chosen, dtype=pl.UInt32)
            out = out.scatter(rows, lines[rows].select(swaps[kind]).to_series())
    return out


def write(rows: int, out: Path, *, seed: int = DEFAULT_SEED) -> Path:
    """Write a header and ``rows`` lines (CRLF) to ``out``."""
    pools = _Pools(seed)
    with out.open("wb") as f:
        f.write((",".join(c.header for c in COLUMNS) + "\r\n").encode())
        for start in range(0, rows, CHUNK):
            lines = _chunk(pools, start, min(rows, start + CHUNK), seed)
            text = lines.str.join("\r\n").item() + "\r\n"
            data = text.encode("utf-8")
            if PLACEHOLDER_LATIN1 in text:
                data = data.replace(PLACEHOLDER_LATIN1.encode(), b"\xa3")
            f.write(data)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args(argv)
    t = time.perf_counter()
    write(args.rows, args.out, seed=args.seed)
    print(f"{args.rows} rows, {args.out.stat().st_size / 1e6:.1f} MB -> {args.out} "
          f"in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
