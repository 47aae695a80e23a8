"""The object store: the local folder and real S3 (moto's server on loopback)."""

from __future__ import annotations

import hashlib
import os

import pytest
from linesight_shared.errors import Conflict, NotFound
from linesight_shared.objectstore import LocalObjectStore, make_object_store, object_key
from linesight_shared.objectstore.base import IntegrityError
from linesight_shared.settings import PlatformSettings


def _write(tmp_path, name: str, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


class Contract:
    """The behaviour both stores must show."""

    @pytest.fixture
    def store(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def test_an_original_comes_back_byte_for_byte(self, store, tmp_path):
        data = os.urandom(100_000) + b"\r\n\x00end"
        sha = hashlib.sha256(data).hexdigest()
        key = object_key("case1", "exhibits", sha)
        info = store.put_file(key, _write(tmp_path, "a.bin", data), retain=True)
        assert (info.size, info.sha256) == (len(data), sha)
        assert store.get_bytes(key, sha256=sha) == data
        assert store.stat(key).sha256 == sha

    def test_putting_the_same_bytes_again_is_idempotent(self, store, tmp_path):
        data = b"same bytes"
        key = object_key("case1", "exhibits", hashlib.sha256(data).hexdigest())
        first = store.put_file(key, _write(tmp_path, "a", data))
        again = store.put_file(key, _write(tmp_path, "b", data))
        assert first == again

    def test_other_bytes_under_an_existing_key_are_refused(self, store, tmp_path):
        key = "cases/case1/exhibits/fixed"
        store.put_file(key, _write(tmp_path, "a", b"one"))
        with pytest.raises(Conflict):
            store.put_file(key, _write(tmp_path, "b", b"two"))
        assert store.get_bytes(key) == b"one"

    def test_a_hash_mismatch_on_read_is_an_integrity_error(self, store, tmp_path):
        key = "cases/case1/exhibits/x"
        store.put_file(key, _write(tmp_path, "a", b"payload"))
        with pytest.raises(IntegrityError):
            store.get_bytes(key, sha256="00" * 32)

    def test_a_missing_object_is_not_found(self, store):
        assert store.stat("cases/none/x") is None
        with pytest.raises(NotFound):
            store.get_bytes("cases/none/x")

    def test_download_checks_the_copy(self, store, tmp_path):
        data = b"download me"
        sha = hashlib.sha256(data).hexdigest()
        store.put_file("cases/c/d", _write(tmp_path, "a", data))
        dest = store.download("cases/c/d", tmp_path / "out" / "d", sha256=sha)
        assert dest.read_bytes() == data


class TestLocalObjectStore(Contract):
    @pytest.fixture
    def store(self, tmp_path):
        s = LocalObjectStore(tmp_path / "objects")
        s.ensure_ready()
        return s

    def test_stored_files_are_read_only(self, store, tmp_path):
        store.put_file("cases/c/e", _write(tmp_path, "a", b"x"))
        mode = (tmp_path / "objects" / "cases/c/e").stat().st_mode & 0o777
        assert mode == 0o444

    def test_keys_cannot_escape_the_root(self, store, tmp_path):
        with pytest.raises(ValueError):
            store.put_file("../outside", _write(tmp_path, "a", b"x"))


@pytest.mark.integration
class TestS3ObjectStore(Contract):
    @pytest.fixture
    def store(self, s3_settings, tmp_path):
        s = make_object_store(PlatformSettings(var_dir=tmp_path, **s3_settings))
        s.ensure_ready()
        yield s
        # remove the test bucket (bypassing governance retention) so runs never meet
        from minio.deleteobjects import DeleteObject

        objs = [DeleteObject(o.object_name, o.version_id) for o in
                s.client.list_objects(s.bucket, recursive=True, include_version=True)]
        list(s.client.remove_objects(s.bucket, objs, bypass_governance_mode=True))
        s.client.remove_bucket(s.bucket)

    def test_the_evidence_bucket_has_object_lock(self, store):
        cfg = store.client.get_object_lock_config(store.bucket)
        assert cfg is not None

    def test_originals_are_put_under_retention(self, store, tmp_path):
        data = b"evidence"
        key = object_key("case1", "exhibits", hashlib.sha256(data).hexdigest())
        store.put_file(key, _write(tmp_path, "a", data), retain=True)
        headers = {k.lower(): v for k, v in store.client.stat_object(store.bucket, key)
                   .metadata.items()}
        assert headers["x-amz-object-lock-mode"] == "GOVERNANCE"
        assert headers["x-amz-object-lock-retain-until-date"].startswith("20")

    def test_a_retained_original_cannot_be_deleted(self, store, tmp_path):
        from minio.error import S3Error

        data = b"locked evidence"
        key = object_key("case1", "exhibits", hashlib.sha256(data).hexdigest())
        store.put_file(key, _write(tmp_path, "a", data), retain=True)
        version = store.client.stat_object(store.bucket, key).version_id
        with pytest.raises(S3Error):
            store.client.remove_object(store.bucket, key, version_id=version)
        assert store.get_bytes(key) == data
