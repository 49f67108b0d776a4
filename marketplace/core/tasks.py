from celery import shared_task


@shared_task(name="halle.worker_health")
def worker_health_task() -> dict:
    """Prove a worker is alive and reaches the database (used by ops and tests): the figures
    the domains registered (``core.registry.health_figures``, e.g. the number of shops)."""
    from marketplace.core.registry import health_figures

    return {"status": "ok", **{name: figure() for name, figure in health_figures.items()}}
