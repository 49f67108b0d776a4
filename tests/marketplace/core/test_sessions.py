"""Database sessions written in one statement outside a transaction (marketplace.core.sessions)."""
from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.core.sessions import cached_db, db


@pytest.mark.django_db(transaction=True)
def test_a_new_session_is_one_insert_and_a_change_one_update():
    store = db.SessionStore()
    store["step"] = "contact"
    with CaptureQueriesContext(connection) as ctx:
        store.save()
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["INSERT"]
    store["step"] = "slot"
    with CaptureQueriesContext(connection) as ctx:
        store.save()
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["UPDATE"]
    assert db.SessionStore(session_key=store.session_key)["step"] == "slot"


@pytest.mark.django_db(transaction=True)
def test_a_new_key_that_clashes_with_an_existing_session_is_drawn_again(monkeypatch):
    taken = db.SessionStore()
    taken["owner"] = "someone else"
    taken.save()
    keys = iter([taken.session_key, "b" * 32])
    monkeypatch.setattr(db.SessionStore, "_get_new_session_key", lambda self: next(keys))
    store = db.SessionStore()
    store["owner"] = "me"
    store.save()
    assert store.session_key == "b" * 32
    assert db.SessionStore(session_key=taken.session_key)["owner"] == "someone else"
    assert Session.objects.count() == 2


@pytest.mark.django_db
def test_inside_a_transaction_a_clash_does_not_break_it(monkeypatch):
    taken = db.SessionStore()
    taken.save()
    keys = iter([taken.session_key, "c" * 32])
    monkeypatch.setattr(db.SessionStore, "_get_new_session_key", lambda self: next(keys))
    store = db.SessionStore()
    store.save()
    assert store.session_key == "c" * 32
    assert Session.objects.count() == 2  # the transaction still works


@pytest.mark.django_db(transaction=True)
def test_the_cached_store_writes_through_the_same_statements_and_reads_from_the_cache():
    store = cached_db.SessionStore()
    store["step"] = "contact"
    with CaptureQueriesContext(connection) as ctx:
        store.save()
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["INSERT"]
    with CaptureQueriesContext(connection) as ctx:
        assert cached_db.SessionStore(session_key=store.session_key)["step"] == "contact"
    assert len(ctx.captured_queries) == 0
