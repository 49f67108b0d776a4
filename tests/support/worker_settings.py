"""Settings of the Celery worker subprocess in tests that crash it on purpose.

Unacknowledged messages come back after 3 s (instead of an hour), checked every
second, so a test sees the redelivery after a SIGKILL without waiting long.
"""
from marketplace.config.settings.local import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
EMAIL_BACKEND = "tests.support.mail_backends.GatedFileBackend"
