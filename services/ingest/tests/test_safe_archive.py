"""Archives from exhibits are read without trusting them."""

from __future__ import annotations

import io
import tarfile
import zipfile

import pytest
from linesight_ingest.parsing.safe_archive import (
    ArchiveError,
    ArchiveLimits,
    archive_kind,
    extract_all,
    iter_members,
    safe_name,
)


def make_zip(path, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def make_tar(path, members: list[tarfile.TarInfo], data: dict[str, bytes]):
    with tarfile.open(path, "w:gz") as tf:
        for info in members:
            payload = data.get(info.name)
            if payload is not None:
                info.size = len(payload)
            tf.addfile(info, io.BytesIO(payload) if payload is not None else None)
    return path


def read_all(path, limits=None):
    out = {}
    for m in iter_members(path, limits or ArchiveLimits()):
        with m.open() as f:
            out[m.name] = f.read()
    return out


class TestNames:
    @pytest.mark.parametrize("name", ["../x", "a/../../x", "/etc/passwd", "C:/x", "a\\..\\..\\x"])
    def test_escaping_or_absolute_names_are_refused(self, name):
        with pytest.raises(ArchiveError, match="absolute|escapes"):
            safe_name(name)

    def test_a_harmless_dotdot_inside_is_normalised(self):
        assert safe_name("a/b/../c.txt") == "a/c.txt"


class TestZip:
    def test_members_are_read_in_order(self, tmp_path):
        z = make_zip(tmp_path / "a.zip", {"one.txt": b"1", "dir/two.txt": b"22"})
        assert archive_kind(z) == "zip"
        assert read_all(z) == {"one.txt": b"1", "dir/two.txt": b"22"}

    def test_a_zip_bomb_is_refused_before_it_is_read(self, tmp_path):
        z = make_zip(tmp_path / "bomb.zip", {"big.bin": b"\0" * (30 * 1024 * 1024)})
        with pytest.raises(ArchiveError, match="big.bin.*ratio"):
            read_all(z)

    def test_a_member_over_the_size_limit_is_refused(self, tmp_path):
        z = make_zip(tmp_path / "a.zip", {"a.bin": b"x" * 5000}, zipfile.ZIP_STORED)
        with pytest.raises(ArchiveError, match="a.bin.*more than 1000"):
            read_all(z, ArchiveLimits(max_member_bytes=1000))

    def test_path_traversal_is_refused(self, tmp_path):
        z = make_zip(tmp_path / "a.zip", {"../../evil.sh": b"x"})
        with pytest.raises(ArchiveError, match="escapes"):
            read_all(z)

    def test_a_header_that_lies_about_the_size_is_caught_while_reading(self, tmp_path):
        z = tmp_path / "liar.zip"
        make_zip(z, {"a.txt": b"A" * 4000}, zipfile.ZIP_STORED)
        raw = bytearray(z.read_bytes())
        # shrink the declared uncompressed size in the central directory to 10 bytes
        cd = raw.rfind(b"PK\x01\x02")
        raw[cd + 24:cd + 28] = (10).to_bytes(4, "little")
        z.write_bytes(bytes(raw))
        with pytest.raises((ArchiveError, zipfile.BadZipFile)):
            read_all(z)

    def test_too_many_members_is_refused(self, tmp_path):
        z = make_zip(tmp_path / "a.zip", {f"{i}.txt": b"x" for i in range(20)})
        with pytest.raises(ArchiveError, match="20 members"):
            read_all(z, ArchiveLimits(max_members=10))


class TestTar:
    def test_regular_files_are_read_and_links_refused(self, tmp_path):
        link = tarfile.TarInfo("link")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        t = make_tar(tmp_path / "a.tar.gz", [tarfile.TarInfo("mail/1."), link],
                     {"mail/1.": b"From: a@b"})
        assert archive_kind(t) == "tar"
        seen = []
        with pytest.raises(ArchiveError, match="'link': a link"):
            for m in iter_members(t):
                seen.append(m.name)
        assert seen == ["mail/1."]

    def test_a_device_file_is_refused(self, tmp_path):
        dev = tarfile.TarInfo("dev")
        dev.type = tarfile.CHRTYPE
        t = make_tar(tmp_path / "a.tar.gz", [dev], {})
        with pytest.raises(ArchiveError, match="not a regular file"):
            read_all(t)


class TestExtract:
    def test_everything_lands_inside_the_destination(self, tmp_path):
        z = make_zip(tmp_path / "a.zip", {"a/b.txt": b"b", "c.txt": b"c"})
        paths = extract_all(z, tmp_path / "out")
        assert [p.relative_to(tmp_path / "out").as_posix() for p in paths] == ["a/b.txt", "c.txt"]
        assert (tmp_path / "out" / "a" / "b.txt").read_bytes() == b"b"

    def test_not_an_archive_is_an_archive_error(self, tmp_path):
        f = tmp_path / "x.csv"
        f.write_text("a,b\n")
        with pytest.raises(ArchiveError, match="not a zip or tar"):
            list(iter_members(f))
