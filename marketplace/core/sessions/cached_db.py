from django.contrib.sessions.backends import cached_db

from marketplace.core.sessions import db


class SessionStore(cached_db.SessionStore, db.SessionStore):
    """Django's cached_db store over ``marketplace.core.sessions.db``'s writes."""
