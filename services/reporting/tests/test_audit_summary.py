"""Audit summaries: the real audit app in-process, its bundle verified, the PDF rendered.

The case's log is written by the real audit app through the audit client each service
uses (ingest, analytics, reporting), so entries carry real services, roles, chain and leaf
hashes. A wrapping transport between reporting and audit can change what the audit
service answers (a changed entry, a replayed bundle, a lineage link it does not bear out).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from linesight_reporting.app import build_runtime, create_app
from linesight_reporting.audit_summaries import digest
from linesight_reporting.audit_summaries.gather import summary_data
from linesight_reporting.audit_summaries.lineage import exhibits_named, fetch_lineages
from linesight_reporting.audit_summaries.repository import AuditSummaryRepository
from linesight_reporting.audit_summaries.schemas import AuditSummaryCreate
from linesight_reporting.audit_summaries.verify import BundleRejected, verified_log
from linesight_reporting.rendering.audit_model import SummaryCaseInfo
from linesight_reporting.rendering.audit_summary import render_audit_summary
from linesight_reporting.settings import ReportingSettings
from linesight_shared.audit_client import AuditClient, Operation, obj
from linesight_shared.auditverify.__main__ import main as verify_offline
from linesight_shared.auditverify.note import public_bytes, verifier_key
from linesight_shared.cli import main as cli
from linesight_shared.clients.audit import AuditServiceClient
from linesight_shared.clients.reporting import ReportingClient
from linesight_shared.runtime import ServiceRuntime
from linesight_shared.testing.fixtures import bearer, principal
from pypdf import PdfReader
from sqlmodel import Session
from starlette.testclient import TestClient
from typer.testing import CliRunner

from .conftest import CASE_ID, FakeIngest, mock_client

CASE = "OP-MONZA"
SHA = {k: k * 64 for k in "abcdef"}
EX1 = obj("exhibit", "ex1", sha256=SHA["a"], ref="ABC/1")
EX2 = obj("exhibit", "ex2", sha256=SHA["b"], ref="ABC/2")
DS1 = obj("dataset", "d1", sha256=SHA["c"], ref="ABC/1")
DS2 = obj("dataset", "d2", sha256=SHA["d"], ref="ABC/2")
AN1 = obj("analysis_result", "an1", sha256=SHA["e"])
RP1 = obj("report", "rp1", sha256=SHA["f"])


class AuditInTheMiddle:
    """Passes reporting's calls to the real audit app; a test may change an answer."""

    def __init__(self, audit_double) -> None:
        self.audit = audit_double
        self.change_bundle = None   # (dict) -> None, applied to the bundle's JSON
        self.change_lineage = None  # (dict) -> None, applied to each lineage answer

    def handler(self, request: httpx.Request) -> httpx.Response:
        resp = self.audit.handler(request)
        path = request.url.path
        change = (self.change_bundle if path.endswith("/bundle") else
                  self.change_lineage if path.endswith("/lineage") else None)
        if change is None or resp.status_code != 200:
            return resp
        body = json.loads(resp.content)
        change(body)
        return httpx.Response(200, content=json.dumps(body).encode(),
                              headers={"content-type": "application/json"})


@dataclass
class Summaries:
    app: object
    runtime: ServiceRuntime
    audit: object
    middle: AuditInTheMiddle
    http: TestClient

    def run_jobs(self) -> None:
        worker = self.runtime._worker or self.runtime.start_worker()
        self.runtime.broker.join(self.runtime.jobs.queue)
        worker.join()

    def request(self, headers: dict, **filters) -> httpx.Response:
        return self.http.post(f"/v1/cases/{CASE}/audit-summaries", json=filters,
                              headers=headers)

    def rendered(self, headers: dict, **filters) -> dict:
        r = self.request(headers, **filters)
        assert r.status_code == 202, r.text
        self.run_jobs()
        got = self.http.get(f"/v1/audit-summaries/{r.json()['summary']['id']}",
                            headers=headers)
        assert got.status_code == 200, got.text
        return got.json()

    def pdf(self, summary: dict, headers: dict) -> bytes:
        r = self.http.get(f"/v1/audit-summaries/{summary['id']}/pdf", headers=headers)
        assert r.status_code == 200, r.text
        assert hashlib.sha256(r.content).hexdigest() == summary["sha256"]
        return r.content


