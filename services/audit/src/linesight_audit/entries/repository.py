"""All queries on the audit tables."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from linesight_shared.repository import Repository
from sqlmodel import select

from linesight_audit.entries.chain import GENESIS_HASH
from linesight_audit.entries.schemas import AuditEntry, AuditEntryObject, AuditHead


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
               operation: str | None = None, after_seq: int = 0, limit: int = 100,
               object_type: str | None = None, object_id: str | None = None,
               object_ref: str | None = None, object_sha256: str | None = None,
               since: datetime | None = None, until: datetime | None = None,
               ) -> Sequence[AuditEntry]:
        """Entries in sequence order matching every filter given (objects by type, id,
        reference or content hash; time as ``since <= time < until``)."""
        stmt = select(AuditEntry).where(AuditEntry.seq > after_seq)
        if case is not None:
            stmt = stmt.where(AuditEntry.case == case)
        if actor is not None:
            stmt = stmt.where(AuditEntry.actor == actor)
        if operation is not None:
            stmt = stmt.where(AuditEntry.operation == operation)
        if since is not None:
            stmt = stmt.where(AuditEntry.time >= since)
        if until is not None:
            stmt = stmt.where(AuditEntry.time < until)
        conditions = [c for c in (
            object_type is not None and AuditEntryObject.type == object_type,
            object_id is not None and AuditEntryObject.object_id == object_id,
            object_ref is not None and AuditEntryObject.ref == object_ref,
            object_sha256 is not None and AuditEntryObject.sha256 == object_sha256,
        ) if c is not False]
        if conditions:
            stmt = stmt.where(AuditEntry.seq.in_(
                select(AuditEntryObject.seq).where(*conditions)))
        return self.session.exec(stmt.order_by(AuditEntry.seq).limit(limit)).all()

    def objects_of(self, seqs: list[int]) -> Sequence[AuditEntryObject]:
        stmt = (select(AuditEntryObject).where(AuditEntryObject.seq.in_(seqs))
                .order_by(AuditEntryObject.seq, AuditEntryObject.position))
        return self.session.exec(stmt).all()

    def first_seen(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """The first entry naming each (type, id)."""
        out: dict[tuple[str, str], int] = {}
        for type_, id_ in keys:
            seq = self.session.exec(
                select(AuditEntryObject.seq).where(AuditEntryObject.type == type_,
                                                   AuditEntryObject.object_id == id_)
                .order_by(AuditEntryObject.seq).limit(1)).first()
            if seq is not None:
                out[(type_, id_)] = seq
        return out

    def iter_for_verify(self, batch: int = 20_000) -> Iterator[tuple]:
        """(seq, entry_json, prev_hash, hash, leaf_hash, actor, service, operation, case)
        of every entry in order, as plain tuples (no ORM objects: verification walks the
        whole log)."""
        cols = (AuditEntry.seq, AuditEntry.entry_json, AuditEntry.prev_hash, AuditEntry.hash,
                AuditEntry.leaf_hash, AuditEntry.actor, AuditEntry.service,
                AuditEntry.operation, AuditEntry.case)
        after = 0
        while True:
            # Core execution: plain rows, no ORM loading per row
            rows = self.session.connection().execute(
                select(*cols).where(AuditEntry.seq > after).order_by(AuditEntry.seq)
                .limit(batch)).all()
            if not rows:
                return
            yield from rows
            after = rows[-1][0]

    def iter_all(self, *, case: str | None = None, batch: int = 5000) -> Iterator[AuditEntry]:
        """Every entry in sequence order, fetched in batches (bounded memory)."""
        after = 0
        while True:
            rows = self.search(case=case, after_seq=after, limit=batch)
            if not rows:
                return
            yield from rows
            after = rows[-1].seq
