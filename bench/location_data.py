"""Bulk location data for benchmarks: canonical ``events`` and ``cells`` frames, seeded.

    .venv/bin/python bench/location_data.py --events 10000000 --out /tmp/loc [--phones P]

What the data holds (all invented; any match with a real number or mast is coincidence):

* **Cells**: one operator (MCC 234, MNC 30), one mast per phone (at least 60) scattered
  over a 40 x 40 km box around Lewisham (51.46 N, 0.02 W). 85% of sites have three sectors
  (azimuths 0/120/240, beamwidth 65-120 degrees), the rest one omni cell (no azimuth); 60%
  are 4G (ECGI ``234-30-ECI``), the rest 3G (CGI ``234-30-LAC-CI``); range 500-3,000 m.
  No validity window (``valid_from``/``valid_to`` null: valid at every time).
* **Phones** (``P``, by default one per 10,000 events, at least 10): each has a home, a
  workplace and six other haunts within a few km of home, each served by the nearest
  mast's sector facing it. Phones differ in how busy they are (log-normal weights).
* **Events** over 61 days (2024-09-16 to 2024-11-15 UK time, across the end of BST):
  the local hour follows a diurnal curve (quiet at 02-05, busy from 08 to 21). At night
  (22:00-06:59 local) a phone is at home 92% of the time, else at a haunt; by day at work
  45%, home 20%, a haunt 35%. Kinds: data 40%, SMS 30%, voice 22%, MMS 3%, missed 4%,
  voicemail 1%; 1% of events name no cell; voice calls name a last cell too.
* **Planted companions**: phones 1-3 travel with phone 0 (the target): 20%, 10% and 5% of
  their events are copied from a random target event (its cell, its time +/- 5 minutes).
* One exhibit per phone (one CDR file per number, as operators serve them); ``source_row``
  counts that file's lines in time order from 2 (line 1 is the header).

Local times become UTC with the Europe/London rules (Polars); an event in the repeated
hour of 27 October is read as the first (BST) one and flagged ``ambiguous``.

``points`` is the same events as scikit-mobility wants them: one row per event with a
cell (``uid`` = phone number index, ``datetime`` = UK local wall-clock time, ``lat``/``lng``
of the first cell's mast). ``truth`` lists each phone's planted home cell.

Vectorised with numpy (``numpy.random.Generator``, PCG64) and Polars: the same seed gives
the same frames; 10M events take 6-12 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import polars as pl
from linesight_shared.tables import CELLS_SCHEMA, EVENTS_SCHEMA

DEFAULT_SEED = 20241027
EVENTS_PER_PHONE = 10_000
MIN_PHONES = 10
FIRST_DAY = np.datetime64("2024-09-16T00:00:00", "s")
DAYS = 61
CENTRE_LAT, CENTRE_LON = 51.46, -0.02
HALF_SIDE_KM = 20.0
KM_PER_DEG_LAT = 111.2
KM_PER_DEG_LON = KM_PER_DEG_LAT * np.cos(np.radians(CENTRE_LAT))
HAUNTS = 6
#: relative activity per local hour 00..23
DIURNAL = np.array([2, 1.2, 0.6, 0.4, 0.4, 0.6, 1.5, 3.5, 5, 5.5, 5.5, 5.5,
                    6, 6, 5.5, 5.5, 6, 6.5, 7, 7, 6.5, 5.5, 4.5, 3], dtype=float)
NIGHT_HOURS = (22, 7)  # night is local hour >= 22 or < 7
KINDS = np.array(["data", "sms", "voice", "mms", "missed", "voicemail"])
KIND_P = np.array([0.40, 0.30, 0.22, 0.03, 0.04, 0.01])
#: (phone index, share of its events copied from the target's)
COMPANIONS = ((1, 0.20), (2, 0.10), (3, 0.05))
CONTACTS = 5_000
CELLS_EXHIBIT = "BENCH-CELLS"


def default_phones(events: int) -> int:
    """One phone per 10,000 events, at least 10 (1,000 phones at 10M events)."""
    return max(MIN_PHONES, events // EVENTS_PER_PHONE)


@dataclass(frozen=True)
class LocationData:
    """The canonical frames, the same events as lat/lng points, and the planted truth."""

    events: pl.DataFrame  # EVENTS_SCHEMA
    cells: pl.DataFrame  # CELLS_SCHEMA
    points: pl.DataFrame  # uid, datetime (UK local, naive), lat, lng: events with a cell
    truth: pl.DataFrame  # uid, subject, exhibit_id, home_cgi, home_lat, home_lon, role
    exhibits: dict[str, str]  # exhibit_id -> reference

    @property
    def target(self) -> str:
        """The subject the companions travel with (phone 0)."""
        return self.truth.get_column("subject")[0]


def _subject(index: pl.Expr) -> pl.Expr:
    return pl.lit("+4474") + index.cast(pl.String).str.zfill(8)


def _contact(index: pl.Expr) -> pl.Expr:
    return pl.lit("+4475") + index.cast(pl.String).str.zfill(8)


def _exhibit(index: pl.Expr) -> pl.Expr:
    return pl.lit("BENCH-") + index.cast(pl.String).str.zfill(5)


# --- the world: sites and cells ----------------------------------------------------------

@dataclass(frozen=True)
class _World:
    site_lat: np.ndarray
    site_lon: np.ndarray
    site_first_cell: np.ndarray  # index of the site's first cell
    site_sectored: np.ndarray  # bool: three sectors (else one omni cell)
    cells: pl.DataFrame


def _world(rng: np.random.Generator, sites: int) -> _World:
    north_km = rng.uniform(-HALF_SIDE_KM, HALF_SIDE_KM, sites)
    east_km = rng.uniform(-HALF_SIDE_KM, HALF_SIDE_KM, sites)
    lat = np.round(CENTRE_LAT + north_km / KM_PER_DEG_LAT, 6)
    lon = np.round(CENTRE_LON + east_km / KM_PER_DEG_LON, 6)
    sectored = rng.random(sites) < 0.85
    lte = rng.random(sites) < 0.60
    per_site = np.where(sectored, 3, 1)
    first = np.concatenate([[0], np.cumsum(per_site)[:-1]])
    site = np.repeat(np.arange(sites), per_site)
    sector = np.arange(site.size) - first[site]  # 0..2, or 0 for omni
    n = site.size
    enodeb = 10_000 + site
    eci = (enodeb << 8) | (sector + 1)
    lac = 1_000 + site // 50
    ci = site * 10 + sector + 1
    is_lte = lte[site]
    omni = ~sectored[site]
    cgi = np.where(is_lte, np.char.add("234-30-", eci.astype(str)),
                   np.char.add(np.char.add("234-30-", lac.astype(str)),
                               np.char.add("-", ci.astype(str))))
    cells = pl.DataFrame({
        "exhibit_id": np.full(n, CELLS_EXHIBIT),
        "source_row": np.arange(2, n + 2, dtype=np.int64),
        "source_ref": pl.Series([None] * n, dtype=pl.String),
        "cgi": cgi,
        "radio": np.where(is_lte, "LTE", "UMTS"),
        "mcc": np.full(n, 234, dtype=np.int32),
        "mnc": np.full(n, 30, dtype=np.int32),
        "lac": pl.Series(np.where(is_lte, 0, lac)).set(pl.Series(is_lte), None),
        "cell_id": np.where(is_lte, eci, ci).astype(np.int64),
        "enodeb_id": pl.Series(enodeb.astype(np.int64)).set(pl.Series(~is_lte), None),
        "sector": pl.Series((sector + 1).astype(np.int32)).set(pl.Series(~is_lte), None),
        "lat": lat[site],
        "lon": lon[site],
        "azimuth": pl.Series((sector * 120).astype(float)).set(pl.Series(omni), None),
        "beamwidth": pl.Series(np.round(rng.uniform(65, 120, n))).set(pl.Series(omni), None),
        "range_m": np.round(rng.uniform(500, 3000, n)),
        "site_name": np.char.add("BENCH SITE ", site.astype(str)),
        "postcode": pl.Series([None] * n, dtype=pl.String),
        "grid_ref": pl.Series([None] * n, dtype=pl.String),
        "valid_from": pl.Series([None] * n, dtype=pl.Datetime("us", "UTC")),
        "valid_to": pl.Series([None] * n, dtype=pl.Datetime("us", "UTC")),
        "source": np.full(n, "operator"),
    })
    cells = pl.from_arrow(cells.to_arrow().cast(CELLS_SCHEMA))
    return _World(lat, lon, first, sectored, cells)


def _serving_cell(world: _World, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Index of the cell serving each point: the nearest site's sector facing the point."""
    out = np.empty(lat.size, dtype=np.int64)
    for start in range(0, lat.size, 2_000):  # blocks keep the distance matrix small
        la, lo = lat[start:start + 2_000, None], lon[start:start + 2_000, None]
        d_north = (la - world.site_lat[None, :]) * KM_PER_DEG_LAT
        d_east = (lo - world.site_lon[None, :]) * KM_PER_DEG_LON
        site = np.argmin(d_north ** 2 + d_east ** 2, axis=1)
        rows = np.arange(site.size)
        bearing = np.degrees(np.arctan2(d_east[rows, site], d_north[rows, site])) % 360
        sector = np.where(world.site_sectored[site], ((bearing + 60) % 360 // 120), 0)
        out[start:start + 2_000] = world.site_first_cell[site] + sector.astype(np.int64)
    return out


# --- phones and their places -------------------------------------------------------------

def _places(rng: np.random.Generator, world: _World, phones: int) -> np.ndarray:
    """Cell index per phone and place: column 0 home, 1 work, 2.. haunts."""
    home_n = rng.uniform(-HALF_SIDE_KM * 0.8, HALF_SIDE_KM * 0.8, phones)
    home_e = rng.uniform(-HALF_SIDE_KM * 0.8, HALF_SIDE_KM * 0.8, phones)
    spread_km = np.concatenate([[0.0, 8.0], np.full(HAUNTS, 3.0)])
    north = home_n[:, None] + rng.normal(0, 1, (phones, spread_km.size)) * spread_km
    east = home_e[:, None] + rng.normal(0, 1, (phones, spread_km.size)) * spread_km
    lat = CENTRE_LAT + north / KM_PER_DEG_LAT
    lon = CENTRE_LON + east / KM_PER_DEG_LON
    return _serving_cell(world, lat.ravel(), lon.ravel()).reshape(phones, spread_km.size)


def _event_times_and_places(rng: np.random.Generator, places: np.ndarray, events: int
                            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Phone, UK local time (datetime64[s]) and cell index of every event."""
    phones = places.shape[0]
    weight = rng.lognormal(0.0, 0.6, phones)
    counts = rng.multinomial(events - phones, weight / weight.sum()) + 1  # each phone >= 1
    phone = np.repeat(np.arange(phones), counts)
    day = rng.integers(0, DAYS, events)
    hour = rng.choice(24, events, p=DIURNAL / DIURNAL.sum())
    second = hour * 3600 + rng.integers(0, 3600, events)
    local = FIRST_DAY + (day * 86_400 + second).astype("timedelta64[s]")
    night = (hour >= NIGHT_HOURS[0]) | (hour < NIGHT_HOURS[1])
    draw = rng.random(events)
    haunt = 2 + rng.integers(0, HAUNTS, events)
    place = np.where(night, np.where(draw < 0.92, 0, haunt),
                     np.where(draw < 0.45, 1, np.where(draw < 0.65, 0, haunt)))
    cell = places[phone, place]
    target = np.flatnonzero(phone == 0)
    for companion, share in COMPANIONS:
        if companion >= phones:
            continue
        own = np.flatnonzero(phone == companion)
        copied = rng.choice(own, int(own.size * share), replace=False)
        source = rng.choice(target, copied.size)
        jitter = rng.integers(-300, 301, copied.size).astype("timedelta64[s]")
        local[copied] = local[source] + jitter
        cell[copied] = cell[source]
    return phone, local, cell


# --- the events frame --------------------------------------------------------------------

KIND_DATA, KIND_SMS, KIND_VOICE, KIND_MMS, KIND_MISSED, KIND_VOICEMAIL = range(6)
DIRECTIONS_BY_CODE = ("out", "in", "forward")


def _codes(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Kind, direction, party, duration and cell draws of ``n`` events, as numbers."""
    kind = rng.choice(KINDS.size, n, p=KIND_P)
    incoming = np.where((kind == KIND_MISSED) | (kind == KIND_VOICEMAIL), True,
                        (kind != KIND_DATA) & (rng.random(n) < 0.5))
    forward = (kind == KIND_VOICE) & (rng.random(n) < 0.01)
    duration = np.select(
        [kind == KIND_VOICE, kind == KIND_DATA, kind == KIND_VOICEMAIL],
        [rng.exponential(120, n) + 1, rng.exponential(900, n) + 1, rng.exponential(30, n) + 1],
        0).astype(np.int64)
    return {
        "kind": kind.astype(np.int8),
        "direction": np.where(forward, 2, incoming.astype(np.int8)).astype(np.int8),
        "withheld": incoming & (kind != KIND_DATA) & (rng.random(n) < 0.03),
        # a few contacts are far busier than the rest
        "contact": (CONTACTS * rng.random(n) ** 3).astype(np.int64),
        "duration_s": duration,
        "no_cell": rng.random(n) < 0.01,
        "last_moved": rng.random(n) < 0.2,
        "last_haunt": 2 + rng.integers(0, HAUNTS, n),
    }


def _events(rng: np.random.Generator, world: _World, phone: np.ndarray, local: np.ndarray,
            cell: np.ndarray, places: np.ndarray) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The EVENTS_SCHEMA frame, in (exhibit, source_row) order, and (phone, local,
    first_cell) of the same rows."""
    n = phone.size
    code = _codes(rng, n)
    # by phone, then time; equal times stay in draw order (random), as the sort is stable
    seconds = (local - FIRST_DAY).astype(np.int64)
    order = np.argsort(phone * (1 << 32) + seconds, kind="stable")
    phone, local, cell = phone[order], local[order], cell[order]
    code = {k: v[order] for k, v in code.items()}
    last_cell = np.where(code["last_moved"], places[phone, code["last_haunt"]], cell)
    has_last = ((code["kind"] == KIND_VOICE) & (code["duration_s"] > 0) & ~code["no_cell"])
    phones = places.shape[0]
    index = pl.int_range(phones, eager=True)
    subjects = pl.select(_subject(index)).to_series()
    exhibits = pl.select(_exhibit(index)).to_series()
    imeis = pl.select(pl.lit("35") + (index * 7919 % 10 ** 13).cast(pl.String).str.zfill(13)
                      ).to_series()
    imsis = pl.select(pl.lit("23430") + index.cast(pl.String).str.zfill(10)).to_series()
    contacts = pl.select(_contact(pl.int_range(CONTACTS, eager=True))).to_series()
    cgi = world.cells.get_column("cgi")
    row = np.arange(n)
    first_row_of_phone = np.searchsorted(phone, np.arange(phones))
    frame = pl.DataFrame({
        "phone": phone,
        "local": local.astype("datetime64[us]"),
        "exhibit_id": exhibits.gather(phone),
        "source_row": (row - first_row_of_phone[phone] + 2).astype(np.int64),
        "subject": subjects.gather(phone),
        "other": contacts.gather(code["contact"]),
        "withheld": code["withheld"],
        "direction": pl.Series(DIRECTIONS_BY_CODE).gather(code["direction"]),
        "kind": pl.Series(KINDS.tolist()).gather(code["kind"]),
        "duration_s": code["duration_s"],
        "imei": imeis.gather(phone),
        "imsi": imsis.gather(phone),
        "first_cell": cgi.gather(cell).set(pl.Series(code["no_cell"]), None),
        "last_cell": cgi.gather(last_cell).set(pl.Series(~has_last), None),
    })
    del code, last_cell, has_last, row
    me, other = pl.col("subject"), pl.col("other")
    is_in, is_data, hidden = (pl.col("direction") == "in", pl.col("kind") == "data",
                              pl.col("withheld"))
    ambiguous_hour = pl.col("local").is_between(datetime(2024, 10, 27, 1),
                                                datetime(2024, 10, 27, 2), closed="left")
    events = frame.lazy().with_columns(
        event_id=pl.col("exhibit_id") + ":" + pl.col("source_row").cast(pl.String),
        a_party=pl.when(hidden).then(None).when(is_in).then(other).otherwise(me),
        a_party_raw=pl.when(hidden).then(pl.lit("Withheld")).when(is_in).then(other)
        .otherwise(me),
        a_party_kind=pl.when(hidden).then(pl.lit("withheld")).otherwise(pl.lit("e164")),
        b_party=pl.when(is_data).then(None).when(is_in).then(me).otherwise(other),
        b_party_raw=pl.when(is_data).then(None).when(is_in).then(me).otherwise(other),
        b_party_kind=pl.when(is_data).then(pl.lit("absent")).otherwise(pl.lit("e164")),
        start_utc=pl.col("local").dt.replace_time_zone("Europe/London", ambiguous="earliest")
        .dt.convert_time_zone("UTC"),
        start_local_raw=pl.col("local").dt.strftime("%d/%m/%Y %H:%M:%S"),
        source_tz=pl.lit("Europe/London"),
        time_flag=pl.when(ambiguous_hour).then(pl.lit("ambiguous")),
        charging_id=pl.when(is_data).then(pl.int_range(pl.len()).cast(pl.String)),
    ).select(EVENTS_SCHEMA.names).collect()
    _check_schema(events, EVENTS_SCHEMA)
    return events, frame.select("phone", "local", "first_cell")


def _check_schema(frame: pl.DataFrame, schema) -> None:
    """The frame has the canonical table's columns and types (as Polars reads them)."""
    want = pl.from_arrow(schema.empty_table()).schema
    if frame.schema != want:
        raise AssertionError(f"generated frame does not match {schema.metadata}: "
                             f"{frame.schema} != {want}")


def generate(events: int, phones: int | None = None, *, seed: int = DEFAULT_SEED
             ) -> LocationData:
    """``events`` events of ``phones`` phones (default :func:`default_phones`), seeded."""
    phones = default_phones(events) if phones is None else phones
    if not 1 <= phones <= events:
        raise ValueError(f"need 1 <= phones ({phones}) <= events ({events})")
    rng = np.random.default_rng(seed)
    world = _world(rng, sites=max(60, phones))
    places = _places(rng, world, phones)
    phone, local, cell = _event_times_and_places(rng, places, events)
    frame, by_phone = _events(rng, world, phone, local, cell, places)
    del phone, local, cell
    cells = world.cells
    position = cells.select(first_cell="cgi", lat="lat", lng="lon")
    points = (by_phone.filter(pl.col("first_cell").is_not_null())
              .join(position, on="first_cell", how="left")
              .select(uid="phone", datetime="local", lat="lat", lng="lng"))
    home = cells[places[:, 0].tolist()]
    index = pl.int_range(phones, dtype=pl.Int64)
    truth = pl.select(
        uid=index, subject=_subject(index),
        exhibit_id=_exhibit(index),
        home_cgi=home.get_column("cgi"), home_lat=home.get_column("lat"),
        home_lon=home.get_column("lon"),
        role=pl.when(index == 0).then(pl.lit("target"))
        .when(index.is_in([c for c, _ in COMPANIONS])).then(pl.lit("companion"))
        .otherwise(pl.lit("other")))
    exhibits = {e: f"BENCH/{i + 1}" for i, e in enumerate(truth.get_column("exhibit_id"))}
    exhibits[CELLS_EXHIBIT] = "BENCH/CELLS"
    return LocationData(events=frame, cells=cells, points=points, truth=truth,
                        exhibits=exhibits)


def write(data: LocationData, out_dir: Path) -> dict[str, Path]:
    """Parquet files ``events``, ``cells``, ``points``, ``truth`` and ``exhibits.json``
    (exhibit id -> reference) in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in ("events", "cells", "points", "truth"):
        paths[name] = out_dir / f"{name}.parquet"
        getattr(data, name).write_parquet(paths[name], compression="lz4")
    paths["exhibits"] = out_dir / "exhibits.json"
    paths["exhibits"].write_text(json.dumps(data.exhibits, indent=1, sort_keys=True))
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, required=True)
    ap.add_argument("--phones", type=int, default=None)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    t = time.perf_counter()
    data = generate(args.events, args.phones, seed=args.seed)
    built = time.perf_counter() - t
    write(data, args.out)
    print(f"{data.events.height:,} events, {data.truth.height:,} phones, "
          f"{data.cells.height:,} cells, {data.points.height:,} points: built in {built:.1f} s, "
          f"written to {args.out}")


if __name__ == "__main__":
    main()
