"""The lineage of each exhibit: asked of the audit service, checked against the bundle.

The audit service's ``GET /v1/cases/{case}/lineage?object_id=`` answers what was derived
from an exhibit (an object is derived from X when it first appears in an ``alteration``
or ``combination`` entry naming X; see ``docs/audit.md``). Its answer is read from the
live log, so two things are done before it is shown:

- items made by entries beyond the bundle's checkpoint are left out, and counted (they
  are not covered by the signature the summary states);
- every remaining link is checked against the verified entry it cites: that entry is in
  the bundle, is an ``alteration`` or ``combination``, and names both the derived object
  and the object it was derived from. A link that does not check out rejects the summary.
"""

from __future__ import annotations

from linesight_shared.clients.audit import AuditServiceClient
from linesight_shared.contracts.audit import Lineage

from linesight_reporting.audit_summaries.verify import BundleRejected
from linesight_reporting.rendering.audit_model import (
    DerivedItem,
    ExhibitLineage,
    LogEntry,
    LoggedObject,
    VerifiedLog,
)
from linesight_reporting.reports.gather import exhibit_order

DERIVING = ("alteration", "combination")


def exhibits_named(entries: tuple[LogEntry, ...] | list[LogEntry]) -> list[LoggedObject]:
    """The exhibits the entries name, each once (its reference and hash from the first
    entry that gives them), ordered by reference (``ABC/2`` before ``ABC/10``), then id."""
    found: dict[str, LoggedObject] = {}
    for entry in entries:
        for o in entry.objects:
            if o.type != "exhibit":
                continue
            known = found.get(o.id)
            if known is None or (known.ref is None and o.ref) or (known.sha256 is None
                                                                  and o.sha256):
                found[o.id] = LoggedObject(type="exhibit", id=o.id,
                                           sha256=(known and known.sha256) or o.sha256,
                                           ref=(known and known.ref) or o.ref)
    return sorted(found.values(), key=lambda o: (exhibit_order(o.ref or ""), o.id))


def fetch_lineages(audit: AuditServiceClient, case: str,
                   exhibits: list[LoggedObject]) -> dict[str, Lineage]:
    """The audit service's lineage of each exhibit, by exhibit id (each call is logged
    by the audit service as a consultation)."""
    return {e.id: audit.lineage(case, object_id=e.id) for e in exhibits}


def _names(entry: LogEntry, type_: str, id_: str) -> bool:
    return any(o.type == type_ and o.id == id_ for o in entry.objects)


def checked_lineage(exhibit: LoggedObject, answer: Lineage, log: VerifiedLog,
                    by_seq: dict[int, LogEntry]) -> ExhibitLineage:
    """The answer's items up to the checkpoint, each link checked against its entry."""
    problems: list[str] = []
    derived: list[DerivedItem] = []
    after = 0
    for d in answer.derived:
        if d.seq > log.checkpoint_size:
            after += 1
            continue
        entry = by_seq.get(d.seq)
        source = d.derived_from
        where = (f"lineage of exhibit {exhibit.ref or exhibit.id}: {d.type} {d.id} "
                 f"said to be made by entry {d.seq}")
        if entry is None:
            problems.append(f"{where}, which is not in the verified bundle")
        elif entry.operation not in DERIVING:
            problems.append(f"{where}, which is a {entry.operation}, not a transformation")
        elif not (_names(entry, d.type, d.id) and _names(entry, source.type, source.id)):
            problems.append(f"{where} from {source.type} {source.id}, but that entry does "
                            "not name both")
        else:
            derived.append(DerivedItem(
                type=d.type, id=d.id, ref=d.ref, sha256=d.sha256, seq=d.seq,
                operation=entry.operation, actor=entry.actor, time_text=entry.time_text,
                derived_from=LoggedObject(type=source.type, id=source.id,
                                          sha256=source.sha256, ref=source.ref)))
    if problems:
        raise BundleRejected(problems)
    derived.sort(key=lambda i: (i.seq, i.type, i.id))
    return ExhibitLineage(exhibit=exhibit, derived=tuple(derived), after_checkpoint=after)


def lineage_sections(exhibits: list[LoggedObject], answers: dict[str, Lineage],
                     log: VerifiedLog) -> tuple[ExhibitLineage, ...]:
    by_seq = {e.seq: e for e in log.entries}
    return tuple(checked_lineage(e, answers[e.id], log, by_seq) for e in exhibits)
