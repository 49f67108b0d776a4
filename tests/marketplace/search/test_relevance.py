"""Relevance measured: the French query set of ``relevance_set`` on the demo town, precision at 5.

Marked ``sqlite``: test_on_sqlite.py runs it on the SQLite demo database too; each
run prints its table (``-s`` to see it here).
"""
from __future__ import annotations

import pytest
from django.db import connection

from marketplace.demo.town import town_seed
from marketplace.search.services import synonyms_defaults_load
from tests.marketplace.search import relevance_set

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

PRECISION_FLOOR = 0.8


@pytest.fixture
def demo_town():
    town_seed(**relevance_set.TOWN, images=False)
    synonyms_defaults_load()  # as migrated (a flushing test elsewhere may have removed them)


def test_the_set_is_large_and_varied_enough():
    kinds = {case.kind for case in relevance_set.CASES}

    assert len(relevance_set.CASES) >= 40
    assert {"métier", "rayon", "pluriel", "accents", "faute", "synonyme", "commerce", "produit et commerce"} <= kinds
    assert len({case.query for case in relevance_set.CASES}) == len(relevance_set.CASES)


def test_every_query_of_the_set_finds_what_it_should_in_the_first_five_results(client, demo_town):
    report = relevance_set.evaluate(lambda query: client.get("/search/", {"q": query}).context)
    print("\n" + report.table(connection.vendor))

    assert [o.query for o in report.missed()] == []
    assert report.precision_at_5 >= PRECISION_FLOOR
    assert all(o.relevant_total > 0 for o in report.outcomes)  # every case has an answer in the town
