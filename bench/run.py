"""`make bench`: run every benchmark in bench/ and print its figures."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

BENCHMARKS = ["bench_audit", "bench_audit_load", "bench_audit_verify", "bench_ingest",
              "bench_location"]


def main() -> None:
    for name in BENCHMARKS:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            print(f"skip {name}: {exc}")
            continue
        t = time.perf_counter()
        print(f"== {name}: {mod.__doc__.strip().splitlines()[0]}")
        mod.main()
        print(f"({name} took {time.perf_counter() - t:.1f} s)\n")


if __name__ == "__main__":
    main()