def write_case_log(audit_double, tokens) -> None:
    """A case's life as the services record it: uploads, parses, a read, an analysis of
    both exhibits, a report, a refusal, a failed analysis, a disclosure; and another case."""
    def recorder(service: str) -> AuditClient:
        return AuditClient(mock_client(audit_double.handler, "http://audit"), tokens=tokens,
                           service=service)

    ingest, analytics, reporting = recorder("ingest"), recorder("analytics"), recorder("reporting")
    analyst = principal(tokens, "a.analyst", ("analyst",))
    other = principal(tokens, "b.analyst", ("analyst",))
    officer = principal(tokens, "d.officer", ("disclosure_officer",))
    ingest.record(analyst, Operation.collection, case=CASE, objects=[EX1])
    ingest.record(analyst, Operation.collection, case=CASE, objects=[EX2])
    ingest.record(analyst, Operation.alteration, case=CASE, objects=[EX1, DS1])
    ingest.record(analyst, Operation.alteration, case=CASE, objects=[EX2, DS2])
    ingest.record(other, Operation.consultation, case=CASE, objects=[EX1])
    analytics.record(analyst, Operation.combination, case=CASE, objects=[DS1, DS2, AN1])
    reporting.record(analyst, Operation.combination, case=CASE, objects=[AN1, RP1])
    ingest.record(other, Operation.refused, case=CASE, outcome="refused",
                  reason="user 'b.analyst' lacks one of the roles ['supervisor']",
                  parameters={"action": "exhibits.erase"})
    analytics.record(analyst, Operation.combination, case=CASE, objects=[DS1],
                     outcome="failure", reason="the dataset d1 changed under the analysis")
    reporting.record(officer, Operation.disclosure, case=CASE, objects=[RP1],
                     recipients=["CPS Leeds"])
    ingest.record(analyst, Operation.collection, case="OP-OTHER",
                  objects=[obj("exhibit", "ex9", sha256=SHA["a"], ref="ZZZ/9")])


@pytest.fixture
def make_summaries(audit_double, tokens, base_env):
    write_case_log(audit_double, tokens)
    made: list[ServiceRuntime] = []

    def make(**settings) -> Summaries:
        cfg = ReportingSettings(**{**base_env, **settings})
        middle = AuditInTheMiddle(audit_double)
        runtime = build_runtime(
            cfg, audit_http=mock_client(middle.handler, "http://audit"),
            peer_http={"ingest": mock_client(FakeIngest().handler, "http://ingest")})
        runtime.startup(with_workers=False)
        made.append(runtime)
        app = create_app(cfg, runtime=runtime, start_runtime=False)
        return Summaries(app=app, runtime=runtime, audit=audit_double, middle=middle,
                         http=TestClient(app, base_url="http://reporting"))

    yield make
    for runtime in made:
        runtime.shutdown()


@pytest.fixture
def summaries(make_summaries) -> Summaries:
    return make_summaries()


@pytest.fixture
def log_key(audit_double, officer_headers) -> str:
    r = TestClient(audit_double.app).get("/v1/log/key", headers=officer_headers)
    return r.json()["verifier_key"]


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squeezed(s: str) -> str:
    return "".join(s.split())


def case_entries(audit_double, up_to: int) -> list[dict]:
    return [e for e in audit_double.entries() if e["case"] == CASE and e["seq"] <= up_to]


def attached_bundle(pdf: bytes) -> tuple[str, bytes]:
    [(name, [data])] = PdfReader(io.BytesIO(pdf)).attachments.items()
    return name, data


