"""All queries on the analyses table (with each analysis's job, which holds its status)."""

from __future__ import annotations

from linesight_shared.errors import NotFound
from linesight_shared.repository import Repository
from sqlmodel import select

from linesight_analytics.analyses.schemas import Analysis
from linesight_analytics.jobs.schemas import Job


class AnalysisRepository(Repository[Analysis]):
    model = Analysis

    def with_job(self, analysis_id: str) -> tuple[Analysis, Job]:
        stmt = (select(Analysis, Job).join(Job, Job.id == Analysis.job_id)
                .where(Analysis.id == analysis_id))
        found = self.session.exec(stmt).first()
        if found is None:
            raise NotFound(f"analysis {analysis_id} does not exist")
        return found[0], found[1]

    def for_case(self, case_reference: str) -> list[tuple[Analysis, Job]]:
        stmt = (select(Analysis, Job).join(Job, Job.id == Analysis.job_id)
                .where(Analysis.case_reference == case_reference)
                .order_by(Analysis.created_at, Analysis.id))
        return [(a, j) for a, j in self.session.exec(stmt).all()]
