"""Which parser reads which kind of exhibit, and the contract every parser keeps.

A parser is a pure function of the original file: bytes in, canonical tables (Parquet
files in a scratch folder) and a :class:`ReportBuilder` out. No database, no object store,
no clock, no network, so the same original always gives the same tables and report. The
``exhibits.parse`` job looks the exhibit's kind up here, runs the parser and stores what it
returns (one dataset per table).

Contract:

* every row of every table has ``exhibit_id`` and ``source_row`` (1-based line number, or
  the record's ordinal in document order for XML and archives, with ``source_ref`` naming
  the element path or archive member) and matches ``linesight_shared.tables.TABLES[name]``
  exactly, written with :class:`linesight_ingest.parsing.parquet.DatasetWriter`
  (deterministic bytes);
* nothing is dropped silently: every record read is accepted into a table or rejected
  with ``report.reject(line, field, value, reason)``; a file that cannot be read at all
  gets ``report.file_error(...)`` and no tables;
* hostile input is refused with a clear file error, never a crash: size limits, archives
  through :mod:`linesight_ingest.parsing.safe_archive`, XML through ``defusedxml`` (no
  external entities, no DTD), streamed, not loaded whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from linesight_ingest.parsing.report import ReportBuilder

Progress = Callable[[float], None]


@dataclass
class ParseOutput:
    """The report and the tables written (table name → Parquet path)."""

    report: ReportBuilder
    tables: dict[str, Path] = field(default_factory=dict)
    #: library versions whose behaviour shapes the output (recorded in the report)
    libraries: dict[str, str] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        """A parse that wrote any table succeeded; file errors beside it (a truncated XML
        whose earlier records were kept) stay in the report for the analyst to see."""
        return bool(self.tables)


def finish_table(out: ParseOutput, table: str, dest: Path, *,
                 empty_note: str = "the file has a header and no data rows") -> ParseOutput:
    """The end every single-table parser shares: a file whose every row was rejected
    fails; a header with no rows succeeds with a warning (a nil return); a failed parse
    keeps no table; otherwise ``dest`` becomes ``table``."""
    report = out.report
    if report.rows_read and not report.rows_accepted:
        report.file_error(f"no row could be read: all {report.rows_read} data rows were "
                          "rejected (see rejects)")
    elif not report.rows_read and not report.failed:
        report.warn(empty_note)
    if report.failed:
        dest.unlink(missing_ok=True)
        return out
    out.tables[table] = dest
    return out


class Parser(Protocol):
    """A parser of one kind of exhibit.

    ``parse`` may also accept a keyword ``options: dict | None = None``: choices made
    outside the file that shape the parse, passed by the ``exhibits.parse`` job only to
    parsers whose ``parse`` names that keyword. For kind ``cdr`` they are
    ``{"profile": "name@version" | None, "custom_profiles": {"name@version": yaml}}``:
    the mapping profile forced at upload, and the profiles stored in the ingest
    database (a parser never reads a database itself). The report names what was chosen.
    """

    name: str
    version: str

    def parse(self, path: Path, *, exhibit_id: str, out_dir: Path, batch_rows: int,
              progress: Progress | None = None) -> ParseOutput: ...


_PARSERS: dict[str, Parser] = {}


def register(kind: str, parser: Parser) -> None:
    """Make ``parser`` the one for exhibits of ``kind`` (one parser per kind)."""
    if kind in _PARSERS and _PARSERS[kind] is not parser:
        raise ValueError(f"exhibit kind {kind!r} already has parser {_PARSERS[kind].name}")
    _PARSERS[kind] = parser


def parser_for(kind: str) -> Parser | None:
    _load_builtin_parsers()
    return _PARSERS.get(kind)


def kinds() -> list[str]:
    _load_builtin_parsers()
    return sorted(_PARSERS)


_loaded = False


def _load_builtin_parsers() -> None:
    """Import the modules that register the built-in parsers (once)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib

    for module in BUILTIN_PARSER_MODULES:
        importlib.import_module(module)


#: modules whose import registers a parser; one line per format
BUILTIN_PARSER_MODULES: list[str] = [
    "linesight_ingest.parsing.cdr_parser",
    "linesight_ingest.parsing.email_headers",
    "linesight_ingest.parsing.ip_logs",
    "linesight_ingest.parsing.subscribers",
    "linesight_ingest.parsing.etsi_xml",
    "linesight_ingest.parsing.handset",
    "linesight_ingest.parsing.cell_sites",
    "linesight_ingest.parsing.anpr",
    "linesight_ingest.parsing.tower_dump",
]
