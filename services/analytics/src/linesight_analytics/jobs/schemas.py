"""The analytics service's job table (the columns are shared: ``JobFields``)."""

from __future__ import annotations

from linesight_shared.jobs import JobFields

from linesight_analytics.models import AnalyticsModel


class Job(JobFields, AnalyticsModel, table=True):
    """One queued or finished piece of long work (``analyses.run``)."""

    __tablename__ = "jobs"
