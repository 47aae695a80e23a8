"""The ingest service's job table (columns shared by every service)."""

from __future__ import annotations

from linesight_shared.jobs import JobFields, JobPublic

from linesight_ingest.models import IngestModel


class Job(JobFields, IngestModel, table=True):
    """A queued, running or finished job of this service (e.g. ``exhibits.parse``)."""

    __tablename__ = "jobs"


__all__ = ["Job", "JobPublic"]
