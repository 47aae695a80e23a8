"""A CDR mapping profile: how one operator layout maps onto the canonical ``events`` table.

A profile is declarative (YAML, see ``services/ingest/docs/mapping-profiles.md``) and is
validated here before it is ever used: unknown keys, unknown canonical fields, vocabulary
words mapped to values outside the canonical vocabularies, date formats outside the
supported directives, and contradictory choices (a ``datetime`` column *and* ``date`` +
``time`` columns) are refused with the key path that is wrong.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal

from linesight_shared.tables import DIRECTIONS, EVENT_KINDS
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"
VERSION_PATTERN = r"^\d{1,4}\.\d{1,4}\.\d{1,4}$"

#: canonical keys a profile may map a column to
COLUMN_KEYS = ("record_id", "target", "date", "time", "datetime", "direction", "call_type",
               "calling", "called", "other_party", "duration", "imei", "imsi", "first_cell",
               "last_cell", "charging_id")

#: strftime directives a profile may use, with the pattern they must match and how the
#: reject reason spells them (``%d/%m/%Y`` → ``dd/mm/yyyy``)
DIRECTIVES: dict[str, tuple[str, str]] = {
    "%d": (r"\d{1,2}", "dd"), "%m": (r"\d{1,2}", "mm"), "%Y": (r"\d{4}", "yyyy"),
    "%y": (r"\d{2}", "yy"), "%H": (r"\d{1,2}", "HH"), "%M": (r"\d{2}", "MM"),
    "%S": (r"\d{2}", "SS"),
}
_DIRECTIVE = re.compile(r"%.")


def format_shape(fmt: str) -> str:
    """The anchored regex a value written in ``fmt`` must match before it is parsed."""
    out, pos = [], 0
    for m in _DIRECTIVE.finditer(fmt):
        out.append(re.escape(fmt[pos:m.start()]))
        out.append(DIRECTIVES[m.group()][0])
        pos = m.end()
    out.append(re.escape(fmt[pos:]))
    return "^" + "".join(out) + "$"


def format_label(fmt: str) -> str:
    """``%d/%m/%Y`` → ``dd/mm/yyyy`` (for reject reasons and documentation)."""
    return _DIRECTIVE.sub(lambda m: DIRECTIVES[m.group()][1], fmt)


class FileFormat(StrEnum):
    csv = "csv"
    tsv = "tsv"
    xlsx = "xlsx"


class Encoding(StrEnum):
    """Declared, never guessed. ``utf-8`` accepts (and notes) a byte order mark;
    ``utf-8-sig`` expects one; ``cp1252`` is Windows-1252 (no BOM allowed)."""

    utf8 = "utf-8"
    utf8_sig = "utf-8-sig"
    cp1252 = "cp1252"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnSpec(_Strict):
    """A source column: its header text, other spellings seen for it, must it be there."""

    name: str = Field(min_length=1, max_length=100)
    aliases: tuple[str, ...] = ()
    required: bool = False

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class HeaderLocator(_Strict):
    """Where the header row is: the first row, or the first row (within ``max_scan``)
    that holds every one of ``containing`` (files with a preamble above the table)."""

    row: Literal["first", "containing"] = "first"
    containing: tuple[str, ...] = ()
    max_scan: int = Field(default=30, ge=1, le=200)

    @model_validator(mode="after")
    def _containing_given(self) -> HeaderLocator:
        if self.row == "containing" and not self.containing:
            raise ValueError("row 'containing' needs a non-empty 'containing' list")
        if self.row == "first" and self.containing:
            raise ValueError("'containing' only applies when row is 'containing'")
        return self


class TargetRule(_Strict):
    """The target number, when it is not a column: the value beside ``label`` in the
    preamble above the header row (``Target MSISDN:,07700 900123``)."""

    from_header_block: str = Field(min_length=1, max_length=100)


class Times(_Strict):
    """How the event's start is written and in which zone."""

    date_format: str | None = None
    time_format: str | None = None
    datetime_format: str | None = None
    source_tz: Literal["Europe/London", "UTC"]

    @field_validator("date_format", "time_format", "datetime_format")
    @classmethod
    def _known_directives(cls, v: str | None) -> str | None:
        if v is None:
            return v
        unknown = sorted({d for d in _DIRECTIVE.findall(v) if d not in DIRECTIVES})
        if unknown:
            raise ValueError(f"unsupported directives {', '.join(unknown)}; supported: "
                             + ", ".join(DIRECTIVES))
        if not _DIRECTIVE.search(v):
            raise ValueError("a format must hold at least one % directive")
        return v

    @model_validator(mode="after")
    def _one_way(self) -> Times:
        split = self.date_format is not None or self.time_format is not None
        if split == (self.datetime_format is not None):
            raise ValueError("give either date_format and time_format, or datetime_format")
        if split and (self.date_format is None or self.time_format is None):
            raise ValueError("date_format and time_format go together")
        return self


