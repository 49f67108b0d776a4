from celery import shared_task


@shared_task(name="halle.worker_health")
def worker_health_task() -> dict:
    """Prove a worker is alive and reaches the database (used by ops and tests)."""
    from shops.models import Shop

    return {"status": "ok", "shops": Shop.objects.count()}
