"""Where the messages come from: an mbox, a single message, or a maildir in an archive.

Only the header block of each message is read (up to the first blank line); bodies are
skipped, never decoded. Every source yields :class:`RawMessage` in document order with a
1-based ordinal (``source_row``):

* **archive** (zip, tar, tar.gz, by content): every regular member is one message, read
  through :func:`~linesight_ingest.parsing.safe_archive.iter_members` (nothing is ever
  extracted to disk; traversal, links, bombs raise :class:`ArchiveError`). ``ref`` is the
  member path; ``mailbox`` is its folder, with a trailing Maildir ``cur``/``new``/``tmp``
  dropped.
* **mbox** (the file starts with ``From ``): a message starts at each line beginning with
  ``From `` (mboxo/mboxrd: body lines are escaped ``>From ``). ``ref`` is ``line N``, the
  ``From `` line's number; ``mailbox`` is the file's name. Read a line at a time, in
  chunks, so a huge line or file is never loaded whole.
* **message** (anything else): the file is one RFC 822 message (``.eml``).

A header block larger than :data:`MAX_HEADER_BYTES` is not read further: the message is
handed on with ``problem`` set, and the parser rejects it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from linesight_ingest.parsing.safe_archive import archive_kind, iter_members

MAX_HEADER_BYTES = 1024 * 1024
CHUNK = 64 * 1024
TOO_LARGE = f"header block larger than {MAX_HEADER_BYTES} bytes (not read further)"
_MAILDIR_LEAVES = ("cur", "new", "tmp")


@dataclass(frozen=True)
class RawMessage:
    """One message's header bytes (without the blank line ending them) and where it is."""

    ordinal: int
    ref: str | None
    mailbox: str | None
    header: bytes
    problem: str | None = None


def detect(path: Path) -> str:
    """``archive``, ``mbox`` or ``message``, from the content (not the file name)."""
    if archive_kind(path):
        return "archive"
    with path.open("rb") as f:
        return "mbox" if f.read(5) == b"From " else "message"


def _is_blank(line: bytes) -> bool:
    return line in (b"\n", b"\r\n", b"\r")


def read_header(f: BinaryIO) -> tuple[bytes, str | None]:
    """The header block from the start of ``f``: lines up to the first blank line."""
    parts: list[bytes] = []
    size, at_start = 0, True
    while chunk := f.readline(CHUNK):
        if at_start and _is_blank(chunk):
            break
        at_start = chunk.endswith(b"\n")
        size += len(chunk)
        if size > MAX_HEADER_BYTES:
            return b"".join(parts)[:1024], TOO_LARGE
        parts.append(chunk)
    return b"".join(parts), None


def maildir_folder(member: str) -> str:
    folder = posixpath.dirname(member)
    if posixpath.basename(folder) in _MAILDIR_LEAVES:
        folder = posixpath.dirname(folder)
    return folder


def iter_archive(path: Path) -> Iterator[RawMessage]:
    """One message per regular member, in archive order (ArchiveError propagates)."""
    for n, member in enumerate(iter_members(path), start=1):
        with member.open() as f:
            header, problem = read_header(f)
        yield RawMessage(n, member.name, maildir_folder(member.name), header, problem)


def iter_message(path: Path) -> Iterator[RawMessage]:
    with path.open("rb") as f:
        header, problem = read_header(f)
    yield RawMessage(1, None, None, header, problem)


class _Pending:
    def __init__(self, ordinal: int, line: int) -> None:
        self.ordinal, self.line = ordinal, line
        self.parts: list[bytes] = []
        self.size = 0
        self.in_header = True
        self.problem: str | None = None

    def take(self, chunk: bytes, starts_line: bool) -> None:
        if not self.in_header:
            return
        if starts_line and _is_blank(chunk):
            self.in_header = False
            return
        self.size += len(chunk)
        if self.size > MAX_HEADER_BYTES:
            self.problem, self.in_header = TOO_LARGE, False
            self.parts = [b"".join(self.parts)[:1024]]
            return
        self.parts.append(chunk)


def iter_mbox(path: Path, progress=None) -> Iterator[RawMessage]:
    """Messages split at ``From `` lines; ``ref`` is the ``From `` line's number."""
    size = max(path.stat().st_size, 1)
    mailbox = path.name
    with path.open("rb") as f:
        line_no, at_start, ordinal = 0, True, 0
        current: _Pending | None = None
        while chunk := f.readline(CHUNK):
            starts_line, at_start = at_start, chunk.endswith(b"\n")
            if starts_line:
                line_no += 1
            if starts_line and chunk.startswith(b"From "):
                if current is not None:
                    yield _done(current, mailbox)
                ordinal += 1
                current = _Pending(ordinal, line_no)
                if progress is not None and ordinal % 1000 == 0:
                    progress(f.tell() / size)
                continue
            if current is not None:
                current.take(chunk, starts_line)
        if current is not None:
            yield _done(current, mailbox)


def _done(p: _Pending, mailbox: str) -> RawMessage:
    return RawMessage(p.ordinal, f"line {p.line}", mailbox, b"".join(p.parts), p.problem)
