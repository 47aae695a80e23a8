"""Location analytics: where each phone sleeps, ours against scikit-mobility and pandas.

    .venv/bin/python bench/bench_location.py [--sizes 100000,1000000,10000000]

For each size the bulk generator (``bench/location_data.py``: 1,000 phones at 10M events,
one home cell each used at night, planted companions of phone 0) writes the canonical
``events`` and ``cells`` frames and the same events as lat/lng points (UK local time).
Then, each in its own process, so peak memory is that step's alone:

* **scikit-mobility** (``skmob``): ``skmob.measures.individual.home_location`` with its
  defaults (night 22:00-07:00), run by ``bench/skmob/home_skmob.py`` inside
  ``bench/.venv-skmob`` (made on first run from ``bench/skmob/requirements.txt``: skmob
  needs numpy<2 and shapely<2, the project has numpy 2). Only the call is timed.
* **pandas**: the same method written plainly in pandas, in the project venv: the points
  between 22:00 and 07:00 (``between_time``, both ends included), counted per user and
  (lat, lng); the most frequent wins (ties: lowest lat, then lng); a user with no night
  point gets the most frequent place over all times, as skmob does.
* **ours** (``linesight_analytics``), imported lazily and skipped with a message until it
  exists: ``inactivity.compute`` for every phone (``ours_home``: one call with no subject
  given, or, if its parameters require a subject, one call per phone on that phone's own
  exhibit: the like-for-like figure against the baselines' every-user answer), and for
  phone 0 alone with every event in (``ours_inactivity_target``);
  ``geo.locate.locate(events, cells)`` of every event; ``colocation.compute`` of phone 0
  against every other phone, every event in.

The baselines start from ready lat/lng points in local time; ours starts from the
canonical events and cells (it locates, converts times and keeps every source row), so the
comparison favours the baselines. Input loading is never timed. Peak memory is the
process's resident high-water mark (``VmHWM``) reset just before the timed call, so it is
the input already in memory plus what the call adds. Homes found by skmob, pandas and
each of our home methods are checked against the planted home cells, skmob's against
pandas', and the planted companions are looked for in our co-location's rows.

Prints a side-by-side table with speed-up ratios and writes ``bench/results/location.json``
(entries replaced per number of events and phones, others kept). Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import queue
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

SIZES = (100_000, 1_000_000, 10_000_000)
SKMOB_VENV = BENCH_DIR / ".venv-skmob"
SKMOB_REQUIREMENTS = BENCH_DIR / "skmob" / "requirements.txt"
SKMOB_SCRIPT = BENCH_DIR / "skmob" / "home_skmob.py"
RESULTS = BENCH_DIR / "results" / "location.json"
NIGHT = ("22:00", "07:00")  # skmob's defaults
SUBJECT_FIELDS = ("subject", "target", "target_subject")
STEPS = ("skmob", "pandas", "ours_home", "ours_locate", "ours_inactivity_target",
         "ours_colocation")
NOT_CHOSEN = "not in --steps"
TARGETS = {"home_10m_s": 3.0, "colocation_10m_s": 10.0, "speedup_vs_skmob": 100.0}


# --- measuring in a child process ----------------------------------------------------------

def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    """Reset VmHWM to the current resident size, so the peak is the timed call's."""
    Path("/proc/self/clear_refs").write_text("5")


def _cpu_s() -> float:
    """User + system CPU seconds of this process, all threads."""
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def _timed(call) -> tuple[Any, dict]:
    """``call()`` and its figures: wall seconds, CPU seconds (all threads: less sensitive
    than wall time to other load on the machine), resident MB before and at peak."""
    _reset_peak()
    input_mb = _status_mb("VmRSS")
    cpu, t = _cpu_s(), time.perf_counter()
    out = call()
    seconds, cpu_s = time.perf_counter() - t, _cpu_s() - cpu
    return out, {"seconds": seconds, "cpu_s": cpu_s, "input_mb": input_mb,
                 "peak_mb": _status_mb("VmHWM")}


