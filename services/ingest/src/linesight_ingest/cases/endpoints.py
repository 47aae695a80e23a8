"""Routes for cases: open one, list them, read one."""

from __future__ import annotations

from fastapi import APIRouter
from linesight_shared.errors import Conflict, Forbidden, NotFound, responses
from linesight_shared.web import CorrelationId, CurrentUser, RuntimeDep, SessionDep

from linesight_ingest.access import READERS, WRITERS, require
from linesight_ingest.cases import service
from linesight_ingest.cases.schemas import CaseCreate, CaseList, CasePublic

router = APIRouter(prefix="/v1/cases", tags=["cases"])


@router.post("", response_model=CasePublic, status_code=201,
             responses=responses(Conflict, Forbidden))
def create_case(body: CaseCreate, session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
                cid: CorrelationId) -> CasePublic:
    """Open a case under the communications-data authorisation its exhibits were obtained
    under. 409 if the reference is taken."""
    require(runtime, user, WRITERS, action="case.create", case=body.reference,
            correlation_id=cid)
    case = service.create_case(session, runtime, user, body, cid)
    return CasePublic.model_validate(case, from_attributes=True)


@router.get("", response_model=CaseList, responses=responses(Forbidden))
def list_cases(session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
               cid: CorrelationId) -> CaseList:
    """Every case, by reference."""
    require(runtime, user, READERS, action="case.list", correlation_id=cid)
    cases = service.list_cases(session, runtime, user, cid)
    return CaseList(cases=[CasePublic.model_validate(c, from_attributes=True) for c in cases])


@router.get("/{reference}", response_model=CasePublic, responses=responses(NotFound, Forbidden))
def get_case(reference: str, session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
             cid: CorrelationId) -> CasePublic:
    """One case by its reference."""
    require(runtime, user, READERS, action="case.get", case=reference, correlation_id=cid)
    case = service.get_case(session, runtime, user, reference, cid)
    return CasePublic.model_validate(case, from_attributes=True)
