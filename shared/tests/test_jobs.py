"""Job rows and Dramatiq: StubBroker in-process, and real RabbitMQ."""

from __future__ import annotations

import threading
from datetime import timedelta

import dramatiq
import pytest
from linesight_shared.auth import TokenIssuer
from linesight_shared.db import make_engine, session_scope
from linesight_shared.errors import ServiceUnavailable
from linesight_shared.jobs import JobFields, JobRunner, JobStatus, PermanentJobError, make_broker
from linesight_shared.jobs.runner import LEASE, utcnow
from linesight_shared.settings import DEV_TOKEN_SECRET, PlatformSettings
from linesight_shared.testing.fixtures import principal
from sqlalchemy.orm import registry
from sqlmodel import Session, SQLModel


class _Model(SQLModel, registry=registry()):
    pass


class Job(JobFields, _Model, table=True):
    __tablename__ = "jobs"


def make_runner(db_url: str, settings: PlatformSettings) -> JobRunner:
    engine = make_engine(db_url)
    _Model.metadata.create_all(engine)
    tokens = TokenIssuer(DEV_TOKEN_SECRET)
    return JobRunner(service="testsvc", engine=engine, job_model=Job,
                     broker=make_broker(settings), tokens=tokens)


def queue_job(runner: JobRunner, kind: str = "things.do") -> Job:
    user = principal(runner.tokens)
    with session_scope(runner.engine) as s:
        job = runner.create(s, kind=kind, subject_id="s1", case_id="c1", principal=user,
                            correlation_id="cid-1")
    return job


@pytest.fixture
def runner(tmp_path):
    r = make_runner(f"sqlite:///{tmp_path}/jobs.sqlite3", PlatformSettings(var_dir=tmp_path))
    yield r
    r.broker.close()


class TestJobRunner:
    def test_a_job_runs_as_the_user_who_queued_it(self, runner):
        seen = {}

        def handler(ctx):
            seen["user"] = ctx.principal.username
            seen["service"] = ctx.principal.acting_service
            ctx.progress(0.5, "half")
            return {"answer": 42}

        runner.register("things.do", handler)
        job = queue_job(runner)
        runner.run(job.id)
        done = runner.get(job.id)
        assert (done.status, done.result, done.progress) == (JobStatus.succeeded,
                                                             {"answer": 42}, 1.0)
        assert seen == {"user": "a.analyst", "service": "testsvc"}

    def test_a_finished_job_is_not_run_again(self, runner):
        calls = []
        runner.register("things.do", lambda ctx: calls.append(1))
        job = queue_job(runner)
        runner.run(job.id)
        runner.run(job.id)
        assert calls == [1]

    def test_a_permanent_error_fails_the_job_with_its_message(self, runner):
        def handler(ctx):
            raise PermanentJobError("line 7: bad date", {"rows_rejected": 1})

        runner.register("things.do", handler)
        job = queue_job(runner)
        runner.run(job.id)
        done = runner.get(job.id)
        assert (done.status, done.message, done.result) == (
            JobStatus.failed, "line 7: bad date", {"rows_rejected": 1})

    def test_a_transient_error_puts_the_job_back_in_the_queue(self, runner):
        def handler(ctx):
            raise ServiceUnavailable("audit down")

        runner.register("things.do", handler)
        job = queue_job(runner)
        runner.run(job.id)
        again = runner.get(job.id)
        assert again.status is JobStatus.queued
        assert "retrying" in again.message
        assert runner.broker.queues["testsvc.DQ"].qsize() == 1

    def test_handler_writes_are_rolled_back_when_it_fails(self, runner):
        def handler(ctx):
            ctx.session.add(Job(id="x" * 32, kind="k", subject_id="s", requested_by="u",
                                correlation_id="c", created_at=ctx.job.created_at))
            ctx.session.flush()
            raise RuntimeError("boom")

        runner.register("things.do", handler)
        job = queue_job(runner)
        runner.run(job.id)
        with Session(runner.engine) as s:
            assert s.get(Job, "x" * 32) is None
        assert runner.get(job.id).status is JobStatus.failed

    def test_embedded_recovery_re_enqueues_queued_and_orphaned_running_jobs(self, runner):
        runner.register("things.do", lambda ctx: None)
        _, b = queue_job(runner), queue_job(runner)
        with session_scope(runner.engine) as s:
            s.get(Job, b.id).status = JobStatus.running
        assert runner.recover(include_running=True) == 2
        assert runner.broker.queues["testsvc"].qsize() == 2

    def test_recovery_with_separate_workers_leaves_running_jobs_to_them(self, runner):
        runner.register("things.do", lambda ctx: None)
        _, b = queue_job(runner), queue_job(runner)
        with session_scope(runner.engine) as s:
            s.get(Job, b.id).status = JobStatus.running
        assert runner.recover(include_running=False) == 1
        assert runner.get(b.id).status is JobStatus.running

    def test_a_duplicate_message_for_a_running_job_is_skipped(self, runner):
        calls = []
        runner.register("things.do", lambda ctx: calls.append(1))
        job = queue_job(runner)
        with session_scope(runner.engine) as s:
            row = s.get(Job, job.id)
            row.status, row.claimed_at = JobStatus.running, utcnow()
        runner.run(job.id)
        assert calls == []
        assert runner.get(job.id).status is JobStatus.running

    def test_a_job_running_past_its_lease_is_taken_over(self, runner):
        calls = []
        runner.register("things.do", lambda ctx: calls.append(1))
        job = queue_job(runner)
        with session_scope(runner.engine) as s:
            row = s.get(Job, job.id)
            row.status, row.claimed_at = JobStatus.running, utcnow() - LEASE - timedelta(1)
        runner.run(job.id)
        assert calls == [1]
        assert runner.get(job.id).status is JobStatus.succeeded

    def test_a_stub_broker_worker_runs_enqueued_jobs(self, runner):
        runner.register("things.do", lambda ctx: {"ok": True})
        job = queue_job(runner)
        runner.enqueue(job)
        worker = dramatiq.Worker(runner.broker, worker_threads=1, worker_timeout=50)
        worker.start()
        try:
            runner.broker.join("testsvc", timeout=10_000)
            worker.join()
        finally:
            worker.stop()
        assert runner.get(job.id).status is JobStatus.succeeded


@pytest.mark.integration
class TestOnRabbitMQAndPostgreSQL:
    def test_a_job_goes_through_rabbitmq_to_a_worker(self, pg_url, rabbitmq_url, tmp_path):
        settings = PlatformSettings(var_dir=tmp_path, broker="rabbitmq", rabbitmq_url=rabbitmq_url)
        runner = make_runner(pg_url, settings)
        done = threading.Event()

        def handler(ctx):
            done.set()
            return {"correlation": ctx.job.correlation_id}

        runner.register("things.do", handler)
        job = queue_job(runner)
        runner.enqueue(job)
        worker = dramatiq.Worker(runner.broker, worker_threads=1, worker_timeout=100)
        worker.start()
        try:
            assert done.wait(30), "the worker never ran the job"
            runner.broker.join("testsvc", timeout=30_000)
        finally:
            worker.stop()
            runner.broker.close()
            runner.engine.dispose()
        # read back with a fresh engine: the status is durable in PostgreSQL
        with Session(make_engine(pg_url)) as s:
            row = s.get(Job, job.id)
            assert (row.status, row.result) == (JobStatus.succeeded, {"correlation": "cid-1"})
