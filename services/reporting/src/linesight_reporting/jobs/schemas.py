"""The reporting service's job table (the columns are shared: ``JobFields``)."""

from __future__ import annotations

from linesight_shared.jobs import JobFields

from linesight_reporting.models import ReportingModel


class Job(JobFields, ReportingModel, table=True):
    """One queued or finished piece of long work (``reports.render``)."""

    __tablename__ = "jobs"
