"""Render ``AuditSummaryData`` to a PDF/A-3b: data in, PDF bytes out.

The same rules as reports (:mod:`.render`): no clock is read (the PDF dates are the newest
entry's time, "requested at" is the job's), nothing is fetched, fonts are named, and the
audit bundle the entries were verified from is attached byte for byte with the same fixed
dates, so the PDF alone suffices to verify them again. The same data gives the same bytes.
"""

from __future__ import annotations

import io
from datetime import UTC

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from weasyprint import Attachment

from linesight_reporting.rendering.audit_model import (
    AuditSummaryData,
    LogEntry,
    LoggedObject,
    short,
)
from linesight_reporting.rendering.render import TEMPLATES, RenderedPdf, iso, write_pdf

#: The command a reader runs to check the attached bundle (``linesight_shared.auditverify``).
VERIFY_COMMAND = "python -m linesight_shared.auditverify"
TYPE_TITLES = {"exhibit": "Exhibits", "dataset": "Datasets", "analysis": "Analyses",
               "analysis_result": "Analysis results", "report": "Reports",
               "audit_summary": "Audit summaries", "audit_bundle": "Audit bundles"}


def short_id(value: str) -> str:
    return value if len(value) <= 16 else value[:12] + "…"


def object_text(o: LoggedObject) -> str:
    """``exhibit ABC/1``; ``dataset ABC/1 · 1a2b3c4d5e6f…``; ``analysis 3f2a9c…``."""
    if o.type == "exhibit" and o.ref:
        return f"exhibit {o.ref}"
    if o.ref:
        return f"{o.type} {o.ref} · {short_id(o.id)}"
    return f"{o.type} {short_id(o.id)}"


def type_title(type_: str) -> str:
    return TYPE_TITLES.get(type_, type_.replace("_", " ").capitalize())


def outcome_text(e: LogEntry) -> str:
    """The reason, and for a disclosure who it was made to."""
    parts = []
    if e.reason:
        parts.append(e.reason)
    if e.recipients:
        parts.append("to " + ", ".join(e.recipients))
    return "; ".join(parts) or "—"


def _group_by_type(objects):
    groups: list[tuple[str, list]] = []
    for item in objects:
        if not groups or groups[-1][0] != item.object.type:
            groups.append((item.object.type, []))
        groups[-1][1].append(item)
    return groups


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(iso=iso, short=short, short_id=short_id, object_text=object_text,
                       type_title=type_title, outcome_text=outcome_text,
                       by_type=_group_by_type, verify_command=VERIFY_COMMAND)
    return env


_ENV = _environment()


def render_audit_summary_html(data: AuditSummaryData) -> str:
    css = Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")
                 + (TEMPLATES / "audit_summary.css").read_text(encoding="utf-8"))
    return _ENV.get_template("audit_summary.html.j2").render(s=data, css=css)


def _attachment(data: AuditSummaryData) -> Attachment:
    when = data.metadata_date.astimezone(UTC).replace(tzinfo=None)
    return Attachment(
        file_obj=io.BytesIO(data.log.bundle_bytes), name=data.bundle_filename,
        description=f"Audit bundle (linesight.audit-bundle/1) of case {data.case.reference}, "
                    f"SHA-256 {data.log.bundle_sha256}",
        created=when, modified=when, relationship="Source")


def render_audit_summary(data: AuditSummaryData) -> RenderedPdf:
    """The audit summary as PDF/A-3b bytes and its page count."""
    return write_pdf(render_audit_summary_html(data), data.metadata_date, [_attachment(data)])
