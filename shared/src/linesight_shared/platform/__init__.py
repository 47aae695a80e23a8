"""Run the four services as real processes: ``make up``, ``make demo`` and the e2e tests."""

from linesight_shared.platform.runner import SERVICES, Platform, ServiceSpec

__all__ = ["SERVICES", "Platform", "ServiceSpec"]
