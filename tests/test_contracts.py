"""The OpenAPI contracts and the client models generated from them match the code."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_contracts_and_client_models_have_not_drifted():
    """Regenerating contracts/ and linesight_shared/contracts changes nothing."""
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "contracts.py"), "--check"],
                         check=False, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stdout[-5000:] + out.stderr[-2000:]


def test_every_service_has_a_contract():
    for service in ("audit", "ingest", "analytics", "reporting"):
        assert importlib.util.find_spec(f"linesight_{service}.app") is not None
        assert (ROOT / "contracts" / f"{service}.openapi.json").is_file(), service
