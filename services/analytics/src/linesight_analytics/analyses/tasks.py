"""The ``analyses.run`` actor: load the pinned inputs, compute, store the canonical result.

Idempotent: an analysis that already has its result returns it again. The result is
audited (``combination``: input datasets and result by hash, a parameters digest, the code
version) before it is stored, and stored before the row points at it, so an audit outage
leaves no result behind (the job is retried). A job that cannot succeed (an input that no
longer matches its pinned hash, events outside the vocabulary, a dataset gone) is
recorded as a failed combination and not retried.
"""

from __future__ import annotations

import hashlib

from linesight_shared.audit_client import Operation, obj
from linesight_shared.errors import BadRequest, Forbidden, NotFound, Unauthorized
from linesight_shared.jobs import JobContext, PermanentJobError
from linesight_shared.objectstore import object_key
from linesight_shared.objectstore.base import IntegrityError
from linesight_shared.runtime import ServiceRuntime

from linesight_analytics.analyses.inputs import InvalidInput, load_inputs
from linesight_analytics.analyses.kinds import SPECS, canonical, result_document
from linesight_analytics.analyses.repository import AnalysisRepository
from linesight_analytics.analyses.schemas import Analysis, AnalysisKind
from linesight_analytics.analyses.service import (
    RUN,
    ingest_as,
    input_objects,
    parameters_digest,
)
from linesight_analytics.contact_frequency import InvalidEvents

#: Errors no retry can mend: the job fails with the reason, audited.
PERMANENT = (InvalidInput, InvalidEvents, IntegrityError, NotFound, Forbidden, Unauthorized,
             BadRequest)


def register(runtime: ServiceRuntime) -> None:
    runtime.jobs.register(RUN, lambda ctx: run_analysis(runtime, ctx))


def _done(analysis: Analysis) -> dict:
    return {"analysis_id": analysis.id, "result_sha256": analysis.result_sha256,
            "result_rows": analysis.result_rows}


def _audit(runtime: ServiceRuntime, ctx: JobContext, analysis: Analysis, *, result=None,
           outcome: str = "success", reason: str | None = None, rows: int | None = None):
    objects = input_objects(analysis.inputs)
    objects.append(obj("analysis_result", analysis.id, sha256=result) if result
                   else obj("analysis", analysis.id))
    runtime.audit.record(
        ctx.principal, Operation.combination, case=analysis.case_reference, objects=objects,
        parameters={"stage": "completed", "kind": analysis.kind, "job_id": ctx.job.id,
                    "code_version": runtime.version, "result_rows": rows,
                    **parameters_digest(analysis.parameters)},
        outcome=outcome, reason=reason, correlation_id=ctx.job.correlation_id,
    )


def run_analysis(runtime: ServiceRuntime, ctx: JobContext) -> dict:
    analysis = AnalysisRepository(ctx.session).get(ctx.job.subject_id)
    if analysis is None:
        raise PermanentJobError(f"analysis {ctx.job.subject_id} does not exist")
    if analysis.result_sha256 is not None:
        return _done(analysis)
    ingest = ingest_as(runtime, ctx.principal)
    try:
        inputs = load_inputs(ingest, runtime.store, analysis.case_reference, analysis.inputs,
                             ctx.progress)
        ctx.progress(0.7, "computing")
        spec = SPECS[AnalysisKind(analysis.kind)]
        computed = spec.compute(inputs, spec.parameters.model_validate(analysis.parameters))
    except PERMANENT as exc:
        reason = getattr(exc, "detail", None) or str(exc)
        _audit(runtime, ctx, analysis, outcome="failure", reason=reason[:2000])
        raise PermanentJobError(reason) from exc
    data = canonical(result_document(AnalysisKind(analysis.kind), analysis.parameters,
                                     analysis.inputs, runtime.version, computed))
    sha = hashlib.sha256(data).hexdigest()
    _audit(runtime, ctx, analysis, result=sha, rows=len(computed.rows))
    key = object_key(analysis.case_id, "analyses", sha, ".json")
    runtime.store.put_bytes(key, data, content_type="application/json")
    analysis.code_version = runtime.version
    analysis.result_sha256, analysis.result_object_key = sha, key
    analysis.result_rows = len(computed.rows)
    ctx.session.add(analysis)
    return _done(analysis)
