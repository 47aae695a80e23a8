"""Writing the exhibits in the formats the ingest service parses, and ``generate``.

* cell list (``cell_sites``, operator variant): ``Site ID, Site Name, Postcode,
  Technology, CGI, Grid Ref, Latitude, Longitude, Azimuth, Beamwidth, Range (m), Valid
  From, Valid To`` (``cell_list_generator``'s columns plus a range), omni cells as
  ``Omni``, dates mostly ``dd/mm/yyyy`` and some ISO;
* one CDR per number (``cdr``, ``uk-operator-cdr-v1``), UK local time, CRLF, the target
  as ``07…`` and the other party written ``07…``/``+44…``/``44…`` as operators vary;
* ANPR (``anpr``): a Metropolitan Police export with ``dd/mm/yyyy HH:MM:SS`` local times
  and a Kent Police export with ISO 8601 times carrying their UTC offset;
* tower dumps (``tower_dump``, ``uk-tower-dump-v1``), one per incident;
* ``truth.json`` (what was planted, see ``truth.py``) and ``manifest.json`` (the
  exhibits: reference, kind, producer, description, file, SHA-256, rows).

Every file is built in memory and written once; the same seed gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from linesight_ingest.parsing.layout import COLUMNS
from linesight_ingest.samples import anpr_generator, tower_dump_generator
from linesight_ingest.samples.cdr_generator import _shape
from linesight_ingest.samples.cell_list_generator import HEADER as CELL_HEADER
from linesight_ingest.samples.cell_list_generator import grid_ref
from linesight_ingest.samples.monza.anpr import Read, reads_for
from linesight_ingest.samples.monza.cast import make_cast
from linesight_ingest.samples.monza.comms import Numbers, Phone
from linesight_ingest.samples.monza.dumps import DumpRow, crowd_rows, dump_cells, phone_rows
from linesight_ingest.samples.monza.tracks import UK
from linesight_ingest.samples.monza.truth import build_truth
from linesight_ingest.samples.monza.world import World

DEFAULT_SEED = 20240916
CASE = "MONZA"
OPERATOR = "EE Ltd disclosure unit"


@dataclass(frozen=True)
class ExhibitFile:
    reference: str  # e.g. MONZA/2
    kind: str  # the ingest exhibit kind
    producer: str
    description: str
    filename: str
    sha256: str
    rows: int  # data rows (the header not counted)


@dataclass(frozen=True)
class Manifest:
    seed: int
    scale: float
    files: tuple[ExhibitFile, ...]
    truth_file: str = "truth.json"

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _local(t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC).astimezone(UK)


def cell_list(world: World, rnd: random.Random) -> list[list[str]]:
    def when(d: date | None) -> str:
        if d is None:
            return ""
        return d.isoformat() if rnd.random() < 0.2 else d.strftime("%d/%m/%Y")

    repointed, moved_on, new_az = world.repointed
    rows = []
    for idx, cell in enumerate(world.cells):
        site = world.sites[cell.site]
        live = max(site.live, date(2014, 6, 1)) if cell.radio == "LTE" else site.live
        end = date(2024, 1, 8) + (date(2024, 3, 20) - date(2024, 1, 8)) * (cell.site % 7) / 7 \
            if cell.radio == "UMTS" else None
        periods = [(live, end, cell.azimuth)]
        if idx == repointed:
            periods = [(live, moved_on, cell.azimuth), (moved_on, None, new_az)]
        for start, stop, az in periods:
            rows.append([site.site_id, site.name, site.postcode,
                         {"GSM": "2G", "UMTS": "3G", "LTE": "4G"}[cell.radio], cell.cgi,
                         grid_ref(site.lat, site.lon), f"{site.lat:.6f}", f"{site.lon:.6f}",
                         "Omni" if az is None else str(az),
                         "360" if az is None else str(site.beamwidth), str(site.range_m),
                         when(start), when(stop)])
    return rows


def cdr(phone: Phone, seed: int) -> list[list[str]]:
    rnd = random.Random(f"{seed}:cdr:{phone.key}")
    me, target = "44" + phone.nsn, "0" + phone.nsn
    rows = []
    for i, (e, first, last) in enumerate(zip(phone.events, phone.first, phone.last,
                                             strict=True), start=1):
        local = _local(e.t)
        other = _shape(e.other, rnd) if e.other_is_number and e.other else e.other
        calling, called = (me, other) if e.direction == "MO" else (other, me)
        data = e.ctype == "Data"
        rows.append([f"R{i:07d}", target, local.strftime("%d/%m/%Y"), local.strftime("%H:%M:%S"),
                     e.direction, e.ctype, calling, "" if data else called,
                     "" if e.duration is None else str(e.duration), phone.imei_at(e.t),
                     phone.imsi, first, last or "",
                     f"{rnd.getrandbits(32):08X}" if data else ""])
    return rows


def anpr_rows(reads: list[Read], iso: bool, rnd: random.Random) -> list[list[str]]:
    rows = []
    for r in sorted(reads, key=lambda r: (r.t, r.camera.camera_id, r.vrm)):
        when = _local(r.t)
        stamp = when.isoformat(timespec="seconds") if iso else when.strftime("%d/%m/%Y %H:%M:%S")
        plate = r.vrm if rnd.random() < 0.7 else r.vrm.replace(" ", "")
        rows.append([plate, r.camera.camera_id, stamp, f"{r.camera.lat:.6f}",
                     f"{r.camera.lon:.6f}", r.camera.direction, f"{r.confidence:.2f}"])
    return rows


def dump_rows(rows: list[DumpRow]) -> list[list[str]]:
    out = []
    for r in sorted(rows, key=lambda r: (int(r.t), r.cell, r.subject or "", r.event_type, r.t)):
        local = _local(r.t)
        out.append([r.cell, local.strftime("%d/%m/%Y"), local.strftime("%H:%M:%S"),
                    r.event_type, r.a, r.b, r.imsi, r.imei, r.duration])
    return out


def generate(out_dir: Path, *, seed: int = DEFAULT_SEED, scale: float = 1.0) -> Manifest:
    """Write the whole scenario into ``out_dir`` (created if missing) and return the
    manifest. The same ``seed`` and ``scale`` always give byte-identical files."""
    if not scale > 0:
        raise ValueError(f"scale must be above 0, got {scale}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cast = make_cast(seed, scale)
    files: list[ExhibitFile] = []

    def put(kind: str, producer: str, description: str, slug: str, header: list[str],
            rows: list[list[str]]) -> str:
        ref = f"{CASE}/{len(files) + 1}"
        name = f"{CASE}-{len(files) + 1:02d}_{slug}.csv"
        data = _csv(header, rows)
        (out_dir / name).write_bytes(data)
        files.append(ExhibitFile(ref, kind, producer, description, name,
                                 hashlib.sha256(data).hexdigest(), len(rows)))
        return ref

    put("cell_sites", OPERATOR, "Operator cell list: every cell of the network in the area "
        "of London SE, the A2/M2/A299 corridor and Thanet, with validity periods",
        "cell-list", CELL_HEADER[:10] + ["Range (m)"] + CELL_HEADER[10:],
        cell_list(cast.world, random.Random(f"{seed}:cells")))
    cdr_header = [c.header for c in COLUMNS]
    line, runner = cast.phones["deal_line"], cast.phones["runner"]
    refs: dict[str, str] = {}
    refs["deal_line"] = put("cdr", OPERATOR, f"Call data records for 0{line.nsn}: the number "
                            "saved as 'Shop' in the seized phone (the deal line)",
                            f"cdr_0{line.nsn}", cdr_header, cdr(line, seed))
    refs["runner"] = put("cdr", OPERATOR, f"Call data records for 0{runner.nsn}: the phone "
                         "seized from the arrested 16-year-old at Margate station",
                         f"cdr_0{runner.nsn}", cdr_header, cdr(runner, seed))
    others = sorted((p for p in cast.phones.values() if p.role in ("suspect", "decoy")),
                    key=lambda p: p.nsn)
    for p in others:  # suspects and decoys together, by number: nothing in the order tells
        refs[p.key] = put("cdr", OPERATOR, f"Call data records for 0{p.nsn} (number of "
                          "interest)", f"cdr_0{p.nsn}", cdr_header, cdr(p, seed))
    reads: list[Read] = []
    read_rnd = random.Random(f"{seed}:anpr")
    for car in cast.cars:
        reads += reads_for(car.vrm, car.track, cast.world.cameras, read_rnd)
    fmt_rnd = random.Random(f"{seed}:anpr-format")
    for force, iso, slug, producer in (
            ("Met", False, "anpr_met", "Metropolitan Police ANPR bureau (NADC extract)"),
            ("Kent", True, "anpr_kent", "Kent Police ANPR bureau (NADC extract)")):
        put("anpr", producer, f"ANPR reads, {force} cameras on the A2/M2/A299 corridor and in "
            "the towns, 16/09/2024-15/11/2024", slug, list(anpr_generator.HEADER),
            anpr_rows([r for r in reads if r.camera.force == force], iso, fmt_rnd))
    numbers = Numbers(random.Random(f"{seed}:crowd"))
    numbers.used |= {p.nsn for p in cast.phones.values()} | set(cast.customers)
    crowd_rnd = random.Random(f"{seed}:dump")
    shared = [(numbers.new(), numbers.imsi(), numbers.imei()) for _ in range(3)]
    dumps = []
    for inc in cast.plan.incidents:
        cells = dump_cells(cast.world, inc)
        rows = phone_rows(cast.phones, cast.world, cells, inc.window)
        rows += crowd_rows(inc, cells, numbers, crowd_rnd, scale,
                           shared if inc.number in (1, 2) else [])
        ref = put("tower_dump", OPERATOR, f"Tower dump {inc.number}: {inc.name}, "
                  f"{_local(inc.window[0]):%d/%m/%Y %H:%M}-{_local(inc.window[1]):%H:%M}",
                  f"tower-dump-{inc.number}", list(tower_dump_generator.HEADER),
                  dump_rows(rows))
        dumps.append((ref, inc, cells, rows))
    truth = build_truth(cast, refs, dumps, reads, [s[0] for s in shared])
    (out_dir / "truth.json").write_text(json.dumps(truth, indent=2, sort_keys=True) + "\n",
                                        encoding="utf-8")
    manifest = Manifest(seed, scale, tuple(files))
    (out_dir / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
    return manifest


__all__ = ["DEFAULT_SEED", "ExhibitFile", "Manifest", "generate"]
