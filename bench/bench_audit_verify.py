"""Verifying a large audit log: GET /v1/verify's walk (chain, canonical form, leaves,
signed roots) over N entries, and the offline Merkle root of the same leaves.

The log is synthesised straight into a migrated SQLite database (entries, leaf hashes,
stored subtrees and the head exactly as appends would write them), so the benchmark times
verification, not appending. Prints figures; asserts nothing about time.
"""

from __future__ import annotations


import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

from linesight_audit.app import MIGRATIONS
from linesight_audit.entries import service
from linesight_audit.entries.chain import GENESIS_HASH, canonical, chain_hash
from linesight_shared.auditverify import merkle
from linesight_shared.db import make_engine, upgrade_database


def synthesise(path: Path, n: int) -> list[bytes]:
    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine, MIGRATIONS)
    engine.dispose()
    con = sqlite3.connect(path)
    prev, leaves, nodes = GENESIS_HASH, [], {}
    rows, node_rows = [], []
    t0 = datetime(2026, 11, 22, tzinfo=UTC)
    for seq in range(1, n + 1):
        entry = {"seq": seq, "time": "2026-11-22T00:00:00.000000Z", "actor": "a.analyst",
                 "role": "analyst", "service": "ingest", "operation": "consultation",
                 "case": "OP-BIG", "objects": [{"type": "exhibit", "id": f"e{seq % 97}",
                                                "sha256": "ab" * 32, "ref": "ABC/1"}],
                 "parameters": {"i": seq}, "recipients": [], "outcome": "success",
                 "reason": None, "correlation_id": None, "client_event_id": None}
        canon = canonical(entry)
        digest = chain_hash(prev, canon)
        leaf = merkle.leaf_hash(canon)
        leaves.append(leaf)
        rows.append((seq, t0.isoformat(), "a.analyst", "ingest", "consultation", "OP-BIG",
                     canon.decode(), prev, digest, leaf.hex()))
        index, level, h = seq - 1, 0, leaf
        nodes[(0, index)] = leaf
        while index & 1:
            h = merkle.node_hash(nodes[(level, index - 1)], h)
            level, index = level + 1, index >> 1
            nodes[(level, index)] = h
            node_rows.append((level, index, h.hex()))
        prev = digest
    con.executemany("INSERT INTO audit_entries (seq, time, actor, service, operation, "
                    '"case", entry_json, prev_hash, hash, leaf_hash) '
                    "VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    con.executemany('INSERT INTO merkle_nodes (level, "index", hash) VALUES (?,?,?)',
                    node_rows)
    con.execute("INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)", (n, prev))
    con.commit()
    con.close()
    return leaves


def main(sizes: tuple[int, ...] = (100_000, 1_000_000)) -> None:
    print(f"\n{'entries':>9s} {'build s':>8s} {'/verify s':>10s} {'ok':>4s} "
          f"{'offline root s':>15s}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "audit.sqlite3"
            t = time.perf_counter()
            leaves = synthesise(db, n)
            build = time.perf_counter() - t
            engine = make_engine(f"sqlite:///{db}")
            t = time.perf_counter()
            with Session(engine) as s:
                report = service.verify(s)
            walk = time.perf_counter() - t
            t = time.perf_counter()
            merkle.root_of(leaves)
            root_s = time.perf_counter() - t
            engine.dispose()
            print(f"{n:9d} {build:8.1f} {walk:10.2f} {str(report.ok):>4s} {root_s:15.2f}")



if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or (100_000, 1_000_000))
