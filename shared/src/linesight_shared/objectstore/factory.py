"""Choose the object store from settings."""

from __future__ import annotations

from minio import Minio

from linesight_shared.objectstore.base import ObjectStore
from linesight_shared.objectstore.local import LocalObjectStore
from linesight_shared.objectstore.s3 import S3ObjectStore
from linesight_shared.settings import ObjectStoreKind, PlatformSettings


def make_object_store(settings: PlatformSettings) -> ObjectStore:
    if settings.object_store is ObjectStoreKind.s3:
        client = Minio(
            settings.s3_endpoint,
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key,
            secure=settings.s3_secure,
            region=settings.s3_region,
        )
        return S3ObjectStore(client, settings.s3_bucket, object_lock=settings.s3_object_lock,
                             retention_days=settings.s3_retention_days)
    return LocalObjectStore(settings.object_dir)
