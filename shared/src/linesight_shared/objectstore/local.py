"""A local folder with the object-store interface (embedded default)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from linesight_shared.errors import NotFound
from linesight_shared.objectstore.base import ObjectInfo, ObjectStore, sha256_file


class LocalObjectStore(ObjectStore):
    """Objects as read-only files under ``root``; the SHA-256 kept in a sidecar file."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if ".." in key.split("/") or key.startswith("/"):
            raise ValueError(f"object key {key!r} is not a relative path")
        return self.root / key

    def ensure_ready(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        probe = self.root / ".ready"
        probe.write_text("ok")

    def stat(self, key: str) -> ObjectInfo | None:
        path = self._path(key)
        if not path.exists():
            return None
        sidecar = path.with_name(path.name + ".sha256")
        sha = sidecar.read_text().strip() if sidecar.exists() else sha256_file(path)
        return ObjectInfo(key=key, size=path.stat().st_size, sha256=sha)

    def _put_file(self, key, path, size, sha256, content_type, retain) -> None:
        dest = self._path(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".partial")
        shutil.copyfile(path, tmp)
        os.chmod(tmp, 0o444)
        dest.with_name(dest.name + ".sha256").write_text(sha256 + "\n")
        os.replace(tmp, dest)

    def _read(self, key: str) -> bytes:
        path = self._path(key)
        if not path.exists():
            raise NotFound(f"object {key} does not exist")
        return path.read_bytes()

    def _download(self, key: str, dest: Path) -> None:
        path = self._path(key)
        if not path.exists():
            raise NotFound(f"object {key} does not exist")
        shutil.copyfile(path, dest)
