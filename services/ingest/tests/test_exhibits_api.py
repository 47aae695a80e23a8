"""Exhibits through the HTTP API: upload, refusals, reading back, the original's integrity."""

from __future__ import annotations

import hashlib
import os

import pytest
from linesight_ingest.exhibits.schemas import Exhibit
from linesight_ingest.jobs.schemas import Job
from linesight_shared.testing.fixtures import bearer
from sqlmodel import Session, select

pytestmark = pytest.mark.anyio
CONTENT = b"not parsed in these tests, only stored\r\n"


def rows(ingest, model) -> list:
    with Session(ingest.runtime.engine) as s:
        return list(s.exec(select(model)).all())


class TestUpload:
    async def test_the_original_is_stored_byte_for_byte_under_its_sha256(self, api, ingest,
                                                                         make_cdr, make_row):
        case = await api.open_case()
        data = make_cdr(make_row(1))
        r = await api.upload(data)
        assert r.status_code == 202
        exhibit = r.json()["exhibit"]
        sha = hashlib.sha256(data).hexdigest()
        assert (exhibit["sha256"], exhibit["size_bytes"], exhibit["reference"]) == (
            sha, len(data), "ABC/1")
        assert exhibit["object_key"] == f"cases/{case['id']}/exhibits/{sha}"
        assert ingest.runtime.store.get_bytes(exhibit["object_key"], sha256=sha) == data

    async def test_the_answer_names_the_queued_parse_job(self, api, ingest):
        await api.open_case()
        body = (await api.upload(CONTENT)).json()
        job = body["job"]
        assert (job["kind"], job["status"], job["subject_id"]) == (
            "exhibits.parse", "queued", body["exhibit"]["id"])
        assert [j.id for j in rows(ingest, Job)] == [job["id"]]

    async def test_the_upload_is_audited_as_a_collection_naming_the_exhibit_by_hash(
            self, api, audit):
        await api.open_case()
        exhibit = (await api.upload(CONTENT)).json()["exhibit"]
        entry = audit.entries("OP-MONZA")[-1]
        assert (entry["operation"], entry["actor"]) == ("collection", "a.analyst")
        assert entry["objects"] == [{"type": "exhibit", "id": exhibit["id"],
                                     "sha256": exhibit["sha256"], "ref": "ABC/1"}]
        assert entry["parameters"]["size_bytes"] == len(CONTENT)
        assert "description" not in entry["parameters"]

    async def test_the_same_bytes_again_in_the_case_are_refused_naming_the_first_exhibit(
            self, api):
        await api.open_case()
        await api.upload(CONTENT)
        r = await api.upload(CONTENT, reference="ABC/2")
        assert r.status_code == 409
        assert "already exhibit ABC/1 in case OP-MONZA" in r.json()["detail"]

    async def test_the_same_bytes_in_another_case_are_accepted(self, api):
        await api.open_case()
        await api.open_case("OP-OTHER")
        await api.upload(CONTENT)
        r = await api.upload(CONTENT, case="OP-OTHER")
        assert r.status_code == 202

    async def test_an_exhibit_reference_taken_in_the_case_is_refused(self, api):
        await api.open_case()
        await api.upload(CONTENT)
        r = await api.upload(b"other bytes", reference="ABC/1")
        assert (r.status_code, r.json()["detail"]) == (
            409, "exhibit ABC/1 already exists in case OP-MONZA")

    async def test_an_empty_file_is_accepted_and_kept(self, api, ingest):
        await api.open_case()
        exhibit = (await api.upload(b"")).json()["exhibit"]
        assert (exhibit["size_bytes"], exhibit["sha256"]) == (0, hashlib.sha256(b"").hexdigest())
        assert ingest.runtime.store.stat(exhibit["object_key"]).size == 0

    async def test_an_upload_over_the_limit_is_refused_and_nothing_is_kept(
            self, ingest_factory, make_client, analyst_headers, audit):
        small = ingest_factory(max_upload_bytes=1000)
        async with make_client(small) as c:
            await c.post("/v1/cases", headers=analyst_headers, json={
                "reference": "OP-MONZA", "authorisation_ref": "CDA/1"})
            r = await c.post("/v1/cases/OP-MONZA/exhibits", headers=analyst_headers,
                             files={"file": ("big.csv", b"x" * 1001)},
                             data={"reference": "ABC/1", "kind": "cdr", "producer": "EE",
                                   "description": "too big"})
        assert (r.status_code, r.json()["error"]) == (413, "payload_too_large")
        assert rows(small, Exhibit) == [] and small.stored_objects() == []
        assert os.listdir(small.settings.resolved_spool_dir()) == []
        assert [op for op, _ in audit.operations()] == ["alteration"]

    async def test_the_spool_file_is_removed_once_the_upload_is_stored(self, api, ingest):
        await api.open_case()
        await api.upload(CONTENT)
        assert os.listdir(ingest.settings.resolved_spool_dir()) == []

    @pytest.mark.parametrize("field,value", [("reference", "abc/1"), ("reference", "ABC-1"),
                                             ("kind", "fax"), ("producer", "  ")])
    async def test_a_bad_form_field_is_a_validation_error_naming_it(self, api, ingest, field,
                                                                    value):
        await api.open_case()
        form = {"reference": "ABC/1", "kind": "cdr", "producer": "EE", "description": "d",
                field: value}
        r = await api.client.post("/v1/cases/OP-MONZA/exhibits", headers=api.headers,
                                  files={"file": ("a.csv", CONTENT)}, data=form)
        assert r.status_code == 422
        assert r.json()["detail"][0]["loc"] == ["body", field]
        assert rows(ingest, Exhibit) == []

    async def test_a_kind_with_no_parser_installed_is_refused_before_anything_is_stored(
            self, api, ingest, monkeypatch):
        monkeypatch.setattr("linesight_ingest.exhibits.service.parser_for", lambda kind: None)
        await api.open_case()
        form = {"reference": "ABC/1", "kind": "anpr", "producer": "EE", "description": "d"}
        r = await api.client.post("/v1/cases/OP-MONZA/exhibits", headers=api.headers,
                                  files={"file": ("a.csv", CONTENT)}, data=form)
        assert r.status_code == 400
        assert "kind anpr cannot be parsed" in r.json()["detail"]
        assert rows(ingest, Exhibit) == [] and ingest.stored_objects() == []

    async def test_an_upload_without_a_file_is_a_validation_error(self, api):
        await api.open_case()
        r = await api.client.post("/v1/cases/OP-MONZA/exhibits", headers=api.headers,
                                  files={"reference": (None, "ABC/1")},
                                  data={"kind": "cdr", "producer": "EE", "description": "d"})
        assert (r.status_code, r.json()["detail"][0]["loc"]) == (422, ["body", "file"])

    async def test_an_upload_to_an_unknown_case_is_not_found(self, api, ingest):
        r = await api.upload(CONTENT, case="OP-NOPE")
        assert r.status_code == 404
        assert ingest.stored_objects() == []

    async def test_a_disclosure_officer_may_not_upload(self, api, client, officer_headers,
                                                       ingest, audit):
        await api.open_case()
        r = await client.post("/v1/cases/OP-MONZA/exhibits", headers=officer_headers,
                              files={"file": ("a.csv", CONTENT)},
                              data={"reference": "ABC/1", "kind": "cdr", "producer": "EE",
                                    "description": "d"})
        assert r.status_code == 403
        assert audit.entries("OP-MONZA")[-1]["operation"] == "refused"
        assert ingest.stored_objects() == []


