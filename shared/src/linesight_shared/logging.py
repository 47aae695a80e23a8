"""structlog set-up: JSON lines with a correlation id bound per request and per job.

Event names are dotted (``exhibit.parse.rejected_row``) with keyword context. The
correlation id is bound into structlog's contextvars by the HTTP middleware and again by
the job middleware in the worker, so one id follows a request into every job it starts.
"""

from __future__ import annotations

import logging
import sys

import structlog

_configured = False


def configure_logging(*, service: str, json: bool = True, level: str = "INFO") -> None:
    """Configure structlog and the stdlib root logger once per process."""
    global _configured
    processors: list = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
    ]
    renderer = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[*processors, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
        ),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service)
    if not _configured:
        logging.basicConfig(level=level.upper(), stream=sys.stderr, format="%(message)s")
        _configured = True


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)
