"""Start, wait for and stop the services (and, in production mode, their workers).

Each service is one ``uvicorn --factory linesight_<svc>.app:create_app`` process on
loopback. With ``workers=True`` (RabbitMQ set-ups) a separate ``python -m
linesight_<svc>.worker`` process per service consumes its queue, as in compose.yaml.
Logs go to ``<log_dir>/<name>.log``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import httpx


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    port: int
    has_worker: bool

    @property
    def module(self) -> str:
        return f"linesight_{self.name}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


SERVICES = (
    ServiceSpec("audit", 8101, has_worker=False),
    ServiceSpec("ingest", 8102, has_worker=True),
    ServiceSpec("analytics", 8103, has_worker=True),
    ServiceSpec("reporting", 8104, has_worker=True),
)


class PlatformError(RuntimeError):
    pass


class Platform:
    """The whole platform as child processes; use as a context manager."""

    def __init__(self, *, env: dict[str, str] | None = None, log_dir: Path,
                 ports: dict[str, int] | None = None, workers: bool = False,
                 ready_timeout_s: float = 60.0) -> None:
        self.log_dir = log_dir
        self.workers = workers
        self.ready_timeout_s = ready_timeout_s
        ports = ports or {}
        self.specs = [ServiceSpec(s.name, ports.get(s.name, s.port), s.has_worker)
                      for s in SERVICES]
        self.env = {**os.environ, **(env or {})}
        for spec in self.specs:
            self.env[f"LINESIGHT_{spec.name.upper()}_URL"] = spec.url
        if workers:
            self.env["LINESIGHT_EMBEDDED_WORKERS"] = "false"
        self.procs: dict[str, subprocess.Popen] = {}

    def url(self, name: str) -> str:
        return next(s.url for s in self.specs if s.name == name)

    def _spawn(self, name: str, args: list[str]) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = (self.log_dir / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(
            [sys.executable, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start(self) -> Self:
        try:
            for spec in self.specs:  # audit first: the others need it to be ready
                self._spawn(spec.name, ["-m", "uvicorn", "--factory",
                                        f"{spec.module}.app:create_app", "--host", "127.0.0.1",
                                        "--port", str(spec.port), "--no-access-log"])
                self.wait_ready(spec)
                if self.workers and spec.has_worker:
                    self._spawn(f"{spec.name}-worker", ["-m", f"{spec.module}.worker"])
        except BaseException:
            self.stop()
            raise
        return self

    def wait_ready(self, spec: ServiceSpec) -> None:
        deadline = time.monotonic() + self.ready_timeout_s
        last = "no answer"
        while time.monotonic() < deadline:
            proc = self.procs[spec.name]
            if proc.poll() is not None:
                raise PlatformError(f"{spec.name} exited with {proc.returncode}; see "
                                    f"{self.log_dir / (spec.name + '.log')}\n{self.tail(spec.name)}")
            try:
                r = httpx.get(f"{spec.url}/ready", timeout=2.0)
                if r.status_code == 200:
                    return
                last = r.text
            except httpx.HTTPError as exc:
                last = str(exc)
            time.sleep(0.2)
        raise PlatformError(f"{spec.name} not ready after {self.ready_timeout_s}s: {last}\n"
                            f"{self.tail(spec.name)}")

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.log_dir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, name: str | None = None, timeout_s: float = 15.0) -> None:
        names = [name] if name else list(reversed(self.procs))
        for n in names:
            proc = self.procs.get(n)
            if proc is None or proc.poll() is not None:
                continue
            proc.send_signal(signal.SIGTERM)
        for n in names:
            proc = self.procs.get(n)
            if proc is None:
                continue
            try:
                proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)

    def restart(self, name: str) -> None:
        spec = next(s for s in self.specs if s.name == name)
        self.stop(name)
        self._spawn(name, ["-m", "uvicorn", "--factory", f"{spec.module}.app:create_app",
                           "--host", "127.0.0.1", "--port", str(spec.port), "--no-access-log"])
        self.wait_ready(spec)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def wait_forever(self) -> None:
        """Foreground mode (``make up``): return when a service dies or on Ctrl-C."""
        try:
            while all(p.poll() is None for p in self.procs.values()):
                time.sleep(0.5)
            dead = [n for n, p in self.procs.items() if p.poll() is not None]
            raise PlatformError(f"stopped: {', '.join(dead)} exited")
        except KeyboardInterrupt:
            pass
