"""The committed OpenAPI contract and client models are what the app serves today."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[3]


class TestContract:
    def test_the_ingest_contract_and_models_have_not_drifted(self):
        run = subprocess.run([sys.executable, "scripts/contracts.py", "--check", "ingest"],
                             cwd=ROOT, capture_output=True, text=True, timeout=300,
                             check=False)
        assert run.returncode == 0, run.stdout + run.stderr
