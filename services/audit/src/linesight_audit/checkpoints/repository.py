"""Queries on signed checkpoints."""

from __future__ import annotations

from collections.abc import Sequence

from linesight_shared.repository import Repository
from sqlmodel import select

from linesight_audit.checkpoints.schemas import AuditCheckpoint


class CheckpointRepository(Repository[AuditCheckpoint]):
    model = AuditCheckpoint

    def latest(self) -> AuditCheckpoint | None:
        stmt = select(AuditCheckpoint).order_by(AuditCheckpoint.size.desc()).limit(1)
        return self.session.exec(stmt).first()

    def all_by_size(self) -> Sequence[AuditCheckpoint]:
        return self.session.exec(select(AuditCheckpoint).order_by(AuditCheckpoint.size)).all()

    def at_least(self, size: int) -> AuditCheckpoint | None:
        stmt = (select(AuditCheckpoint).where(AuditCheckpoint.size >= size)
                .order_by(AuditCheckpoint.size).limit(1))
        return self.session.exec(stmt).first()
