"""Every service's worker process refuses the in-process stub broker (it would never see
a job) and names the setting to change."""

import importlib

import pytest


@pytest.mark.parametrize("service", ["ingest", "analytics", "reporting"])
def test_the_worker_process_refuses_the_in_process_stub_broker(service, monkeypatch, tmp_path,
                                                               capsys):
    monkeypatch.setenv("LINESIGHT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("LINESIGHT_BROKER", "stub")
    # structlog would keep capsys's stream after the test; logging is not tested here
    monkeypatch.setattr("linesight_shared.logging.configure_logging", lambda **kw: None)
    worker = importlib.import_module(f"linesight_{service}.worker")
    assert worker.main() == 2
    assert f"linesight_{service}.worker needs LINESIGHT_BROKER=rabbitmq" in capsys.readouterr().err
