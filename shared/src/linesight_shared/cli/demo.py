"""``make demo``: the bundled sample case through the public HTTP APIs, ending in a PDF.

Starts the four services on the embedded default (SQLite, a local object folder, the
in-process broker) in a fresh state folder, then as the analyst: create case OP-MONZA →
upload the deal line's CDR as exhibit ABC/1 → wait for the parse job → contact-frequency
analysis → report → download the PDF; as the disclosure officer: verify the audit chain
and export the case's audit entries, then export its verifiable bundle and check it
offline against the log's verifier key. Stops the services. Exits non-zero on any failure.
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
SAMPLE = REPO_ROOT / "samples" / "op-monza" / "ABC-1_deal-line_cdr.csv"
CASE = "OP-MONZA"
AUTHORISATION = "OCDA/2026/004417"
USERS = {"analyst": ("a.analyst", "analyst-demo-password"),
         "officer": ("d.officer", "disclosure-demo-password")}


def step(message: str) -> None:
    typer.echo(f"[demo] {message}")


def run_demo(out_dir: Path, sample: Path | None = None,
             ports: dict[str, int] | None = None) -> Path:
    sample = sample or SAMPLE
    if not sample.exists():
        raise typer.BadParameter(f"sample file {sample} does not exist")
    out_dir = out_dir.resolve()
    state = out_dir / "state"
    shutil.rmtree(state, ignore_errors=True)
    env = {"LINESIGHT_VAR_DIR": str(state),
           "LINESIGHT_USERS_FILE": str(REPO_ROOT / "config" / "users.json")}
    started = time.perf_counter()
    step(f"starting the four services (embedded default, state in {state})")
    with Platform(env=env, log_dir=out_dir / "logs", ports=ports) as platform:
        settings = PlatformSettings(**{f"{s.name}_url": s.url for s in platform.specs})
        analyst = Session(settings=settings, token=None)
        token = analyst.audit().login(*USERS["analyst"])
        analyst.token = token.access_token
        step(f"logged in as {token.username}")

        ingest = analyst.ingest()
        case = ingest.create_case(CASE, authorisation_ref=AUTHORISATION,
                                  title="Operation Monza: deal line attribution")
        step(f"case {case.reference} created under authorisation {case.authorisation_ref}")

        up = ingest.upload_exhibit(
            CASE, sample, reference="ABC/1", kind="cdr", producer="EE Ltd disclosure unit",
            description="Call data records for the deal line, served under the authorisation",
        )
        step(f"exhibit ABC/1 stored: {sample.name}, sha256 {up.exhibit.sha256}")
        job = ingest.wait_for_job(up.job.id, timeout_s=300)
        report = ingest.ingest_report(CASE, up.exhibit.id)
        step(f"parse job {job.status}: {report.rows_read} rows read, {report.rows_accepted} "
             f"accepted, {report.rows_rejected} rejected")
        if str(job.status) != "succeeded":
            raise RuntimeError(f"the parse job failed: {job.message}")

        analytics = analyst.analytics()
        req = analytics.request_analysis(CASE, "contact_frequency")
        job = analytics.wait_for_job(req.job.id, timeout_s=300)
        if str(job.status) != "succeeded":
            raise RuntimeError(f"the analysis failed: {job.message}")
        analysis = analytics.get_analysis(req.analysis.id)
        step(f"contact frequency: {analysis.result_rows} rows, result sha256 "
             f"{analysis.result_sha256}")

        reporting = analyst.reporting()
        rreq = reporting.request_report(CASE, [analysis.id],
                                        title="Contact frequency of the deal line")
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
