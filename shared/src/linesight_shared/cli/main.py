"""``linesight``: the command-line client of the Linesight services.

    linesight login -u a.analyst
    linesight case create OP-MONZA --authorisation OCDA/2026/004417 --title "Operation Monza"
    linesight exhibit upload OP-MONZA cdr.csv --ref ABC/1 --producer "EE Ltd" --description "CDR"
    linesight analysis run OP-MONZA --kind contact_frequency
    linesight report get OP-MONZA --analysis <id> --out report.pdf
    linesight audit verify
    linesight audit summary OP-MONZA --out audit-summary.pdf [--actor a.analyst]
    linesight up | demo

Every command goes through the public HTTP APIs with the user's token (``linesight
login`` stores it; ``LINESIGHT_TOKEN`` overrides). Service URLs come from
``LINESIGHT_<SERVICE>_URL`` (defaults: 127.0.0.1:8101-8104).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from linesight_shared.auth import hash_password
from linesight_shared.cli.session import current_session, save_token
from linesight_shared.errors import LinesightError

app = typer.Typer(help=__doc__, no_args_is_help=True, pretty_exceptions_enable=False)
case_app = typer.Typer(help="Cases", no_args_is_help=True)
exhibit_app = typer.Typer(help="Exhibits", no_args_is_help=True)
analysis_app = typer.Typer(help="Analyses", no_args_is_help=True)
report_app = typer.Typer(help="Reports", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log", no_args_is_help=True)
users_app = typer.Typer(help="The local users file", no_args_is_help=True)
profile_app = typer.Typer(help="CDR mapping profiles", no_args_is_help=True)
for sub, name in [(case_app, "case"), (exhibit_app, "exhibit"), (analysis_app, "analysis"),
                  (report_app, "report"), (audit_app, "audit"), (users_app, "users"),
                  (profile_app, "profile")]:
    app.add_typer(sub, name=name)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the full answer as JSON")]


def emit(model, as_json: bool, line: str) -> None:
    if as_json:
        typer.echo(model.model_dump_json(indent=2))
    else:
        typer.echo(line)


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def login(username: Annotated[str, typer.Option("-u", "--username")],
          password: Annotated[str | None, typer.Option("-p", "--password")] = None) -> None:
    """Log in at the token issuer and keep the token for later commands."""
    password = password or getpass.getpass("password: ")
    token = current_session().audit().login(username, password)
    save_token(token.access_token, token.username)
    typer.echo(f"logged in as {token.username} ({', '.join(token.roles)})")


@case_app.command("create")
def case_create(reference: str,
                authorisation: Annotated[str, typer.Option(help="Comms-data authorisation ref")],
                title: Annotated[str | None, typer.Option()] = None,
                as_json: JsonOpt = False) -> None:
    """Create a case."""
    case = current_session().ingest().create_case(reference, authorisation_ref=authorisation,
                                                  title=title)
    emit(case, as_json, f"case {case.reference} created (id {case.id})")


@case_app.command("show")
def case_show(reference: str) -> None:
    """Show a case with its exhibits and datasets."""
    ingest = current_session().ingest()
    typer.echo(ingest.get_case(reference).model_dump_json(indent=2))
    for ex in ingest.list_exhibits(reference):
        typer.echo(f"exhibit {ex.reference} {ex.kind} sha256={ex.sha256} id={ex.id}")
    for ds in ingest.list_datasets(reference):
        typer.echo(f"dataset {ds.id} from {ds.exhibit_reference}: {ds.rows} rows "
                   f"sha256={ds.sha256}")


@exhibit_app.command("upload")
def exhibit_upload(case: str, path: Path,
                   ref: Annotated[str, typer.Option(help="Exhibit reference, e.g. ABC/1")],
                   producer: Annotated[str, typer.Option(
                       help="Who produced it, e.g. 'EE Ltd disclosure unit'")],
                   description: Annotated[str, typer.Option(help="What it is")],
                   kind: Annotated[str, typer.Option()] = "cdr",
                   profile: Annotated[str | None, typer.Option(
                       help="CDRs: force this mapping profile (name or name@version)")] = None,
                   wait: Annotated[bool, typer.Option(help="Wait for the parse job")] = True,
                   as_json: JsonOpt = False) -> None:
    """Upload an exhibit; the original is kept under its SHA-256 and parsed by a job."""
    ingest = current_session().ingest()
    out = ingest.upload_exhibit(case, path, reference=ref, kind=kind, producer=producer,
                                description=description, profile=profile)
    typer.echo(f"exhibit {out.exhibit.reference} stored, sha256={out.exhibit.sha256}")
    if not wait:
        emit(out, as_json, f"parse job {out.job.id} queued")
        return
    job = ingest.wait_for_job(out.job.id)
    report = ingest.ingest_report(case, out.exhibit.id)
    emit(report, as_json, f"parse job {job.status}: {report.rows_read} rows read, "
         f"{report.rows_accepted} accepted, {report.rows_rejected} rejected")
    if str(job.status) != "succeeded":
        raise typer.Exit(2)


@exhibit_app.command("report")
def exhibit_report(case: str, exhibit_id: str) -> None:
    """The ingest report of an exhibit: rows read, accepted, rejected with line and reason."""
    typer.echo(current_session().ingest().ingest_report(case, exhibit_id)
               .model_dump_json(indent=2))


@profile_app.command("list")
def profile_list() -> None:
    """Built-in and custom mapping profiles: name, version, source, SHA-256."""
    for p in current_session().ingest().list_profiles():
        typer.echo(f"{p.name}@{p.version}\t{p.source}\t{p.sha256}")


@profile_app.command("show")
def profile_show(name: str) -> None:
    """A profile's YAML text exactly as stored (``name`` or ``name@version``)."""
    typer.echo(current_session().ingest().get_profile(name).yaml, nl=False)


