"""Uploading a generated Monza scenario into a case through the ingest API.

Used by ``make demo`` and the end-to-end tests: each exhibit of the manifest is sent as
the analyst (streamed, stored under its SHA-256, audited), then every parse job is awaited.
A parse that fails, or rejects rows from a file that was written to have none, stops the
load with the exhibit and the reason.
"""

from __future__ import annotations

from pathlib import Path

from linesight_shared.clients.ingest import IngestClient
from linesight_shared.contracts.ingest import ExhibitPublic

from linesight_ingest.samples.monza.write import Manifest


def upload_scenario(ingest: IngestClient, case_reference: str, folder: Path,
                    manifest: Manifest, *, timeout_s: float = 600) -> dict[str, ExhibitPublic]:
    """Upload every exhibit, wait for every parse; the exhibits by reference."""
    accepted = [ingest.upload_exhibit(case_reference, folder / f.filename,
                                      reference=f.reference, kind=f.kind,
                                      producer=f.producer, description=f.description)
                for f in manifest.files]
    for f, up in zip(manifest.files, accepted, strict=True):
        job = ingest.wait_for_job(up.job.id, timeout_s=timeout_s)
        if str(job.status) != "succeeded":
            raise RuntimeError(f"exhibit {f.reference} ({f.filename}): parse {job.status}: "
                               f"{job.message}")
        report = ingest.ingest_report(case_reference, up.exhibit.id)
        if report.rows_rejected:
            raise RuntimeError(f"exhibit {f.reference} ({f.filename}): {report.rows_rejected} "
                               f"rows rejected: {report.rejects_by_reason}")
    return {f.reference: up.exhibit for f, up in zip(manifest.files, accepted, strict=True)}