class TestRead:
    async def _uploaded(self, api) -> dict:
        await api.open_case()
        return (await api.upload(CONTENT, filename="EE_return.csv")).json()["exhibit"]

    async def test_the_original_comes_back_byte_for_byte_with_its_hash(self, api, audit):
        exhibit = await self._uploaded(api)
        r = await api.get(f"/v1/cases/OP-MONZA/exhibits/{exhibit['id']}/original")
        assert (r.status_code, r.content) == (200, CONTENT)
        assert r.headers["x-content-sha256"] == hashlib.sha256(CONTENT).hexdigest()
        assert 'filename="EE_return.csv"' in r.headers["content-disposition"]
        assert audit.operations("OP-MONZA")[-1] == ("consultation", "exhibit.original")

    async def test_an_original_changed_in_the_store_is_never_sent(self, api, ingest, audit):
        exhibit = await self._uploaded(api)
        path = ingest.settings.object_dir / exhibit["object_key"]
        path.chmod(0o644)
        path.write_bytes(CONTENT.replace(b"only", b"ONLY"))
        r = await api.get(f"/v1/cases/OP-MONZA/exhibits/{exhibit['id']}/original")
        assert (r.status_code, r.json()["error"]) == (500, "integrity_error")
        entry = audit.entries("OP-MONZA")[-1]
        assert (entry["operation"], entry["outcome"]) == ("consultation", "failure")
        assert os.listdir(ingest.settings.resolved_spool_dir()) == []

    async def test_exhibits_are_listed_and_read_with_their_case_reference(self, api):
        exhibit = await self._uploaded(api)
        listed = (await api.get("/v1/cases/OP-MONZA/exhibits")).json()["exhibits"]
        one = (await api.get(f"/v1/cases/OP-MONZA/exhibits/{exhibit['id']}")).json()
        assert listed == [one]
        assert (one["case_reference"], one["parse_status"], one["producer"]) == (
            "OP-MONZA", "queued", "EE Ltd disclosure unit")

    async def test_an_exhibit_is_not_found_through_another_case(self, api):
        exhibit = await self._uploaded(api)
        await api.open_case("OP-OTHER")
        r = await api.get(f"/v1/cases/OP-OTHER/exhibits/{exhibit['id']}")
        assert r.status_code == 404

    async def test_the_ingest_report_of_an_unparsed_exhibit_is_not_found_yet(self, api):
        exhibit = await self._uploaded(api)
        r = await api.get(f"/v1/cases/OP-MONZA/exhibits/{exhibit['id']}/ingest-report")
        assert r.status_code == 404
        assert "no ingest report yet (parse status: queued)" in r.json()["detail"]

    async def test_a_disclosure_officer_may_read_exhibits(self, api, client, officer_headers):
        await self._uploaded(api)
        r = await client.get("/v1/cases/OP-MONZA/exhibits", headers=officer_headers)
        assert r.status_code == 200 and len(r.json()["exhibits"]) == 1

    async def test_a_job_is_read_by_id_and_an_unknown_one_is_not_found(self, api, tokens):
        await api.open_case()
        job = (await api.upload(CONTENT)).json()["job"]
        assert (await api.get(f"/v1/jobs/{job['id']}")).json()["status"] == "queued"
        assert (await api.get(f"/v1/jobs/{'0' * 32}")).status_code == 404
        nobody = await api.client.get(f"/v1/jobs/{job['id']}",
                                      headers=bearer(tokens, "x.nobody", ()))
        assert nobody.status_code == 403
