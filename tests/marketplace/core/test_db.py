"""One-statement inserts and per-process reference ids (marketplace.core.db)."""
from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from oscar.apps.payment.models import SourceType

from marketplace.core import db
from marketplace.payments.models import CommissionPlan


@pytest.fixture(autouse=True)
def _fresh_reference_ids():
    db._reference_ids.clear()
    yield
    db._reference_ids.clear()


@pytest.mark.django_db
def test_a_new_row_is_inserted_in_one_statement_and_gets_its_id():
    plan = CommissionPlan(code="test-once", name="Essai", rate="3.00")
    with CaptureQueriesContext(connection) as ctx:
        assert db.row_insert_unless_exists(plan) is True
    assert len(ctx.captured_queries) == 1
    assert CommissionPlan.objects.get(pk=plan.pk).name == "Essai"
    assert plan.created_at is not None  # auto_now_add filled


@pytest.mark.django_db
def test_an_existing_unique_value_leaves_the_row_unchanged_and_the_transaction_usable():
    CommissionPlan.objects.create(code="test-twice", name="Premier", rate="3.00")
    with transaction.atomic():
        again = CommissionPlan(code="test-twice", name="Second", rate="4.00")
        assert db.row_insert_unless_exists(again) is False
        assert again.pk is None
        # No error was raised inside the transaction: it still accepts queries.
        assert CommissionPlan.objects.get(code="test-twice").name == "Premier"


@pytest.mark.django_db
def test_reference_id_inside_a_transaction_is_read_every_time():
    """A row read or created inside a transaction may be rolled back: its id is not kept."""
    first = db.reference_row_id(SourceType, lookup={"code": "test-card"}, defaults={"name": "Carte"})
    with CaptureQueriesContext(connection) as ctx:
        again = db.reference_row_id(SourceType, lookup={"code": "test-card"}, defaults={"name": "Carte"})
    assert again == first
    assert len(ctx.captured_queries) == 1


@pytest.mark.django_db(transaction=True)
def test_reference_id_committed_is_read_once_then_forgotten_when_the_row_is_deleted():
    first = db.reference_row_id(SourceType, lookup={"code": "test-card"}, defaults={"name": "Carte"})
    assert SourceType.objects.get(pk=first).name == "Carte"
    with CaptureQueriesContext(connection) as ctx:
        assert db.reference_row_id(SourceType, lookup={"code": "test-card"}) == first
    assert len(ctx.captured_queries) == 0
    SourceType.objects.filter(pk=first).delete()
    second = db.reference_row_id(SourceType, lookup={"code": "test-card"}, defaults={"name": "Carte"})
    assert second != first
    assert SourceType.objects.filter(pk=second).exists()


@pytest.mark.django_db(transaction=True)
def test_reference_ids_are_forgotten_after_a_flush():
    db.reference_row_id(SourceType, lookup={"code": "test-card"}, defaults={"name": "Carte"})
    assert db._reference_ids
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert not db._reference_ids


@pytest.mark.django_db
def test_a_known_empty_queryset_is_read_without_building_its_sql(monkeypatch):
    from django.db.models.sql import compiler

    def never_compiled(*args, **kwargs):
        raise AssertionError("SQL built for a queryset known to be empty")

    empty = db.queryset_known_empty(SourceType.objects.all())
    monkeypatch.setattr(compiler.SQLCompiler, "as_sql", never_compiled)
    assert list(empty) == [] and len(empty) == 0 and not empty
    monkeypatch.undo()
    SourceType.objects.create(name="Carte")
    # A clone is an ordinary ``none()``: still empty, whatever the table holds.
    assert list(empty.filter(name="Carte")) == [] and not empty.exists()


@pytest.mark.django_db
def test_a_counter_row_is_inserted_then_incremented_in_one_statement_each():
    from oscar.apps.analytics.models import ProductRecord

    from tests.factories import ProductFactory

    product = ProductFactory()
    for expected in (1, 2, 3):
        with CaptureQueriesContext(connection) as ctx:
            db.row_counter_increment(ProductRecord, key="product", value=product, counter="num_basket_additions")
        assert len(ctx.captured_queries) == 1
        record = ProductRecord.objects.get(product=product)
        assert (record.num_basket_additions, record.num_views, record.num_purchases) == (expected, 0, 0)
