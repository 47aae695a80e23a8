"""The Monza scenario through the APIs over PostgreSQL + RabbitMQ + S3: every exhibit
uploaded and parsed by the worker processes, each location analysis run as a job, and
the planted truth (``truth.json``) recovered, with no decoy ranked above it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from linesight_ingest.samples.monza import generate, upload_scenario
from pypdf import PdfReader

pytestmark = pytest.mark.e2e

CASE = "OP-MONZA-S"


@pytest.fixture(scope="module")
def scenario(production_platform, tmp_path_factory):
    """The generated case, uploaded once: (analyst session, truth)."""
    from .conftest import login
    analyst = login(production_platform, "a.analyst", "analyst-demo-password")
    folder = tmp_path_factory.mktemp("monza")
    manifest = generate(folder)
    ingest = analyst.ingest()
    ingest.create_case(CASE, authorisation_ref="OCDA/2026/004417", title="Monza scenario")
    upload_scenario(ingest, CASE, folder, manifest)
    return analyst, json.loads((folder / manifest.truth_file).read_text())


def run(analyst, kind: str, **parameters) -> tuple[str, dict]:
    analytics = analyst.analytics()
    req = analytics.request_analysis(CASE, kind, parameters=parameters)
    job = analytics.wait_for_job(req.job.id, timeout_s=300)
    assert str(job.status) == "succeeded", job.message
    return req.analysis.id, json.loads(analytics.get_result_bytes(req.analysis.id))


def rows(doc: dict, table: str | None = None) -> list[dict]:
    t = doc if table is None else next(t for t in doc["tables"] if t["name"] == table)
    return [dict(zip(t["columns"], r, strict=True)) for r in t["rows"]]


def test_the_deal_line_sleeps_at_suspect_1s_home(scenario):
    analyst, truth = scenario
    _, doc = run(analyst, "inactivity", subject=truth["deal_line"])
    home = truth["deal_line_home_cell"]
    assert rows(doc, "places")[0]["cgi"] == home
    methods = rows(doc, "home_methods")
    assert {m["cgi"] for m in methods} == {home}, methods


def test_the_suspects_phones_are_the_top_companions(scenario):
    analyst, truth = scenario
    p = truth["parameters"]
    _, doc = run(analyst, "colocation", target=truth["deal_line"],
                 max_distance_m=p["colocation_distance_m"],
                 time_tolerance_minutes=p["colocation_tolerance_s"] / 60)
    ranked = [r["candidate"] for r in rows(doc)]
    suspects = {s["number"] for s in truth["suspects"]}
    assert set(ranked[:2]) == suspects
    assert not set(ranked[:2]) & set(truth["decoy_numbers"])


def test_the_suspects_car_is_ranked_first_and_no_decoy_car_above_it(scenario):
    analyst, truth = scenario
    p = truth["parameters"]
    _, doc = run(analyst, "anpr_cotravel", subject=truth["deal_line"],
                 max_distance_m=p["anpr_distance_m"],
                 time_tolerance_minutes=p["anpr_tolerance_s"] / 60)
    ranked = [r["vrm"] for r in rows(doc)]
    assert ranked[0] == truth["car"]["vrm"].replace(" ", "")
    match = rows(doc, "matches")[0]
    assert match["distance_m"] is not None and match["read_utc"] and match["event_time_utc"]


def test_every_planted_journey_is_found(scenario):
    analyst, truth = scenario
    _, doc = run(analyst, "journeys", subject=truth["deal_line"], areas=truth["areas"])
    assert len(doc["rows"]) == len(truth["journeys"])
    assert {g["journeys"] for g in rows(doc, "groups")} == {len(truth["journeys"]) // 2}


def test_the_numbers_in_several_tower_dumps_are_the_planted_ones(scenario):
    analyst, truth = scenario
    _, doc = run(analyst, "tower_dump_intersection")
    assert sorted(r["identifier"] for r in rows(doc)) == sorted(
        truth["numbers_in_multiple_dumps"])
    assert {i["table"] for i in doc["inputs"]} == {"events"}
    assert len(doc["inputs"]) == len(truth["tower_dumps"])


def test_the_timeline_exports_kml_and_the_report_draws_its_map(scenario, tmp_path):
    analyst, truth = scenario
    analysis_id, doc = run(analyst, "cell_timeline", subject=truth["deal_line"],
                           from_utc="2024-10-01T00:00:00Z", to_utc="2024-10-04T00:00:00Z")
    roles = {f["properties"]["role"] for f in doc["geojson"]["features"]}
    assert {"cell", "sector", "event", "route"} <= roles
    kml = analyst.analytics().export(analysis_id, "kml")
    placemarks = ET.fromstring(kml).iter("{http://www.opengis.net/kml/2.2}Placemark")
    assert sum(1 for _ in placemarks) == len(doc["geojson"]["features"])
    reporting = analyst.reporting()
    req = reporting.request_report(CASE, [analysis_id], title="Deal line cell-site timeline")
    job = reporting.wait_for_job(req.job.id, timeout_s=300)
    assert str(job.status) == "succeeded", job.message
    pdf = reporting.download_pdf(req.report.id, tmp_path / "timeline.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "grid north" in text.lower()
