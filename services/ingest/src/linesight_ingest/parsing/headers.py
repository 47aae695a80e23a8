"""Header cells → column keys by aliases, matched case-, space- and punctuation-insensitively.

``Read Time``, ``read_time`` and ``READTIME`` are one column. Used by the ANPR and tower
dump parsers, whose sources name the same column in several ways.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.casefold())


@dataclass
class Matched:
    positions: dict[str, int] = field(default_factory=dict)
    header: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def name_of(self, key: str) -> str:
        """The header text the file uses for ``key`` (the key itself when absent)."""
        i = self.positions.get(key)
        return self.header[i].strip() if i is not None else key


def match(header: list[str], aliases: dict[str, tuple[str, ...]]) -> Matched:
    by_alias = {norm(a): k for k, names in aliases.items() for a in names}
    m = Matched(header=header)
    for i, cell in enumerate(header):
        key = by_alias.get(norm(cell))
        if key is None:
            m.unknown.append(cell.strip() or f"(blank, column {i + 1})")
        elif key in m.positions:
            m.errors.append(f"column {cell.strip()!r} (column {i + 1}) repeats column "
                            f"{m.positions[key] + 1} ({m.name_of(key)!r})")
        else:
            m.positions[key] = i
    return m


def columns_seen(header: list[str]) -> str:
    return ", ".join(repr(h.strip()) for h in header)
