"""Client of the audit service's read side and its token issuer (CLI, disclosure tools).

Services *write* entries through :mod:`linesight_shared.audit_client`; this client logs
users in, verifies the chain and exports a case's entries.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from linesight_shared.clients.base import ServiceClient
from linesight_shared.contracts.audit import (
    AuditEntryList,
    AuditEntryPublic,
    Lineage,
    LogKey,
    TokenResponse,
    VerifyReport,
)


class AuditServiceClient(ServiceClient):
    service = "audit"

    def login(self, username: str, password: str) -> TokenResponse:
        """Exchange a password for a token; the client uses it from then on."""
        token = self.post_model("/v1/auth/token", TokenResponse,
                                data={"username": username, "password": password})
        self.token = token.access_token
        return token

    def verify(self) -> VerifyReport:
        return self.get_model("/v1/verify", VerifyReport)

    def list_entries(self, *, case: str | None = None, actor: str | None = None,
                     operation: str | None = None, after_seq: int = 0, limit: int = 100
                     ) -> AuditEntryList:
        params = {k: v for k, v in {"case": case, "actor": actor, "operation": operation,
                                    "after_seq": after_seq, "limit": limit}.items()
                  if v is not None}
        return self.get_model("/v1/entries", AuditEntryList, params=params)

    def iter_entries(self, **filters) -> Iterator[AuditEntryPublic]:
        after = 0
        while True:
            page = self.list_entries(after_seq=after, limit=1000, **filters)
            yield from page.entries
            if page.next_after_seq is None:
                return
            after = page.next_after_seq

    def log_key(self) -> LogKey:
        """The log's origin and verifier key (compare it with a copy obtained out of band)."""
        return self.get_model("/v1/log/key", LogKey)

    def lineage(self, case: str, *, ref: str | None = None, object_id: str | None = None
                ) -> Lineage:
        params = {k: v for k, v in {"ref": ref, "object_id": object_id}.items() if v}
        return self.get_model(f"/v1/cases/{case}/lineage", Lineage, params=params)

    def bundle(self, case: str, dest: Path) -> Path:
        """Write the case's verifiable audit bundle (entries, proofs, signed checkpoint)."""
        resp = self.request("GET", f"/v1/cases/{case}/bundle")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(resp.content)
        return dest

    def export_case(self, case: str, dest: Path) -> Path:
        """Write a case's entries as JSON Lines to ``dest``."""
        resp = self.request("GET", f"/v1/cases/{case}/export")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(resp.content)
        return dest
