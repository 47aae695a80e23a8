"""The Alembic migrations build exactly the tables the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from linesight_ingest.models import IngestModel


class TestMigrations:
    def test_the_migrated_database_matches_the_models(self, ingest):
        with ingest.runtime.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(ctx, IngestModel.metadata) == []

    def test_every_table_is_created(self, ingest):
        from sqlalchemy import inspect

        tables = set(inspect(ingest.runtime.engine).get_table_names())
        assert {"cases", "exhibits", "ingest_reports", "datasets", "jobs"} <= tables
