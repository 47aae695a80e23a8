"""Generate each service's OpenAPI contract and the client models built from it.

    uv run python scripts/contracts.py           # write contracts/ and the models
    uv run python scripts/contracts.py --check   # exit 1 with a diff when anything drifted
    uv run python scripts/contracts.py ingest    # only the named services

The contracts are made from the apps themselves (``app.openapi()``); the models in
``shared/src/linesight_shared/contracts/`` are made from the contracts with
datamodel-code-generator, so inter-service clients speak exactly what the servers serve.
"""

from __future__ import annotations

import difflib
import importlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"
MODELS = ROOT / "shared" / "src" / "linesight_shared" / "contracts"
SERVICES = ["audit", "ingest", "analytics", "reporting"]


def openapi_document(service: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        settings_mod = importlib.import_module(f"linesight_{service}.settings")
        settings_cls = next(v for k, v in vars(settings_mod).items()
                            if k.endswith("Settings") and k != "PlatformSettings")
        app_mod = importlib.import_module(f"linesight_{service}.app")
        app = app_mod.create_app(settings_cls(var_dir=Path(tmp)), start_runtime=False)
        doc = app.openapi()
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def models_from(contract_text: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "contract.openapi.json"
        out = Path(tmp) / "models.py"
        src.write_text(contract_text)
        subprocess.run(
            [sys.executable, "-m", "datamodel_code_generator", "--input", str(src),
             "--input-file-type", "openapi", "--output", str(out),
             "--output-model-type", "pydantic_v2.BaseModel", "--target-python-version", "3.11",
             "--use-standard-collections", "--use-union-operator", "--disable-timestamp",
             "--use-schema-description", "--formatters", "ruff-format"],
            check=True, capture_output=True,
        )
        return out.read_text()


def generate(services: list[str]) -> dict[Path, str]:
    files: dict[Path, str] = {}
    for service in services:
        try:
            importlib.import_module(f"linesight_{service}.app")
        except ModuleNotFoundError:
            continue
        contract = openapi_document(service)
        files[CONTRACTS / f"{service}.openapi.json"] = contract
        files[MODELS / f"{service}.py"] = models_from(contract)
    return files


def main(check: bool, services: list[str]) -> int:
    drift = 0
    for path, text in generate(services).items():
        old = path.read_text() if path.exists() else ""
        if old == text:
            continue
        drift += 1
        if check:
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(True), text.splitlines(True),
                str(path.relative_to(ROOT)), str(path.relative_to(ROOT)) + " (regenerated)"))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)}")
    if check and drift:
        print(f"\n{drift} contract file(s) drifted: run `uv run python scripts/contracts.py`")
        return 1
    return 0


if __name__ == "__main__":
    names = [a for a in sys.argv[1:] if not a.startswith("--")]
    sys.exit(main("--check" in sys.argv, names or SERVICES))
