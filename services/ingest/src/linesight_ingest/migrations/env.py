"""Alembic environment of the ingest service."""

import linesight_ingest.cases.schemas
import linesight_ingest.datasets.schemas
import linesight_ingest.exhibits.schemas
import linesight_ingest.jobs.schemas
import linesight_ingest.profiles.schemas  # noqa: F401
from linesight_ingest.models import IngestModel
from linesight_shared.db import run_migrations_env

run_migrations_env(IngestModel.metadata)
