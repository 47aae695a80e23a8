"""Queries on the reporting job table."""

from __future__ import annotations

from linesight_shared.repository import Repository

from linesight_reporting.jobs.schemas import Job


class JobRepository(Repository[Job]):
    model = Job
