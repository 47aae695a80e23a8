"""Job plumbing: a job is a row first, then a Dramatiq message carrying only its id.

A request that starts long work records a job row, commits, then enqueues. Actors are
named ``"domain.verb"``, take the job id only, are idempotent (a finished job is not run
again) and report progress on the row. On start-up a service re-enqueues the jobs left
queued or running, so a restarted service picks up what was queued.
"""

from linesight_shared.jobs.broker import make_broker
from linesight_shared.jobs.models import JobFields, JobPublic, JobStatus
from linesight_shared.jobs.runner import JobContext, JobRunner, PermanentJobError

__all__ = [
    "JobContext",
    "JobFields",
    "JobPublic",
    "JobRunner",
    "JobStatus",
    "PermanentJobError",
    "make_broker",
]
