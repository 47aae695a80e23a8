"""All queries on the datasets table."""

from __future__ import annotations

from collections.abc import Sequence

from linesight_shared.repository import Repository
from sqlmodel import select

from linesight_ingest.datasets.schemas import Dataset
from linesight_ingest.exhibits.schemas import Exhibit


class DatasetRepository(Repository[Dataset]):
    model = Dataset

    def for_case(self, case_id: str) -> Sequence[tuple[Dataset, Exhibit]]:
        stmt = (select(Dataset, Exhibit).join(Exhibit, Exhibit.id == Dataset.exhibit_id)
                .where(Dataset.case_id == case_id)
                .order_by(Exhibit.reference, Dataset.created_at))
        return self.session.exec(stmt).all()

    def made_by(self, exhibit_id: str, parser: str, parser_version: str) -> Sequence[Dataset]:
        """The datasets this parser version already made from the exhibit (one per table)."""
        return self.list_by(Dataset.exhibit_id == exhibit_id, Dataset.parser == parser,
                            Dataset.parser_version == parser_version, order_by=Dataset.table)
