"""Alembic environment of the reporting service."""

# Importing the schemas registers their tables on the service's metadata.
import linesight_reporting.audit_summaries.schemas
import linesight_reporting.jobs.schemas
import linesight_reporting.reports.schemas  # noqa: F401
from linesight_reporting.models import ReportingModel
from linesight_shared.db import run_migrations_env

run_migrations_env(ReportingModel.metadata)
