"""Who may do what in the ingest service; a refused access is itself audited."""

from __future__ import annotations

from linesight_shared.access import authorise
from linesight_shared.auth import Principal, Role
from linesight_shared.runtime import ServiceRuntime

#: may create cases and upload exhibits
WRITERS = (Role.analyst, Role.supervisor, Role.service)
#: may read cases, exhibits, reports and datasets
READERS = (Role.analyst, Role.supervisor, Role.disclosure_officer, Role.service)


def require(runtime: ServiceRuntime, user: Principal, roles: tuple[Role, ...], *,
            action: str, case: str | None = None, correlation_id: str | None = None) -> None:
    """Raise Forbidden unless ``user`` holds one of ``roles`` (the refusal is audited)."""
    authorise(runtime, user, roles, action=action, case=case, correlation_id=correlation_id)