class TestSummary:
    def test_a_case_summary_states_its_checkpoint_and_counts_every_entry(
            self, summaries, officer_headers):
        s = summaries.rendered(officer_headers)
        assert s["status"] == "succeeded", s["message"]
        entries = case_entries(summaries.audit, s["checkpoint_size"])
        assert s["entries_total"] == s["entries_shown"] == len(entries)
        # the ten entries written, the summary's request and the bundle's own export
        assert len(entries) == 12 and entries[-1]["operation"] == "export"
        text = text_of(summaries.pdf(s, officer_headers))
        flat = squeezed(text)
        assert f"{len(entries)} entries, all verified" in text
        assert squeezed(s["checkpoint_root"]) in flat
        assert f"size {s['checkpoint_size']}" in text
        assert s["bundle_sha256"] in flat and squeezed(s["verifier_key"]) in flat
        assert "not pinned" in text
        assert "Entries shown 12 of 12" in text

    def test_the_counts_by_operation_person_and_service_are_those_of_the_log(
            self, summaries, officer_headers, log_key):
        s = summaries.rendered(officer_headers)
        data = rebuild(summaries, s, log_key)
        assert [(r.label, r.entries, r.not_successful) for r in data.by_operation] == [
            ("collection", 2, 0), ("alteration", 2, 0), ("consultation", 1, 0),
            ("disclosure", 1, 0), ("combination", 4, 1), ("refused", 1, 1), ("export", 1, 0)]
        ops = data.person_operations
        people = {(p.actor, p.role): dict(zip(ops, p.counts, strict=True))
                  for p in data.by_person}
        assert people[("b.analyst", "analyst")] == {**dict.fromkeys(ops, 0),
                                                    "consultation": 1, "refused": 1}
        assert people[("d.officer", "disclosure_officer")]["export"] == 1
        assert {r.label: r.entries for r in data.by_service} == {
            "ingest": 6, "analytics": 2, "reporting": 4}
        assert sum(p.total for p in data.by_person) == 12
        text = text_of(summaries.pdf(s, officer_headers))
        assert "Entries by person and operation" in text and "CPS Leeds" in text

    def test_who_accessed_each_object_is_listed_in_sequence_order(
            self, summaries, officer_headers, log_key):
        s = summaries.rendered(officer_headers)
        data = rebuild(summaries, s, log_key)
        by_object = {(o.object.type, o.object.id): o for o in data.objects}
        ex1 = by_object[("exhibit", "ex1")]
        assert [(e.seq, e.actor, e.operation) for e in ex1.accesses] == [
            (1, "a.analyst", "collection"), (3, "a.analyst", "alteration"),
            (5, "b.analyst", "consultation")]
        assert ex1.hashes == (SHA["a"],)
        assert [o.object.type for o in data.objects][:2] == ["exhibit", "exhibit"]
        # the refusal and the bundle's export name no object: listed, not dropped
        assert [e.operation for e in data.without_objects] == ["refused", "export"]
        assert [(e.seq, e.outcome) for e in data.not_successful] == [
            (8, "refused"), (9, "failure")]
        text = text_of(summaries.pdf(s, officer_headers))
        assert squeezed("the dataset d1 changed under the analysis") in squeezed(text)
        assert "Refusals and failures" in text

    def test_the_lineage_of_each_exhibit_is_shown_as_far_as_the_checkpoint(
            self, summaries, officer_headers, log_key):
        s = summaries.rendered(officer_headers)
        data = rebuild(summaries, s, log_key)
        lineage = {l.exhibit.ref: [(d.type, d.id, d.derived_from.id) for d in l.derived]
                   for l in data.lineage}
        assert lineage == {
            "ABC/1": [("dataset", "d1", "ex1"), ("analysis_result", "an1", "d1"),
                      ("report", "rp1", "an1")],
            "ABC/2": [("dataset", "d2", "ex2"), ("analysis_result", "an1", "d2"),
                      ("report", "rp1", "an1")]}

    def test_the_attached_bundle_verifies_offline(self, summaries, officer_headers, log_key,
                                                  tmp_path, capsys):
        s = summaries.rendered(officer_headers)
        name, data = attached_bundle(summaries.pdf(s, officer_headers))
        assert name == "OP-MONZA-audit-bundle.json"
        assert hashlib.sha256(data).hexdigest() == s["bundle_sha256"]
        path = tmp_path / name
        path.write_bytes(data)
        assert verify_offline([str(path), "--key", log_key]) == 0
        assert f"VERIFIES: case {CASE}, {s['entries_total']} entries" in capsys.readouterr().out

    def test_rendering_the_same_bundle_again_gives_the_same_bytes(
            self, summaries, officer_headers, log_key):
        s = summaries.rendered(officer_headers)
        pdf = summaries.pdf(s, officer_headers)
        again = render_audit_summary(rebuild(summaries, s, log_key, bundle=pdf)).pdf
        assert again == pdf
        assert render_audit_summary(rebuild(summaries, s, log_key, bundle=pdf)).pdf == pdf

    def test_past_the_listing_limit_entries_are_counted_and_the_rest_said_not_listed(
            self, summaries, officer_headers, log_key):
        s = summaries.rendered(officer_headers)
        data = rebuild(summaries, s, log_key, max_listed=3)
        assert [e.seq for e in data.listed] == [1, 2, 3] and data.unlisted == 9
        assert sum(r.entries for r in data.by_operation) == 12
        assert {o.object.id for o in data.objects} == {"ex1", "ex2", "d1"}
        assert [l.exhibit.ref for l in data.lineage] == ["ABC/1", "ABC/2"]
        text = squeezed(text_of(render_audit_summary(data).pdf))
        assert squeezed("the first 3 of the 12 shown, in sequence order; the other 9 are "
                        "in every count") in text
        assert squeezed("The 9 selected entries after seq 3 are counted but not listed") in text

    def test_the_pdf_dates_are_the_newest_entrys_not_the_clock(
            self, summaries, officer_headers):
        s = summaries.rendered(officer_headers)
        reader = PdfReader(io.BytesIO(summaries.pdf(s, officer_headers)))
        export = case_entries(summaries.audit, s["checkpoint_size"])[-1]
        newest = datetime.fromisoformat(export["time"])
        assert reader.metadata.creation_date.astimezone(UTC) == newest.replace(microsecond=0)

    def test_the_rendering_is_audited_with_the_bundle_and_pdf_hashes(
            self, summaries, officer_headers):
        s = summaries.rendered(officer_headers)
        done = [e for e in summaries.audit.entries("combination")
                if e["parameters"].get("stage") == "completed"]
        [entry] = done
        assert {"type": "audit_summary", "id": s["id"], "sha256": s["sha256"]} in entry["objects"]
        assert any(o["type"] == "audit_bundle" and o["sha256"] == s["bundle_sha256"]
                   for o in entry["objects"])
        assert (entry["actor"], entry["service"]) == ("d.officer", "reporting")

    def test_a_supervisor_may_ask_too(self, summaries, tokens):
        s = summaries.rendered(bearer(tokens, "s.super", ("supervisor",)))
        assert s["status"] == "succeeded"