def _child(fn_name: str, args: tuple, results) -> None:
    try:
        out = globals()[fn_name](*args)
    except Exception as exc:  # noqa: BLE001 -- reported beside the figures, not raised
        out = {"status": "failed", "note": f"{type(exc).__name__}: {exc}"}
    results.put(out)


def measure(fn_name: str, *args: Any) -> dict:
    """Run ``fn_name(*args)`` in a fresh spawned process and return what it reports."""
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn_name, args, results))
    proc.start()
    while True:
        try:
            out = results.get(timeout=1)
            break
        except queue.Empty:
            if not proc.is_alive():
                out = {"status": "failed", "note": f"process died (exit code {proc.exitcode})"}
                break
    proc.join()
    return out


# --- data -------------------------------------------------------------------------------------

def _generate(events: int, phones: int | None, out_dir: str) -> dict:
    from location_data import generate, write

    t = time.perf_counter()
    data = generate(events, phones)
    seconds = time.perf_counter() - t
    write(data, Path(out_dir))
    return {"generate_s": seconds, "events": data.events.height, "phones": data.truth.height,
            "cells": data.cells.height, "points": data.points.height, "target": data.target}


def _inputs(data_dir: Path):
    import polars as pl
    from linesight_analytics.analyses.computed import Inputs

    events = pl.read_parquet(data_dir / "events.parquet")
    cells = pl.read_parquet(data_dir / "cells.parquet")
    exhibits = json.loads((data_dir / "exhibits.json").read_text())
    return Inputs(events=events, cells=cells, exhibits=exhibits)


# --- pandas -----------------------------------------------------------------------------------

def pandas_home(points, start: str = NIGHT[0], end: str = NIGHT[1]):
    """Per uid, the (lat, lng) seen most often between ``start`` and ``end`` (both ends
    included); a uid with no point in the night gets its most frequent (lat, lng) overall.
    Ties go to the lowest lat, then lng. Returns a frame of uid, lat, lng sorted by uid."""
    import pandas as pd

    keys = ["uid", "lat", "lng"]
    night = points.set_index("datetime").between_time(start, end)
    counts = night.groupby(keys).size().rename("n").reset_index()
    without_night = points[~points["uid"].isin(counts["uid"].unique())]
    if len(without_night):
        counts = pd.concat([counts, without_night.groupby(keys).size().rename("n")
                            .reset_index()])
    best = counts.sort_values(["uid", "n", "lat", "lng"],
                              ascending=[True, False, True, True], kind="stable")
    return best.drop_duplicates("uid")[keys].reset_index(drop=True)


def _pandas_home(data_dir: str) -> dict:
    import pandas as pd

    points = pd.read_parquet(Path(data_dir) / "points.parquet")
    homes, figures = _timed(lambda: pandas_home(points))
    homes.to_parquet(Path(data_dir) / "homes_pandas.parquet", index=False)
    return {"status": "ok", **figures, "users": len(homes),
            "note": f"pandas {pd.__version__}"}


# --- scikit-mobility (its own venv) ---------------------------------------------------------

def _uv() -> list[str]:
    found = shutil.which("uv")
    return [found] if found else ["python3", "-m", "uv"]


def ensure_skmob_venv(log=print) -> Path:
    """``bench/.venv-skmob``'s Python, the venv made or refreshed from
    ``bench/skmob/requirements.txt`` when missing or when the requirements changed."""
    python = SKMOB_VENV / "bin" / "python"
    wanted = hashlib.sha256(SKMOB_REQUIREMENTS.read_bytes()).hexdigest()
    stamp = SKMOB_VENV / "requirements.sha256"
    if python.exists() and stamp.exists() and stamp.read_text().strip() == wanted:
        return python
    log(f"making {SKMOB_VENV} (scikit-mobility; first run only) ...")
    subprocess.run([*_uv(), "venv", "-q", "--clear", "-p", "3.11", str(SKMOB_VENV)],
                   check=True)
    subprocess.run([*_uv(), "pip", "install", "-q", "--python", str(python),
                    "-r", str(SKMOB_REQUIREMENTS)], check=True)
    stamp.write_text(wanted + "\n")
    return python


