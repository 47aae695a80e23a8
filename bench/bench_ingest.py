"""CDR ingest: hash + parse + normalise + Parquet, against pyarrow's bare read_csv floor.

Builds a large ``uk-operator-cdr-v1`` file by repeating the bundled sample's data rows
(every line kept as written), then measures in a child process each (so peak memory is
that step's alone): SHA-256 of the file, the full parse to Parquet
(``linesight_ingest.parsing.cdr.parse_cdr_file``), and ``pyarrow.csv.read_csv`` of the
same file as the floor. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import resource
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "op-monza" / "ABC-1_deal-line_cdr.csv"
SIZES = (100_000, 1_000_000)


def build_file(rows: int, dest: Path) -> Path:
    header, *data = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    with dest.open("w", encoding="utf-8") as f:
        f.write(header)
        written = 0
        while written < rows:
            chunk = data[: rows - written]
            f.writelines(chunk)
            written += len(chunk)
    return dest


def _hash(path: str) -> dict:
    from linesight_shared.objectstore import sha256_file

    t = time.perf_counter()
    sha256_file(Path(path))
    return {"seconds": time.perf_counter() - t}


def _parse(path: str) -> dict:
    from linesight_ingest.parsing.cdr import parse_cdr_file

    out = Path(path).with_suffix(".parquet")
    t = time.perf_counter()
    result = parse_cdr_file(Path(path), exhibit_id="bench", out_path=out)
    seconds = time.perf_counter() - t
    rep = result.report
    return {"seconds": seconds, "accepted": rep.rows_accepted, "rejected": rep.rows_rejected}


def _arrow(path: str) -> dict:
    import pyarrow.csv as pacsv

    t = time.perf_counter()
    table = pacsv.read_csv(path)
    return {"seconds": time.perf_counter() - t, "rows": table.num_rows}


def _child(fn_name: str, path: str, queue) -> None:
    out = globals()[fn_name](path)  # each times its own work, imports excluded
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put({"peak_mb": peak_mb, **out})


def measure(fn_name: str, path: Path) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(fn_name, str(path), q))
    p.start()
    out = q.get()
    p.join()
    return out


def main() -> list[dict]:
    rows_out = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            path = build_file(n, Path(tmp) / f"cdr_{n}.csv")
            mb = path.stat().st_size / 1e6
            h = measure("_hash", path)
            p = measure("_parse", path)
            a = measure("_arrow", path)
            rows_out.append({"rows": n, "file_mb": round(mb, 1),
                             "hash_s": round(h["seconds"], 3),
                             "parse_s": round(p["seconds"], 3),
                             "ingest_rows_per_s": round(n / (h["seconds"] + p["seconds"])),
                             "ingest_peak_mb": round(p["peak_mb"]),
                             "arrow_read_csv_s": round(a["seconds"], 3),
                             "arrow_peak_mb": round(a["peak_mb"]),
                             "ratio_to_floor": round((h["seconds"] + p["seconds"]) / a["seconds"], 1),
                             "accepted": p["accepted"], "rejected": p["rejected"]})
    print(f"\n{'rows':>9s} {'MB':>6s} {'hash s':>7s} {'parse s':>8s} {'rows/s':>9s} "
          f"{'peak MB':>8s} {'arrow s':>8s} {'arrow MB':>9s} {'x floor':>8s}")
    for r in rows_out:
        print(f"{r['rows']:9d} {r['file_mb']:6.1f} {r['hash_s']:7.3f} {r['parse_s']:8.3f} "
              f"{r['ingest_rows_per_s']:9d} {r['ingest_peak_mb']:8d} {r['arrow_read_csv_s']:8.3f} "
              f"{r['arrow_peak_mb']:9d} {r['ratio_to_floor']:8.1f}")
    print(json.dumps(rows_out))
    return rows_out


if __name__ == "__main__":
    main()
