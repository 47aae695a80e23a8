"""Reading datasets. Each read is audited before the answer is returned."""

from __future__ import annotations

from linesight_shared.audit_client import Operation, obj
from linesight_shared.auth import Principal
from linesight_shared.errors import NotFound
from linesight_shared.runtime import ServiceRuntime
from sqlmodel import Session

from linesight_ingest.cases.repository import CaseRepository
from linesight_ingest.datasets.repository import DatasetRepository
from linesight_ingest.datasets.schemas import Dataset, DatasetPublic
from linesight_ingest.exhibits.schemas import Exhibit


def to_public(dataset: Dataset, exhibit: Exhibit, case_reference: str) -> DatasetPublic:
    return DatasetPublic.model_validate(dataset, update={
        "case_reference": case_reference, "exhibit_reference": exhibit.reference})


def list_datasets(session: Session, runtime: ServiceRuntime, user: Principal,
                  case_reference: str, correlation_id: str) -> list[DatasetPublic]:
    case = CaseRepository(session).by_reference_or_404(case_reference)
    rows = DatasetRepository(session).for_case(case.id)
    runtime.audit.record(user, Operation.consultation, case=case.reference,
                         objects=[obj("dataset", d.id, sha256=d.sha256, ref=e.reference)
                                  for d, e in rows],
                         parameters={"action": "dataset.list"}, correlation_id=correlation_id)
    return [to_public(d, e, case.reference) for d, e in rows]


def get_dataset(session: Session, runtime: ServiceRuntime, user: Principal,
                case_reference: str, dataset_id: str, correlation_id: str) -> DatasetPublic:
    case = CaseRepository(session).by_reference_or_404(case_reference)
    dataset = DatasetRepository(session).get(dataset_id)
    if dataset is None or dataset.case_id != case.id:
        raise NotFound(f"dataset {dataset_id} does not exist in case {case.reference}")
    exhibit = session.get(Exhibit, dataset.exhibit_id)
    runtime.audit.record(user, Operation.consultation, case=case.reference,
                         objects=[obj("dataset", dataset.id, sha256=dataset.sha256,
                                      ref=exhibit.reference)],
                         parameters={"action": "dataset.get"}, correlation_id=correlation_id)
    return to_public(dataset, exhibit, case.reference)
