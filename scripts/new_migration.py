"""Autogenerate an Alembic revision for one service from its models.

    uv run python scripts/new_migration.py ingest "add datasets"

Runs against a scratch SQLite database brought to head first, so the revision holds only
what the models add. Review the file it writes before committing it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from linesight_shared.db import make_engine, upgrade_database


def main(service: str, message: str) -> None:
    root = Path(__file__).resolve().parent.parent
    migrations = root / "services" / service / "src" / f"linesight_{service}" / "migrations"
    (migrations / "versions").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/scratch.sqlite3")
        upgrade_database(engine, migrations)
        cfg = Config()
        cfg.set_main_option("script_location", str(migrations))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.revision(cfg, message=message, autogenerate=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
