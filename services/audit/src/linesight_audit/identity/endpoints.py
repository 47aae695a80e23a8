"""The local token issuer: users and roles from the users file. Every login is logged."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from linesight_shared.auth import Principal, check_password, load_users
from linesight_shared.errors import Unauthorized, responses
from linesight_shared.web import CorrelationId, RuntimeDep, SessionDep
from pydantic import BaseModel

from linesight_audit.entries import service as entries
from linesight_audit.entries.schemas import AuditEventCreate, Operation, Outcome

router = APIRouter(prefix="/v1/auth", tags=["identity"])


class TokenResponse(BaseModel):
    """An OAuth2 bearer token."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int
    username: str
    roles: list[str]


@router.post("/token", response_model=TokenResponse, responses=responses())
def issue_token(
    username: Annotated[str, Form()], password: Annotated[str, Form()],
    runtime: RuntimeDep, session: SessionDep, cid: CorrelationId,
) -> TokenResponse:
    """Exchange a username and password (OAuth2 password form) for an access token."""
    users = load_users(runtime.settings.users_file)
    user = users.get(username)
    ok = user is not None and check_password(password, user.password_hash)
    who = Principal(username=username, roles=user.roles if ok else frozenset(),
                    acting_service="audit")
    entries.append(session, AuditEventCreate(
        operation=Operation.login, outcome=Outcome.success if ok else Outcome.refused,
        reason=None if ok else "unknown user or wrong password", correlation_id=cid,
    ), who)
    if not ok:
        raise Unauthorized("unknown user or wrong password")
    token = runtime.tokens.issue(user.username, user.roles)
    return TokenResponse(access_token=token, expires_in=runtime.settings.token_ttl_s,
                         username=user.username, roles=sorted(user.roles))
