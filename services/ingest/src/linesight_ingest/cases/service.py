"""Opening and reading cases. Every change and every read is audited before it happens."""

from __future__ import annotations

from collections.abc import Sequence

from linesight_shared.audit_client import Operation, obj
from linesight_shared.auth import Principal
from linesight_shared.errors import Conflict
from linesight_shared.runtime import ServiceRuntime
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from linesight_ingest.cases.repository import CaseRepository
from linesight_ingest.cases.schemas import Case, CaseCreate
from linesight_ingest.models import new_id, utcnow


def create_case(session: Session, runtime: ServiceRuntime, user: Principal, body: CaseCreate,
                correlation_id: str) -> Case:
    """Open a case: audited as an alteration (a new case record) before it is committed."""
    repo = CaseRepository(session)
    if repo.by_reference(body.reference) is not None:
        raise Conflict(f"case {body.reference} already exists")
    case = Case(id=new_id(), reference=body.reference, title=body.title,
                authorisation_ref=body.authorisation_ref.strip(), created_by=user.username,
                created_at=utcnow())
    runtime.audit.record(user, Operation.alteration, case=case.reference,
                         objects=[obj("case", case.id, ref=case.reference)],
                         parameters={"action": "case.create",
                                     "authorisation_ref": case.authorisation_ref},
                         correlation_id=correlation_id)
    try:
        repo.add(case)
    except IntegrityError as exc:  # a concurrent request opened it first
        raise Conflict(f"case {body.reference} already exists") from exc
    return case


def list_cases(session: Session, runtime: ServiceRuntime, user: Principal,
               correlation_id: str) -> Sequence[Case]:
    cases = CaseRepository(session).all()
    runtime.audit.record(user, Operation.consultation, parameters={"action": "case.list",
                                                                   "count": len(cases)},
                         correlation_id=correlation_id)
    return cases


def get_case(session: Session, runtime: ServiceRuntime, user: Principal, reference: str,
             correlation_id: str) -> Case:
    case = CaseRepository(session).by_reference_or_404(reference)
    runtime.audit.record(user, Operation.consultation, case=case.reference,
                         objects=[obj("case", case.id, ref=case.reference)],
                         parameters={"action": "case.get"}, correlation_id=correlation_id)
    return case
