"""Oscar's basket middleware, in fewer queries on every page that shows the basket.

- The basket behind the cookie is read with whether it holds vouchers, so that
  applying offers does not ask again for a basket that has none (most of them).
- The offers found when applying them are kept on the request
  (``request.basket_offers``): the basket page reuses them for its upsell messages.
- The site offers come from the cache (``marketplace.basket.applicator``).
"""
from django.core.signing import BadSignature, Signer
from django.db.models import Exists, OuterRef
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware

from marketplace.basket.applicator import Applicator
from marketplace.basket.models import Basket


class BasketMiddleware(OscarBasketMiddleware):
    def get_cookie_basket(self, cookie_key, request, manager):
        if cookie_key not in request.COOKIES:
            return None
        try:
            basket_id = Signer().unsign(request.COOKIES[cookie_key])
            return Basket.objects.annotate(
                has_vouchers=Exists(Basket.vouchers.through.objects.filter(basket=OuterRef("pk")))
            ).get(pk=basket_id, owner=None, status=Basket.OPEN)
        except (BadSignature, ValueError, Basket.DoesNotExist):
            request.cookies_to_delete.append(cookie_key)
            return None

    def apply_offers_to_basket(self, request, basket):
        if basket.is_empty:
            return
        if getattr(basket, "has_vouchers", None) is False:
            basket.vouchers_known_empty()
        applicator = Applicator()
        offers = applicator.get_offers(basket, request.user, request)
        request.basket_offers = offers
        applicator.apply_offers(basket, offers)
