"""Queries on the analytics job table."""

from __future__ import annotations

from linesight_shared.repository import Repository

from linesight_analytics.jobs.schemas import Job


class JobRepository(Repository[Job]):
    model = Job
