"""The Dramatiq broker from settings, and the middleware that carries request context."""

from __future__ import annotations

import structlog
from dramatiq import Broker, Middleware
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.stub import StubBroker

from linesight_shared.settings import BrokerKind, PlatformSettings


class JobContextMiddleware(Middleware):
    """Binds the correlation id and acting user from message options into the logs."""

    def before_process_message(self, broker, message):
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            correlation_id=message.options.get("correlation_id"),
            user=message.options.get("user"),
            job_id=message.args[0] if message.args else None,
            actor=message.actor_name,
        )

    def after_process_message(self, broker, message, *, result=None, exception=None):
        structlog.contextvars.clear_contextvars()

    after_skip_message = after_process_message


def make_broker(settings: PlatformSettings) -> Broker:
    """StubBroker (embedded, in-process workers) or RabbitmqBroker (production)."""
    if settings.broker is BrokerKind.rabbitmq:
        broker: Broker = RabbitmqBroker(url=settings.rabbitmq_url, confirm_delivery=True)
    else:
        broker = StubBroker()
        broker.emit_after("process_boot")
    broker.add_middleware(JobContextMiddleware())
    return broker
