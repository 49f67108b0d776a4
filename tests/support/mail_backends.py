"""An e-mail backend that several processes can read and that a test can make block.

Each message sent is written to its own file ``<EMAIL_FILE_PATH>/sent-<uuid>.eml``,
so a duplicate send shows up as a second file. While ``<EMAIL_FILE_PATH>/hold``
exists, ``send_messages`` first writes ``sending-<pid>-<uuid>`` (the test knows the
worker is inside the send) and then waits: the test can kill the worker there.
"""
from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

HOLD = "hold"


def mail_dir() -> Path:
    path = Path(settings.EMAIL_FILE_PATH)
    path.mkdir(parents=True, exist_ok=True)
    return path


def sent_messages(directory: Path) -> list[Path]:
    return sorted(directory.glob("sent-*.eml"))


class GatedFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        directory = mail_dir()
        if (directory / HOLD).exists():
            (directory / f"sending-{os.getpid()}-{uuid.uuid4().hex}").touch()
            while (directory / HOLD).exists():
                time.sleep(0.02)
        for message in email_messages:
            final = directory / f"sent-{uuid.uuid4().hex}.eml"
            partial = final.with_suffix(".part")
            partial.write_bytes(message.message().as_bytes())
            partial.rename(final)  # readers never see half a message
        return len(email_messages)
