"""Each service's Alembic migrations build exactly the tables its models declare."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from linesight_shared.db import make_engine, upgrade_database
from sqlalchemy import inspect

SERVICES = ["audit", "ingest", "analytics", "reporting"]


def _model_metadata(service: str):
    app = importlib.import_module(f"linesight_{service}.app")
    models = importlib.import_module(f"linesight_{service}.models")
    base = getattr(models, f"{service.capitalize()}Model")
    return Path(app.MIGRATIONS), base.metadata


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_match_the_models_on_sqlite(service, tmp_path):
    migrations, metadata = _model_metadata(service)
    engine = make_engine(f"sqlite:///{tmp_path}/{service}.sqlite3")
    upgrade_database(engine, migrations)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == [], f"models and migrations of {service} differ: {diff}"
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    assert "jobs" in metadata.tables or service == "audit"


@pytest.mark.integration
@pytest.mark.parametrize("service", SERVICES)
def test_migrations_match_the_models_on_postgresql(service, pg_url):
    migrations, metadata = _model_metadata(service)
    engine = make_engine(pg_url)
    try:
        upgrade_database(engine, migrations)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert diff == [], f"models and migrations of {service} differ: {diff}"
