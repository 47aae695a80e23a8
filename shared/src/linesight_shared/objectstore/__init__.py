"""Object storage for originals and derived data, addressed by case and content hash.

``LocalObjectStore`` (a folder, embedded default) and ``S3ObjectStore`` (MinIO/S3 through
the ``minio`` client, production) share one interface, chosen by settings.
"""

from linesight_shared.objectstore.base import ObjectInfo, ObjectStore, object_key, sha256_file
from linesight_shared.objectstore.factory import make_object_store
from linesight_shared.objectstore.local import LocalObjectStore
from linesight_shared.objectstore.s3 import S3ObjectStore

__all__ = [
    "LocalObjectStore",
    "ObjectInfo",
    "ObjectStore",
    "S3ObjectStore",
    "make_object_store",
    "object_key",
    "sha256_file",
]
