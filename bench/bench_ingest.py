"""CDR ingest: hash + parse + normalise + Parquet, against pyarrow's bare read_csv floor.

Makes a realistic ``uk-operator-cdr-v1`` file of each size with the bulk generator
(``linesight_ingest.samples.cdr_bulk``: many subjects, every number shape, withheld
callers, BST edges, a few defects per million), then measures in a child process each (so
peak memory is that step's alone): SHA-256 of the file; the full parse to Parquet by each
engine; and ``pyarrow.csv.read_csv`` of the same file as the floor (type inference on,
all threads, with an ``invalid_row_handler`` that skips the file's few wrong-width lines,
without which it stops at the first). Engines:

* ``v1``: ``linesight_ingest.parsing.cdr_v1.parse_v1_file``, the block reader and
  distinct-value normaliser;
* ``profile``: ``linesight_ingest.parsing.cdr.parse_cdr_file``, the layout read through
  its built-in mapping profile (``parsing/profiles``), line by line.

Both write the same Parquet bytes. Prints figures; asserts nothing about time.

    python bench/bench_ingest.py                       # 1M and 10M rows, both engines
    python bench/bench_ingest.py 1000000 --engines v1  # one size, one engine
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import tempfile
import time
from pathlib import Path

SIZES = (1_000_000, 10_000_000)
ENGINES = ("v1", "profile")


def build_file(rows: int, dest: Path) -> tuple[Path, float]:
    from linesight_ingest.samples.cdr_bulk import write

    t = time.perf_counter()
    write(rows, dest)
    return dest, time.perf_counter() - t


def _quiet() -> None:
    import logging

    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def _hash(path: str) -> dict:
    from linesight_shared.objectstore import sha256_file

    t = time.perf_counter()
    sha256_file(Path(path))
    return {"seconds": time.perf_counter() - t}


def _parse(path: str, engine: str) -> dict:
    _quiet()
    if engine == "v1":
        from linesight_ingest.parsing.cdr_v1 import parse_v1_file as parse
    else:
        from linesight_ingest.parsing.cdr import parse_cdr_file as parse
    out = Path(path).with_suffix(f".{engine}.parquet")
    t = time.perf_counter()
    result = parse(Path(path), exhibit_id="bench", out_path=out)
    seconds = time.perf_counter() - t
    rep = result.report
    return {"seconds": seconds, "accepted": rep.rows_accepted, "rejected": rep.rows_rejected}


def _parse_v1(path: str) -> dict:
    return _parse(path, "v1")


def _parse_profile(path: str) -> dict:
    return _parse(path, "profile")


def _arrow(path: str) -> dict:
    import pyarrow.csv as pacsv

    skip = pacsv.ParseOptions(invalid_row_handler=lambda row: "skip")
    t = time.perf_counter()
    table = pacsv.read_csv(path, parse_options=skip)
    return {"seconds": time.perf_counter() - t, "rows": table.num_rows}


def _peak_mb() -> float:
    """This process's peak resident memory (``VmHWM``). Not ``ru_maxrss``: on Linux that
    carries the parent's peak across fork and exec into a spawned child."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def _child(fn_name: str, path: str, queue) -> None:
    cpu = _cpu_seconds()
    out = globals()[fn_name](path)  # each times its own work, imports excluded
    queue.put({"peak_mb": _peak_mb(), "cpu_s": _cpu_seconds() - cpu, **out})


def measure(fn_name: str, path: Path) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(fn_name, str(path), q))
    p.start()
    out = q.get()
    p.join()
    return out


def main(sizes: tuple[int, ...] = SIZES, engines: tuple[str, ...] = ENGINES) -> list[dict]:
    rows_out = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path, gen_s = build_file(n, Path(tmp) / f"cdr_{n}.csv")
            mb = path.stat().st_size / 1e6
            print(f"generated {n:,} rows ({mb:.1f} MB) in {gen_s:.1f} s", flush=True)
            h = measure("_hash", path)
            a = measure("_arrow", path)
            for engine in engines:
                p = measure(f"_parse_{engine}", path)
                ingest_s = h["seconds"] + p["seconds"]
                rows_out.append({"rows": n, "engine": engine, "file_mb": round(mb, 1),
                                 "generate_s": round(gen_s, 1),
                                 "hash_s": round(h["seconds"], 3),
                                 "parse_s": round(p["seconds"], 3),
                                 "ingest_rows_per_s": round(n / ingest_s),
                                 "ingest_peak_mb": round(p["peak_mb"]),
                                 "arrow_read_csv_s": round(a["seconds"], 3),
                                 "arrow_peak_mb": round(a["peak_mb"]),
                                 "ratio_to_floor": round(ingest_s / a["seconds"], 1),
                                 # CPU seconds (all threads; imports included): less
                                 # sensitive than wall time to other load on the machine
                                 "ingest_cpu_s": round(h["cpu_s"] + p["cpu_s"], 1),
                                 "arrow_cpu_s": round(a["cpu_s"], 1),
                                 "accepted": p["accepted"], "rejected": p["rejected"]})
                print(f"  {engine}: {ingest_s:.1f} s", flush=True)
    print(f"\n{'rows':>9s} {'engine':>7s} {'MB':>7s} {'hash s':>7s} {'parse s':>8s} "
          f"{'rows/s':>9s} {'peak MB':>8s} {'arrow s':>8s} {'arrow MB':>9s} {'x floor':>8s} "
          f"{'cpu s':>6s} {'arrow cpu s':>11s}")
    for r in rows_out:
        print(f"{r['rows']:9d} {r['engine']:>7s} {r['file_mb']:7.1f} {r['hash_s']:7.3f} "
              f"{r['parse_s']:8.3f} {r['ingest_rows_per_s']:9d} {r['ingest_peak_mb']:8d} "
              f"{r['arrow_read_csv_s']:8.3f} {r['arrow_peak_mb']:9d} "
              f"{r['ratio_to_floor']:8.1f} {r['ingest_cpu_s']:6.1f} {r['arrow_cpu_s']:11.1f}")
    print(json.dumps(rows_out))
    return rows_out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    ap.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    args = ap.parse_args()
    main(tuple(args.sizes), tuple(args.engines))
