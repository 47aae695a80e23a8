"""All queries on the jobs table."""

from __future__ import annotations

from linesight_ingest.jobs.schemas import Job
from linesight_shared.repository import Repository


class JobRepository(Repository[Job]):
    model = Job
