"""Receiving exhibits and reading them back.

Fail closed, in this order, so that a refused audit leaves no trace: the upload is
spooled and hashed (a temporary file, removed after the request), the ``collection`` is
audited, the original is put in the object store, the rows are added, and the request's
unit of work commits. Reads are audited before any data is returned.
"""

from __future__ import annotations

from pathlib import Path

from linesight_shared.audit_client import Operation, obj
from linesight_shared.auth import Principal
from linesight_shared.errors import BadRequest, Conflict, NotFound
from linesight_shared.objectstore import object_key
from linesight_shared.objectstore.base import IntegrityError
from linesight_shared.runtime import ServiceRuntime
from sqlalchemy.exc import IntegrityError as DBIntegrityError
from sqlmodel import Session

from linesight_ingest.cases.repository import CaseRepository
from linesight_ingest.cases.schemas import Case
from linesight_ingest.exhibits.repository import ExhibitRepository, IngestReportRepository
from linesight_ingest.exhibits.schemas import (
    Exhibit,
    ExhibitKind,
    ExhibitPublic,
    IngestReportPublic,
    ParseStatus,
)
from linesight_ingest.exhibits.upload import SpooledUpload
from linesight_ingest.jobs.schemas import Job
from linesight_ingest.models import new_id, utcnow
from linesight_ingest.parsing.registry import kinds, parser_for
from linesight_ingest.profiles.service import resolve_for_upload

PARSE_JOB = "exhibits.parse"


def to_public(exhibit: Exhibit, case: Case) -> ExhibitPublic:
    return ExhibitPublic.model_validate(exhibit, update={"case_reference": case.reference})


def exhibit_obj(exhibit: Exhibit):
    return obj("exhibit", exhibit.id, sha256=exhibit.sha256, ref=exhibit.reference)


def upload_exhibit(session: Session, runtime: ServiceRuntime, user: Principal,
                   case_reference: str, upload: SpooledUpload, correlation_id: str
                   ) -> tuple[Exhibit, Case, Job]:
    """Keep the original under its SHA-256 and queue its parse (enqueued after commit)."""
    case = CaseRepository(session).by_reference_or_404(case_reference)
    repo = ExhibitRepository(session)
    form = upload.form
    if parser_for(form.kind) is None:
        raise BadRequest(f"exhibits of kind {form.kind} cannot be parsed by this installation; "
                         f"kinds it can parse: {', '.join(kinds())}")
    profile = None
    if form.profile is not None:
        if form.kind != ExhibitKind.cdr:
            raise BadRequest("a mapping profile can only be forced for exhibits of kind cdr")
        profile = resolve_for_upload(session, form.profile)
    same_bytes = repo.by_sha256(case.id, upload.sha256)
    if same_bytes is not None:
        raise Conflict(f"these bytes (SHA-256 {upload.sha256}) are already exhibit "
                       f"{same_bytes.reference} in case {case.reference}")
    if repo.by_reference(case.id, form.reference) is not None:
        raise Conflict(f"exhibit {form.reference} already exists in case {case.reference}")
    key = object_key(case.id, "exhibits", upload.sha256)
    exhibit = Exhibit(
        id=new_id(), case_id=case.id, reference=form.reference, kind=form.kind,
        producer=form.producer.strip(), description=form.description.strip(),
        original_filename=upload.filename, content_type=upload.content_type,
        size_bytes=upload.size, sha256=upload.sha256, object_key=key,
        uploaded_by=user.username, uploaded_at=utcnow(), parse_status=ParseStatus.queued,
        profile=profile,
    )
    # The description and file name may name people; the log keeps only what and how big.
    runtime.audit.record(user, Operation.collection, case=case.reference,
                         objects=[exhibit_obj(exhibit)],
                         parameters={"action": "exhibit.upload", "kind": str(form.kind),
                                     "producer": exhibit.producer, "profile": profile,
                                     "size_bytes": upload.size},
                         correlation_id=correlation_id)
    runtime.store.put_file(key, upload.path, sha256=upload.sha256,
                           content_type=upload.content_type, retain=True)
    try:
        repo.add(exhibit)
    except DBIntegrityError as exc:  # a concurrent upload won the race
        raise Conflict(f"exhibit {form.reference} or these bytes already exist in case "
                       f"{case.reference}") from exc
    job = runtime.jobs.create(session, kind=PARSE_JOB, subject_id=exhibit.id, case_id=case.id,
                              principal=user, correlation_id=correlation_id)
    return exhibit, case, job


