"""A real Celery worker picks up Halle's tasks and reaches the database."""
from __future__ import annotations

import pytest

from tests.factories import ShopFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

RESULT_TIMEOUT = 60


def test_worker_runs_the_health_task_and_counts_shops_in_the_database(celery_worker, celery_client):
    ShopFactory.create_batch(3)

    result = celery_client.send_task("halle.worker_health")

    assert result.get(timeout=RESULT_TIMEOUT) == {"status": "ok", "shops": 3}
    assert result.successful()
    assert "halle.worker_health" in celery_worker.log()


def test_worker_started_again_after_a_kill_still_serves_tasks(celery_worker, celery_client):
    ShopFactory()
    assert celery_client.send_task("halle.worker_health").get(timeout=RESULT_TIMEOUT)["shops"] == 1

    assert celery_worker.kill() == -9
    assert not celery_worker.running
    celery_worker.start()
    ShopFactory()

    assert celery_client.send_task("halle.worker_health").get(timeout=RESULT_TIMEOUT) == {"status": "ok", "shops": 2}
