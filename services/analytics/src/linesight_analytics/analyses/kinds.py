"""Each analysis kind's computation, and the result document every kind shares.

The document holds no wall-clock time and is serialised as RFC 8785 canonical JSON, so
the same inputs, parameters and code give the same bytes (and the same SHA-256).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
import rfc8785

from linesight_analytics.analyses.schemas import RESULT_FORMAT, AnalysisKind
from linesight_analytics.contact_frequency import DEFINITIONS, METHOD, contact_frequency


@dataclass(frozen=True)
class Computed:
    columns: tuple[str, ...]
    rows: list[list[Any]]
    summary: dict[str, Any]
    definitions: dict[str, str]
    method: tuple[str, ...]


def _contact_frequency(events: pl.DataFrame, parameters: dict[str, Any]) -> Computed:
    result = contact_frequency(events, subject=parameters.get("subject"))
    return Computed(result.columns, result.rows, result.summary, DEFINITIONS, METHOD)


COMPUTE: dict[AnalysisKind, Callable[[pl.DataFrame, dict[str, Any]], Computed]] = {
    AnalysisKind.contact_frequency: _contact_frequency,
}


def result_document(kind: AnalysisKind, parameters: dict[str, Any],
                    inputs: list[dict[str, Any]], code_version: str,
                    computed: Computed) -> dict[str, Any]:
    return {
        "format": RESULT_FORMAT,
        "kind": kind.value,
        "parameters": parameters,
        "inputs": inputs,
        "code_version": code_version,
        "columns": list(computed.columns),
        "definitions": computed.definitions,
        "method": list(computed.method),
        "rows": computed.rows,
        "summary": computed.summary,
    }


def canonical(document: dict[str, Any]) -> bytes:
    """RFC 8785 (JCS) bytes: sorted keys, no whitespace, one spelling per number."""
    return rfc8785.dumps(document)
