"""Routes of signed checkpoints and Merkle proofs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from linesight_shared.auth import Role
from linesight_shared.errors import BadRequest, NotFound, responses
from linesight_shared.web import CurrentUser, RuntimeDep, SessionDep

from linesight_audit.checkpoints import service
from linesight_audit.checkpoints.schemas import CheckpointPublic, LogKey
from linesight_audit.entries.repository import AuditRepository
from linesight_audit.tree import service as tree
from linesight_audit.tree.schemas import ConsistencyProof, InclusionProof

router = APIRouter(prefix="/v1", tags=["checkpoints"])
SIGN_NOW = (Role.disclosure_officer, Role.supervisor, Role.service)


def _head(session) -> int:
    head = AuditRepository(session).head()
    return head.seq if head else 0


@router.get("/log/key", response_model=LogKey, responses=responses())
def log_key(runtime: RuntimeDep, user: CurrentUser) -> LogKey:
    """The log's origin and its verifier key (C2SP ``name+keyid+key``). Compare it with a
    copy obtained out of band before trusting any checkpoint."""
    return LogKey(origin=runtime.signer.origin, verifier_key=runtime.signer.verifier_key)


@router.post("/checkpoints", response_model=CheckpointPublic, responses=responses(NotFound))
def sign_checkpoint(runtime: RuntimeDep, session: SessionDep, user: CurrentUser
                    ) -> CheckpointPublic:
    """Sign a checkpoint of the log as it is now (or return the one at this size)."""
    user.require(*SIGN_NOW)
    row = service.issue(session, runtime.signer)
    if row is None:
        raise NotFound("the log is empty: there is nothing to sign")
    return service.to_public(row, runtime.signer.origin)


@router.get("/checkpoints/latest", response_model=CheckpointPublic,
            responses=responses(NotFound))
def latest_checkpoint(runtime: RuntimeDep, session: SessionDep, user: CurrentUser
                      ) -> CheckpointPublic:
    """The newest signed checkpoint."""
    return service.to_public(service.latest(session), runtime.signer.origin)


@router.get("/checkpoints/{size}", response_model=CheckpointPublic,
            responses=responses(NotFound))
def checkpoint_at(size: int, runtime: RuntimeDep, session: SessionDep, user: CurrentUser
                  ) -> CheckpointPublic:
    """The checkpoint signed at ``size``."""
    return service.to_public(service.at_size(session, size), runtime.signer.origin)


@router.get("/proofs/inclusion", response_model=InclusionProof,
            responses=responses(BadRequest))
def inclusion_proof(session: SessionDep, user: CurrentUser,
                    seq: Annotated[int, Query(ge=1)],
                    size: Annotated[int, Query(ge=1, description="tree size")]
                    ) -> InclusionProof:
    """The audit path proving entry ``seq`` is in the tree of ``size`` entries."""
    return tree.inclusion(session, seq, size, _head(session))


@router.get("/proofs/consistency", response_model=ConsistencyProof,
            responses=responses(BadRequest))
def consistency_proof(session: SessionDep, user: CurrentUser,
                      size1: Annotated[int, Query(ge=1)], size2: Annotated[int, Query(ge=1)]
                      ) -> ConsistencyProof:
    """The proof that the tree of ``size2`` entries extends the tree of ``size1``."""
    return tree.consistency(session, size1, size2, _head(session))
