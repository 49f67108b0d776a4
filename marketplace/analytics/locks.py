"""The analytics domain's row locks, in one fixed order (call inside ``transaction.atomic()``):

    1. ``RollupState`` "facts" — every writer of roll-up rows (incremental update,
       rebuild, a day refreshed after a footfall import) holds it for its whole
       transaction, so two writers never rewrite the same day at once;
    2. ``CountingSite`` rows by id — a footfall import checks overlaps and inserts
       under them, so two overlapping imports of the same sites cannot both pass.

Nothing here locks another domain's rows: the roll-ups only read orders, the
ledger and slots.
"""
from __future__ import annotations

from collections.abc import Iterable

from marketplace.analytics.models import CountingSite, RollupState

FACTS = "facts"


def rollup_state_lock() -> RollupState:
    state, _created = RollupState.objects.get_or_create(name=FACTS)
    return RollupState.objects.select_for_update().get(pk=state.pk)


def counting_sites_lock(*, site_ids: Iterable[int]) -> dict[int, CountingSite]:
    ids = sorted(set(site_ids))
    return {site.pk: site for site in CountingSite.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
