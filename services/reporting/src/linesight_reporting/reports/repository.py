"""All queries on the reports table (with each report's job, which holds its status)."""

from __future__ import annotations

from linesight_shared.errors import NotFound
from linesight_shared.repository import Repository
from sqlmodel import select

from linesight_reporting.jobs.schemas import Job
from linesight_reporting.reports.schemas import Report


class ReportRepository(Repository[Report]):
    model = Report

    def with_job(self, report_id: str) -> tuple[Report, Job]:
        stmt = select(Report, Job).join(Job, Job.id == Report.job_id).where(Report.id == report_id)
        found = self.session.exec(stmt).first()
        if found is None:
            raise NotFound(f"report {report_id} does not exist")
        return found[0], found[1]

    def for_case(self, case_reference: str) -> list[tuple[Report, Job]]:
        stmt = (select(Report, Job).join(Job, Job.id == Report.job_id)
                .where(Report.case_reference == case_reference)
                .order_by(Report.created_at, Report.id))
        return [(r, j) for r, j in self.session.exec(stmt).all()]
