"""``python -m linesight_ingest.samples.monza OUT_DIR [--seed N] [--scale X]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from linesight_ingest.samples.monza import DEFAULT_SEED, generate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m linesight_ingest.samples.monza",
        description="Write the Monza county-lines scenario (exhibits, truth.json, "
                    "manifest.json) into OUT_DIR.")
    parser.add_argument("out", type=Path, metavar="OUT_DIR")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiplies event volumes and tower-dump crowds (default 1)")
    args = parser.parse_args(argv)
    manifest = generate(args.out, seed=args.seed, scale=args.scale)
    for f in manifest.files:
        print(f"{f.reference:<9} {f.kind:<11} {f.rows:>6} rows  {f.filename}")
    print(f"wrote {len(manifest.files)} exhibits, truth.json and manifest.json to {args.out} "
          f"(seed {args.seed}, scale {args.scale})")


if __name__ == "__main__":
    main()
