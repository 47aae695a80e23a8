"""``python -m linesight_shared.auditverify BUNDLE.json --key VKEY``: check an audit export
offline. Exit 0 when everything verifies, 1 otherwise (every problem printed)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from linesight_shared.auditverify.bundle import verify_bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m linesight_shared.auditverify",
                                     description=__doc__)
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--key", required=True,
                        help="the log's verifier key (name+keyid+base64), obtained out of band")
    parser.add_argument("--origin", help="the log origin the checkpoint must name")
    args = parser.parse_args(argv)
    try:
        bundle = json.loads(args.bundle.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"cannot read {args.bundle}: {exc}", file=sys.stderr)
        return 1
    report = verify_bundle(bundle, args.key, origin=args.origin)
    status = "VERIFIES" if report.ok else "DOES NOT VERIFY"
    print(f"{args.bundle}: {status}: case {report.case}, {report.entries_checked} entries, "
          f"checkpoint {report.origin} size {report.checkpoint_size}")
    for problem in report.problems:
        print(f"  {problem}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
