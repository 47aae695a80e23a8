"""Alembic environment of the audit service."""

import linesight_audit.checkpoints.schemas
import linesight_audit.entries.schemas
import linesight_audit.tree.schemas  # noqa: F401
from linesight_audit.models import AuditModel
from linesight_shared.db import run_migrations_env

run_migrations_env(AuditModel.metadata)
