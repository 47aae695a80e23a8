"""Outbound HTTP clients to the Linesight services, one module per service.

Each client wraps an ``httpx.Client`` (a real one in production, ``TestClient`` or a
``MockTransport`` in tests), sends the acting principal's token and correlation id, turns
transport errors and non-2xx answers into domain errors, and parses answers into the models
generated from that service's contract (``linesight_shared.contracts.<service>``).
"""

from linesight_shared.clients.base import ServiceClient

__all__ = ["ServiceClient"]