def _exhibit_in_case(session: Session, case_reference: str, exhibit_id: str
                     ) -> tuple[Exhibit, Case]:
    case = CaseRepository(session).by_reference_or_404(case_reference)
    exhibit = ExhibitRepository(session).get(exhibit_id)
    if exhibit is None or exhibit.case_id != case.id:
        raise NotFound(f"exhibit {exhibit_id} does not exist in case {case.reference}")
    return exhibit, case


def list_exhibits(session: Session, runtime: ServiceRuntime, user: Principal,
                  case_reference: str, correlation_id: str) -> list[ExhibitPublic]:
    case = CaseRepository(session).by_reference_or_404(case_reference)
    exhibits = ExhibitRepository(session).in_case(case.id)
    runtime.audit.record(user, Operation.consultation, case=case.reference,
                         objects=[exhibit_obj(e) for e in exhibits],
                         parameters={"action": "exhibit.list"}, correlation_id=correlation_id)
    return [to_public(e, case) for e in exhibits]


def get_exhibit(session: Session, runtime: ServiceRuntime, user: Principal,
                case_reference: str, exhibit_id: str, correlation_id: str) -> ExhibitPublic:
    exhibit, case = _exhibit_in_case(session, case_reference, exhibit_id)
    runtime.audit.record(user, Operation.consultation, case=case.reference,
                         objects=[exhibit_obj(exhibit)], parameters={"action": "exhibit.get"},
                         correlation_id=correlation_id)
    return to_public(exhibit, case)


def open_original(session: Session, runtime: ServiceRuntime, user: Principal,
                  case_reference: str, exhibit_id: str, correlation_id: str
                  ) -> tuple[Exhibit, Path]:
    """A local copy of the original, checked against its SHA-256; the caller removes it.

    A copy that does not match is never returned: the mismatch is audited as a failed
    consultation and answered with ``integrity_error``.
    """
    exhibit, case = _exhibit_in_case(session, case_reference, exhibit_id)
    path = runtime.settings.resolved_spool_dir() / f"original-{new_id()}"
    try:
        try:
            runtime.store.download(exhibit.object_key, path, sha256=exhibit.sha256)
        except IntegrityError as exc:
            runtime.audit.record(user, Operation.consultation, case=case.reference,
                                 objects=[exhibit_obj(exhibit)], outcome="failure",
                                 reason=exc.detail,
                                 parameters={"action": "exhibit.original"},
                                 correlation_id=correlation_id)
            raise
        runtime.audit.record(user, Operation.consultation, case=case.reference,
                             objects=[exhibit_obj(exhibit)],
                             parameters={"action": "exhibit.original"},
                             correlation_id=correlation_id)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return exhibit, path


def get_ingest_report(session: Session, runtime: ServiceRuntime, user: Principal,
                      case_reference: str, exhibit_id: str, correlation_id: str
                      ) -> IngestReportPublic:
    exhibit, case = _exhibit_in_case(session, case_reference, exhibit_id)
    row = IngestReportRepository(session).latest_for(exhibit.id)
    if row is None:
        raise NotFound(f"exhibit {exhibit.reference} has no ingest report yet "
                       f"(parse status: {exhibit.parse_status})")
    runtime.audit.record(user, Operation.consultation, case=case.reference,
                         objects=[exhibit_obj(exhibit)],
                         parameters={"action": "exhibit.ingest_report", "report_id": row.id},
                         correlation_id=correlation_id)
    return IngestReportPublic.model_validate({
        **row.report, "exhibit_id": exhibit.id, "exhibit_reference": exhibit.reference,
        "job_id": row.job_id, "status": row.status, "dataset_id": row.dataset_id,
        "dataset_ids": row.dataset_ids or ([row.dataset_id] if row.dataset_id else []),
        "rejects_object_key": row.rejects_object_key, "rejects_sha256": row.rejects_sha256,
        "created_at": row.created_at,
    })
