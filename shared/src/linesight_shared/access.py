"""Role checks shared by the services; a refused access is itself an audit entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from linesight_shared.audit_client import Operation
from linesight_shared.auth import Principal, Role
from linesight_shared.errors import Forbidden

if TYPE_CHECKING:
    from linesight_shared.runtime import ServiceRuntime


def authorise(runtime: ServiceRuntime, user: Principal, roles: tuple[Role, ...], *,
              action: str, case: str | None = None, correlation_id: str | None = None) -> None:
    """Raise Forbidden unless ``user`` holds one of ``roles``. The refusal is audited first
    (fail closed: if it cannot be recorded the caller gets 503, not 403)."""
    try:
        user.require(*roles)
    except Forbidden as exc:
        runtime.audit.record(user, Operation.refused, case=case, outcome="refused",
                             reason=exc.detail, parameters={"action": action},
                             correlation_id=correlation_id)
        raise