@profile_app.command("add")
def profile_add(path: Path) -> None:
    """Add a profile (or a new version of one) from a YAML file."""
    p = current_session().ingest().add_profile(path.read_text(encoding="utf-8"))
    typer.echo(f"added {p.name}@{p.version} sha256={p.sha256}")


@profile_app.command("detect")
def profile_detect(path: Path, as_json: JsonOpt = False) -> None:
    """Rank every profile against a file, with confidence and reasons (nothing stored)."""
    out = current_session().ingest().detect_profile(path)
    emit(out, as_json, "\n".join(f"{c.confidence:.2f}  {c.name}@{c.version}  "
                                 f"{'; '.join(c.reasons[:2])}" for c in out.candidates)
         + f"\nchosen: {out.chosen or 'none (below the threshold)'}")


@profile_app.command("preview")
def profile_preview(name: str, path: Path,
                    rows: Annotated[int, typer.Option(help="How many rows")] = 20) -> None:
    """The first rows of a file as a profile normalises them, with the rejects (JSON)."""
    typer.echo(current_session().ingest().preview_profile(name, path, rows=rows)
               .model_dump_json(indent=2))


def parse_params(pairs: list[str] | None, params_file: Path | None) -> dict:
    """``--param name=value`` (value read as JSON when it is JSON, else as text) over the
    JSON object in ``--params-file``."""
    params: dict = {}
    if params_file is not None:
        loaded = json.loads(params_file.read_text(encoding="utf-8"))
        if not isinstance(loaded, dict):
            fail(f"{params_file}: the parameters file must hold a JSON object")
        params.update(loaded)
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            fail(f"--param {pair!r}: write name=value")
        try:
            params[name] = json.loads(value)
        except json.JSONDecodeError:
            params[name] = value
    return params


@analysis_app.command("kinds")
def analysis_kinds(as_json: JsonOpt = False) -> None:
    """The analyses the platform runs, with what each reads."""
    kinds = current_session().analytics().list_kinds()
    if as_json:
        typer.echo(json.dumps([k.model_dump(mode="json") for k in kinds], indent=2))
        return
    for k in kinds:
        tables = ", ".join(i.table + ("" if i.required else " (optional)") for i in k.inputs)
        typer.echo(f"{k.kind.value:<26} {k.title}: reads {tables}")


