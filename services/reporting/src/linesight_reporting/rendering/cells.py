"""How values of a result document are written in a report: labels and cell text.

Values are shown as the result holds them (times stay ISO 8601 UTC, numbers unformatted),
so the PDF and the JSON always agree; only exhibit ids are replaced by their exhibit
references and line numbers are written as ranges (``2–6, 9``).
"""

from __future__ import annotations

from typing import Any

KIND_TITLES = {"contact_frequency": "Contact frequency",
               "cell_timeline": "Cell-site timeline",
               "inactivity": "Inactivity (where the handset sleeps)",
               "pattern_of_life": "Pattern of life",
               "colocation": "Co-location",
               "journeys": "Journeys",
               "anpr_cotravel": "ANPR co-travel",
               "tower_dump_intersection": "Tower-dump intersection"}

LABELS: dict[str, dict[str, str]] = {
    "contact_frequency": {
        "subject": "Subject", "other_party": "Other party", "other_party_kind": "Party kind",
        "calls_out": "Calls out", "calls_in": "Calls in", "sms_out": "SMS out",
        "sms_in": "SMS in", "other_events": "Other events", "total_events": "Total events",
        "voice_duration_s": "Voice (s)", "first_contact_utc": "First contact (UTC)",
        "last_contact_utc": "Last contact (UTC)", "exhibit_ids": "Exhibits",
        "source_rows": "Source lines",
    },
}

#: Column widths (mm) of each kind's result table on a landscape page. Result tables are
#: laid out with fixed widths: automatic layout would measure every cell's narrowest form
#: first, which costs seconds per page for long lists of line numbers.
WIDTHS: dict[str, dict[str, int]] = {
    "contact_frequency": {
        "subject": 24, "other_party": 26, "other_party_kind": 15, "calls_out": 11,
        "calls_in": 11, "sms_out": 11, "sms_in": 11, "other_events": 12, "total_events": 12,
        "voice_duration_s": 14, "first_contact_utc": 33, "last_contact_utc": 33,
        "exhibit_ids": 14,
    },
}

#: The order summary figures are shown in (a result's keys arrive sorted, RFC 8785);
#: figures not named here follow in that order.
SUMMARY_ORDER: dict[str, tuple[str, ...]] = {
    "contact_frequency": ("events_read", "events_without_subject", "events_other_subjects",
                          "data_sessions", "contact_events", "forwarded_events",
                          "voice_calls_without_duration", "subject", "other_parties"),
}

EMPTY = "—"


def kind_title(kind: str) -> str:
    return KIND_TITLES.get(kind, humanise(kind))


#: Words a column name spells in lower case that are written in capitals.
ACRONYMS = frozenset({"anpr", "cgi", "ecgi", "imei", "imsi", "sms", "mms", "utc", "vrm", "id",
                      "ip"})


def humanise(name: str) -> str:
    """``first_cgi_utc`` → ``First CGI UTC``: words spaced, the first capitalised."""
    words = name.split("_")
    return " ".join(w.upper() if w.lower() in ACRONYMS else (w.capitalize() if i == 0 else w)
                    for i, w in enumerate(words))


def label(kind: str, column: str) -> str:
    return LABELS.get(kind, {}).get(column) or humanise(column)


def ordered(kind: str, keys) -> list[str]:
    """``keys`` in the kind's summary order, the others after them as they came."""
    preferred = SUMMARY_ORDER.get(kind, ())
    rank = {k: i for i, k in enumerate(preferred)}
    return sorted(keys, key=lambda k: (rank.get(k, len(preferred)),))


def width(kind: str, column: str) -> int | None:
    """Width in mm, or None to share what the other columns leave."""
    return WIDTHS.get(kind, {}).get(column)


def line_ranges(lines: list[int]) -> str:
    """``[2, 3, 4, 6, 9, 10]`` → ``2–4, 6, 9–10``."""
    out: list[str] = []
    ordered = sorted(lines)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        out.append(str(ordered[i]) if i == j else f"{ordered[i]}–{ordered[j]}")
        i = j + 1
    return ", ".join(out)


#: Longest text a table cell shows; a longer value (a route, thousands of source lines)
#: is cut at a separator and says how much more the attached result document holds.
CELL_TEXT_LIMIT = 400


def cell(value: Any, refs: dict[str, str]) -> str:
    """Text of one value; ``refs`` maps exhibit ids to exhibit references. Cut to about
    ``CELL_TEXT_LIMIT`` characters, saying so."""
    text = _text(value, refs)
    if len(text) <= CELL_TEXT_LIMIT:
        return text
    cut = max(text.rfind(sep, 0, CELL_TEXT_LIMIT) for sep in (", ", "; "))
    cut = cut if cut > CELL_TEXT_LIMIT // 2 else CELL_TEXT_LIMIT
    return (f"{text[:cut]} … ({len(text) - cut:,} more characters in the attached result "
            "document)")


def _text(value: Any, refs: dict[str, str]) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return refs.get(value, value)
    if isinstance(value, list):
        if value and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return line_ranges(value)
        return ", ".join(_text(v, refs) for v in value) or EMPTY
    if isinstance(value, dict):
        return "; ".join(f"{refs.get(k, k)}: {_text(v, refs)}"
                         for k, v in value.items()) or EMPTY
    return str(value)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
