"""Lineage from the log alone: everything derived from an exhibit (or any object).

An object is *derived from* ``X`` when it first appears in the log in a transformation
entry (``alteration`` or ``combination``) that also names ``X``: the parse that made a
dataset from an exhibit, the analysis that combined datasets into a result, the report
that rendered analyses. Objects that merely appear beside ``X`` later (another exhibit's
dataset fed to the same analysis) were not made there and are not counted. The walk
repeats from each derived object, so exhibit → datasets → analyses → reports.
"""

from __future__ import annotations

from linesight_shared.errors import NotFound
from pydantic import BaseModel
from sqlmodel import Session

from linesight_audit.entries.repository import AuditRepository

DERIVING = ("alteration", "combination")


class ObjectRef(BaseModel):
    type: str
    id: str
    sha256: str | None = None
    ref: str | None = None


class DerivedObject(ObjectRef):
    """An object made by entry ``seq`` from ``derived_from``."""

    seq: int
    operation: str
    actor: str
    time: str
    derived_from: ObjectRef


class Lineage(BaseModel):
    case: str
    roots: list[ObjectRef]
    derived: list[DerivedObject]


def lineage(session: Session, case: str, *, ref: str | None = None,
            object_id: str | None = None) -> Lineage:
    repo = AuditRepository(session)
    hits = repo.search(case=case, object_ref=ref, object_id=object_id, limit=100_000)
    roots: dict[tuple[str, str], ObjectRef] = {}
    for o in repo.objects_of([e.seq for e in hits]):
        if (ref is not None and o.ref == ref) or (object_id is not None and
                                                  o.object_id == object_id):
            roots.setdefault((o.type, o.object_id),
                             ObjectRef(type=o.type, id=o.object_id, sha256=o.sha256, ref=o.ref))
    if not roots:
        raise NotFound(f"case {case} has no audit entry naming {ref or object_id}")
    # an exhibit's derived objects carry its reference too: start from the exhibit itself
    exhibits = {k: v for k, v in roots.items() if k[0] == "exhibit"}
    roots = exhibits or roots
    known = set(roots)
    frontier = list(roots.items())
    derived: list[DerivedObject] = []
    while frontier:
        (type_, id_), source = frontier.pop()
        for entry in repo.search(case=case, object_type=type_, object_id=id_, limit=100_000):
            if entry.operation not in DERIVING:
                continue
            objects = [o for o in repo.objects_of([entry.seq])
                       if (o.type, o.object_id) not in known]
            firsts = repo.first_seen({(o.type, o.object_id) for o in objects})
            for o in objects:
                key = (o.type, o.object_id)
                if key in known or firsts.get(key) != entry.seq:
                    continue
                known.add(key)
                item = DerivedObject(type=o.type, id=o.object_id, sha256=o.sha256, ref=o.ref,
                                     seq=entry.seq, operation=entry.operation,
                                     actor=entry.actor, time=entry.time.isoformat(),
                                     derived_from=source)
                derived.append(item)
                frontier.append((key, ObjectRef(type=o.type, id=o.object_id,
                                                sha256=o.sha256, ref=o.ref)))
    derived.sort(key=lambda d: (d.seq, d.type, d.id))
    return Lineage(case=case, roots=list(roots.values()), derived=derived)
