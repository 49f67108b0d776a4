"""The dashboard pages the town manager still uses speak French where Oscar 4.2's own French
catalogue leaves English (Halle's ``locale/fr``)."""
from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import StockRecordFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_category_search_and_the_bulk_selection_are_in_french(client):
    StockRecordFactory()
    client.force_login(UserFactory(username="manon", is_staff=True))
    categories = client.get(reverse("dashboard:catalogue-category-list")).content.decode()
    products = client.get(reverse("dashboard:catalogue-product-list")).content.decode()
    assert "Rechercher des rayons" in categories and "Search Categories" not in categories
    assert 'Sélection : <span class="selected-records">0</span> sur' in products and "</span> selected" not in products
