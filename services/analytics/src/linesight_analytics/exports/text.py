"""One value of a result as text, spelled exactly as in the canonical JSON result.

Null is empty text, booleans are ``true``/``false``, numbers, lists and objects are their
RFC 8785 (canonical JSON) text -- ``120.0`` is written ``120``, keys are sorted, no
spaces -- and text is itself. The CSV, the KML and the XLSX use it, so an export never
shows a figure spelled differently from the result it comes from.
"""

from __future__ import annotations

from typing import Any

import rfc8785


def value_text(value: Any) -> str:
    """``value`` as text (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int) and abs(value) < 2**53:
        return str(value)
    if isinstance(value, float) and 1e-4 <= abs(value) < 1e16:
        # the shortest round-trip digits, as ECMAScript (and so RFC 8785) writes them in
        # this range; an integral value loses its ".0"
        return str(int(value)) if value.is_integer() else repr(value)
    return rfc8785.dumps(value).decode("utf-8")
