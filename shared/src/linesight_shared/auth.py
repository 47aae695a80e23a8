"""Identity: a local token issuer with users and roles from a file, and token checking.

Tokens are JWTs signed with HS256 (``LINESIGHT_TOKEN_SECRET``). Users live in a JSON file
(``LINESIGHT_USERS_FILE``) with PBKDF2-SHA256 password hashes; ``linesight users hash``
makes one. Production swaps the issuer for the force's OIDC provider; the services only
need ``verify_token`` to accept its tokens.

Identity travels: a request's token is forwarded to peer services; a job records the
user who asked for it, and its worker mints a short-lived token *for that user* marked
with the acting service (``act``), so audit entries written by the worker name the user.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import jwt

from linesight_shared.errors import Forbidden, Unauthorized

ISSUER = "linesight-local"
PBKDF2_ITERATIONS = 200_000


class Role(StrEnum):
    analyst = "analyst"
    disclosure_officer = "disclosure_officer"
    supervisor = "supervisor"
    service = "service"


@dataclass(frozen=True)
class Principal:
    """Who is making a request: a user, possibly through a service acting for them."""

    username: str
    roles: frozenset[str] = field(default_factory=frozenset)
    acting_service: str | None = None
    token: str = field(default="", repr=False, compare=False)

    @property
    def role(self) -> str:
        """The principal's first role, recorded on audit entries."""
        return min(self.roles) if self.roles else ""

    def require(self, *roles: Role | str) -> None:
        if not self.roles.intersection(str(r) for r in roles):
            raise Forbidden(
                f"user {self.username!r} lacks one of the roles {sorted(map(str, roles))}"
            )


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, PBKDF2_ITERATIONS)
    b64 = base64.b64encode
    return f"pbkdf2_sha256${PBKDF2_ITERATIONS}${b64(salt).decode()}${b64(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256":
        return False
    got = hashlib.pbkdf2_hmac(
        "sha256", password.encode(), base64.b64decode(salt), int(iterations)
    )
    return hmac.compare_digest(got, base64.b64decode(digest))


@dataclass(frozen=True)
class UserRecord:
    username: str
    display_name: str
    roles: frozenset[str]
    password_hash: str


def load_users(path: Path) -> dict[str, UserRecord]:
    """Read the users file; a missing or malformed file is an error naming the file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RuntimeError(f"users file {path} does not exist") from exc
    except json.JSONDecodeError as exc:
        raise RuntimeError(f"users file {path}: line {exc.lineno}: {exc.msg}") from exc
    users: dict[str, UserRecord] = {}
    for i, u in enumerate(raw.get("users", [])):
        missing = {"username", "roles", "password_hash"} - u.keys()
        if missing:
            raise RuntimeError(f"users file {path}: user #{i + 1} lacks {sorted(missing)}")
        unknown = set(u["roles"]) - {r.value for r in Role}
        if unknown:
            raise RuntimeError(f"users file {path}: user {u['username']!r} has unknown roles {sorted(unknown)}")
        users[u["username"]] = UserRecord(
            username=u["username"],
            display_name=u.get("display_name", u["username"]),
            roles=frozenset(u["roles"]),
            password_hash=u["password_hash"],
        )
    return users


class TokenIssuer:
    """Issues and checks HS256 access tokens."""

    def __init__(self, secret: str, ttl_s: int = 8 * 3600) -> None:
        self._secret = secret
        self._ttl_s = ttl_s

    def issue(
        self,
        username: str,
        roles: frozenset[str] | set[str] | list[str],
        *,
        acting_service: str | None = None,
        ttl_s: int | None = None,
    ) -> str:
        now = int(time.time())
        claims: dict = {
            "iss": ISSUER,
            "sub": username,
            "roles": sorted(roles),
            "iat": now,
            "exp": now + (ttl_s or self._ttl_s),
        }
        if acting_service:
            claims["act"] = {"sub": f"service:{acting_service}"}
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=["HS256"],
                issuer=ISSUER,
                options={"require": ["sub", "exp", "iat"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("the access token has expired") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"the access token is not valid: {exc}") from exc
        act = claims.get("act") or {}
        acting = act.get("sub", "").removeprefix("service:") or None
        return Principal(
            username=claims["sub"],
            roles=frozenset(claims.get("roles", [])),
            acting_service=acting,
            token=token,
        )

    def service_principal(self, service: str) -> Principal:
        """A principal for a service acting on its own behalf (start-up, recovery)."""
        token = self.issue(f"service:{service}", {Role.service}, acting_service=service)
        return self.verify(token)

    def for_job(self, username: str, roles: list[str], service: str) -> Principal:
        """A principal for a worker acting for the user who queued the job."""
        token = self.issue(username, roles, acting_service=service, ttl_s=3600)
        return self.verify(token)
