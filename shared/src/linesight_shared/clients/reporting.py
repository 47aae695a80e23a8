"""Client of the reporting service: request reports and audit summaries, follow their jobs,
download PDFs.

Models come from the reporting contract (``linesight_shared.contracts.reporting``). A PDF
is checked against the ``X-Content-SHA256`` the service sends before it is written, so a
corrupted copy never reaches the caller. Naming a ``recipient`` makes the download an
audited disclosure to them.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path

from linesight_shared.clients.base import ServiceClient, seg
from linesight_shared.contracts.reporting import (
    AuditSummaryCreate,
    AuditSummaryPublic,
    AuditSummaryRequested,
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
        return self._download(f"/v1/reports/{seg(report_id)}/pdf", f"report {report_id}",
                              dest_path, recipient)

    def request_audit_summary(self, case_ref: str, *, actor: str | None = None,
                              operation: str | None = None, object_ref: str | None = None,
                              object_id: str | None = None, since: datetime | None = None,
                              until: datetime | None = None) -> AuditSummaryRequested:
        """Start rendering a verified PDF summary of the case's audit log (disclosure
        officers and supervisors), optionally filtered; returns it (queued) with its job."""
        body = AuditSummaryCreate(actor=actor, operation=operation, object_ref=object_ref,
                                  object_id=object_id, since=since, until=until)
        return self.post_model(f"/v1/cases/{seg(case_ref)}/audit-summaries",
                               AuditSummaryRequested,
                               json=body.model_dump(mode="json", exclude_none=True))

    def get_audit_summary(self, summary_id: str) -> AuditSummaryPublic:
        return self.get_model(f"/v1/audit-summaries/{seg(summary_id)}", AuditSummaryPublic)

    def download_audit_summary_pdf(self, summary_id: str, dest_path: Path | str,
                                   recipient: str | None = None) -> Path:
        """Write the audit summary PDF to ``dest_path`` once it matches
        ``X-Content-SHA256``; with a ``recipient`` the download is a disclosure to them."""
        return self._download(f"/v1/audit-summaries/{seg(summary_id)}/pdf",
                              f"audit summary {summary_id}", dest_path, recipient)

    def _download(self, url: str, what: str, dest_path: Path | str,
                  recipient: str | None) -> Path:
        params = {"recipient": recipient} if recipient else None
        resp = self.request("GET", url, params=params)
        claimed = resp.headers.get("X-Content-SHA256", "")
        actual = hashlib.sha256(resp.content).hexdigest()
        if actual != claimed:
            raise IntegrityError(f"reporting: the PDF of {what} arrived with "
                                 f"SHA-256 {actual}, not {claimed or 'none'}")
        dest = Path(dest_path)
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(dest.name + ".partial")
        partial.write_bytes(resp.content)
        os.replace(partial, dest)
        return dest
