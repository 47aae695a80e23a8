"""The audit service's own SQLAlchemy registry: its tables never mix with another service's."""

from sqlalchemy.orm import registry
from sqlmodel import SQLModel


class AuditModel(SQLModel, registry=registry()):
    """Base of every audit table."""