@analysis_app.command("run")
def analysis_run(case: str,
                 kind: Annotated[str, typer.Option()] = "contact_frequency",
                 dataset: Annotated[list[str] | None, typer.Option(help="Dataset id")] = None,
                 subject: Annotated[str | None, typer.Option(help="Restrict to a subject")] = None,
                 param: Annotated[list[str] | None, typer.Option(
                     help="A parameter as name=value (JSON values allowed); repeatable")] = None,
                 params_file: Annotated[Path | None, typer.Option(
                     help="A JSON object of parameters")] = None,
                 wait: Annotated[bool, typer.Option()] = True,
                 as_json: JsonOpt = False) -> None:
    """Run an analysis on a case's datasets (``linesight analysis kinds`` lists them)."""
    analytics = current_session().analytics()
    params = parse_params(param, params_file)
    if subject:
        params["subject"] = subject
    out = analytics.request_analysis(case, kind, dataset_ids=dataset, parameters=params)
    if not wait:
        emit(out, as_json, f"analysis {out.analysis.id} queued (job {out.job.id})")
        return
    job = analytics.wait_for_job(out.job.id)
    analysis = analytics.get_analysis(out.analysis.id)
    emit(analysis, as_json, f"analysis {analysis.id} {job.status}: "
         f"{analysis.result_rows} rows, result sha256={analysis.result_sha256}")
    if str(job.status) != "succeeded":
        raise typer.Exit(2)


@analysis_app.command("export")
def analysis_export(analysis_id: str, out: Path,
                    fmt: Annotated[str, typer.Option(
                        "--format", help="json, csv, xlsx, geojson or kml")] = "json",
                    table: Annotated[str | None, typer.Option(
                        help="csv: a further table by name (default: the main table)")] = None,
                    ) -> None:
    """Save an analysis result as JSON (the canonical document), CSV, XLSX, GeoJSON or KML."""
    analytics = current_session().analytics()
    data = (analytics.get_result_bytes(analysis_id) if fmt == "json"
            else analytics.export(analysis_id, fmt, table=table))
    out.write_bytes(data)
    typer.echo(f"{out}: {len(data)} bytes, sha256={hashlib.sha256(data).hexdigest()}")


@report_app.command("get")
def report_get(case: str,
               analysis: Annotated[list[str], typer.Option(help="Analysis id to include")],
               out: Annotated[Path, typer.Option(help="Where to write the PDF")],
               title: Annotated[str | None, typer.Option()] = None,
               recipient: Annotated[str | None, typer.Option(
                   help="Who the PDF is disclosed to (logged as a disclosure)")] = None) -> None:
    """Render a report of a case's analyses and download the PDF."""
    reporting = current_session().reporting()
    req = reporting.request_report(case, analysis, title=title)
    job = reporting.wait_for_job(req.job.id)
    if str(job.status) != "succeeded":
        fail(f"report job {job.status}: {job.message}", 2)
    path = reporting.download_pdf(req.report.id, out, recipient=recipient)
    rep = reporting.get_report(req.report.id)
    typer.echo(f"report {rep.id}: {rep.pages} pages, sha256={rep.sha256}")
    typer.echo(str(path))


@audit_app.command("verify")
def audit_verify(
        bundle: Annotated[Path | None, typer.Option(
            help="Check this export bundle offline instead of asking the server")] = None,
        key: Annotated[str | None, typer.Option(
            help="The log's verifier key, obtained out of band (with --bundle)")] = None,
        as_json: JsonOpt = False) -> None:
    """Re-walk the audit chain on the server, or check an export bundle offline."""
    if bundle is not None:
        from linesight_shared.auditverify.__main__ import main as verify_offline

        if not key:
            fail("--bundle needs --key: the verifier key you trust, not the bundle's own")
        raise typer.Exit(verify_offline([str(bundle), "--key", key]))
    report = current_session().audit().verify()
    emit(report, as_json, f"audit chain {'verifies' if report.ok else 'BROKEN'}: "
         f"{report.entries_checked} entries, head {report.head_seq} {report.head_hash}")
    for p in report.problems or []:
        typer.echo(f"  entry {p.seq}: {p.problem}")
    if not report.ok:
        raise typer.Exit(1)


@audit_app.command("bundle")
def audit_bundle(case: str, out: Path) -> None:
    """Write a case's verifiable audit bundle and print the log's verifier key."""
    audit = current_session().audit()
    typer.echo(str(audit.bundle(case, out)))
    typer.echo(f"verifier key (check it out of band): {audit.log_key().verifier_key}")


