"""The `linesight` command-line client against the platform on the embedded default."""

from __future__ import annotations

import json
import re

import pytest
from linesight_shared.cli.main import app
from linesight_shared.platform import Platform
from linesight_shared.testing.fixtures import USERS_FILE
from linesight_shared.testing.servers import free_port
from typer.testing import CliRunner

from .conftest import SAMPLE

pytestmark = pytest.mark.e2e


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    ports = {n: free_port() for n in ("audit", "ingest", "analytics", "reporting")}
    env = {"LINESIGHT_VAR_DIR": str(tmp_path / "state"), "LINESIGHT_USERS_FILE": str(USERS_FILE)}
    with Platform(env=env, log_dir=tmp_path / "logs", ports=ports) as platform:
        for spec in platform.specs:
            monkeypatch.setenv(f"LINESIGHT_{spec.name.upper()}_URL", spec.url)
        monkeypatch.setenv("LINESIGHT_CLI_TOKEN_FILE", str(tmp_path / "token.json"))
        monkeypatch.delenv("LINESIGHT_TOKEN", raising=False)
        yield tmp_path


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_an_analyst_runs_a_case_from_the_command_line(cli_env):
    assert "logged in as a.analyst" in run("login", "-u", "a.analyst", "-p",
                                           "analyst-demo-password")
    assert (cli_env / "token.json").stat().st_mode & 0o777 == 0o600
    assert "case OP-CLI created" in run("case", "create", "OP-CLI", "--authorisation",
                                        "OCDA/2026/000042")
    out = run("exhibit", "upload", "OP-CLI", str(SAMPLE), "--ref", "ABC/1", "--producer",
              "EE Ltd", "--description", "deal line CDR")
    assert "4234 rows read, 4231 accepted, 3 rejected" in out
    out = run("analysis", "run", "OP-CLI", "--json")
    analysis = json.loads(out[out.index("{"):])
    assert analysis["status"] == "succeeded" and analysis["result_rows"] > 0
    pdf = cli_env / "out" / "report.pdf"
    out = run("report", "get", "OP-CLI", "--analysis", analysis["id"], "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF-") and str(pdf) in out
    assert re.search(r"audit chain verifies: \d+ entries", run("audit", "verify"))


def test_a_disclosure_officer_exports_a_bundle_and_checks_it_offline(cli_env):
    run("login", "-u", "a.analyst", "-p", "analyst-demo-password")
    run("case", "create", "OP-BUNDLE", "--authorisation", "OCDA/2026/000043")
    run("exhibit", "upload", "OP-BUNDLE", str(SAMPLE), "--ref", "ABC/1", "--producer", "EE",
        "--description", "deal line CDR")
    run("login", "-u", "d.officer", "-p", "disclosure-demo-password")
    out = run("audit", "bundle", "OP-BUNDLE", str(cli_env / "b.json"))
    key = out.split("verifier key (check it out of band): ")[1].strip()
    assert "VERIFIES" in run("audit", "verify", "--bundle", str(cli_env / "b.json"),
                             "--key", key)
    lineage = run("audit", "lineage", "OP-BUNDLE", "--ref", "ABC/1")
    assert "dataset" in lineage and "alteration" in lineage


def test_a_command_without_a_login_is_refused(cli_env):
    result = CliRunner().invoke(app, ["case", "show", "OP-CLI"])
    assert result.exit_code != 0
    assert "unauthorized" in (result.output + repr(result.exception)).lower()
