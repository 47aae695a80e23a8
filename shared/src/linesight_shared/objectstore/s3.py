"""MinIO/S3 through the ``minio`` client (production; tests use a moto server)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from minio import Minio
from minio.commonconfig import GOVERNANCE
from minio.error import S3Error
from minio.retention import Retention
from urllib3.exceptions import HTTPError as TransportError

from linesight_shared.errors import NotFound, ServiceUnavailable
from linesight_shared.objectstore.base import ObjectInfo, ObjectStore

SHA_META = "sha256"


class S3ObjectStore(ObjectStore):
    """One bucket; originals put with retention when the bucket has object lock."""

    def __init__(self, client: Minio, bucket: str, *, object_lock: bool = False,
                 retention_days: int = 3650) -> None:
        self.client = client
        self.bucket = bucket
        self.object_lock = object_lock
        self.retention_days = retention_days

    def ensure_ready(self) -> None:
        try:
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket, object_lock=self.object_lock)
        except S3Error as exc:
            raise ServiceUnavailable(f"object store bucket {self.bucket}: {exc.code}") from exc
        except Exception as exc:  # urllib3 connection errors
            raise ServiceUnavailable(f"object store unreachable: {exc}") from exc

    def stat(self, key: str) -> ObjectInfo | None:
        try:
            st = self.client.stat_object(self.bucket, key)
        except TransportError as exc:
            raise ServiceUnavailable(f"object store unreachable: {exc}") from exc
        except S3Error as exc:
            if exc.code in {"NoSuchKey", "NoSuchObject", "NotFound"}:
                return None
            raise
        meta = {k.lower(): v for k, v in (st.metadata or {}).items()}
        sha = meta.get(f"x-amz-meta-{SHA_META}", "")
        return ObjectInfo(key=key, size=st.size or 0, sha256=sha)

    def _put_file(self, key, path, size, sha256, content_type, retain) -> None:
        try:
            self._put_file_unchecked(key, path, size, sha256, content_type, retain)
        except TransportError as exc:
            # a transient failure: jobs retry on ServiceUnavailable, requests answer 503
            raise ServiceUnavailable(f"object store unreachable: {exc}") from exc

    def _put_file_unchecked(self, key, path, size, sha256, content_type, retain) -> None:
        with Path(path).open("rb") as f:
            self.client.put_object(self.bucket, key, f, size, content_type=content_type,
                                   metadata={SHA_META: sha256})
        if retain and self.object_lock:
            # Set after the upload: S3 wants Content-MD5 on a PUT that carries retention,
            # which the client only sends on small bodies; the retention call always has it.
            until = datetime.now(UTC).replace(microsecond=0) + timedelta(days=self.retention_days)
            self.client.set_object_retention(self.bucket, key, Retention(GOVERNANCE, until))

    def _read(self, key: str) -> bytes:
        try:
            resp = self.client.get_object(self.bucket, key)
        except TransportError as exc:
            raise ServiceUnavailable(f"object store unreachable: {exc}") from exc
        except S3Error as exc:
            if exc.code in {"NoSuchKey", "NoSuchObject"}:
                raise NotFound(f"object {key} does not exist") from exc
            raise
        try:
            return resp.read()
        finally:
            resp.close()
            resp.release_conn()

    def _download(self, key: str, dest: Path) -> None:
        try:
            self.client.fget_object(self.bucket, key, str(dest))
        except TransportError as exc:
            raise ServiceUnavailable(f"object store unreachable: {exc}") from exc
        except S3Error as exc:
            if exc.code in {"NoSuchKey", "NoSuchObject"}:
                raise NotFound(f"object {key} does not exist") from exc
            raise
