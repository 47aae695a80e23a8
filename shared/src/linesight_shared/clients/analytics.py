"""Client of the analytics service: request analyses, follow their jobs, read results.

Models come from the analytics contract (``linesight_shared.contracts.analytics``). A
result is served byte for byte as stored with its SHA-256 in ``X-Content-SHA256``; the
client checks the bytes against that header before handing them on.
"""

from __future__ import annotations

import hashlib
from typing import Any

from linesight_shared.clients.base import ServiceClient, seg
from linesight_shared.contracts.analytics import (
    AnalysisCreate,
    AnalysisKindPublic,
    AnalysisPublic,
    AnalysisRequested,
    AnalysisResultDocument,
    JobPublic,
)
from linesight_shared.objectstore.base import IntegrityError


class AnalyticsClient(ServiceClient):
    service = "analytics"
    job_model = JobPublic

    def request_analysis(self, case_ref: str, kind: str, dataset_ids: list[str] | None = None,
                         parameters: dict[str, Any] | None = None) -> AnalysisRequested:
        """Start an analysis; returns it (queued) with its job."""
        body = AnalysisCreate.model_validate(
            {"kind": kind, "dataset_ids": dataset_ids, "parameters": parameters})
        return self.post_model(f"/v1/cases/{seg(case_ref)}/analyses", AnalysisRequested,
                               json=body.model_dump(mode="json", exclude_none=True))

    def list_kinds(self) -> list[AnalysisKindPublic]:
        resp = self.request("GET", "/v1/analysis-kinds")
        return [AnalysisKindPublic.model_validate(k) for k in resp.json()]

    def export(self, analysis_id: str, fmt: str, *, table: str | None = None) -> bytes:
        """A result as CSV, XLSX, GeoJSON or KML, checked against ``X-Content-SHA256``."""
        params = {"table": table} if table else None
        resp = self.request("GET", f"/v1/analyses/{seg(analysis_id)}/exports/{seg(fmt)}",
                            params=params)
        claimed = resp.headers.get("X-Content-SHA256", "")
        actual = hashlib.sha256(resp.content).hexdigest()
        if actual != claimed:
            raise IntegrityError(f"analytics: the {fmt} export of analysis {analysis_id} "
                                 f"arrived with SHA-256 {actual}, not {claimed or 'none'}")
        return resp.content

    def get_analysis(self, analysis_id: str) -> AnalysisPublic:
        return self.get_model(f"/v1/analyses/{seg(analysis_id)}", AnalysisPublic)

    def list_analyses(self, case_ref: str) -> list[AnalysisPublic]:
        resp = self.request("GET", f"/v1/cases/{seg(case_ref)}/analyses")
        return [AnalysisPublic.model_validate(a) for a in resp.json()]

    def get_result_bytes(self, analysis_id: str) -> bytes:
        """The result document's exact bytes, checked against ``X-Content-SHA256``."""
        resp = self.request("GET", f"/v1/analyses/{seg(analysis_id)}/result")
        claimed = resp.headers.get("X-Content-SHA256", "")
        actual = hashlib.sha256(resp.content).hexdigest()
        if actual != claimed:
            raise IntegrityError(f"analytics: the result of analysis {analysis_id} arrived "
                                 f"with SHA-256 {actual}, not {claimed or 'none'}")
        return resp.content

    def get_result(self, analysis_id: str) -> AnalysisResultDocument:
        return AnalysisResultDocument.model_validate_json(self.get_result_bytes(analysis_id))

