import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from marketplace.demo.beat import BeatEntry, beat_entries, beat_loop, entry_run


def _run_fresh(*, entry: BeatEntry) -> bool:
    """A long-lived process: drop a database connection that went stale before each task."""
    close_old_connections()
    return entry_run(entry=entry)


class Command(BaseCommand):
    help = (
        "Démo uniquement : exécute dans ce processus les tâches planifiées de Celery beat "
        "(CELERY_BEAT_SCHEDULE) à leur rythme. Avec un broker, lancez le vrai beat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=float, default=5.0, help="secondes entre deux vérifications")

    def handle(self, *args, tick, **options):
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError(
                "demo_beat est réservé à la démo sans broker : avec CELERY_BROKER_URL, "
                "lancez « celery -A marketplace beat »."
            )
        if tick <= 0:
            raise CommandError("--tick doit être positif.")
        log = logging.getLogger("marketplace.demo.beat")
        log.setLevel(logging.INFO)
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        entries = beat_entries()
        log.info("Tâches planifiées de la démo : %s", ", ".join(entry.key for entry in entries))
        beat_loop(entries=entries, stop=stop, tick_seconds=tick, run=_run_fresh)
        log.info("Tâches planifiées arrêtées.")
