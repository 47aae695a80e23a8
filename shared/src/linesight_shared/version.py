"""The code version recorded on every analysis and report: package version + git commit."""

from __future__ import annotations

import functools
import os
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


@functools.cache
def git_commit() -> str:
    """``LINESIGHT_CODE_COMMIT`` if set (images), else ``git rev-parse HEAD``, else unknown."""
    env = os.environ.get("LINESIGHT_CODE_COMMIT")
    if env:
        return env
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True,
            text=True, timeout=5, check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


@functools.cache
def code_version(package: str) -> str:
    """``linesight-analytics 0.1.0+g<commit12>``."""
    try:
        v = version(package)
    except PackageNotFoundError:
        v = "0.0.0"
    return f"{package} {v}+g{git_commit()[:12]}"
