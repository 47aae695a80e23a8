"""Reading zip and tar archives from exhibits without trusting them.

Exhibits arrive zipped (a ``.ufdr`` is a zip, mail stores come as ``.tar.gz``, operators
zip their CSVs), and an archive can be crafted: members named ``../../etc/passwd`` or
``/abs``, links pointing outside, devices, a zip bomb whose members expand a thousandfold,
sizes in the headers that lie. Every member is checked before it is read, and the bytes
are counted *while* they are read, so a lying header cannot get past the limits.

    for member in iter_members(path):
        with member.open() as f:   # a binary stream, counted against the limits
            ...

:class:`ArchiveError` names the member and the rule it broke; the parser turns it into a
file error of the exhibit's report. Nothing is ever written outside ``dest`` by
:func:`extract_all`.
"""

from __future__ import annotations

import io
import posixpath
import tarfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


class ArchiveError(ValueError):
    """The archive breaks a safety rule; the message names the member."""


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int = 200_000
    max_member_bytes: int = 4 * 1024**3
    max_total_bytes: int = 16 * 1024**3
    #: uncompressed ÷ compressed, per zip member and for the whole archive
    max_ratio: float = 250.0


def archive_kind(path: Path) -> str | None:
    """``"zip"``, ``"tar"`` or None, from the file's content (not its name)."""
    if zipfile.is_zipfile(path):
        return "zip"
    try:
        if tarfile.is_tarfile(path):
            return "tar"
    except (OSError, tarfile.TarError):
        return None
    return None


def safe_name(name: str) -> str:
    """The member's path, normalised; ArchiveError for absolute or escaping paths."""
    if "\x00" in name:
        raise ArchiveError(f"member {name!r}: NUL in its name")
    clean = name.replace("\\", "/")
    if clean.startswith("/") or (len(clean) > 1 and clean[1] == ":"):
        raise ArchiveError(f"member {name!r}: absolute path")
    norm = posixpath.normpath(clean)
    if norm == ".." or norm.startswith("../") or "/../" in f"/{norm}/":
        raise ArchiveError(f"member {name!r}: path escapes the archive (..)")
    return norm


class _Counted(io.RawIOBase):
    """A stream that fails once more than ``allowed`` bytes have come out of it."""

    def __init__(self, raw: BinaryIO, name: str, allowed: int, budget: _Budget) -> None:
        self.raw, self.name, self.allowed, self.budget, self.seen = raw, name, allowed, budget, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self.raw.read(len(b))
        n = len(data)
        self.seen += n
        if self.seen > self.allowed:
            raise ArchiveError(f"member {self.name!r}: expands past {self.allowed} bytes "
                               "(size header lies or the limit is reached)")
        self.budget.spend(n, self.name)
        b[:n] = data
        return n


class _Budget:
    def __init__(self, limits: ArchiveLimits, compressed_size: int) -> None:
        self.limits, self.compressed, self.total = limits, max(compressed_size, 1), 0

    def spend(self, n: int, name: str) -> None:
        self.total += n
        if self.total > self.limits.max_total_bytes:
            raise ArchiveError(f"member {name!r}: archive expands past "
                               f"{self.limits.max_total_bytes} bytes in all")
        if self.total > 1024 * 1024 and self.total / self.compressed > self.limits.max_ratio:
            raise ArchiveError(f"member {name!r}: archive expands more than "
                               f"{self.limits.max_ratio:g}× (a zip bomb?)")


@dataclass
class Member:
    """A regular-file member that passed the checks; ``open()`` gives a counted stream."""

    name: str
    size: int
    _open: object

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        with self._open() as raw:  # type: ignore[operator]
            yield io.BufferedReader(raw, CHUNK)


def iter_members(path: Path, limits: ArchiveLimits = ArchiveLimits()) -> Iterator[Member]:
    """The archive's regular files, in archive order; directories are skipped; links,
    devices, encrypted or oversized members and escaping names raise ArchiveError."""
    kind = archive_kind(path)
    if kind == "zip":
        yield from _zip_members(path, limits)
    elif kind == "tar":
        yield from _tar_members(path, limits)
    else:
        raise ArchiveError(f"{path.name} is not a zip or tar archive")


def _zip_members(path: Path, limits: ArchiveLimits) -> Iterator[Member]:
    budget = _Budget(limits, path.stat().st_size)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(f"{path.name}: not a readable zip archive ({exc})") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise ArchiveError(f"{path.name}: {len(infos)} members, more than "
                               f"{limits.max_members}")
        seen: set[str] = set()
        for info in infos:
            name = safe_name(info.filename)
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise ArchiveError(f"member {info.filename!r}: encrypted")
            mode = (info.external_attr >> 16) & 0o170000
            if mode == 0o120000:
                raise ArchiveError(f"member {info.filename!r}: a symbolic link")
            if name in seen:
                raise ArchiveError(f"member {info.filename!r}: appears twice")
            seen.add(name)
            if info.file_size > limits.max_member_bytes:
                raise ArchiveError(f"member {info.filename!r}: {info.file_size} bytes, more "
                                   f"than {limits.max_member_bytes}")
            if info.file_size > 1024 * 1024 and \
                    info.file_size / max(info.compress_size, 1) > limits.max_ratio:
                raise ArchiveError(f"member {info.filename!r}: compression ratio over "
                                   f"{limits.max_ratio:g} (a zip bomb?)")

            def opener(info=info, name=name):
                return _Counted(zf.open(info), name, min(info.file_size,
                                                         limits.max_member_bytes), budget)

            yield Member(name=name, size=info.file_size, _open=opener)


def _tar_members(path: Path, limits: ArchiveLimits) -> Iterator[Member]:
    budget = _Budget(limits, path.stat().st_size)
    try:
        tf = tarfile.open(path, mode="r:*")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError) as exc:
        raise ArchiveError(f"{path.name}: not a readable tar archive ({exc})") from exc
    with tf:
        count = 0
        seen: set[str] = set()
        for info in tf:  # streamed: members are read in order, never listed whole
            count += 1
            if count > limits.max_members:
                raise ArchiveError(f"{path.name}: more than {limits.max_members} members")
            name = safe_name(info.name)
            if info.isdir():
                continue
            if info.issym() or info.islnk():
                raise ArchiveError(f"member {info.name!r}: a link")
            if not info.isfile():
                raise ArchiveError(f"member {info.name!r}: not a regular file")
            if name in seen:
                raise ArchiveError(f"member {info.name!r}: appears twice")
            seen.add(name)
            if info.size > limits.max_member_bytes:
                raise ArchiveError(f"member {info.name!r}: {info.size} bytes, more than "
                                   f"{limits.max_member_bytes}")

            def opener(info=info, name=name):
                raw = tf.extractfile(info)
                return _Counted(raw, name, info.size, budget)

            yield Member(name=name, size=info.size, _open=opener)


def extract_all(path: Path, dest: Path, limits: ArchiveLimits = ArchiveLimits()) -> list[Path]:
    """Write every member under ``dest`` (which must be empty or new); paths returned in
    archive order. Nothing is written outside ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()
    written: list[Path] = []
    for member in iter_members(path, limits):
        target = (root / member.name).resolve()
        if root not in target.parents:
            raise ArchiveError(f"member {member.name!r}: would be written outside {dest}")
        target.parent.mkdir(parents=True, exist_ok=True)
        with member.open() as src, target.open("xb") as out:
            while chunk := src.read(CHUNK):
                out.write(chunk)
        written.append(target)
    return written
