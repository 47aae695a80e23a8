"""The analysis kinds: what each reads, its parameters, its computation, and the result
document every kind shares.

The document holds no wall-clock time and is serialised as RFC 8785 canonical JSON, so
the same inputs, parameters and code give the same bytes (and the same SHA-256).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import rfc8785
from linesight_shared.tables import ANPR_READS_TABLE, CELLS_TABLE, EVENTS_TABLE
from pydantic import BaseModel

from linesight_analytics import (
    anpr_cotravel,
    cell_timeline,
    colocation,
    contact_frequency,
    inactivity,
    journeys,
    pattern_of_life,
    tower_dumps,
)
from linesight_analytics.analyses.computed import Computed, Inputs
from linesight_analytics.analyses.schemas import (
    RESULT_FORMAT,
    AnalysisKind,
    AnalysisKindInput,
    AnalysisKindPublic,
)

TOWER_DUMP = "tower_dump"


@dataclass(frozen=True)
class TableNeed:
    """A table a kind reads, and which exhibits' datasets it reads by default."""

    table: str
    required: bool = True
    exhibit_kinds: tuple[str, ...] | None = None
    excluded_exhibit_kinds: tuple[str, ...] = (TOWER_DUMP,)

    def takes_by_default(self, exhibit_kind: str) -> bool:
        if self.exhibit_kinds is not None and exhibit_kind not in self.exhibit_kinds:
            return False
        return exhibit_kind not in self.excluded_exhibit_kinds


@dataclass(frozen=True)
class KindSpec:
    kind: AnalysisKind
    title: str
    description: str
    parameters: type[BaseModel]
    needs: tuple[TableNeed, ...]
    columns: tuple[str, ...]
    compute: Callable[[Inputs, Any], Computed]
    spatial: bool = False
    tables: tuple[str, ...] = field(default=())

    def public(self) -> AnalysisKindPublic:
        return AnalysisKindPublic(
            kind=self.kind, title=self.title, description=self.description,
            inputs=[AnalysisKindInput(
                table=n.table, required=n.required,
                exhibit_kinds=list(n.exhibit_kinds) if n.exhibit_kinds is not None else None,
                excluded_exhibit_kinds=list(n.excluded_exhibit_kinds)) for n in self.needs],
            parameters_schema=self.parameters.model_json_schema(),
            columns=list(self.columns), spatial=self.spatial,
        )


def _contact_frequency(inputs: Inputs, parameters) -> Computed:
    result = contact_frequency.contact_frequency(inputs.events, subject=parameters.subject)
    return Computed(result.columns, result.rows, result.summary, contact_frequency.DEFINITIONS,
                    contact_frequency.METHOD)


EVENTS = TableNeed(EVENTS_TABLE)
CELLS = TableNeed(CELLS_TABLE, excluded_exhibit_kinds=())
OPTIONAL_CELLS = TableNeed(CELLS_TABLE, required=False, excluded_exhibit_kinds=())
ANPR = TableNeed(ANPR_READS_TABLE, excluded_exhibit_kinds=())

SPECS: dict[AnalysisKind, KindSpec] = {}


def register(spec: KindSpec) -> None:
    SPECS[spec.kind] = spec


register(KindSpec(
    AnalysisKind.contact_frequency, "Contact frequency",
    "Per subject, how often and when each other party was in contact.",
    contact_frequency.ContactFrequencyParameters, (EVENTS,), contact_frequency.COLUMNS,
    _contact_frequency,
))

register(KindSpec(
    AnalysisKind.cell_timeline, "Cell-site timeline",
    "Each event of one phone placed on the cell valid at its time, with its sector and the "
    "uncertainty in words, as a table, a map (GeoJSON) and KML.",
    cell_timeline.CellTimelineParameters, (EVENTS, CELLS), cell_timeline.COLUMNS,
    cell_timeline.compute, spatial=True,
))

register(KindSpec(
    AnalysisKind.inactivity, "Inactivity (where the handset sleeps)",
    "Overnight gaps in activity with the cells either side, places ranked by nights, and the "
    "home cell by three methods side by side (gaps, most frequent night cell as "
    "scikit-mobility's home_location, distinct nights).",
    inactivity.InactivityParameters, (EVENTS, OPTIONAL_CELLS), inactivity.COLUMNS,
    inactivity.compute, spatial=True,
))

register(KindSpec(
    AnalysisKind.pattern_of_life, "Pattern of life",
    "7x24 activity grid per phone (local time), top cells by day and by night, events by "
    "kind.",
    pattern_of_life.PatternOfLifeParameters, (EVENTS, OPTIONAL_CELLS),
    pattern_of_life.COLUMNS, pattern_of_life.compute,
))

register(KindSpec(
    AnalysisKind.colocation, "Co-location",
    "Periods when two or more phones were served by the same or neighbouring cells and when "
    "they were demonstrably apart (subjects), or the candidate companions of a target phone "
    "ranked across every phone in the case (target).",
    colocation.ColocationParameters, (EVENTS, CELLS), colocation.COLUMNS, colocation.compute,
    spatial=True,
))

register(KindSpec(
    AnalysisKind.journeys, "Journeys",
    "Trips of one phone between areas (given, or its busiest places): departure, arrival, "
    "route cells, duration; repeated journeys grouped.",
    journeys.JourneysParameters, (EVENTS, CELLS), journeys.COLUMNS, journeys.compute,
    spatial=True,
))

register(KindSpec(
    AnalysisKind.anpr_cotravel, "ANPR co-travel",
    "Vehicles whose ANPR reads follow a phone (subject), or phones that follow a vehicle "
    "(vrm), ranked by days together, with each read and event matched.",
    anpr_cotravel.AnprCotravelParameters, (EVENTS, CELLS, ANPR), anpr_cotravel.COLUMNS,
    anpr_cotravel.compute, spatial=True,
))

register(KindSpec(
    AnalysisKind.tower_dump_intersection, "Tower-dump intersection",
    "Handsets (by number, else IMSI, else IMEI) that appear in several tower dumps, with "
    "counts, times and source lines per dump.",
    tower_dumps.TowerDumpsParameters,
    (TableNeed(EVENTS_TABLE, exhibit_kinds=(TOWER_DUMP,), excluded_exhibit_kinds=()),),
    tower_dumps.COLUMNS, tower_dumps.compute,
))


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
        "tables": [t.document() for t in computed.tables],
        "geojson": computed.geojson,
    }


def canonical(document: dict[str, Any]) -> bytes:
    """RFC 8785 (JCS) bytes: sorted keys, no whitespace, one spelling per number."""
    return rfc8785.dumps(document)
