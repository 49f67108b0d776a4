"""The guest basket page's digest (basket 0013) covers the town campaigns too.

The basket page shows each shop's campaign discount and, when a budget runs short, what is
left of it: a campaign edited, a shop opting in or out, or a budget reserved or spent by
another shopper changes what the page must say. The digest now includes every campaign,
its budget and its participating shops, so a cached guest basket page is never stale
(reversing restores basket 0013's function).
"""
import importlib

from django.db import migrations

from marketplace.core.migration_operations import postgresql_function

_BASE = importlib.import_module("marketplace.basket.migrations.0013_basket_page_signature_function").FUNCTION
_LAST_PART = """        (SELECT string_agg(x::text, '|' ORDER BY x.id) FROM offer_range_excluded_categories x
           WHERE x.range_id = ANY (ranges))))"""
assert _LAST_PART in _BASE
FUNCTION = _BASE.replace(_LAST_PART, """        (SELECT string_agg(x::text, '|' ORDER BY x.id) FROM offer_range_excluded_categories x
           WHERE x.range_id = ANY (ranges)),
        (SELECT string_agg(c::text, '|' ORDER BY c.id) FROM promotions_campaign c),
        (SELECT string_agg(cb::text, '|' ORDER BY cb.id) FROM promotions_campaignbudget cb),
        (SELECT string_agg(cs::text, '|' ORDER BY cs.id) FROM promotions_campaignshop cs)))""")


class Migration(migrations.Migration):
    dependencies = [
        ("promotions", "0002_ambassadors"),
        ("basket", "0014_site_offers_signature_function"),
    ]

    operations = [postgresql_function(create_sql=FUNCTION, drop_sql=_BASE)]
