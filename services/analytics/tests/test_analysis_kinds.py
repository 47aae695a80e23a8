"""The kinds registry through the API: what each kind reads, its parameters, and which
datasets it takes by default (cells and ANPR tables, tower dumps kept apart)."""

from __future__ import annotations

import pytest
from linesight_shared.testing.frames import anpr_read, cell

pytestmark = pytest.mark.anyio

S, P1 = "+447700900001", "+447700900002"


@pytest.fixture
def mixed_case(analytics, make_event):
    """A CDR, a cell list, an ANPR file and a tower dump, each with one dataset."""
    e = make_event
    ingest = analytics.ingest
    case = ingest.add_case("OP-MIXED")
    ingest.add_dataset(case, "cdr", [e("cdr", 2, "out", "voice", P1, duration=5)],
                       exhibit_reference="MIX/1")
    ingest.add_dataset(case, "cells", [cell("234-30-1-2", 51.5, -0.1, exhibit="cells")],
                       exhibit_reference="MIX/2", table="cells", exhibit_kind="cell_sites")
    ingest.add_dataset(case, "anpr", [anpr_read("AB12CDE", "CAM1", "2024-03-01T10:00:00",
                                                51.5, -0.1, exhibit="anpr")],
                       exhibit_reference="MIX/3", table="anpr_reads", exhibit_kind="anpr")
    ingest.add_dataset(case, "dump", [e("dump", 2, "out", "voice", P1, subject=S)],
                       exhibit_reference="MIX/4", exhibit_kind="tower_dump")
    return case


async def start(client, headers, kind, parameters=None, dataset_ids=None):
    body = {"kind": kind, "parameters": parameters or {}}
    if dataset_ids is not None:
        body["dataset_ids"] = dataset_ids
    return await client.post("/v1/cases/OP-MIXED/analyses", json=body, headers=headers)


def inputs_of(response) -> list[tuple[str, str]]:
    return [(i["exhibit_reference"], i["table"]) for i in response.json()["analysis"]["inputs"]]


class TestKinds:
    async def test_every_kind_is_described_with_its_inputs_and_parameters(
            self, client, analyst_headers):
        r = await client.get("/v1/analysis-kinds", headers=analyst_headers)
        assert r.status_code == 200
        kinds = {k["kind"]: k for k in r.json()}
        assert "contact_frequency" in kinds
        cf = kinds["contact_frequency"]
        assert [i["table"] for i in cf["inputs"]] == ["events"]
        assert "E.164" in cf["parameters_schema"]["properties"]["subject"]["description"]
        assert cf["spatial"] is False and "other_party" in cf["columns"]

    async def test_kinds_need_a_token(self, client):
        assert (await client.get("/v1/analysis-kinds")).status_code == 401


class TestDefaultInputs:
    async def test_phone_analyses_leave_tower_dumps_out(self, client, mixed_case,
                                                        analyst_headers):
        r = await start(client, analyst_headers, "contact_frequency")
        assert r.status_code == 202, r.text
        assert inputs_of(r) == [("MIX/1", "events")]

    async def test_unknown_parameter_is_refused_naming_it(self, client, mixed_case,
                                                          analyst_headers):
        r = await start(client, analyst_headers, "contact_frequency", {"subjekt": S})
        assert r.status_code == 422
        assert "parameters.subjekt" in r.json()["detail"]

    async def test_a_named_dataset_of_a_table_the_kind_does_not_read_is_refused(
            self, client, analytics, mixed_case, analyst_headers):
        anpr = next(d for d in analytics.ingest.datasets.values() if d["table"] == "anpr_reads")
        r = await start(client, analyst_headers, "contact_frequency", dataset_ids=[anpr["id"]])
        assert r.status_code == 400
        assert "anpr_reads" in r.json()["detail"]


EXAMPLES = {
    "contact_frequency": {"subject": S},
    "cell_timeline": {"subject": S, "from_utc": "2024-03-01T00:00:00Z"},
    "inactivity": {"subject": S, "min_gap_hours": 5},
    "pattern_of_life": {"top_n": 3},
    "colocation": {"target": S, "max_distance_m": 1500},
    "journeys": {"subject": S, "areas": [{"name": "A", "lat": 51.5, "lon": 0.0, "radius_km": 5},
                                         {"name": "B", "lat": 51.3, "lon": 1.4, "radius_km": 5}]},
    "anpr_cotravel": {"subject": S, "max_distance_m": 2000, "time_tolerance_minutes": 5},
    "tower_dump_intersection": {"min_dumps": 3},
}


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_recorded_parameters_read_back_as_the_same_parameters(kind):
    """What the request stores (defaults filled in) is what the worker validates again:
    it must be accepted and mean the same."""
    from linesight_analytics.analyses.kinds import SPECS
    from linesight_analytics.analyses.service import validate_parameters

    spec = SPECS[kind]
    stored = validate_parameters(spec, EXAMPLES[kind])
    again = spec.parameters.model_validate(stored).model_dump(mode="json")
    assert again == stored


def test_every_kind_has_an_example():
    from linesight_analytics.analyses.kinds import SPECS
    assert set(EXAMPLES) == {k.value for k in SPECS}
