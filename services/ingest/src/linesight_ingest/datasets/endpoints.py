"""Routes for datasets: the normalised tables an exhibit was turned into."""

from __future__ import annotations

from fastapi import APIRouter
from linesight_shared.errors import Forbidden, NotFound, responses
from linesight_shared.web import CorrelationId, CurrentUser, RuntimeDep, SessionDep

from linesight_ingest.access import READERS, require
from linesight_ingest.datasets import service
from linesight_ingest.datasets.schemas import DatasetList, DatasetPublic

router = APIRouter(prefix="/v1/cases/{reference}/datasets", tags=["datasets"])


@router.get("", response_model=DatasetList, responses=responses(NotFound, Forbidden))
def list_datasets(reference: str, session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
                  cid: CorrelationId) -> DatasetList:
    """The case's datasets, by exhibit reference."""
    require(runtime, user, READERS, action="dataset.list", case=reference, correlation_id=cid)
    return DatasetList(datasets=service.list_datasets(session, runtime, user, reference, cid))


@router.get("/{dataset_id}", response_model=DatasetPublic,
            responses=responses(NotFound, Forbidden))
def get_dataset(reference: str, dataset_id: str, session: SessionDep, runtime: RuntimeDep,
                user: CurrentUser, cid: CorrelationId) -> DatasetPublic:
    """One dataset: where its Parquet file is and the SHA-256 to check it against."""
    require(runtime, user, READERS, action="dataset.get", case=reference, correlation_id=cid)
    return service.get_dataset(session, runtime, user, reference, dataset_id, cid)
