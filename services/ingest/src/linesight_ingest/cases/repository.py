"""All queries on the cases table."""

from __future__ import annotations

from collections.abc import Sequence

from linesight_shared.errors import NotFound
from linesight_shared.repository import Repository

from linesight_ingest.cases.schemas import Case


class CaseRepository(Repository[Case]):
    model = Case

    def by_reference(self, reference: str) -> Case | None:
        return self.first_by(Case.reference == reference)

    def by_reference_or_404(self, reference: str) -> Case:
        case = self.by_reference(reference)
        if case is None:
            raise NotFound(f"case {reference} does not exist")
        return case

    def all(self) -> Sequence[Case]:
        return self.list_by(order_by=Case.reference)
