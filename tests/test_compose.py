"""compose.yaml cannot run here (no Docker), so it is read against the settings instead."""

from __future__ import annotations

import importlib
from pathlib import Path

import yaml
from linesight_shared.settings import PlatformSettings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = ["audit", "ingest", "analytics", "reporting"]


def _known_variables() -> set[str]:
    names = {f"LINESIGHT_{f.upper()}" for f in PlatformSettings.model_fields}
    for s in SERVICES:
        settings_mod = importlib.import_module(f"linesight_{s}.settings")
        for cls in vars(settings_mod).values():
            if isinstance(cls, type) and issubclass(cls, PlatformSettings):
                for field in cls.model_fields.values():
                    alias = field.validation_alias
                    for choice in getattr(alias, "choices", []):
                        if isinstance(choice, str) and choice.startswith("LINESIGHT_"):
                            names.add(choice)
    return names


def test_every_linesight_variable_in_compose_is_a_real_setting():
    env = COMPOSE["x-linesight-env"]
    unknown = set(env) - _known_variables()
    assert not unknown, f"compose.yaml sets variables no settings class reads: {unknown}"


def test_every_service_and_worker_is_there_with_a_health_check_or_a_dependency():
    services = COMPOSE["services"]
    for infra in ("postgres", "rabbitmq", "minio"):
        assert "healthcheck" in services[infra], infra
    for s in SERVICES:
        svc = services[s]
        assert f"linesight_{s}.app:create_app" in svc["command"]
        assert "/ready" in " ".join(svc["healthcheck"]["test"])
        port = PlatformSettings.model_fields[f"{s}_url"].default.rsplit(":", 1)[1]
        assert svc["ports"] == [f"{port}:{port}"]
        if s != "audit":
            worker = services[f"{s}-worker"]
            assert worker["command"] == ["python", "-m", f"linesight_{s}.worker"]
            importlib.import_module(f"linesight_{s}.worker")


def test_production_uses_rabbitmq_s3_with_object_lock_and_postgresql():
    env = COMPOSE["x-linesight-env"]
    assert env["LINESIGHT_BROKER"] == "rabbitmq"
    assert env["LINESIGHT_OBJECT_STORE"] == "s3" and env["LINESIGHT_S3_OBJECT_LOCK"] == "true"
    assert env["LINESIGHT_EMBEDDED_WORKERS"] == "false"
    for s in SERVICES:
        assert env[f"LINESIGHT_{s.upper()}_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert env[f"LINESIGHT_{s.upper()}_DATABASE_URL"].endswith(f"/linesight_{s}")
    sql = (ROOT / "deploy" / "postgres-init.sql").read_text()
    for s in SERVICES:
        assert f"CREATE DATABASE linesight_{s};" in sql
