"""Database engines, the unit-of-work session, and Alembic migrations per service.

Each service owns one database (SQLite file embedded, PostgreSQL in production) and its
own SQLAlchemy metadata (``class IngestModel(SQLModel, registry=registry())``), so two
services' tables never mix even inside one test process. Commit happens once per unit of
work: at the end of a request (``session_scope``) or of a job, never inside a service
function.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

#: advisory-lock key taken while migrating (any constant; one database per service)
MIGRATION_LOCK_KEY = 0x4C494E45  # "LINE"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def upgrade_database(engine: Engine, migrations_dir: Path) -> None:
    """Bring the service's database to the newest Alembic revision.

    On PostgreSQL the upgrade holds a transaction-level advisory lock, so an API process
    and its worker starting together never migrate the same database at once.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def run_migrations_env(target_metadata) -> None:
    """Body of each service's ``migrations/env.py`` (online mode on a given connection)."""
    from alembic import context

    connection = context.config.attributes.get("connection")
    if connection is None:
        url = context.config.get_main_option("sqlalchemy.url")
        engine = make_engine(url)
        with engine.begin() as conn:
            _configure_and_run(context, conn, target_metadata)
        return
    _configure_and_run(context, connection, target_metadata)


def _configure_and_run(context, connection, target_metadata) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
