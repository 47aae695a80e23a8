"""The generic repository every service's repositories build on: all queries live there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlmodel import Session, SQLModel, select

from linesight_shared.errors import NotFound

M = TypeVar("M", bound=SQLModel)


class Repository(Generic[M]):
    """CRUD over one table; subclasses set ``model`` and add the queries they need."""

    model: type[M]

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, id_: Any) -> M | None:
        return self.session.get(self.model, id_)

    def get_or_404(self, id_: Any, what: str | None = None) -> M:
        obj = self.get(id_)
        if obj is None:
            raise NotFound(f"{what or self.model.__name__.lower()} {id_} does not exist")
        return obj

    def add(self, obj: M, *, flush: bool = True) -> M:
        self.session.add(obj)
        if flush:
            self.session.flush()
        return obj

    def list_by(self, *where: Any, order_by: Any = None) -> Sequence[M]:
        stmt = select(self.model).where(*where)
        if order_by is not None:
            stmt = stmt.order_by(order_by)
        return self.session.exec(stmt).all()

    def first_by(self, *where: Any) -> M | None:
        return self.session.exec(select(self.model).where(*where)).first()
