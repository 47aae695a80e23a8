"""Disclosure officers' views: filters by person, operation, object and time; lineage."""

from __future__ import annotations

import pytest
from linesight_shared.testing.fixtures import bearer
from starlette.testclient import TestClient

from .conftest import make_audit

H = {name: (name[0] * 64) for name in "abcdefgh"}


@pytest.fixture
def log(base_env, tokens):
    app, runtime = make_audit(base_env, checkpoint_interval_s=0)
    analyst = TestClient(app)
    analyst.headers.update(bearer(tokens))
    officer = TestClient(app)
    officer.headers.update(bearer(tokens, "d.officer", ("disclosure_officer",)))
    other = TestClient(app)
    other.headers.update(bearer(tokens, "b.analyst", ("analyst",)))

    def write(client, operation, *objects, case="OP-L"):
        r = client.post("/v1/entries", json={"operation": operation, "case": case,
                                             "objects": list(objects)})
        assert r.status_code == 201, r.text

    ex1 = {"type": "exhibit", "id": "ex1", "sha256": H["a"], "ref": "ABC/1"}
    ex2 = {"type": "exhibit", "id": "ex2", "sha256": H["b"], "ref": "ABC/2"}
    ds1 = {"type": "dataset", "id": "ds1", "sha256": H["c"], "ref": "ABC/1"}
    ds2 = {"type": "dataset", "id": "ds2", "sha256": H["d"], "ref": "ABC/2"}
    an1 = {"type": "analysis", "id": "an1", "sha256": H["e"]}
    rp1 = {"type": "report", "id": "rp1", "sha256": H["f"]}
    write(analyst, "collection", ex1)                 # 1 upload ABC/1
    write(analyst, "collection", ex2)                 # 2 upload ABC/2
    write(analyst, "alteration", ex1, ds1)            # 3 parse ABC/1
    write(analyst, "alteration", ex2, ds2)            # 4 parse ABC/2
    write(other, "consultation", ex1)                 # 5 someone reads ABC/1
    write(analyst, "combination", ds1, ds2, an1)      # 6 analysis of both
    write(analyst, "combination", an1, rp1)           # 7 report
    write(analyst, "consultation", ex2)               # 8
    yield officer
    runtime.shutdown()


def seqs(r):
    assert r.status_code == 200, r.text
    return [e["seq"] for e in r.json()["entries"]]


class TestFilters:
    def test_every_access_to_exhibit_abc1(self, log):
        got = seqs(log.get("/v1/entries", params={"object_ref": "ABC/1", "case": "OP-L"}))
        assert got == [1, 3, 5, 6]  # by reference: the exhibit and its dataset ds1
        got = seqs(log.get("/v1/entries", params={"object_type": "exhibit",
                                                  "object_id": "ex1"}))
        assert got == [1, 3, 5]

    def test_by_person_and_operation(self, log):
        assert seqs(log.get("/v1/entries", params={"actor": "b.analyst"})) == [5]
        assert seqs(log.get("/v1/entries", params={"operation": "combination"})) == [6, 7]

    def test_by_content_hash(self, log):
        assert seqs(log.get("/v1/entries", params={"object_sha256": H["e"]})) == [6, 7]

    def test_by_time(self, log):
        entries = log.get("/v1/entries", params={"case": "OP-L"}).json()["entries"]
        t5 = entries[4]["entry"]["time"]
        got = seqs(log.get("/v1/entries", params={"case": "OP-L", "since": t5}))
        assert got[0] == 5 and 4 not in got


class TestLineage:
    def test_everything_derived_from_exhibit_abc1(self, log):
        r = log.get("/v1/cases/OP-L/lineage", params={"object_id": "ex1"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert [(d["type"], d["id"], d["derived_from"]["id"]) for d in body["derived"]] == [
            ("dataset", "ds1", "ex1"), ("analysis", "an1", "ds1"), ("report", "rp1", "an1")]

    def test_another_exhibits_dataset_is_not_derived_from_abc1(self, log):
        body = log.get("/v1/cases/OP-L/lineage", params={"object_id": "ex1"}).json()
        assert "ds2" not in {d["id"] for d in body["derived"]}

    def test_an_unknown_object_is_not_found(self, log):
        r = log.get("/v1/cases/OP-L/lineage", params={"ref": "ZZZ/9"})
        assert r.status_code == 404

    def test_an_analyst_may_not_read_the_lineage(self, log, tokens):
        r = log.get("/v1/cases/OP-L/lineage", params={"ref": "ABC/1"},
                    headers=bearer(tokens))
        assert r.status_code == 403


def test_lineage_by_reference_starts_from_the_exhibit_not_its_namesakes(log):
    body = log.get("/v1/cases/OP-L/lineage", params={"ref": "ABC/1"}).json()
    assert [r["id"] for r in body["roots"]] == ["ex1"]
    assert [d["id"] for d in body["derived"]] == ["ds1", "an1", "rp1"]
