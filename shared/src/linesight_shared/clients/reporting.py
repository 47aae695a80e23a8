"""Client of the reporting service: request reports, follow their jobs, download PDFs.

Models come from the reporting contract (``linesight_shared.contracts.reporting``). A PDF
is checked against the ``X-Content-SHA256`` the service sends before it is written, so a
corrupted copy never reaches the caller. Naming a ``recipient`` makes the download an
audited disclosure to them.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from urllib.parse import quote

from linesight_shared.clients.base import ServiceClient
from linesight_shared.contracts.reporting import (
    JobPublic,
    JobStatus,
    ReportCreate,
    ReportPublic,
    ReportRequested,
)
from linesight_shared.objectstore.base import IntegrityError

FINISHED = (JobStatus.succeeded, JobStatus.failed)


def _seg(value: str) -> str:
    return quote(value, safe="")


class ReportingClient(ServiceClient):
    service = "reporting"

    def request_report(self, case_ref: str, analysis_ids: list[str],
                       title: str | None = None) -> ReportRequested:
        """Start rendering a report of finished analyses; returns it (queued) with its job."""
        body = ReportCreate(analysis_ids=analysis_ids, title=title)
        return self.post_model(f"/v1/cases/{_seg(case_ref)}/reports", ReportRequested,
                               json=body.model_dump(mode="json", exclude_none=True))

    def get_report(self, report_id: str) -> ReportPublic:
        return self.get_model(f"/v1/reports/{_seg(report_id)}", ReportPublic)

    def list_reports(self, case_ref: str) -> list[ReportPublic]:
        resp = self.request("GET", f"/v1/cases/{_seg(case_ref)}/reports")
        return [ReportPublic.model_validate(r) for r in resp.json()]

    def download_pdf(self, report_id: str, dest_path: Path | str,
                     recipient: str | None = None) -> Path:
        """Write the PDF to ``dest_path`` once it matches ``X-Content-SHA256``; with a
        ``recipient`` the download is recorded as a disclosure to them."""
        params = {"recipient": recipient} if recipient else None
        resp = self.request("GET", f"/v1/reports/{_seg(report_id)}/pdf", params=params)
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

    def get_job(self, job_id: str) -> JobPublic:
        return self.get_model(f"/v1/jobs/{_seg(job_id)}", JobPublic)

    def wait_for_job(self, job_id: str, timeout_s: float = 300.0,
                     poll_s: float = 0.5) -> JobPublic:
        """Poll until the job has succeeded or failed and return it (a failed job is
        returned, not raised: its ``message`` says why); TimeoutError after ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while True:
            job = self.get_job(job_id)
            if job.status in FINISHED:
                return job
            if time.monotonic() >= deadline:
                raise TimeoutError(f"reporting job {job_id} is still {job.status} "
                                   f"after {timeout_s}s")
            time.sleep(poll_s)
