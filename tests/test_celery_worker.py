"""A real Celery worker, on the real Redis, changes rows in the real PostgreSQL."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction

from config.celery_app import app
from federation.models import Federation
from federation.services import schedule_path_rebuild
from tests.conftest import require_or_skip
from tests.test_security import database_url

pytestmark = pytest.mark.demo("cases")


ROOT = Path(__file__).resolve().parents[1]


def redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def worker_queue():
    """A worker process consuming a queue of its own, stopped after the test."""
    require_or_skip(redis_answers(), f"no Redis answers at {settings.REDIS_URL}")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    previous = app.conf.task_default_queue, app.conf.task_always_eager
    app.conf.task_default_queue, app.conf.task_always_eager = queue, False
    try:
        yield worker
    finally:
        app.conf.task_default_queue, app.conf.task_always_eager = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_for(condition, seconds=60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


@pytest.mark.worker
def test_worker_repairs_the_tree_after_commit(transactional_db, places, worker_queue):
    village = Federation.objects.get(name="西杜社区妇联")
    with transaction.atomic():
        Federation.objects.filter(pk=village.pk).update(path="ffffffff")
        schedule_path_rebuild()  # queued only when this block commits

    def repaired():
        village.refresh_from_db()
        return village.path.startswith(places.huaiyin.path)

    if not wait_for(repaired):
        worker_queue.terminate()
        pytest.fail(
            "the worker did not repair the path:\n" + worker_queue.communicate(timeout=20)[0]
        )


def test_nothing_is_queued_when_the_transaction_rolls_back(transactional_db, places, monkeypatch):
    sent = []
    from federation.tasks import rebuild_federation_paths

    monkeypatch.setattr(rebuild_federation_paths, "apply_async", lambda **kw: sent.append(kw))
    with pytest.raises(RuntimeError), transaction.atomic():
        schedule_path_rebuild()
        raise RuntimeError("rolled back")
    assert sent == []
    with transaction.atomic():
        schedule_path_rebuild()
    assert sent == [{"args": ()}]


def test_tasks_speak_json_only():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]


@pytest.mark.worker
def test_worker_runs_the_case_watchdog(transactional_db, places, user_named, worker_queue):
    from datetime import timedelta

    from django.utils import timezone

    from cases.models import Case, CaseEvent
    from cases.tasks import case_watchdog
    from tests.test_cases_workflow import take_call

    case = take_call(user_named("dongying"), places.dongying)
    Case.objects.filter(pk=case.pk).update(first_contact_due=timezone.now() - timedelta(minutes=5))
    case_watchdog.delay()

    def escalated():
        return CaseEvent.objects.filter(case=case, kind="escalation").exists()

    if not wait_for(escalated):
        worker_queue.terminate()
        pytest.fail(
            "the worker did not run the watchdog:\n" + worker_queue.communicate(timeout=20)[0]
        )
    assert user_named("dongying").notifications.filter(title__contains=case.number).exists()
