"""All queries on the exhibits and ingest-report tables."""

from __future__ import annotations

from collections.abc import Sequence

from linesight_shared.repository import Repository
from sqlmodel import select

from linesight_ingest.exhibits.schemas import Exhibit, IngestReport


class ExhibitRepository(Repository[Exhibit]):
    model = Exhibit

    def in_case(self, case_id: str) -> Sequence[Exhibit]:
        return self.list_by(Exhibit.case_id == case_id, order_by=Exhibit.uploaded_at)

    def by_sha256(self, case_id: str, sha256: str) -> Exhibit | None:
        return self.first_by(Exhibit.case_id == case_id, Exhibit.sha256 == sha256)

    def by_reference(self, case_id: str, reference: str) -> Exhibit | None:
        return self.first_by(Exhibit.case_id == case_id, Exhibit.reference == reference)


class IngestReportRepository(Repository[IngestReport]):
    model = IngestReport

    def latest_for(self, exhibit_id: str) -> IngestReport | None:
        stmt = (select(IngestReport).where(IngestReport.exhibit_id == exhibit_id)
                .order_by(IngestReport.created_at.desc(), IngestReport.id.desc()))
        return self.session.exec(stmt).first()

    def for_job(self, job_id: str) -> IngestReport | None:
        return self.first_by(IngestReport.job_id == job_id)
