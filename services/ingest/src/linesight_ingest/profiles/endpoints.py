"""Routes for mapping profiles: list, read, add, and try against a file (detect, preview).

Detect and preview read an uploaded file to a spool file (hashed, size-limited, removed
when the request ends) and store nothing.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile
from linesight_shared.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    responses,
)
from linesight_shared.web import CorrelationId, CurrentUser, RuntimeDep, SessionDep

from linesight_ingest.access import READERS, WRITERS, require
from linesight_ingest.profiles import service
from linesight_ingest.profiles.schemas import (
    DetectResult,
    PreviewResult,
    ProfileCreate,
    ProfileDetail,
    ProfileList,
    ProfileSummary,
)

router = APIRouter(prefix="/v1/profiles", tags=["profiles"])
CHUNK = 1024 * 1024


class Spooled:
    """An uploaded file on local disk with its SHA-256 and size."""

    def __init__(self, path: Path, sha256: str, size: int) -> None:
        self.path, self.sha256, self.size = path, sha256, size


def spool_file(runtime: RuntimeDep, file: Annotated[UploadFile, File(
        description="The file to try, byte for byte (not stored)")]) -> Iterator[Spooled]:
    """Copy the upload to a spool file, hashing it; 413 past ``max_upload_bytes``."""
    limit = runtime.settings.max_upload_bytes
    sha, size = hashlib.sha256(), 0
    with tempfile.NamedTemporaryFile(dir=runtime.settings.resolved_spool_dir(),
                                     prefix="profile-try-", delete=False) as out:
        path = Path(out.name)
        try:
            while chunk := file.file.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"the file is larger than the {limit} bytes allowed")
                sha.update(chunk)
                out.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    try:
        yield Spooled(path, sha.hexdigest(), size)
    finally:
        path.unlink(missing_ok=True)


SpooledFile = Annotated[Spooled, Depends(spool_file)]


@router.get("", response_model=ProfileList, responses=responses(Forbidden))
def list_profiles(session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
                  cid: CorrelationId) -> ProfileList:
    """Built-in profiles, then every version of every profile analysts added."""
    require(runtime, user, READERS, action="profile.list", correlation_id=cid)
    return ProfileList(profiles=service.list_profiles(session, runtime, user, cid))


@router.post("", response_model=ProfileSummary, status_code=201,
             responses=responses(BadRequest, Conflict, Forbidden))
def add_profile(body: ProfileCreate, session: SessionDep, runtime: RuntimeDep,
                user: CurrentUser, cid: CorrelationId) -> ProfileSummary:
    """Add a profile (YAML text), or a new version of one. 400 names the line and key of
    every problem; 409 if the name is a built-in's, the exact text is stored already, or
    the same name and version holds different text."""
    require(runtime, user, WRITERS, action="profile.create", correlation_id=cid)
    return service.add_profile(session, runtime, user, body, cid)


@router.post("/detect", response_model=DetectResult,
             responses=responses(BadRequest, PayloadTooLarge, Forbidden))
def detect_profile(session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
                   cid: CorrelationId,
                   spooled: SpooledFile) -> DetectResult:
    """Every profile ranked against the file (multipart ``file``), with confidence in
    [0, 1] and reasons; ``chosen`` is what a parse would use. Nothing is stored."""
    require(runtime, user, WRITERS, action="profile.detect", correlation_id=cid)
    return service.detect_profile(session, runtime, user, spooled.path, spooled.sha256,
                                  spooled.size, cid)


@router.get("/{name}", response_model=ProfileDetail, responses=responses(NotFound, Forbidden))
def get_profile(name: str, session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
                cid: CorrelationId) -> ProfileDetail:
    """One profile (``name`` for the newest version, or ``name@version``): YAML and parsed."""
    require(runtime, user, READERS, action="profile.get", correlation_id=cid)
    return service.get_profile(session, runtime, user, name, cid)


@router.post("/{name}/preview", response_model=PreviewResult,
             responses=responses(BadRequest, NotFound, PayloadTooLarge, Forbidden))
def preview_profile(name: str, session: SessionDep, runtime: RuntimeDep, user: CurrentUser,
                    cid: CorrelationId, spooled: SpooledFile,
                    rows: Annotated[int, Query(ge=1, le=service.MAX_PREVIEW_ROWS)] = 20
                    ) -> PreviewResult:
    """The file's first ``rows`` data rows as this profile would normalise them, with the
    rejects and the report. Nothing is stored."""
    require(runtime, user, WRITERS, action="profile.preview", correlation_id=cid)
    return service.preview_profile(session, runtime, user, name, spooled.path,
                                   spooled.sha256, rows, cid)