class TestFilters:
    def test_a_person_filter_shows_only_their_entries_and_counts_the_rest(
            self, summaries, officer_headers, log_key):
        s = summaries.rendered(officer_headers, actor="b.analyst")
        assert (s["entries_shown"], s["entries_total"]) == (2, 12)
        assert s["filters"] == {"actor": "b.analyst", "operation": None, "object_ref": None,
                                "object_id": None, "since": None, "until": None}
        text = text_of(summaries.pdf(s, officer_headers))
        assert "Person: b.analyst" in text
        assert "Entries shown 2 of 12 (10 left out by the filters" in text
        data = rebuild(summaries, s, log_key)
        assert {e.actor for e in data.selected} == {"b.analyst"}
        assert [l.exhibit.ref for l in data.lineage] == ["ABC/1"]

    def test_every_access_to_exhibit_abc1(self, summaries, officer_headers, log_key):
        s = summaries.rendered(officer_headers, object_ref="ABC/1")
        data = rebuild(summaries, s, log_key)
        # the exhibit and the dataset that carries its reference
        assert [e.seq for e in data.selected] == [1, 3, 5, 6, 9]
        assert [l.exhibit.ref for l in data.lineage] == ["ABC/1"]

    def test_an_operation_and_a_time_window(self, summaries, officer_headers, log_key):
        entries = case_entries(summaries.audit, 10)
        since = entries[2]["time"]  # the first parse
        s = summaries.rendered(officer_headers, operation="alteration", since=since)
        data = rebuild(summaries, s, log_key)
        assert [e.seq for e in data.selected] == [3, 4]
        until = datetime.fromisoformat(entries[3]["time"])
        s = summaries.rendered(officer_headers, operation="alteration",
                               until=until.isoformat())
        assert s["entries_shown"] == 1

    def test_a_filter_that_matches_nothing_renders_and_says_so(self, summaries,
                                                                officer_headers):
        s = summaries.rendered(officer_headers, actor="nobody")
        assert (s["status"], s["entries_shown"]) == ("succeeded", 0)
        assert "No entry of the case matches the filters." in text_of(
            summaries.pdf(s, officer_headers))

    def test_a_window_that_ends_before_it_starts_is_refused(self, summaries,
                                                            officer_headers):
        r = summaries.request(officer_headers, since="2026-01-02T00:00:00Z",
                              until="2026-01-01T00:00:00Z")
        assert r.status_code == 422

    def test_an_unknown_operation_is_refused(self, summaries, officer_headers):
        assert summaries.request(officer_headers, operation="peeking").status_code == 422


