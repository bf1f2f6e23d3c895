"""Every Celery task has a hard time limit from its queue's deadline setting: the prefork
child running a hostile input is killed, not left holding a worker."""

from __future__ import annotations

from newsdesk.config import Settings
from newsdesk.jobs.celery_app import task_limits
from newsdesk.jobs.queues import ROUTES


def test_every_task_has_a_hard_and_a_soft_limit_from_the_settings() -> None:
    settings = Settings(source_deadline=100.0, understand_deadline=300.0)
    limits = task_limits(settings)
    assert set(limits) == set(ROUTES)
    assert limits["newsdesk.refresh_source"]["time_limit"] == 220.0
    assert limits["newsdesk.enrich_batch"]["time_limit"] == 1500.0
    for limit in limits.values():
        assert 0 < limit["soft_time_limit"] < limit["time_limit"]
