"""Which profile fits a file: each one scored on the header and a sample of rows.

For every profile the file is read exactly as a parse would read it (its encoding,
delimiter, header locator, sheet), stopping after ``SAMPLE_ROWS`` data rows, and
scored in [0, 1]:

* the header cannot be found or read as this profile → ``0``;
* the header is found but required columns are missing (or doubled) → at most ``0.4``,
  in proportion to the required columns present (the parse would fail);
* otherwise ``0.4`` + ``0.2`` × the share of the file's header cells the profile knows
  + ``0.4`` × the share of sampled rows that normalise with no reject (dates, times,
  durations, directions, call types, numbers, cells all read); a header with no data rows
  counts half of that last part. A target that should be in the header block and is not
  halves the score.

A parse uses the best profile when its confidence is at least ``THRESHOLD``; ties are
broken by name, so the choice is deterministic. Every candidate keeps its reasons.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from linesight_ingest.parsing.numbers import NumberBook
from linesight_ingest.parsing.profiles.loader import LoadedProfile
from linesight_ingest.parsing.profiles.model import FileFormat, Profile
from linesight_ingest.parsing.profiles.rows import normalise_with_profile
from linesight_ingest.parsing.profiles.tabular import HeaderMatch, Table, read_text
from linesight_ingest.parsing.profiles.workbook import read_workbook
from linesight_ingest.parsing.report import Reject, ReportBuilder

THRESHOLD = 0.6
SAMPLE_ROWS = 50


class _QuietReport(ReportBuilder):
    """A scratch report for scoring: what it finds is a score's reasons, not a parse's
    findings, so nothing is logged."""

    def file_error(self, reason: str, *, line: int | None = None,
                   field: str | None = None) -> None:
        self.warn(reason, line=line, field=field)
        self.file_errors.append(self.warnings.pop())

    def reject(self, line: int, field: str | None, value: str | None, reason: str) -> None:
        self.all_rejects.append(Reject(line=line, field=field, value=None, reason=reason))
        self.rejected_lines.add(line)


@dataclass(frozen=True)
class Candidate:
    """One profile's fit to a file."""

    name: str
    version: str
    sha256: str
    source: str
    confidence: float
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"name": self.name, "version": self.version, "sha256": self.sha256,
                "source": self.source, "confidence": self.confidence,
                "reasons": list(self.reasons)}


def open_table(path: Path, profile: Profile, report: ReportBuilder, *, batch_rows: int,
               progress=None, max_rows: int | None = None) -> Table:
    """The file read as ``profile`` declares (text or workbook)."""
    read = read_workbook if profile.format is FileFormat.xlsx else read_text
    return read(path, profile, report, batch_rows=batch_rows, progress=progress,
                max_rows=max_rows)


def header_block_target(profile: Profile, header: HeaderMatch) -> str | None:
    """The value beside the profile's target label in the rows above the header."""
    if profile.target is None:
        return None
    label = profile.target.from_header_block.strip().rstrip(":").casefold()
    for _, cells in header.preamble:
        for i, cell in enumerate(cells):
            if cell.strip().rstrip(":").strip().casefold() == label:
                rest = [c.strip() for c in cells[i + 1:] if c.strip()]
                if rest:
                    return rest[0]
    return None


def score(path: Path, loaded: LoadedProfile, *, sample_rows: int = SAMPLE_ROWS) -> Candidate:
    """How well ``loaded`` fits the file at ``path`` (see the module docstring)."""
    profile = loaded.profile
    report = _QuietReport(parser=profile.name, parser_version=profile.version)
    table = open_table(path, profile, report, batch_rows=sample_rows, max_rows=sample_rows)
    make = lambda c, reasons: Candidate(
        profile.name, profile.version, loaded.sha256, loaded.source, round(c, 3), reasons)
    header = table.header
    if header is None:
        return make(0.0, [p.reason for p in report.file_errors][:3] or ["no header found"])
    required = [k for k, s in profile.columns.items() if s.required]
    found = [k for k in required if k in header.positions]
    if header.errors:
        share = len(found) / len(required) if required else 0.0
        return make(0.4 * share, [(f"{len(found)} of {len(required)} required columns "
                                  f"found in the header at line {header.line}"),
                                  *header.errors][:4])
    cells = max(header.width, 1)
    coverage = len(header.positions) / cells
    reasons = [f"header at line {header.line} has all {len(required)} required columns",
               (f"{len(header.positions)} of {header.width} header cells are known to the "
               "profile")]
    target = header_block_target(profile, header)
    if profile.target is not None and target is None:
        reasons.append(f"no {profile.target.from_header_block!r} in the header block")
    book = NumberBook()
    for batch in table.batches:
        normalise_with_profile(batch, header, profile, exhibit_id="detect", book=book,
                               report=report,
                               target=(target or "") if profile.target is not None else None)
    sampled, accepted = report.rows_read, report.rows_accepted
    if sampled:
        rows_share = accepted / sampled
        reasons.append(f"{accepted} of {sampled} sampled rows normalise without a reject")
        common = Counter(r.reason for r in report.all_rejects).most_common(2)
        reasons += [f"{n} × {reason}" for reason, n in common]
    else:
        rows_share = 0.5
        reasons.append("no data rows to sample")
    conf = 0.4 + 0.2 * coverage + 0.4 * rows_share
    if profile.target is not None and target is None:
        conf /= 2
    return make(conf, reasons)


def detect(path: Path, profiles: list[LoadedProfile], *,
           sample_rows: int = SAMPLE_ROWS) -> list[Candidate]:
    """Every profile scored against the file, best first (ties by name)."""
    ranked = [score(path, p, sample_rows=sample_rows) for p in profiles]
    return sorted(ranked, key=lambda c: (-c.confidence, c.name, c.version))
