"""Who may do what in the ingest service; a refused access is itself audited."""

from __future__ import annotations

from linesight_shared.audit_client import Operation
from linesight_shared.auth import Principal, Role
from linesight_shared.errors import Forbidden
from linesight_shared.runtime import ServiceRuntime

#: may create cases and upload exhibits
WRITERS = (Role.analyst, Role.supervisor, Role.service)
#: may read cases, exhibits, reports and datasets
READERS = (Role.analyst, Role.supervisor, Role.disclosure_officer, Role.service)


def require(runtime: ServiceRuntime, user: Principal, roles: tuple[Role, ...], *,
            action: str, case: str | None = None, correlation_id: str | None = None) -> None:
    """Raise Forbidden unless ``user`` holds one of ``roles``; the refusal is audited
    first (fail closed: if it cannot be recorded the caller gets 503, not 403)."""
    try:
        user.require(*roles)
    except Forbidden as exc:
        runtime.audit.record(user, Operation.refused, case=case, outcome="refused",
                             reason=exc.detail, parameters={"action": action},
                             correlation_id=correlation_id)
        raise