@audit_app.command("lineage")
def audit_lineage(case: str, ref: Annotated[str, typer.Option(help="e.g. ABC/1")]) -> None:
    """Everything derived from an exhibit, read from the audit log."""
    lineage = current_session().audit().lineage(case, ref=ref)
    for d in lineage.derived:
        typer.echo(f"{d.seq:>6} {d.operation:12s} {d.type:10s} {d.id} "
                   f"<- {d.derived_from.type} {d.derived_from.id} ({d.actor})")


@audit_app.command("export")
def audit_export(case: str, out: Path) -> None:
    """Export a case's audit entries as JSON Lines (disclosure officers)."""
    typer.echo(str(current_session().audit().export_case(case, out)))


def _utc_time(value: str | None) -> datetime | None:
    """An ISO 8601 time; one without an offset is taken as UTC."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        fail(f"{value!r} is not an ISO 8601 time, e.g. 2026-11-22T10:00:00Z")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@audit_app.command("summary")
def audit_summary(
        case: str,
        out: Annotated[Path, typer.Option(help="Where to write the PDF")],
        actor: Annotated[str | None, typer.Option(help="Only this person's entries")] = None,
        operation: Annotated[str | None, typer.Option(
            help="Only this operation (collection, consultation, disclosure, ...)")] = None,
        object_ref: Annotated[str | None, typer.Option(
            help="Only entries naming this reference, e.g. ABC/1")] = None,
        object_id: Annotated[str | None, typer.Option(
            help="Only entries naming this object id")] = None,
        since: Annotated[str | None, typer.Option(help="From this UTC time (inclusive)")] = None,
        until: Annotated[str | None, typer.Option(help="To this UTC time (exclusive)")] = None,
        recipient: Annotated[str | None, typer.Option(
            help="Who the PDF is disclosed to (logged as a disclosure)")] = None) -> None:
    """A verified PDF summary of a case's audit log: who accessed what, when, by operation,
    with the checkpoint it was verified against and the bundle attached (disclosure
    officers and supervisors)."""
    reporting = current_session().reporting()
    req = reporting.request_audit_summary(
        case, actor=actor, operation=operation, object_ref=object_ref, object_id=object_id,
        since=_utc_time(since), until=_utc_time(until))
    job = reporting.wait_for_job(req.job.id)
    if str(job.status) != "succeeded":
        fail(f"audit summary job {job.status}: {job.message}", 2)
    path = reporting.download_audit_summary_pdf(req.summary.id, out, recipient=recipient)
    s = reporting.get_audit_summary(req.summary.id)
    typer.echo(f"audit summary {s.id}: {s.entries_shown} of {s.entries_total} entries, all "
               f"verified against checkpoint {s.checkpoint_origin} size {s.checkpoint_size} "
               f"root {s.checkpoint_root}; {s.pages} pages, sha256={s.sha256}")
    typer.echo(f"verifier key (check it out of band): {s.verifier_key}")
    typer.echo(str(path))


@users_app.command("hash")
def users_hash() -> None:
    """Print a PBKDF2 hash of a password for the users file."""
    typer.echo(hash_password(getpass.getpass("password: ")))


@app.command()
def up(state: Annotated[Path, typer.Option(help="Folder for SQLite files, objects, logs")]
       = Path("var/platform")) -> None:
    """Run the four services on the embedded default in the foreground (Ctrl-C stops)."""
    from linesight_shared.platform import Platform

    with Platform(env={"LINESIGHT_VAR_DIR": str(state)}, log_dir=state / "logs") as platform:
        for spec in platform.specs:
            typer.echo(f"{spec.name:10s} {spec.url}  (log {state / 'logs' / spec.name}.log)")
        typer.echo("ready; Ctrl-C stops")
        platform.wait_forever()


@app.command()
def demo(out_dir: Annotated[Path, typer.Option()] = Path("var/demo"),
         seed: Annotated[int | None, typer.Option(help="Scenario seed")] = None) -> None:
    """Run the Monza case end to end on the embedded default; ends in a PDF."""
    from linesight_shared.cli.demo import run_demo

    pdf = run_demo(out_dir, seed)
    typer.echo(str(pdf))


def main() -> None:
    try:
        app()
    except LinesightError as exc:
        typer.echo(f"error: {exc.code}: {exc.detail}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()


