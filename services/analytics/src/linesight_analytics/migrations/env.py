"""Alembic environment of the analytics service."""

# Importing the schemas registers their tables on the service's metadata.
import linesight_analytics.analyses.schemas
import linesight_analytics.jobs.schemas  # noqa: F401
from linesight_analytics.models import AnalyticsModel
from linesight_shared.db import run_migrations_env

run_migrations_env(AnalyticsModel.metadata)
