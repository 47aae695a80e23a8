"""Mapping profiles: list, read, add a version, and try one against a file.

Reads are audited as ``consultation`` before anything is returned; adding a profile is
an ``alteration`` (it changes how future exhibits are parsed) naming the profile by the
SHA-256 of its text; detect and preview are a ``consultation`` of the uploaded bytes,
named by their SHA-256 — nothing of the upload is stored.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from linesight_shared.audit_client import Operation, obj
from linesight_shared.auth import Principal
from linesight_shared.errors import BadRequest, Conflict, NotFound
from linesight_shared.runtime import ServiceRuntime
from sqlalchemy.exc import IntegrityError as DBIntegrityError
from sqlmodel import Session

from linesight_ingest.models import new_id, utcnow
from linesight_ingest.parsing.profiles.detect import THRESHOLD, detect, score
from linesight_ingest.parsing.profiles.loader import (
    BUILTIN,
    CUSTOM,
    LoadedProfile,
    ProfileError,
    available,
    builtin_profiles,
    parse_profile,
    resolve,
)
from linesight_ingest.parsing.profiles.parser import ProfileReport, parse_with_profile
from linesight_ingest.profiles.repository import MappingProfileRepository
from linesight_ingest.profiles.schemas import (
    DetectResult,
    MappingProfile,
    PreviewResult,
    ProfileCreate,
    ProfileDetail,
    ProfileSummary,
)

MAX_PREVIEW_ROWS = 200


def _summary(p: LoadedProfile, row: MappingProfile | None = None) -> ProfileSummary:
    return ProfileSummary(name=p.name, version=p.profile.version, sha256=p.sha256,
                          source=p.source, description=p.profile.description,
                          format=str(p.profile.format),
                          created_by=row.created_by if row else None,
                          created_at=row.created_at if row else None)


def _profile_obj(p: LoadedProfile):
    return obj("mapping_profile", p.ref, sha256=p.sha256)


def _stored(session: Session) -> list[tuple[LoadedProfile, MappingProfile]]:
    return [(parse_profile(r.yaml_text, source=CUSTOM), r)
            for r in MappingProfileRepository(session).every_version()]


def custom_texts(session: Session) -> dict[str, str]:
    return MappingProfileRepository(session).texts()


def list_profiles(session: Session, runtime: ServiceRuntime, user: Principal,
                  correlation_id: str) -> list[ProfileSummary]:
    """Built-ins, then every stored version of every custom profile."""
    out = [(p, None) for p in builtin_profiles()] + _stored(session)
    runtime.audit.record(user, Operation.consultation, objects=[_profile_obj(p) for p, _ in out],
                         parameters={"action": "profile.list"}, correlation_id=correlation_id)
    return [_summary(p, row) for p, row in out]


def get_profile(session: Session, runtime: ServiceRuntime, user: Principal, ref: str,
                correlation_id: str) -> ProfileDetail:
    """``name`` (newest version) or ``name@version``."""
    texts = custom_texts(session)
    try:
        loaded = resolve(ref, texts)
    except KeyError:
        raise NotFound(f"no mapping profile is named {ref!r}") from None
    rows = {r.sha256: r for _, r in _stored(session)}
    versions = ([_summary(loaded)] if loaded.source == BUILTIN else
                [_summary(p, r) for p, r in _stored(session) if p.name == loaded.name])
    runtime.audit.record(user, Operation.consultation, objects=[_profile_obj(loaded)],
                         parameters={"action": "profile.get"}, correlation_id=correlation_id)
    return ProfileDetail(**_summary(loaded, rows.get(loaded.sha256)).model_dump(),
                         yaml=loaded.text, parsed=loaded.profile.model_dump(mode="json"),
                         versions=versions)


def add_profile(session: Session, runtime: ServiceRuntime, user: Principal,
                body: ProfileCreate, correlation_id: str) -> ProfileSummary:
    """Validate and keep a new profile or a new version of a custom one.

    409 when the name is a built-in's, when this exact text is already stored, or when
    the same name and version is stored with different text (bump ``version``)."""
    try:
        loaded = parse_profile(body.yaml, source=CUSTOM)
    except ProfileError as exc:
        raise BadRequest(f"the profile is not valid: {exc}") from exc
    if loaded.name in {b.name for b in builtin_profiles()}:
        raise Conflict(f"{loaded.name} is a built-in profile; choose another name")
    repo = MappingProfileRepository(session)
    same = repo.by_sha256(loaded.sha256)
    if same is not None:
        raise Conflict(f"this exact profile is already stored as {same.name}@{same.version}")
    if any(r.version == loaded.profile.version for r in repo.versions_of(loaded.name)):
        raise Conflict(f"{loaded.ref} is already stored with different text; a changed "
                       "profile needs a new version")
    row = MappingProfile(id=new_id(), name=loaded.name, version=loaded.profile.version,
                         sha256=loaded.sha256, yaml_text=loaded.text,
                         created_by=user.username, created_at=utcnow())
    runtime.audit.record(user, Operation.alteration, objects=[_profile_obj(loaded)],
                         parameters={"action": "profile.create", "name": loaded.name,
                                     "version": loaded.profile.version},
                         correlation_id=correlation_id)
    try:
        repo.add(row)
    except DBIntegrityError as exc:  # a concurrent request stored it first
        raise Conflict(f"{loaded.ref} was stored by another request") from exc
    return _summary(loaded, row)


def _audit_upload(runtime: ServiceRuntime, user: Principal, action: str, sha256: str,
                  correlation_id: str, extra: dict[str, Any]) -> None:
    runtime.audit.record(user, Operation.consultation,
                         objects=[obj("upload", sha256, sha256=sha256)],
                         parameters={"action": action, "stored": False, **extra},
                         correlation_id=correlation_id)


def detect_profile(session: Session, runtime: ServiceRuntime, user: Principal, path: Path,
                   sha256: str, size: int, correlation_id: str) -> DetectResult:
    ranked = detect(path, available(custom_texts(session)))
    best = ranked[0] if ranked and ranked[0].confidence >= THRESHOLD else None
    _audit_upload(runtime, user, "profile.detect", sha256, correlation_id,
                  {"chosen": f"{best.name}@{best.version}" if best else None})
    return DetectResult(sha256=sha256, size_bytes=size, threshold=THRESHOLD,
                        chosen=f"{best.name}@{best.version}" if best else None,
                        candidates=[c.as_dict() for c in ranked])


def preview_profile(session: Session, runtime: ServiceRuntime, user: Principal, ref: str,
                    path: Path, sha256: str, rows: int, correlation_id: str) -> PreviewResult:
    """The first ``rows`` data rows parsed with the profile; nothing is stored."""
    try:
        loaded = resolve(ref, custom_texts(session))
    except KeyError:
        raise NotFound(f"no mapping profile is named {ref!r}") from None
    fit = score(path, loaded)
    report = ProfileReport(parser=loaded.name, parser_version=loaded.profile.version)
    with tempfile.TemporaryDirectory(dir=runtime.settings.resolved_spool_dir()) as tmp:
        result = parse_with_profile(path, loaded, exhibit_id="preview",
                                    out_path=Path(tmp) / "preview.parquet",
                                    batch_rows=min(rows, MAX_PREVIEW_ROWS), max_rows=rows,
                                    report=report)
        table = (pl.read_parquet(result.dataset_path).drop("event_id", "exhibit_id")
                 if result.dataset_path else None)
        out_rows = _json_rows(table)
    _audit_upload(runtime, user, "profile.preview", sha256, correlation_id,
                  {"profile": loaded.ref, "profile_sha256": loaded.sha256})
    as_dict = report.to_dict()
    return PreviewResult(sha256=sha256, profile=_summary(loaded), confidence=fit.confidence,
                         rows=out_rows, rejects=as_dict["rejects"],
                         file_errors=as_dict["file_errors"], warnings=as_dict["warnings"],
                         report=as_dict)


def _json_rows(table: pl.DataFrame | None) -> list[dict[str, Any]]:
    if table is None:
        return []
    iso = pl.col("start_utc").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return table.with_columns(iso).to_dicts()


def resolve_for_upload(session: Session, ref: str) -> str:
    """A forced profile named at upload → ``name@version`` (pinned: the parse uses that
    exact version even if a newer one is added before it runs)."""
    try:
        return resolve(ref, custom_texts(session)).ref
    except KeyError:
        names = ", ".join(p.ref for p in available(custom_texts(session)))
        raise BadRequest(f"no mapping profile is named {ref!r} (known: {names})") from None
