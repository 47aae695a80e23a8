"""All queries on the audit summaries table (with each summary's job, which holds its
status)."""

from __future__ import annotations

from linesight_shared.errors import NotFound
from linesight_shared.repository import Repository
from sqlmodel import select

from linesight_reporting.audit_summaries.schemas import AuditSummary
from linesight_reporting.jobs.schemas import Job


class AuditSummaryRepository(Repository[AuditSummary]):
    model = AuditSummary

    def with_job(self, summary_id: str) -> tuple[AuditSummary, Job]:
        stmt = (select(AuditSummary, Job).join(Job, Job.id == AuditSummary.job_id)
                .where(AuditSummary.id == summary_id))
        found = self.session.exec(stmt).first()
        if found is None:
            raise NotFound(f"audit summary {summary_id} does not exist")
        return found[0], found[1]
