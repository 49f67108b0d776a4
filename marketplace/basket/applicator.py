"""Oscar's offer applicator, with the site offers from the cache.

Every page showing a non-empty basket and every add to a basket apply the site
offers; Oscar builds and runs the same query each time (~3 ms in-process, mostly
building it). ``site_offers_open`` keeps them under a digest of their rows.

Applying them goes through ``marketplace.promotions.applying.offers_apply``: Oscar's loop
plus the town campaigns' rules (participating shops, hard budget, first order, uses).
"""
from __future__ import annotations

from oscar.apps.offer.applicator import Applicator as OscarApplicator

from marketplace.basket.selectors import site_offers_open, site_offers_signature


class Applicator(OscarApplicator):
    def __init__(self, *, site_offers_signature: str | None = None):
        # Given when the caller read it with other rows in the same round trip.
        self.site_offers_signature = site_offers_signature

    def apply_offers(self, basket, offers):
        from marketplace.promotions.applying import offers_apply

        offers_apply(basket=basket, offers=offers)

    def get_site_offers(self):
        return site_offers_open(signature=self.site_offers_signature or site_offers_signature())
