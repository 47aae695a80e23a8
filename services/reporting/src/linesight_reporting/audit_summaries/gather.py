"""Gathering an audit summary from the audit and ingest services, as the requesting user.

In order: the case (ingest: its title and authorisation), the log's verifier key (audit
``GET /v1/log/key``, compared with the pinned key when one is set), the case's bundle
(audit ``GET /v1/cases/{case}/bundle``: the audit service logs this export and signs a
checkpoint covering it before it answers), the bundle's verification
(:mod:`.verify`: nothing is shown unless every entry verifies), then the lineage of each
exhibit the selected entries name (:mod:`.lineage`, checked against the bundle).

:func:`summary_data` is the pure half: verified bundle and lineage answers in, what the
PDF shows out, so the same bundle and answers always give the same PDF.
"""

from __future__ import annotations

from datetime import datetime

from linesight_shared.clients.audit import AuditServiceClient
from linesight_shared.clients.base import seg
from linesight_shared.clients.ingest import IngestClient
from linesight_shared.contracts.audit import Lineage

from linesight_reporting.audit_summaries import digest
from linesight_reporting.audit_summaries.lineage import (
    exhibits_named,
    fetch_lineages,
    lineage_sections,
)
from linesight_reporting.audit_summaries.schemas import AuditSummary, AuditSummaryCreate
from linesight_reporting.audit_summaries.verify import verified_log
from linesight_reporting.rendering.audit_model import (
    AuditSummaryData,
    SummaryCaseInfo,
    VerifiedLog,
)


def fetch_bundle(audit: AuditServiceClient, case: str) -> bytes:
    """The case's bundle, byte for byte as the audit service sent it."""
    return audit.request("GET", f"/v1/cases/{seg(case)}/bundle").content


def summary_data(log: VerifiedLog, lineages: dict[str, Lineage], summary: AuditSummary, *,
                 case: SummaryCaseInfo, requested_roles: tuple[str, ...],
                 generated_at: datetime, code_version: str,
                 max_listed: int = digest.MAX_LISTED) -> AuditSummaryData:
    """What the PDF shows, from a verified bundle and the lineage answers."""
    filters = AuditSummaryCreate.model_validate(summary.filters)
    chosen = digest.selected(log.entries, filters)
    listed = chosen[:max_listed]
    operations, people = digest.by_person(chosen)
    objects, without = digest.object_accesses(listed)
    exhibits = exhibits_named(chosen)
    return AuditSummaryData(
        summary_id=summary.id, case=case, requested_by=summary.created_by,
        requested_roles=tuple(sorted(requested_roles)), generated_at=generated_at,
        metadata_date=max(e.time for e in log.entries), code_version=code_version,
        filters=digest.filter_labels(filters), log=log, selected=chosen, listed=listed,
        by_operation=digest.by_operation(chosen), person_operations=operations,
        by_person=people, by_service=digest.by_service(chosen), objects=objects,
        without_objects=without,
        not_successful=tuple(e for e in chosen if digest.not_successful(e)),
        lineage=lineage_sections(exhibits, lineages, log),
    )


def gather(audit: AuditServiceClient, ingest: IngestClient, summary: AuditSummary, *,
           pinned_key: str | None, correlation_id: str, requested_roles: tuple[str, ...],
           generated_at: datetime, code_version: str) -> AuditSummaryData:
    """Fetch, verify and count; BundleRejected when the bundle or a lineage link does
    not verify."""
    found = ingest.get_case(summary.case_reference)
    case = SummaryCaseInfo(reference=found.reference, id=found.id, title=found.title,
                           authorisation_ref=found.authorisation_ref)
    presented = audit.log_key()
    log = verified_log(fetch_bundle(audit, summary.case_reference),
                       presented_key=presented.verifier_key, origin=presented.origin,
                       pinned_key=pinned_key, case=summary.case_reference,
                       requested_by=summary.created_by, correlation_id=correlation_id)
    filters = AuditSummaryCreate.model_validate(summary.filters)
    exhibits = exhibits_named(digest.selected(log.entries, filters))
    lineages = fetch_lineages(audit, summary.case_reference, exhibits)
    return summary_data(log, lineages, summary, case=case, requested_roles=requested_roles,
                        generated_at=generated_at, code_version=code_version)
