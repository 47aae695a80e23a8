"""What a parse found: counts, every rejected row with its line and reason, file problems.

Nothing is dropped silently: ``rows_read == rows_accepted + rows_rejected`` always holds
(blank lines are counted apart, in ``blank_lines``). A rejected row may have several
problems; each is one reject entry, so ``rejects_by_reason`` counts problems and
``rows_rejected`` counts rows. The report lists the first ``MAX_LISTED_REJECTS`` problems;
all of them are kept in ``all_rejects`` for the full rejects file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import structlog

log = structlog.get_logger("linesight.ingest.parse")

MAX_LISTED_REJECTS = 1000
MAX_LOGGED_REJECTS = 100
MAX_VALUE_CHARS = 200


@dataclass(frozen=True)
class Reject:
    """One problem on one row: the physical line, the column, the value as written, why."""

    line: int
    field: str | None
    value: str | None
    reason: str


@dataclass(frozen=True)
class FileProblem:
    """A problem with the file as a whole (or its header), or a note about it."""

    line: int | None
    field: str | None
    reason: str


def clip(value: str | None) -> str | None:
    if value is None or len(value) <= MAX_VALUE_CHARS:
        return value
    return value[:MAX_VALUE_CHARS] + f"… ({len(value)} characters)"


@dataclass
class ReportBuilder:
    """Accumulates a parse's findings batch by batch; ``to_dict`` gives the JSON report."""

    parser: str
    parser_version: str
    rows_read: int = 0
    rows_accepted: int = 0
    blank_lines: int = 0
    file_errors: list[FileProblem] = field(default_factory=list)
    warnings: list[FileProblem] = field(default_factory=list)
    all_rejects: list[Reject] = field(default_factory=list)
    rejected_lines: set[int] = field(default_factory=set)
    first_event_utc: datetime | None = None
    last_event_utc: datetime | None = None
    subjects: Counter = field(default_factory=Counter)
    time_flags: Counter = field(default_factory=Counter)
    party_kinds: Counter = field(default_factory=Counter)

    def file_error(self, reason: str, *, line: int | None = None,
                   field: str | None = None) -> None:
        self.file_errors.append(FileProblem(line=line, field=field, reason=reason))
        log.warning("exhibit.parse.file_error", line=line, field=field, reason=reason)

    def warn(self, reason: str, *, line: int | None = None, field: str | None = None) -> None:
        self.warnings.append(FileProblem(line=line, field=field, reason=reason))

    def reject(self, line: int, field: str | None, value: str | None, reason: str) -> None:
        """Record one problem. The log names the line, column and reason, never the value
        (it may be personal data)."""
        self.all_rejects.append(Reject(line=line, field=field, value=clip(value), reason=reason))
        self.rejected_lines.add(line)
        n = len(self.all_rejects)
        if n <= MAX_LOGGED_REJECTS:
            log.info("exhibit.parse.rejected_row", line=line, field=field, reason=reason)
        elif n == MAX_LOGGED_REJECTS + 1:
            log.info("exhibit.parse.rejected_row.log_capped", logged=MAX_LOGGED_REJECTS,
                     note="further rejects are in the ingest report, not the log")

    def see_events(self, *, first: datetime | None, last: datetime | None,
                   subjects: dict[str, int], time_flags: dict[str, int],
                   party_kinds: dict[str, int], accepted: int) -> None:
        """Fold one batch's accepted rows into the totals."""
        self.rows_accepted += accepted
        if first is not None and (self.first_event_utc is None or first < self.first_event_utc):
            self.first_event_utc = first
        if last is not None and (self.last_event_utc is None or last > self.last_event_utc):
            self.last_event_utc = last
        self.subjects.update(subjects)
        self.time_flags.update(time_flags)
        self.party_kinds.update(party_kinds)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected_lines)

    @property
    def failed(self) -> bool:
        return bool(self.file_errors)

    def to_dict(self) -> dict[str, Any]:
        ordered = sorted(self.all_rejects, key=lambda r: (r.line, r.field or ""))
        iso = (lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if d else None)
        return {
            "status": "failed" if self.failed else "succeeded",
            "parser": self.parser,
            "parser_version": self.parser_version,
            "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted,
            "rows_rejected": self.rows_rejected,
            "blank_lines": self.blank_lines,
            "rejects_by_reason": dict(sorted(Counter(r.reason for r in ordered).items())),
            "rejects_total": len(ordered),
            "rejects_truncated": len(ordered) > MAX_LISTED_REJECTS,
            "rejects": [asdict(r) for r in ordered[:MAX_LISTED_REJECTS]],
            "file_errors": [asdict(p) for p in self.file_errors],
            "warnings": [asdict(p) for p in self.warnings],
            "first_event_utc": iso(self.first_event_utc),
            "last_event_utc": iso(self.last_event_utc),
            "subjects": [{"number": k, "rows": v} for k, v in sorted(self.subjects.items())],
            "time_flags": dict(sorted(self.time_flags.items())),
            "party_kinds": dict(sorted(self.party_kinds.items())),
        }

    def rejects_jsonl(self) -> bytes:
        """Every reject, one JSON object per line, in line order (the full rejects file)."""
        import json

        ordered = sorted(self.all_rejects, key=lambda r: (r.line, r.field or ""))
        return "".join(json.dumps(asdict(r), ensure_ascii=False, sort_keys=True) + "\n"
                       for r in ordered).encode("utf-8")
