"""The client of the ingest service (cases, exhibits, ingest reports, datasets, jobs).

Used by the CLI and by the analytics and reporting services. Answers are the models
generated from ``contracts/ingest.openapi.json``; errors are the domain errors of
:mod:`linesight_shared.errors` (see :class:`ServiceClient`). Downloads are checked
against the SHA-256 the service sends, so a corrupted copy never reaches the caller.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import httpx

from linesight_shared.clients.base import ServiceClient
from linesight_shared.contracts.ingest import (
    CaseCreate,
    CaseList,
    CasePublic,
    DatasetList,
    DatasetPublic,
    DetectResult,
    ExhibitAccepted,
    ExhibitList,
    ExhibitPublic,
    IngestReportPublic,
    JobPublic,
    PreviewResult,
    ProfileCreate,
    ProfileDetail,
    ProfileList,
    ProfileSummary,
)
from linesight_shared.errors import ServiceUnavailable, UpstreamError
from linesight_shared.objectstore.base import IntegrityError


class IngestClient(ServiceClient):
    """Calls the ingest service as one principal."""

    service = "ingest"
    job_model = JobPublic

    # -- cases -------------------------------------------------------------------------
    def create_case(self, reference: str, authorisation_ref: str, title: str | None = None
                    ) -> CasePublic:
        body = CaseCreate(reference=reference, authorisation_ref=authorisation_ref, title=title)
        return self.post_model("/v1/cases", CasePublic,
                               json=body.model_dump(mode="json", exclude_none=True))

    def get_case(self, reference: str) -> CasePublic:
        return self.get_model(f"/v1/cases/{reference}", CasePublic)

    def list_cases(self) -> list[CasePublic]:
        return self.get_model("/v1/cases", CaseList).cases

    # -- exhibits ----------------------------------------------------------------------
    def upload_exhibit(self, case_ref: str, path: Path | str, reference: str, kind: str,
                       producer: str, description: str,
                       profile: str | None = None) -> ExhibitAccepted:
        """Send a file as exhibit ``reference``; streams it, answers once it is stored.
        ``profile`` forces a CDR mapping profile (``name`` or ``name@version``)."""
        path = Path(path)
        data = {"reference": reference, "kind": str(kind), "producer": producer,
                "description": description}
        if profile:
            data["profile"] = profile
        with path.open("rb") as f:
            return self.post_model(
                f"/v1/cases/{case_ref}/exhibits", ExhibitAccepted,
                files={"file": (path.name, f, "application/octet-stream")}, data=data,
            )

    def list_profiles(self) -> list[ProfileSummary]:
        return self.get_model("/v1/profiles", ProfileList).profiles

    def get_profile(self, name: str) -> ProfileDetail:
        return self.get_model(f"/v1/profiles/{name}", ProfileDetail)

    def add_profile(self, yaml_text: str) -> ProfileSummary:
        return self.post_model("/v1/profiles", ProfileSummary,
                               json=ProfileCreate(yaml=yaml_text).model_dump())

    def detect_profile(self, path: Path | str) -> DetectResult:
        """Rank every profile against a file (nothing is stored)."""
        path = Path(path)
        with path.open("rb") as f:
            return self.post_model("/v1/profiles/detect", DetectResult,
                                   files={"file": (path.name, f, "application/octet-stream")})

    def preview_profile(self, name: str, path: Path | str, rows: int = 20) -> PreviewResult:
        """The file's first ``rows`` rows as profile ``name`` reads them (nothing stored)."""
        path = Path(path)
        with path.open("rb") as f:
            return self.post_model(f"/v1/profiles/{name}/preview?rows={rows}", PreviewResult,
                                   files={"file": (path.name, f, "application/octet-stream")})

    def list_exhibits(self, case_ref: str) -> list[ExhibitPublic]:
        return self.get_model(f"/v1/cases/{case_ref}/exhibits", ExhibitList).exhibits

    def get_exhibit(self, case_ref: str, exhibit_id: str) -> ExhibitPublic:
        return self.get_model(f"/v1/cases/{case_ref}/exhibits/{exhibit_id}", ExhibitPublic)

    def download_original(self, case_ref: str, exhibit_id: str, dest: Path | str) -> Path:
        """Write the original to ``dest`` and check it against ``X-Content-SHA256``.

        Raises IntegrityError (and leaves no file at ``dest``) when the bytes do not match.
        """
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(dest.name + ".partial")
        url = f"/v1/cases/{case_ref}/exhibits/{exhibit_id}/original"
        digest = hashlib.sha256()
        try:
            with self.http.stream("GET", url, headers=self._headers()) as resp:
                if resp.status_code >= 400:
                    resp.read()
                    raise self._error(resp)
                expected = resp.headers.get("x-content-sha256", "")
                if len(expected) != 64:
                    raise UpstreamError("ingest: the original came without an "
                                        "X-Content-SHA256 header")
                with partial.open("wb") as f:
                    for chunk in resp.iter_bytes():
                        f.write(chunk)
                        digest.update(chunk)
        except httpx.HTTPError as exc:
            partial.unlink(missing_ok=True)
            raise ServiceUnavailable(f"the ingest service is unreachable: {exc}") from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        if digest.hexdigest() != expected:
            partial.unlink(missing_ok=True)
            raise IntegrityError(f"ingest: the original of exhibit {exhibit_id} arrived with "
                                 f"SHA-256 {digest.hexdigest()}, not {expected}")
        os.replace(partial, dest)
        return dest

    def ingest_report(self, case_ref: str, exhibit_id: str) -> IngestReportPublic:
        return self.get_model(f"/v1/cases/{case_ref}/exhibits/{exhibit_id}/ingest-report",
                              IngestReportPublic)

    # -- datasets ----------------------------------------------------------------------
    def list_datasets(self, case_ref: str) -> list[DatasetPublic]:
        return self.get_model(f"/v1/cases/{case_ref}/datasets", DatasetList).datasets

    def get_dataset(self, case_ref: str, dataset_id: str) -> DatasetPublic:
        return self.get_model(f"/v1/cases/{case_ref}/datasets/{dataset_id}", DatasetPublic)

    # -- jobs --------------------------------------------------------------------------
