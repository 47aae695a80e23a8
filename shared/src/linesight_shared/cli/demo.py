"""``make demo``: the Monza case through the public HTTP APIs, ending in a PDF.

Starts the four services on the embedded default (SQLite, a local object folder, the
in-process broker) in a fresh state folder. Generates the Monza scenario (seeded, see
``services/ingest/docs/monza-scenario.md``) and, as the analyst: creates case OP-MONZA →
uploads its 40 exhibits (cell list, CDRs, ANPR, tower dumps) and waits for every parse →
runs the analyses (contact frequency, where the deal line sleeps, its companions, the car
that follows it, its journeys, a three-day cell-site timeline with its map, the tower-dump
intersection) → renders one report → downloads the PDF; as the disclosure officer:
verifies the audit chain, exports the case's audit entries and its verifiable bundle, and
checks the bundle offline against the log's verifier key. Stops the services. Exits
non-zero on any failure.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import typer

from linesight_shared.auditverify.bundle import verify_bundle
from linesight_shared.cli.session import Session
from linesight_shared.platform import Platform
from linesight_shared.settings import PlatformSettings

REPO_ROOT = Path(__file__).resolve().parents[4]
CASE = "OP-MONZA"
AUTHORISATION = "OCDA/2026/004417"
USERS = {"analyst": ("a.analyst", "analyst-demo-password"),
         "officer": ("d.officer", "disclosure-demo-password")}


def step(message: str) -> None:
    typer.echo(f"[demo] {message}")


def _analyses(truth: dict) -> list[tuple[str, str, dict]]:
    """(kind, what it shows, parameters) of every analysis the demo runs, in report order."""
    line, p = truth["deal_line"], truth["parameters"]
    first_trip = truth["journeys"][0]["depart_utc"][:10]
    return [
        ("contact_frequency", "who the deal line talks to", {"subject": line}),
        ("inactivity", "where the deal line sleeps", {"subject": line}),
        ("colocation", "phones that travel with the deal line",
         {"target": line, "max_distance_m": p["colocation_distance_m"],
          "time_tolerance_minutes": p["colocation_tolerance_s"] / 60}),
        ("anpr_cotravel", "vehicles whose ANPR reads follow the deal line",
         {"subject": line, "max_distance_m": p["anpr_distance_m"],
          "time_tolerance_minutes": p["anpr_tolerance_s"] / 60}),
        ("journeys", "the deal line's journeys between its two busiest areas",
         {"subject": line}),
        ("cell_timeline", f"the deal line's cells on the day of its first trip ({first_trip})",
         {"subject": line, "from_utc": f"{first_trip}T00:00:00Z",
          "to_utc": f"{first_trip}T23:59:59Z"}),
        ("tower_dump_intersection", "numbers seen in more than one tower dump", {}),
    ]


def _headline(kind: str, doc: dict) -> str:
    """One line of what a result found, for the console."""
    rows = [dict(zip(doc["columns"], r, strict=True)) for r in doc["rows"]]
    tables = {t["name"]: [dict(zip(t["columns"], r, strict=True)) for r in t["rows"]]
              for t in doc.get("tables", [])}
    if not rows:
        return "no rows"
    if kind == "inactivity" and tables.get("places"):
        top = tables["places"][0]
        return f"sleeps at {top['cgi']} ({top.get('site_name')}), {top.get('nights')} nights"
    if kind == "colocation":
        return "companions: " + ", ".join(f"{r['candidate']} ({r['days_together']} days)"
                                          for r in rows[:3])
    if kind == "anpr_cotravel":
        return "vehicles: " + ", ".join(f"{r['vrm']} ({r['score']} days)" for r in rows[:3])
    if kind == "tower_dump_intersection":
        return f"{len(rows)} numbers in two or more dumps"
    return f"{len(rows)} rows"


def run_demo(out_dir: Path, seed: int | None = None,
             ports: dict[str, int] | None = None) -> Path:
    from linesight_ingest.samples.monza import DEFAULT_SEED, generate, upload_scenario

    out_dir = out_dir.resolve()
    state = out_dir / "state"
    shutil.rmtree(state, ignore_errors=True)
    exhibits = out_dir / "exhibits"
    shutil.rmtree(exhibits, ignore_errors=True)
    started = time.perf_counter()
    manifest = generate(exhibits, seed=DEFAULT_SEED if seed is None else seed)
    truth = json.loads((exhibits / manifest.truth_file).read_text(encoding="utf-8"))
    step(f"Monza scenario (seed {manifest.seed}) written to {exhibits}: "
         f"{len(manifest.files)} exhibits, {sum(f.rows for f in manifest.files):,} rows")
    env = {"LINESIGHT_VAR_DIR": str(state),
           "LINESIGHT_USERS_FILE": str(REPO_ROOT / "config" / "users.json")}
    step(f"starting the four services (embedded default, state in {state})")
    with Platform(env=env, log_dir=out_dir / "logs", ports=ports) as platform:
        settings = PlatformSettings(**{f"{s.name}_url": s.url for s in platform.specs})
        analyst = Session(settings=settings, token=None)
        token = analyst.audit().login(*USERS["analyst"])
        analyst.token = token.access_token
        step(f"logged in as {token.username}")

        ingest = analyst.ingest()
        case = ingest.create_case(CASE, authorisation_ref=AUTHORISATION,
                                  title="Operation Monza: who runs the deal line")
        step(f"case {case.reference} created under authorisation {case.authorisation_ref}")
        uploaded = upload_scenario(ingest, CASE, exhibits, manifest)
        deal = uploaded[truth["deal_line_exhibit"]]
        step(f"{len(uploaded)} exhibits stored and parsed with no rejects; the deal line's "
             f"CDR is {deal.reference}, sha256 {deal.sha256}")

        analytics = analyst.analytics()
        analysis_ids = []
        for kind, what, parameters in _analyses(truth):
            req = analytics.request_analysis(CASE, kind, parameters=parameters)
            job = analytics.wait_for_job(req.job.id, timeout_s=600)
            if str(job.status) != "succeeded":
                raise RuntimeError(f"the {kind} analysis failed: {job.message}")
            doc = json.loads(analytics.get_result_bytes(req.analysis.id))
            analysis_ids.append(req.analysis.id)
            step(f"{kind} ({what}): {_headline(kind, doc)}")
        timeline = analysis_ids[-2]
        kml = out_dir / "deal-line-timeline.kml"
        kml.write_bytes(analytics.export(timeline, "kml"))
        step(f"cell-site timeline saved for Google Earth: {kml}")

        reporting = analyst.reporting()
        rreq = reporting.request_report(CASE, analysis_ids,
                                        title="Operation Monza: the deal line")
        job = reporting.wait_for_job(rreq.job.id, timeout_s=300)
        if str(job.status) != "succeeded":
            raise RuntimeError(f"the report failed: {job.message}")
        pdf = reporting.download_pdf(rreq.report.id, out_dir / "report.pdf")
        rep = reporting.get_report(rreq.report.id)
        step(f"report rendered: {rep.pages} pages, sha256 {rep.sha256}")

        officer = Session(settings=settings, token=None)
        officer.token = officer.audit().login(*USERS["officer"]).access_token
        verify = officer.audit().verify()
        if not verify.ok:
            raise RuntimeError(f"the audit chain does not verify: {verify.problems}")
        export = officer.audit().export_case(CASE, out_dir / f"audit-{CASE}.jsonl")
        step(f"audit chain verifies: {verify.entries_checked} entries, head "
             f"{verify.head_seq} {verify.head_hash}; case log exported to {export}")
        bundle_path = officer.audit().bundle(CASE, out_dir / f"audit-{CASE}-bundle.json")
        key = officer.audit().log_key().verifier_key
        offline = verify_bundle(json.loads(bundle_path.read_text()), key)
        if not offline.ok:
            raise RuntimeError(f"the audit bundle does not verify offline: {offline.problems}")
        step(f"audit bundle {bundle_path.name}: {offline.entries_checked} entries verified "
             f"offline against checkpoint {offline.checkpoint_size} signed by {key}")
        step("stopping the services")
    step(f"done in {time.perf_counter() - started:.1f} s")
    return pdf
