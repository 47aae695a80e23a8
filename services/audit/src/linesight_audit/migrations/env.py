"""Alembic environment of the audit service."""

import linesight_audit.entries.schemas  # noqa: F401 - registers the tables
from linesight_audit.models import AuditModel
from linesight_shared.db import run_migrations_env

run_migrations_env(AuditModel.metadata)
