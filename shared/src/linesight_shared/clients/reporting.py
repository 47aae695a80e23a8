"""Client of the reporting service: request reports, follow their jobs, download PDFs.

Models come from the reporting contract (``linesight_shared.contracts.reporting``). A PDF
is checked against the ``X-Content-SHA256`` the service sends before it is written, so a
corrupted copy never reaches the caller. Naming a ``recipient`` makes the download an
audited disclosure to them.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from linesight_shared.clients.base import ServiceClient, seg
from linesight_shared.contracts.reporting import (
    JobPublic,
    ReportCreate,
    ReportPublic,
    ReportRequested,
)
from linesight_shared.objectstore.base import IntegrityError


class ReportingClient(ServiceClient):
    service = "reporting"
    job_model = JobPublic

    def request_report(self, case_ref: str, analysis_ids: list[str],
                       title: str | None = None) -> ReportRequested:
        """Start rendering a report of finished analyses; returns it (queued) with its job."""
        body = ReportCreate(analysis_ids=analysis_ids, title=title)
        return self.post_model(f"/v1/cases/{seg(case_ref)}/reports", ReportRequested,
                               json=body.model_dump(mode="json", exclude_none=True))

    def get_report(self, report_id: str) -> ReportPublic:
        return self.get_model(f"/v1/reports/{seg(report_id)}", ReportPublic)

    def list_reports(self, case_ref: str) -> list[ReportPublic]:
        resp = self.request("GET", f"/v1/cases/{seg(case_ref)}/reports")
        return [ReportPublic.model_validate(r) for r in resp.json()]

    def download_pdf(self, report_id: str, dest_path: Path | str,
                     recipient: str | None = None) -> Path:
        """Write the PDF to ``dest_path`` once it matches ``X-Content-SHA256``; with a
        ``recipient`` the download is recorded as a disclosure to them."""
        params = {"recipient": recipient} if recipient else None
        resp = self.request("GET", f"/v1/reports/{seg(report_id)}/pdf", params=params)
        claimed = resp.headers.get("X-Content-SHA256", "")
        actual = hashlib.sha256(resp.content).hexdigest()
        if actual != claimed:
            raise IntegrityError(f"reporting: the PDF of report {report_id} arrived with "
                                 f"SHA-256 {actual}, not {claimed or 'none'}")
        dest = Path(dest_path)
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(dest.name + ".partial")
        partial.write_bytes(resp.content)
        os.replace(partial, dest)
        return dest

