"""The worker process refuses the in-process stub broker (it would never see a job)."""

from __future__ import annotations

from linesight_reporting import worker


def test_the_worker_process_refuses_the_in_process_stub_broker(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("LINESIGHT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("LINESIGHT_BROKER", "stub")
    monkeypatch.setattr(worker, "configure_logging", lambda **kw: None)
    assert worker.main() == 2
    assert "needs LINESIGHT_BROKER=rabbitmq" in capsys.readouterr().err