def run_skmob(python: Path, data_dir: Path, timeout_s: float) -> dict:
    """skmob's home_location in its venv; its own timing of the call, or why none."""
    cmd = [str(python), str(SKMOB_SCRIPT), str(data_dir / "points.parquet"),
           str(data_dir / "homes_skmob.parquet")]
    try:
        done = subprocess.run(cmd, check=False, capture_output=True, text=True,
                              timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {"status": "timed out", "note": f"timed out after {timeout_s:.0f} s "
                "(process start and imports included)"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return {"status": "failed", "note": f"exit code {done.returncode}: {last}"}
    out = json.loads(done.stdout.strip().splitlines()[-1])
    versions = out.pop("versions")
    return {"status": "ok", **out,
            "note": f"scikit-mobility {versions['scikit-mobility']}, "
                    f"pandas {versions['pandas']}, numpy {versions['numpy']}"}


def _skmob_rate(entries: list[dict]) -> float | None:
    """Seconds per point of the largest skmob run measured so far."""
    done = [e for e in entries if e["skmob"].get("status") == "ok"]
    if not done:
        return None
    big = max(done, key=lambda e: e["points"])
    return big["skmob"]["seconds"] / big["points"]


# --- ours ---------------------------------------------------------------------------------------

def _parameters_model(module):
    from pydantic import BaseModel

    models = [v for k, v in vars(module).items() if k.endswith("Parameters")
              and isinstance(v, type) and issubclass(v, BaseModel)]
    if len(models) != 1:
        raise LookupError(f"{module.__name__} exports {len(models)} *Parameters models")
    return models[0]


def _parameters(model, subject: str | None, overrides: dict) -> Any:
    """The model with ``subject`` in its subject field and ``overrides`` on top; a required
    field the bench does not know is an error naming it."""
    values: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if name in overrides:
            continue
        if name in SUBJECT_FIELDS and subject is not None:
            values[name] = subject
        elif field.is_required():
            raise LookupError(f"{model.__name__} requires {name!r}: give it with "
                              "--inactivity-params/--colocation-params '{\"%s\": ...}'" % name)
    values.update({k: (subject if v == "{target}" else v) for k, v in overrides.items()})
    return model.model_validate(values)


def _needs_subject(model) -> bool:
    return any(model.model_fields[f].is_required() for f in SUBJECT_FIELDS
               if f in model.model_fields)


def _ours_locate(data_dir: str) -> dict:
    from linesight_analytics.geo.locate import locate

    inputs = _inputs(Path(data_dir))
    located, figures = _timed(lambda: locate(inputs.events, inputs.cells))
    return {"status": "ok", **figures, "rows": located.height,
            "located": int(located.get_column("located").sum())}


def _homes(computed) -> dict[tuple[str, str], str | None]:
    """Best effort, for the checks: (method, subject) -> home cell id. From the first table
    with ``subject``, ``method`` and ``cgi`` columns (one row per method and subject), else
    the first row per subject of the first table with ``subject`` and ``cgi`` (method
    ``first_row``)."""
    tables = [(computed.columns, computed.rows)] + [(t.columns, t.rows) for t in computed.tables]
    fallback: dict[tuple[str, str], str | None] = {}
    for columns, rows in tables:
        cols = list(columns)
        if "subject" not in cols or "cgi" not in cols:
            continue
        subject, cgi = cols.index("subject"), cols.index("cgi")
        method = cols.index("method") if "method" in cols else None
        found: dict[tuple[str, str], str | None] = {}
        for row in rows:
            key = (row[method] if method is not None else "first_row", row[subject])
            found.setdefault(key, row[cgi])
        if method is not None:
            return found
        fallback = fallback or found
    return fallback


def _every_phone_by_calls(module, model, inputs, overrides: dict, budget_s: float
                          ) -> tuple[dict, float, str]:
    """One call per phone on its own exhibit's events (for parameters that need a subject),
    extrapolated from the calls done when they exceed ``budget_s``."""
    from linesight_analytics.analyses.computed import Inputs

    per_phone = inputs.events.partition_by("subject", as_dict=True, maintain_order=True)
    subjects = sorted(k[0] for k in per_phone)
    homes: dict = {}
    spent, cpu, done = 0.0, 0.0, 0
    for subject in subjects:
        own = Inputs(events=per_phone[(subject,)], cells=inputs.cells, exhibits=inputs.exhibits)
        params = _parameters(model, subject, overrides)
        computed, figures = _timed(lambda own=own, params=params: module.compute(own, params))
        spent, cpu = spent + figures["seconds"], cpu + figures["cpu_s"]
        homes.update(_homes(computed))
        done += 1
        if spent > budget_s:
            break
    mode = (f"{done} calls, one per phone" if done == len(subjects) else
            f"extrapolated from {done} of {len(subjects)} calls ({spent:.1f} s)")
    scale = len(subjects) / done
    return homes, {"seconds": spent * scale, "cpu_s": cpu * scale}, mode


def _ours_inactivity(data_dir: str, target: str | None, overrides: dict,
                     budget_s: float) -> dict:
    """``inactivity.compute`` with every event in: for ``target`` alone, or (``target``
    None) for every phone, in one call when the parameters allow no subject, else one call
    per phone on its own exhibit. Every phone's homes go to ``homes_ours.parquet``."""
    import importlib

    import polars as pl

    module = importlib.import_module("linesight_analytics.inactivity")
    model = _parameters_model(module)
    inputs = _inputs(Path(data_dir))
    if target is None and _needs_subject(model):
        homes, figures, mode = _every_phone_by_calls(module, model, inputs, overrides,
                                                     budget_s)
        out = {"status": "ok", **figures, "note": mode}
    else:
        params = _parameters(model, target, overrides)
        computed, figures = _timed(lambda: module.compute(inputs, params))
        homes = _homes(computed)
        out = {"status": "ok", **figures, "rows": len(computed.rows),
               "note": "one call, no subject given" if target is None else None}
    if target is None:
        pl.DataFrame([(m, s, c) for (m, s), c in sorted(homes.items())], orient="row",
                     schema={"method": pl.String, "subject": pl.String,
                             "home_cgi": pl.String},
                     ).write_parquet(Path(data_dir) / "homes_ours.parquet")
    return out


def _ours_colocation(data_dir: str, target: str, overrides: dict) -> dict:
    import importlib

    import polars as pl

    module = importlib.import_module("linesight_analytics.colocation")
    model = _parameters_model(module)
    inputs = _inputs(Path(data_dir))
    params = _parameters(model, target, overrides)
    computed, figures = _timed(lambda: module.compute(inputs, params))
    truth = pl.read_parquet(Path(data_dir) / "truth.parquet")
    companions = truth.filter(pl.col("role") == "companion").get_column("subject").to_list()
    # the row number (from 1) of the first row naming each planted companion
    rank = {c: next((i for i, row in enumerate(computed.rows, 1) if c in row), None)
            for c in companions}
    return {"status": "ok", **figures, "rows": len(computed.rows),
            "first_row": computed.rows[0][:3] if computed.rows else None,
            "planted_companion_rows": rank}


def _not_ready(module: str, name: str) -> dict | None:
    """Why ours cannot be measured yet (``module`` not importable, or without ``name``),
    or None when it can. Other work is writing these modules while this bench exists."""
    import importlib

    try:
        found = importlib.import_module(module)
    except Exception as exc:  # noqa: BLE001 -- a missing or half-written module: skip, say why
        return {"status": "skipped",
                "note": f"{module} cannot be imported yet ({type(exc).__name__}: {exc})"}
    if not hasattr(found, name):
        return {"status": "skipped", "note": f"{module} has no {name} yet"}
    return None


# --- agreement ------------------------------------------------------------------------------

def agreement(data_dir: Path) -> dict:
    """How many phones each side puts at their planted home, and skmob vs pandas."""
    import polars as pl

    truth = pl.read_parquet(data_dir / "truth.parquet")
    out: dict[str, Any] = {"phones": truth.height}
    homes = {}
    for side in ("skmob", "pandas"):
        path = data_dir / f"homes_{side}.parquet"
        if path.exists():
            homes[side] = pl.read_parquet(path).select("uid", "lat", "lng")
            at_home = truth.join(homes[side], on="uid").filter(
                (pl.col("lat") == pl.col("home_lat")) & (pl.col("lng") == pl.col("home_lon")))
            out[f"{side}_at_planted_home"] = at_home.height
    if len(homes) == 2:
        both = homes["skmob"].join(homes["pandas"], on="uid", suffix="_pandas")
        out["skmob_equals_pandas"] = both.filter(
            (pl.col("lat") == pl.col("lat_pandas")) & (pl.col("lng") == pl.col("lng_pandas"))
        ).height
    ours = data_dir / "homes_ours.parquet"
    if ours.exists():
        found = truth.join(pl.read_parquet(ours), on="subject")
        at_home = found.group_by("method").agg(
            (pl.col("home_cgi") == pl.col("home_cgi_right")).sum().alias("n")).sort("method")
        for method, n in at_home.iter_rows():
            out[f"ours_{method}_at_planted_home"] = n
    return out


# --- one size, the table, the results file ---------------------------------------------------

#: peak memory of the heaviest step per event (our locate: 13.4 GB at 10M events)
PEAK_BYTES_PER_EVENT = 1_400


def _warn_if_short_of_memory(events: int) -> None:
    """Say so before a size that may not fit in the memory free now (2-core machine shared
    with other work): the kernel would kill the step, or someone else's process."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            available = int(line.split()[1]) * 1024
            need = events * PEAK_BYTES_PER_EVENT
            if available < need:
                print(f"warning: {available / 2**30:.1f} GiB available, the heaviest step "
                      f"may need {need / 2**30:.1f} GiB at {events:,} events", flush=True)
            return


def run_size(n: int, phones: int | None, tmp: Path, skmob_python: Path | None,
             entries: list[dict], args: argparse.Namespace) -> dict:
    _warn_if_short_of_memory(n)
    data_dir = tmp / str(n)
    gen = measure("_generate", n, phones, str(data_dir))
    if gen.get("status") == "failed":
        raise SystemExit(f"generating {n:,} events failed: {gen['note']}")
    print(f"{gen['events']:,} events, {gen['phones']:,} phones, {gen['cells']:,} cells "
          f"({gen['points']:,} with a cell) generated in {gen['generate_s']:.1f} s", flush=True)
    entry = {"events": gen["events"], "phones": gen["phones"], "cells": gen["cells"],
             "points": gen["points"], "generate_s": round(gen["generate_s"], 1)}
    target, d = gen["target"], str(data_dir)
    chosen = set(args.steps)
    for step in STEPS:
        if step not in chosen:
            entry[step] = {"status": "skipped", "note": NOT_CHOSEN}
        elif step == "skmob":
            entry[step] = _skmob_step(skmob_python, data_dir, gen["points"], entries, args)
        elif step == "pandas":
            entry[step] = measure("_pandas_home", d)
        elif step == "ours_locate":
            entry[step] = (_not_ready("linesight_analytics.geo.locate", "locate")
                           or measure("_ours_locate", d))
        elif step in ("ours_home", "ours_inactivity_target"):
            who = None if step == "ours_home" else target
            entry[step] = (_not_ready("linesight_analytics.inactivity", "compute")
                           or measure("_ours_inactivity", d, who, args.inactivity_params,
                                      args.ours_budget))
        elif step == "ours_colocation":
            entry[step] = (_not_ready("linesight_analytics.colocation", "compute")
                           or measure("_ours_colocation", d, target, args.colocation_params))
        r = entry[step]
        if r.get("note") != NOT_CHOSEN:
            r["measured_utc"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            r["load_avg_1m"] = round(os.getloadavg()[0], 2)
        shown = f"{r['seconds']:.3f} s" if r.get("status") == "ok" else r.get("status")
        print(f"  {step}: {shown}" + (f"  ({r['note']})" if r.get("note") else ""), flush=True)
    entry["agreement"] = agreement(data_dir)
    if entry["ours_colocation"].get("status") == "ok":
        entry["agreement"]["ours_colocation_planted_companion_rows"] = (
            entry["ours_colocation"]["planted_companion_rows"])
    entry["ratios"] = ratios(entry)
    shutil.rmtree(data_dir)
    return entry


def _skmob_step(python: Path | None, data_dir: Path, points: int, entries: list[dict],
                args: argparse.Namespace) -> dict:
    """Run skmob, unless a smaller size measured in this run says it would take longer
    than ``--skmob-timeout``: then say so with the extrapolated time, never a number."""
    rate = _skmob_rate(entries)
    predicted = None if rate is None else rate * points
    if predicted is not None and predicted > args.skmob_timeout:
        return {"status": "not run", "extrapolated_s": predicted,
                "note": f"not run: extrapolated {predicted:.0f} s "
                        f"(> --skmob-timeout {args.skmob_timeout:.0f} s)"}
    out = run_skmob(python, data_dir, args.skmob_timeout)
    if out["status"] == "timed out" and predicted is not None:
        out["extrapolated_s"] = predicted
    return out


def ratios(entry: dict) -> dict:
    """Speed-ups (how many times faster the second is than the first)."""
    def s(step: str) -> float | None:
        r = entry[step]
        return r.get("seconds") if r.get("status") == "ok" else r.get("extrapolated_s")

    skmob, pandas, ours_all = s("skmob"), s("pandas"), s("ours_home")
    out = {}
    for name, slow, fast in (("skmob_over_pandas", skmob, pandas),
                             ("skmob_over_ours", skmob, ours_all),
                             ("pandas_over_ours", pandas, ours_all)):
        out[name] = round(slow / fast, 2) if slow and fast else None
    return out


def _cell(r: dict, key: str = "seconds", fmt: str = "{:.3f}") -> str:
    if r.get("status") == "ok" and r.get(key) is not None:
        return fmt.format(r[key])
    if r.get("extrapolated_s") and key == "seconds":
        return f"~{r['extrapolated_s']:.0f}*"
    return {"skipped": "-", "not run": "n/r", "timed out": "t/o"}.get(r.get("status"), "err")


def print_table(entries: list[dict]) -> None:
    print("\nWhere each phone sleeps (home location of every phone), analysis seconds; "
          "* = extrapolated, not run")
    print(f"{'events':>11s} {'phones':>6s} {'skmob s':>9s} {'pandas s':>9s} {'ours s':>9s} "
          f"{'skmob/pandas':>12s} {'skmob/ours':>10s} {'pandas/ours':>11s}")
    for e in entries:
        r = e["ratios"]
        ratio = [("-" if r[k] is None else f"{r[k]:.1f}x" if r[k] >= 1 else f"{r[k]:.2f}x")
                 for k in ("skmob_over_pandas", "skmob_over_ours", "pandas_over_ours")]
        print(f"{e['events']:11,d} {e['phones']:6,d} {_cell(e['skmob']):>9s} "
              f"{_cell(e['pandas']):>9s} {_cell(e['ours_home']):>9s} "
              f"{ratio[0]:>12s} {ratio[1]:>10s} {ratio[2]:>11s}")
    print("\nThe same, CPU seconds (user + system, all threads; steadier than wall time "
          "when the machine is busy)")
    print(f"{'events':>11s} {'phones':>6s} {'skmob':>9s} {'pandas':>9s} {'ours':>9s}")
    for e in entries:
        print(f"{e['events']:11,d} {e['phones']:6,d} " + " ".join(
            f"{_cell(e[k], 'cpu_s', '{:.3f}'):>9s}" for k in ("skmob", "pandas", "ours_home")))
    print("\nOur other steps, seconds: locate every event; inactivity of phone 0 and "
          "co-location of phone 0 against every phone, every event in")
    print(f"{'events':>11s} {'locate s':>9s} {'inactivity s':>12s} {'colocation s':>12s}")
    for e in entries:
        print(f"{e['events']:11,d} {_cell(e['ours_locate']):>9s} "
              f"{_cell(e['ours_inactivity_target']):>12s} {_cell(e['ours_colocation']):>12s}")
    print("\nPeak MB (input resident + the call)")
    print(f"{'events':>11s} " + " ".join(f"{k.removeprefix('ours_')[:12]:>12s}" for k in STEPS))
    for e in entries:
        print(f"{e['events']:11,d} " + " ".join(
            f"{_cell(e[k], 'peak_mb', '{:.0f}'):>12s}" for k in STEPS))
    print("\nChecks: phones put at their planted home cell (skmob, pandas, each of our home "
          "methods), skmob == pandas, the row of each planted companion in our co-location")
    for e in entries:
        print(f"{e['events']:11,d} {json.dumps(e['agreement'], sort_keys=True)}")


def write_results(entries: list[dict], path: Path = RESULTS) -> None:
    """Merge into ``path``: this run's entries replace earlier ones of the same number of
    events and phones; the others are kept."""
    def key(e: dict) -> tuple[int, int]:
        return e["events"], e["phones"]

    old = {key(e): e for e in json.loads(path.read_text())["results"]} if path.exists() else {}
    for entry in entries:
        before = old.get(key(entry))
        if before is not None:
            entry = _keep_unrun_steps(entry, before)
        old[key(entry)] = entry
    merged = [old[k] for k in sorted(old)]
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"benchmark": "bench/bench_location.py", "targets": TARGETS, "results": merged}
    path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")


def _keep_unrun_steps(entry: dict, before: dict) -> dict:
    """``entry`` with the steps it left out (``--steps``) taken from the earlier entry of
    the same size; each step keeps its own ``measured_utc``."""
    merged = dict(entry)
    for step in STEPS:
        if entry[step].get("note") == NOT_CHOSEN and step in before:
            merged[step] = before[step]
    merged["agreement"] = {**before.get("agreement", {}), **entry["agreement"]}
    merged["ratios"] = ratios(merged)
    return merged


def _round_floats(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _round_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_round_floats(v) for v in value]
    return value


def main(sizes: tuple[int, ...] = SIZES, argv: list[str] | None = None) -> list[dict]:
    args = _parser().parse_args([] if argv is None else argv)
    sizes = tuple(args.sizes) if args.sizes else sizes
    skmob_python = ensure_skmob_venv() if "skmob" in args.steps else None
    entries: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="linesight-bench-location-") as tmp:
        for n in sizes:
            entry = run_size(n, args.phones, Path(tmp), skmob_python, entries, args)
            entry["cpus"] = os.cpu_count()
            entries.append(_round_floats(entry))
    print_table(entries)
    if not args.no_write:
        write_results(entries)
        print(f"\nwritten to {RESULTS}")
    return entries


def _steps(text: str) -> list[str]:
    steps = text.split(",")
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown steps {unknown}; known: {', '.join(STEPS)}")
    return steps


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=None,
                    help="comma-separated event counts (default 100000,1000000,10000000)")
    ap.add_argument("--phones", type=int, default=None,
                    help="phones per size (default: one per 10,000 events, at least 10)")
    ap.add_argument("--skmob-timeout", type=float, default=600.0,
                    help="seconds allowed to one skmob run; a size whose run extrapolated "
                         "from a smaller one exceeds it is not run")
    ap.add_argument("--steps", type=_steps, default=list(STEPS),
                    help=f"comma-separated steps to run (default all: {','.join(STEPS)})")
    ap.add_argument("--ours-budget", type=float, default=120.0,
                    help="seconds of per-phone inactivity calls before extrapolating")
    ap.add_argument("--inactivity-params", type=json.loads, default={},
                    help='JSON merged into the inactivity parameters ("{target}" = phone 0)')
    ap.add_argument("--colocation-params", type=json.loads, default={},
                    help='JSON merged into the colocation parameters ("{target}" = phone 0)')
    ap.add_argument("--no-write", action="store_true",
                    help=f"do not write {RESULTS.relative_to(BENCH_DIR.parent)}")
    return ap


if __name__ == "__main__":
    main(argv=sys.argv[1:])
