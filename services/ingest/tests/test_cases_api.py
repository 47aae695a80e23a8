"""Cases through the HTTP API, with every access written to the real (in-process) audit log."""

from __future__ import annotations

import pytest
from linesight_shared.testing.fixtures import bearer

pytestmark = pytest.mark.anyio


class TestCreate:
    async def test_an_analyst_opens_a_case_and_the_creation_is_audited(self, api, audit):
        case = await api.open_case()
        assert (case["reference"], case["authorisation_ref"], case["created_by"]) == (
            "OP-MONZA", "CDA/2024/001234", "a.analyst")
        assert len(case["id"]) == 32
        entry = audit.entries("OP-MONZA")[-1]
        assert (entry["operation"], entry["actor"], entry["service"]) == (
            "alteration", "a.analyst", "ingest")
        assert entry["objects"] == [{"type": "case", "id": case["id"], "ref": "OP-MONZA"}]

    async def test_a_reference_already_taken_is_a_conflict(self, api):
        await api.open_case()
        r = await api.client.post("/v1/cases", headers=api.headers, json={
            "reference": "OP-MONZA", "authorisation_ref": "CDA/2024/9"})
        assert (r.status_code, r.json()["error"]) == (409, "conflict")

    @pytest.mark.parametrize("reference", ["op-monza", "-OPX", "X", "OP MONZA", "OP/1"])
    async def test_a_malformed_reference_is_refused_before_anything_is_written(
            self, api, audit, reference):
        r = await api.client.post("/v1/cases", headers=api.headers, json={
            "reference": reference, "authorisation_ref": "CDA/1"})
        assert r.status_code == 422
        assert audit.entries() == []

    @pytest.mark.parametrize("auth", ["", "   "])
    async def test_a_case_needs_an_authorisation_reference(self, api, auth):
        r = await api.client.post("/v1/cases", headers=api.headers, json={
            "reference": "OP-MONZA", "authorisation_ref": auth})
        assert r.status_code == 422

    async def test_a_disclosure_officer_may_not_open_a_case_and_the_refusal_is_audited(
            self, client, officer_headers, audit):
        r = await client.post("/v1/cases", headers=officer_headers, json={
            "reference": "OP-MONZA", "authorisation_ref": "CDA/1"})
        assert r.status_code == 403
        entry = audit.entries()[-1]
        assert (entry["operation"], entry["outcome"], entry["actor"]) == (
            "refused", "refused", "d.officer")
        assert entry["parameters"] == {"action": "case.create"}

    async def test_an_anonymous_request_is_unauthorised(self, client):
        r = await client.post("/v1/cases", json={"reference": "OP-MONZA",
                                                 "authorisation_ref": "CDA/1"})
        assert r.status_code == 401


class TestRead:
    async def test_a_case_is_read_by_reference_and_the_read_is_audited(self, api, audit):
        created = await api.open_case()
        r = await api.get("/v1/cases/OP-MONZA")
        assert r.json() == created
        assert audit.operations("OP-MONZA")[-1] == ("consultation", "case.get")

    async def test_cases_are_listed_by_reference(self, api, client, officer_headers):
        await api.open_case("OP-ZULU")
        await api.open_case("OP-ALPHA")
        r = await client.get("/v1/cases", headers=officer_headers)
        assert [c["reference"] for c in r.json()["cases"]] == ["OP-ALPHA", "OP-ZULU"]

    async def test_an_unknown_case_is_not_found(self, api):
        r = await api.get("/v1/cases/OP-NOPE")
        assert (r.status_code, r.json()["error"]) == (404, "not_found")

    async def test_a_user_with_no_reading_role_is_refused(self, client, tokens, api):
        await api.open_case()
        r = await client.get("/v1/cases/OP-MONZA", headers=bearer(tokens, "x.nobody", ()))
        assert r.status_code == 403
