"""All queries on the audit tables."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from linesight_shared.repository import Repository
from sqlmodel import select

from linesight_audit.entries.chain import GENESIS_HASH
from linesight_audit.entries.schemas import AuditEntry, AuditHead


class AuditRepository(Repository[AuditEntry]):
    model = AuditEntry

    def lock_head(self) -> AuditHead:
        """The head row, locked for this transaction (FOR UPDATE on PostgreSQL)."""
        stmt = select(AuditHead).where(AuditHead.id == 1).with_for_update()
        head = self.session.exec(stmt).first()
        if head is None:
            head = AuditHead(id=1, seq=0, hash=GENESIS_HASH)
            self.session.add(head)
            self.session.flush()
        return head

    def by_client_event_id(self, client_event_id: str) -> AuditEntry | None:
        return self.first_by(AuditEntry.client_event_id == client_event_id)

    def head(self) -> AuditHead | None:
        return self.session.get(AuditHead, 1)

    def search(self, *, case: str | None = None, actor: str | None = None,
               operation: str | None = None, after_seq: int = 0, limit: int = 100
               ) -> Sequence[AuditEntry]:
        stmt = select(AuditEntry).where(AuditEntry.seq > after_seq)
        if case is not None:
            stmt = stmt.where(AuditEntry.case == case)
        if actor is not None:
            stmt = stmt.where(AuditEntry.actor == actor)
        if operation is not None:
            stmt = stmt.where(AuditEntry.operation == operation)
        return self.session.exec(stmt.order_by(AuditEntry.seq).limit(limit)).all()

    def iter_all(self, *, case: str | None = None, batch: int = 5000) -> Iterator[AuditEntry]:
        """Every entry in sequence order, fetched in batches (bounded memory)."""
        after = 0
        while True:
            rows = self.search(case=case, after_seq=after, limit=batch)
            if not rows:
                return
            yield from rows
            after = rows[-1].seq
