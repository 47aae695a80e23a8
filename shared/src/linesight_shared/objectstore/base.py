"""The object-store interface: write-once puts, hash-checked gets."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from linesight_shared.errors import Conflict, LinesightError

CHUNK = 1024 * 1024


class IntegrityError(LinesightError):
    """Stored bytes no longer match the hash they were stored under."""

    status_code = 500
    code = "integrity_error"


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    sha256: str


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def object_key(case_id: str, kind: str, sha256: str, suffix: str = "") -> str:
    """``cases/<case>/<kind>/<sha256><suffix>``: every object by case and content hash."""
    return f"cases/{case_id}/{kind}/{sha256}{suffix}"


class ObjectStore(ABC):
    """Write-once storage. A put of a key that exists with other bytes is refused."""

    @abstractmethod
    def ensure_ready(self) -> None:
        """Create the bucket/folder if needed; raise if the store cannot be reached."""

    @abstractmethod
    def stat(self, key: str) -> ObjectInfo | None:
        """Size and SHA-256 of a stored object, or None when absent."""

    @abstractmethod
    def _put_file(self, key: str, path: Path, size: int, sha256: str, content_type: str,
                  retain: bool) -> None: ...

    @abstractmethod
    def _read(self, key: str) -> bytes: ...

    @abstractmethod
    def _download(self, key: str, dest: Path) -> None: ...

    def put_file(self, key: str, path: Path, *, sha256: str | None = None,
                 content_type: str = "application/octet-stream", retain: bool = False
                 ) -> ObjectInfo:
        """Store ``path`` under ``key``; idempotent for the same bytes, refused for others.

        ``retain`` marks evidence originals: under S3 object lock they get a retention
        period and cannot be deleted or overwritten.
        """
        sha256 = sha256 or sha256_file(path)
        size = path.stat().st_size
        existing = self.stat(key)
        if existing is not None:
            if existing.sha256 != sha256:
                raise Conflict(f"object {key} already exists with different content")
            return existing
        self._put_file(key, path, size, sha256, content_type, retain)
        return ObjectInfo(key=key, size=size, sha256=sha256)

    def put_bytes(self, key: str, data: bytes, *,
                  content_type: str = "application/octet-stream") -> ObjectInfo:
        import tempfile

        with tempfile.NamedTemporaryFile() as tmp:
            tmp.write(data)
            tmp.flush()
            return self.put_file(key, Path(tmp.name), sha256=hashlib.sha256(data).hexdigest(),
                                 content_type=content_type)

    def get_bytes(self, key: str, *, sha256: str | None = None) -> bytes:
        """Read an object; with ``sha256`` the bytes are checked against it."""
        data = self._read(key)
        if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
            raise IntegrityError(f"object {key} does not match its SHA-256 {sha256}")
        return data

    def download(self, key: str, dest: Path, *, sha256: str | None = None) -> Path:
        """Copy an object to a local file; with ``sha256`` the copy is checked."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        self._download(key, dest)
        if sha256 is not None and sha256_file(dest) != sha256:
            raise IntegrityError(f"object {key} does not match its SHA-256 {sha256}")
        return dest