class TestAccess:
    def test_an_analyst_is_refused_and_the_refusal_audited(self, summaries, analyst_headers):
        r = summaries.request(analyst_headers)
        assert r.status_code == 403
        refused = [e for e in summaries.audit.entries("refused")
                   if e["parameters"].get("action") == "audit_summaries.render"]
        assert [(e["actor"], e["outcome"], e["service"]) for e in refused] == [
            ("a.analyst", "refused", "reporting")]
        with Session(summaries.runtime.engine) as session:
            assert AuditSummaryRepository(session).list_by() == []

    def test_an_analyst_may_not_read_a_summary_or_its_pdf(self, summaries, officer_headers,
                                                          analyst_headers):
        s = summaries.rendered(officer_headers)
        assert summaries.http.get(f"/v1/audit-summaries/{s['id']}",
                                  headers=analyst_headers).status_code == 403
        assert summaries.http.get(f"/v1/audit-summaries/{s['id']}/pdf",
                                  headers=analyst_headers).status_code == 403

    def test_a_download_to_a_recipient_is_a_disclosure(self, summaries, officer_headers):
        s = summaries.rendered(officer_headers)
        r = summaries.http.get(f"/v1/audit-summaries/{s['id']}/pdf",
                               params={"recipient": "Defence expert"}, headers=officer_headers)
        assert r.status_code == 200
        last = summaries.audit.entries("disclosure")[-1]
        assert last["recipients"] == ["Defence expert"]
        assert last["objects"] == [{"type": "audit_summary", "id": s["id"],
                                    "sha256": s["sha256"]}]

    def test_an_unknown_case_is_not_found(self, summaries, officer_headers):
        r = summaries.http.post("/v1/cases/OP-NONE/audit-summaries", json={},
                                headers=officer_headers)
        assert r.status_code == 404


def changed_entry(bundle: dict) -> None:
    item = bundle["entries"][4]
    item["entry_json"] = item["entry_json"].replace("b.analyst", "c.analyst")