class Profile(_Strict):
    """One layout. ``columns`` maps canonical keys (``COLUMN_KEYS``) to source columns."""

    name: str = Field(pattern=NAME_PATTERN)
    version: str = Field(pattern=VERSION_PATTERN)
    description: str = Field(min_length=1, max_length=2000)
    format: FileFormat
    encoding: Encoding = Encoding.utf8
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    sheet: str | None = Field(default=None, description="xlsx: sheet name (default: first)")
    header: HeaderLocator = HeaderLocator()
    columns: dict[str, ColumnSpec]
    target: TargetRule | None = None
    parties: Literal["calling_called", "other_party"] = "calling_called"
    times: Times
    duration: Literal["seconds", "hh:mm:ss"] = "seconds"
    directions: dict[str, str] = Field(min_length=1)
    call_types: dict[str, str] = Field(min_length=1)

    @field_validator("columns")
    @classmethod
    def _known_keys(cls, v: dict[str, ColumnSpec]) -> dict[str, ColumnSpec]:
        unknown = sorted(set(v) - set(COLUMN_KEYS))
        if unknown:
            raise ValueError(f"unknown column keys {', '.join(unknown)}; known: "
                             + ", ".join(COLUMN_KEYS))
        seen: dict[str, str] = {}
        for key, spec in v.items():
            for n in spec.names():
                norm = norm_header(n)
                if norm in seen:
                    raise ValueError(f"header {n!r} is given for both {seen[norm]} and {key}")
                seen[norm] = key
        return v

    @field_validator("directions")
    @classmethod
    def _directions(cls, v: dict[str, str]) -> dict[str, str]:
        return _vocabulary(v, DIRECTIONS, "direction")

    @field_validator("call_types")
    @classmethod
    def _call_types(cls, v: dict[str, str]) -> dict[str, str]:
        return _vocabulary(v, EVENT_KINDS, "kind")

    @model_validator(mode="after")
    def _consistent(self) -> Profile:
        cols, problems = self.columns, []
        if self.times.datetime_format is not None:
            if "datetime" not in cols or {"date", "time"} & set(cols):
                problems.append("times.datetime_format needs a 'datetime' column and no "
                                "'date'/'time' columns")
        elif not {"date", "time"} <= set(cols) or "datetime" in cols:
            problems.append("times.date_format/time_format need 'date' and 'time' columns "
                            "and no 'datetime' column")
        if (self.target is None) == ("target" not in cols):
            problems.append("give the target either as a 'target' column or as "
                            "target.from_header_block, not both or neither")
        if self.target is not None and self.header.row != "containing":
            problems.append("target.from_header_block needs header.row: containing")
        want = {"calling_called": ("calling", "called"), "other_party": ("other_party",)}
        missing = [k for k in want[self.parties] if k not in cols]
        other = {"calling", "called"} if self.parties == "other_party" else {"other_party"}
        if missing or other & set(cols):
            problems.append(f"parties: {self.parties} needs columns "
                            f"{', '.join(want[self.parties])} and none of "
                            f"{', '.join(sorted(other))}")
        for key in ("direction", "call_type"):
            if key not in cols:
                problems.append(f"a {key!r} column is required")
        if self.format is FileFormat.xlsx:
            if self.delimiter is not None or self.encoding is not Encoding.utf8:
                problems.append("xlsx profiles take no delimiter or encoding")
        elif self.sheet is not None:
            problems.append("'sheet' only applies to xlsx profiles")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def separator(self) -> str:
        """The field delimiter of a text layout (CSV ``,`` and TSV tab unless declared)."""
        return self.delimiter or ("\t" if self.format is FileFormat.tsv else ",")

    def required_value_keys(self) -> tuple[str, ...]:
        """Keys whose value may never be blank on a data row."""
        when = (("datetime",) if self.times.datetime_format else ("date", "time"))
        target = ("target",) if "target" in self.columns else ()
        return (*target, *when, "direction", "call_type")


def _vocabulary(v: dict[str, str], allowed: tuple[str, ...], what: str) -> dict[str, str]:
    bad = sorted({c for c in v.values() if c not in allowed})
    if bad:
        raise ValueError(f"{', '.join(bad)} is not a canonical {what} "
                         f"(one of {', '.join(allowed)})")
    folded: dict[str, str] = {}
    for word in v:
        key = word.strip().casefold()
        if not key:
            raise ValueError("a source word is blank")
        if key in folded:
            raise ValueError(f"{word!r} and {folded[key]!r} are the same word "
                             "(matching ignores case)")
        folded[key] = word
    return v


def norm_header(name: str) -> str:
    """Header cells match trimmed, case- and spacing-insensitively."""
    return re.sub(r"\s+", " ", name.strip()).casefold()
