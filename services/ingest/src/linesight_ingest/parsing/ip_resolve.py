"""Who had public IP X (and port P) at time T: a pure lookup over ``ip_sessions`` rows.

    answer = resolve(table, "81.2.69.160", 49500, datetime(2024, 7, 1, 9, 30, tzinfo=UTC))
    answer.status    # "match", "no_match" or "ambiguous"
    answer.message   # "match: 1 session", "no match", "ambiguous: 3 sessions"

A session matches when

* its ``public_ip`` is the queried address (both in canonical text), or, with
  ``ipv6_prefix=64``, an IPv6 address in the same /64 (an IPv6 customer is usually given a
  whole prefix; opt-in, because a /64 may also be shared);
* ``start_utc <= at <= end_utc`` (both ends inclusive: CSP logs give the last second of a
  session); a null ``end_utc`` is an open session and matches any time after its start;
* the port is within ``port_from..port_to`` when both the query and the session have one.
  A query without a port, or a session without one, cannot tell CGNAT users apart: such
  sessions match on address and time alone, and more than one is ``ambiguous``.

Nothing is chosen among several matches: ``ambiguous`` returns them all, in
``source_row`` order, with a note saying why they could not be told apart.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl
import pyarrow as pa

MATCH, NO_MATCH, AMBIGUOUS = "match", "no_match", "ambiguous"


@dataclass(frozen=True)
class Resolution:
    status: str
    sessions: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        n = len(self.sessions)
        if self.status == NO_MATCH:
            return "no match"
        if self.status == MATCH:
            return "match: 1 session"
        return f"ambiguous: {n} sessions"


def resolve(sessions: pa.Table | pl.DataFrame, ip: str, port: int | None, at: datetime, *,
            ipv6_prefix: int | None = None) -> Resolution:
    """The sessions of ``sessions`` (an ``ip_sessions`` table) matching the query."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("the query time must carry a time zone (UTC or an offset)")
    if port is not None and not 0 <= port <= 65535:
        raise ValueError(f"port {port} is outside 0-65535")
    if ipv6_prefix not in (None, 64):
        raise ValueError("ipv6_prefix may only be None or 64")
    address = ipaddress.ip_address(ip.strip())  # ValueError for a malformed query
    df = sessions if isinstance(sessions, pl.DataFrame) else pl.from_arrow(sessions)
    when = pl.lit(at).dt.convert_time_zone("UTC")
    in_time = (pl.col("start_utc") <= when) & (
        pl.col("end_utc").is_null() | (pl.col("end_utc") >= when))
    candidates = df.filter(in_time & _same_address(address, ipv6_prefix))
    notes: list[str] = []
    if port is not None:
        known = pl.col("port_from").is_not_null() & pl.col("port_to").is_not_null()
        fits = (pl.col("port_from") <= port) & (pl.col("port_to") >= port)
        candidates = candidates.filter(~known | fits)
        if candidates.filter(~known).height:
            notes.append("some sessions have no port recorded: matched on address and "
                         "time alone")
    elif candidates.filter(pl.col("port_from").is_not_null()).height:
        notes.append("no source port given: sessions sharing the address by port range "
                     "(carrier-grade NAT) cannot be told apart")
    if ipv6_prefix and address.version == 6:
        notes.append(f"IPv6 matched by /{ipv6_prefix} prefix, not the exact address")
    if candidates["end_utc"].null_count():
        notes.append("an open session (no end recorded) matched")
    rows = candidates.sort("source_row").to_dicts()
    status = NO_MATCH if not rows else MATCH if len(rows) == 1 else AMBIGUOUS
    return Resolution(status=status, sessions=rows, notes=notes)


def _same_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address,
                  prefix: int | None) -> pl.Expr:
    if prefix is None or address.version == 4:
        return pl.col("public_ip") == str(address)
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)

    def inside(text: str | None) -> bool:
        try:
            return text is not None and ipaddress.ip_address(text) in network
        except ValueError:
            return False

    return pl.col("public_ip").map_elements(inside, return_dtype=pl.Boolean)