class TestRefusedBundles:
    def test_a_changed_entry_fails_the_job_with_the_verifiers_reason_and_no_pdf(
            self, summaries, officer_headers):
        summaries.middle.change_bundle = changed_entry
        s = summaries.rendered(officer_headers)
        assert s["status"] == "failed"
        assert "entry #5 (seq 5): leaf_hash is not SHA-256(0x00 || entry): the entry was " \
               "changed" in s["message"]
        assert s["sha256"] is None and s["object_key"] is None
        r = summaries.http.get(f"/v1/audit-summaries/{s['id']}/pdf", headers=officer_headers)
        assert r.status_code == 409 and "does not verify" in r.json()["detail"]
        assert not list(summaries.runtime.store.root.rglob("*.pdf"))
        [failure] = [e for e in summaries.audit.entries("combination")
                     if e["outcome"] == "failure" and e["service"] == "reporting"]
        assert "leaf_hash is not SHA-256" in failure["reason"]

    def test_a_replayed_bundle_without_this_export_is_refused(self, summaries,
                                                              officer_headers):
        summaries.middle.change_bundle = lambda b: b["entries"].pop()
        s = summaries.rendered(officer_headers)
        assert s["status"] == "failed"
        assert "does not hold the entry recording this export" in s["message"]

    def test_a_lineage_link_the_bundle_does_not_bear_out_is_refused(self, summaries,
                                                                    officer_headers):
        def claim_a_read_made_it(body: dict) -> None:
            if body["derived"]:
                body["derived"][0]["seq"] = 5  # a consultation
        summaries.middle.change_lineage = claim_a_read_made_it
        s = summaries.rendered(officer_headers)
        assert s["status"] == "failed"
        assert "which is a consultation, not a transformation" in s["message"]

    def test_a_pinned_key_the_audit_service_does_not_present_fails(self, make_summaries,
                                                                   officer_headers):
        other = verifier_key("linesight.local/audit",
                             public_bytes(Ed25519PrivateKey.generate().public_key()))
        s = make_summaries(audit_verifier_key=other).rendered(officer_headers)
        assert s["status"] == "failed"
        assert "not the key pinned in LINESIGHT_REPORTING_AUDIT_VERIFIER_KEY" in s["message"]

    def test_the_pinned_key_is_used_and_stated(self, make_summaries, officer_headers,
                                               log_key):
        summaries = make_summaries(audit_verifier_key=log_key)
        s = summaries.rendered(officer_headers)
        assert s["status"] == "succeeded" and s["verifier_key"] == log_key
        assert "pinned in this service's settings" in text_of(
            summaries.pdf(s, officer_headers))

    def test_a_malformed_pinned_key_is_refused_at_start(self, base_env):
        with pytest.raises(ValueError, match="AUDIT_VERIFIER_KEY"):
            ReportingSettings(**base_env, audit_verifier_key="not-a-key")


class TestVerifiedLog:
    """The bundle checks, called directly on a bundle from the real audit app."""

    @pytest.fixture
    def bundle(self, audit_double, tokens, officer_headers) -> bytes:
        write_case_log(audit_double, tokens)
        client = TestClient(audit_double.app)
        r = client.get(f"/v1/cases/{CASE}/bundle",
                       headers={**officer_headers, "X-Correlation-ID": "cid-1"})
        return r.content

    def check(self, bundle: bytes, key: str, **kw):
        args = {"presented_key": key, "origin": "linesight.local/audit", "pinned_key": None,
                "case": CASE, "requested_by": "d.officer", "correlation_id": "cid-1"} | kw
        return verified_log(bundle, **args)

    def test_an_honest_bundle_gives_its_entries_and_checkpoint(self, bundle, log_key):
        log = self.check(bundle, log_key)
        assert [e.seq for e in log.entries] == [*range(1, 11), 12]
        assert log.export_seq == 12 and log.checkpoint_size == 12
        assert len(base64.b64decode(log.root_hash_b64)) == 32
        assert log.key_id_hex == log_key.split("+")[1]

    def test_another_cases_bundle_is_refused(self, bundle, log_key):
        with pytest.raises(BundleRejected, match="not 'OP-OTHER'"):
            self.check(bundle, log_key, case="OP-OTHER")

    def test_another_users_export_is_not_this_one(self, bundle, log_key):
        with pytest.raises(BundleRejected, match="does not hold the entry recording"):
            self.check(bundle, log_key, requested_by="s.super")

    def test_every_problem_is_named(self, bundle, log_key):
        doc = json.loads(bundle)
        for item in doc["entries"][:3]:
            item["leaf_hash"] = "0" * 64
        with pytest.raises(BundleRejected) as caught:
            self.check(json.dumps(doc).encode(), log_key)
        assert [p.split(":")[0] for p in caught.value.problems] == [
            "entry #1 (seq 1)", "entry #2 (seq 2)", "entry #3 (seq 3)"]


