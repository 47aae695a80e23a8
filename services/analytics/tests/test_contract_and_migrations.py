"""The committed contract and client models match the app; the migrations match the models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from linesight_analytics.models import AnalyticsModel
from sqlalchemy import inspect

ROOT = Path(__file__).parents[3]


class TestContract:
    def test_the_analytics_contract_and_models_have_not_drifted(self):
        run = subprocess.run([sys.executable, "scripts/contracts.py", "--check", "analytics"],
                             cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
        assert run.returncode == 0, run.stdout + run.stderr


class TestMigrations:
    def test_the_migrated_database_matches_the_models(self, analytics):
        with analytics.runtime.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(ctx, AnalyticsModel.metadata) == []

    def test_every_table_is_created(self, analytics):
        assert {"analyses", "jobs"} <= set(inspect(analytics.runtime.engine).get_table_names())
