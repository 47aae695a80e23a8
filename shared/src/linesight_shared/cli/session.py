"""Where the CLI finds the services and the user's token."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import httpx

from linesight_shared.settings import PlatformSettings


def token_file() -> Path:
    """``LINESIGHT_CLI_TOKEN_FILE``, else ``~/.config/linesight/token.json``."""
    return Path(os.environ.get("LINESIGHT_CLI_TOKEN_FILE",
                               Path.home() / ".config" / "linesight" / "token.json"))


def save_token(token: str, username: str) -> None:
    path = token_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"access_token": token, "username": username}))
    path.chmod(0o600)


def load_token() -> str | None:
    """``LINESIGHT_TOKEN`` if set, else the token ``linesight login`` saved."""
    if os.environ.get("LINESIGHT_TOKEN"):
        return os.environ["LINESIGHT_TOKEN"]
    path = token_file()
    if path.exists():
        return json.loads(path.read_text())["access_token"]
    return None


@dataclass
class Session:
    """HTTP clients for the four services, all carrying one user's token."""

    settings: PlatformSettings
    token: str | None
    timeout_s: float = 60.0

    def _http(self, url: str) -> httpx.Client:
        return httpx.Client(base_url=url, timeout=self.timeout_s)

    def audit(self):
        from linesight_shared.clients.audit import AuditServiceClient

        return AuditServiceClient(self._http(self.settings.audit_url), self.token)

    def ingest(self):
        from linesight_shared.clients.ingest import IngestClient

        return IngestClient(self._http(self.settings.ingest_url), self.token)

    def analytics(self):
        from linesight_shared.clients.analytics import AnalyticsClient

        return AnalyticsClient(self._http(self.settings.analytics_url), self.token)

    def reporting(self):
        from linesight_shared.clients.reporting import ReportingClient

        return ReportingClient(self._http(self.settings.reporting_url), self.token)


def current_session() -> Session:
    return Session(settings=PlatformSettings(), token=load_token())