class TestDigest:
    def test_selection_is_by_every_filter_given(self, audit_double, tokens, officer_headers,
                                                log_key):
        write_case_log(audit_double, tokens)
        bundle = TestClient(audit_double.app).get(
            f"/v1/cases/{CASE}/bundle", headers={**officer_headers, "X-Correlation-ID": "c"})
        log = verified_log(bundle.content, presented_key=log_key,
                           origin="linesight.local/audit", pinned_key=None, case=CASE,
                           requested_by="d.officer", correlation_id="c")
        t3 = log.entries[2].time

        def seqs(**f) -> list[int]:
            return [e.seq for e in digest.selected(log.entries, AuditSummaryCreate(**f))]

        assert seqs(object_id="an1") == [6, 7]
        assert seqs(actor="a.analyst", operation="combination") == [6, 7, 9]
        assert seqs(since=t3, until=t3 + timedelta(microseconds=1)) == [3]
        assert seqs(actor="a.analyst", object_ref="ABC/2") == [2, 4, 6]
        assert [o.ref for o in exhibits_named(log.entries)] == ["ABC/1", "ABC/2"]


class TestClientAndCli:
    def test_the_cli_writes_the_summary_pdf(self, summaries, officer_headers, monkeypatch,
                                            tmp_path):
        token = officer_headers["Authorization"].removeprefix("Bearer ")
        summaries.runtime.start_worker()
        reporting = ReportingClient(summaries.http, token)

        class Session_:
            def reporting(self):
                return reporting

        monkeypatch.setattr(cli, "current_session", Session_)
        out = tmp_path / "summary.pdf"
        result = CliRunner().invoke(cli.app, ["audit", "summary", CASE, "--out", str(out),
                                              "--actor", "b.analyst"])
        assert result.exit_code == 0, result.output
        assert "2 of 12 entries, all verified against checkpoint" in result.output
        assert out.read_bytes().startswith(b"%PDF-") and str(out) in result.output
        summary_id = result.output.split("audit summary ")[1].split(":")[0]
        got = reporting.get_audit_summary(summary_id)
        assert hashlib.sha256(out.read_bytes()).hexdigest() == got.sha256

    def test_the_cli_reports_a_failed_summary(self, summaries, officer_headers, monkeypatch,
                                              tmp_path):
        summaries.middle.change_bundle = changed_entry
        summaries.runtime.start_worker()
        reporting = ReportingClient(
            summaries.http, officer_headers["Authorization"].removeprefix("Bearer "))
        monkeypatch.setattr(cli, "current_session",
                            lambda: type("S", (), {"reporting": lambda self: reporting})())
        result = CliRunner().invoke(cli.app, ["audit", "summary", CASE, "--out",
                                              str(tmp_path / "s.pdf")])
        assert result.exit_code == 2
        assert "the entry was changed" in result.output
        assert not (tmp_path / "s.pdf").exists()


def rebuild(summaries: Summaries, s: dict, key: str, *, bundle: bytes | None = None,
            **limits):
    """The summary's data made again with the stored row's facts: from the bundle
    attached to ``bundle`` (a PDF; else the stored PDF's), with fresh lineage answers."""
    with Session(summaries.runtime.engine) as session:
        row, job = AuditSummaryRepository(session).with_job(s["id"])
        session.expunge_all()
    token = summaries.runtime.tokens.issue("d.officer", {"disclosure_officer"})
    if bundle is None:
        bundle = summaries.http.get(f"/v1/audit-summaries/{s['id']}/pdf",
                                    headers={"Authorization": f"Bearer {token}"}).content
    log = verified_log(attached_bundle(bundle)[1], presented_key=key,
                       origin="linesight.local/audit", pinned_key=None, case=CASE,
                       requested_by=row.created_by, correlation_id=job.correlation_id)
    filters = AuditSummaryCreate.model_validate(row.filters)
    audit = AuditServiceClient(mock_client(summaries.audit.handler, "http://audit"), token)
    exhibits = exhibits_named(digest.selected(log.entries, filters))
    case = SummaryCaseInfo(reference=CASE, id=CASE_ID, title="Operation Monza",
                           authorisation_ref="AUTH-2024-0001")
    return summary_data(log, fetch_lineages(audit, CASE, exhibits), row, case=case,
                        requested_roles=tuple(job.requested_roles),
                        generated_at=job.created_at, code_version=row.code_version, **limits)
