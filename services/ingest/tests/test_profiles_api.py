"""The mapping-profiles API: list, read, add, detect, preview, and forcing one at upload."""

from __future__ import annotations

import pytest
from linesight_ingest.parsing.profiles.loader import builtin

from .conftest import cdr, row
from .profile_samples import SAMPLES
from .test_parse_job import parsed, report_of

pytestmark = pytest.mark.anyio
CUSTOM = (builtin("uk-operator-cdr-v1").text.replace("uk-operator-cdr-v1", "force-layout")
          .replace("Call Date", "Datum"))
CUSTOM_FILE = cdr(row(1), row(2), header=cdr(row(1)).decode().splitlines()[0]
                  .replace("Call Date", "Datum"))


async def post_file(api, url: str, content: bytes, name: str = "f.csv"):
    return await api.client.post(url, headers=api.headers, files={"file": (name, content)})


class TestProfilesApi:
    async def test_builtins_are_listed_with_version_and_sha256(self, api):
        r = await api.get("/v1/profiles")
        names = {(p["name"], p["source"]) for p in r.json()["profiles"]}
        assert ("uk-operator-cdr-v1", "builtin") in names
        one = (await api.get("/v1/profiles/uk-vf-style-v1")).json()
        assert one["yaml"] == builtin("uk-vf-style-v1").text
        assert one["parsed"]["times"]["source_tz"] == "Europe/London"

    async def test_a_bad_profile_is_refused_with_the_key_path(self, api):
        r = await api.client.post("/v1/profiles", headers=api.headers,
                                  json={"yaml": CUSTOM.replace("duration: seconds",
                                                               "duration: minutes")})
        assert r.status_code == 400 and "duration" in r.json()["detail"]
        assert "line " in r.json()["detail"]

    async def test_a_builtin_name_or_the_same_version_twice_is_a_conflict(self, api, audit):
        clash = await api.client.post("/v1/profiles", headers=api.headers,
                                      json={"yaml": builtin("uk-vf-style-v1").text})
        assert clash.status_code == 409
        assert (await api.client.post("/v1/profiles", headers=api.headers,
                                      json={"yaml": CUSTOM})).status_code == 201
        changed = CUSTOM.replace("Windows", "Windows").replace("Datum", "Datum ")
        assert (await api.client.post("/v1/profiles", headers=api.headers,
                                      json={"yaml": changed})).status_code == 409
        bumped = changed.replace("version: 1.0.0", "version: 1.1.0")
        assert (await api.client.post("/v1/profiles", headers=api.headers,
                                      json={"yaml": bumped})).status_code == 201
        versions = (await api.get("/v1/profiles/force-layout")).json()["versions"]
        assert [v["version"] for v in versions] == ["1.0.0", "1.1.0"]
        assert ("alteration", "profile.create") in audit.operations()

    async def test_detect_ranks_the_candidates_and_audits_the_bytes_by_hash(self, api, audit):
        content = (SAMPLES / "three_style.tsv").read_bytes()
        r = await post_file(api, "/v1/profiles/detect", content)
        body = r.json()
        assert r.status_code == 200 and body["chosen"] == "uk-three-style-v1@1.0.0"
        entry = next(e for e in audit.entries() if e["parameters"].get("action")
                     == "profile.detect")
        assert entry["operation"] == "consultation"
        assert entry["objects"][0]["sha256"] == body["sha256"]

    async def test_preview_shows_normalised_rows_and_rejects_and_stores_nothing(
            self, api, ingest):
        before = ingest.stored_objects()
        r = await post_file(api, "/v1/profiles/uk-vf-style-v1/preview?rows=3",
                            (SAMPLES / "vf_style.csv").read_bytes())
        body = r.json()
        assert r.status_code == 200 and len(body["rows"]) == 3
        assert body["rows"][0]["duration_s"] == 65 and body["rejects"] == []
        assert ingest.stored_objects() == before


class TestUploadWithProfile:
    async def test_a_custom_profile_added_through_the_api_is_used_for_an_upload(
            self, api, ingest):
        await api.open_case()
        assert (await api.client.post("/v1/profiles", headers=api.headers,
                                      json={"yaml": CUSTOM})).status_code == 201
        exhibit, job = await parsed(api, ingest, CUSTOM_FILE)
        assert job["status"] == "succeeded", job["message"]
        report = await report_of(api, exhibit)
        assert report["parser"] == "force-layout" and report["rows_accepted"] == 2
        datasets = (await api.get("/v1/cases/OP-MONZA/datasets")).json()["datasets"]
        assert datasets[0]["parser"] == "force-layout"

    async def test_a_forced_profile_is_pinned_on_the_exhibit_and_used(self, api, ingest):
        await api.open_case()
        r = await api.client.post(
            "/v1/cases/OP-MONZA/exhibits", headers=api.headers,
            files={"file": ("cdr.csv", cdr(row(1)), "text/csv")},
            data={"reference": "ABC/1", "kind": "cdr", "producer": "EE",
                  "description": "d", "profile": "uk-operator-cdr-v1"})
        assert r.status_code == 202, r.text
        assert r.json()["exhibit"]["profile"] == "uk-operator-cdr-v1@1.0.0"
        ingest.drain()
        report = await report_of(api, r.json()["exhibit"])
        assert report["status"] == "succeeded"

    async def test_an_unknown_forced_profile_is_refused_before_anything_is_stored(
            self, api, ingest):
        await api.open_case()
        r = await api.client.post(
            "/v1/cases/OP-MONZA/exhibits", headers=api.headers,
            files={"file": ("cdr.csv", cdr(row(1)), "text/csv")},
            data={"reference": "ABC/1", "kind": "cdr", "producer": "EE",
                  "description": "d", "profile": "no-such"})
        assert r.status_code == 400 and "no-such" in r.json()["detail"]
        assert ingest.stored_objects() == []
