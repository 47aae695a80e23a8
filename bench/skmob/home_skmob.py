"""scikit-mobility's ``home_location`` on a points file, timed; run inside bench/.venv-skmob.

    bench/.venv-skmob/bin/python bench/skmob/home_skmob.py POINTS.parquet HOMES.parquet

``POINTS.parquet`` holds ``uid``, ``datetime`` (UK local wall-clock time, no zone), ``lat``
and ``lng``: one row per event with a cell (``bench/location_data.py``). The script builds
a ``skmob.TrajDataFrame`` from it (timed apart, not counted), then times only the call
``skmob.measures.individual.home_location(tdf)`` with its defaults (night from 22:00 to
07:00; ``show_progress=False`` so no progress bar is drawn). scikit-mobility's method: per
user, the (lat, lng) seen most often at night, or over all times when the user has no
night point; ties go to whichever pandas' sort puts first.

Writes the homes (``uid``, ``lat``, ``lng``) to ``HOMES.parquet`` and prints one JSON line:
``seconds`` (the call, wall), ``cpu_s`` (its user + system CPU seconds), ``build_s`` (the
TrajDataFrame), ``users``, ``rows``, ``input_mb`` (resident before the call) and
``peak_mb`` (peak resident during the call, input included: the kernel's high-water mark
is reset just before it), and the library versions.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_s() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def _reset_peak() -> bool:
    """Reset this process's VmHWM to its current resident size (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def main() -> None:
    points_path, homes_path = Path(sys.argv[1]), Path(sys.argv[2])
    import pandas as pd
    import skmob
    from skmob.measures.individual import home_location

    frame = pd.read_parquet(points_path)
    t = time.perf_counter()
    tdf = skmob.TrajDataFrame(frame, latitude="lat", longitude="lng", datetime="datetime",
                              user_id="uid")
    build_s = time.perf_counter() - t
    del frame
    peak_reset = _reset_peak()
    input_mb = _status_mb("VmRSS")
    cpu, t = _cpu_s(), time.perf_counter()
    homes = home_location(tdf, show_progress=False)
    seconds, cpu_s = time.perf_counter() - t, _cpu_s() - cpu
    peak_mb = _status_mb("VmHWM")
    homes[["uid", "lat", "lng"]].to_parquet(homes_path, index=False)
    import numpy

    print(json.dumps({
        "seconds": seconds, "cpu_s": cpu_s, "build_s": build_s, "rows": len(tdf),
        "users": int(homes["uid"].nunique()), "input_mb": input_mb, "peak_mb": peak_mb,
        "peak_reset": peak_reset,
        "versions": {"scikit-mobility": skmob.__version__, "pandas": pd.__version__,
                     "numpy": numpy.__version__, "python": sys.version.split()[0]},
    }))


if __name__ == "__main__":
    main()
