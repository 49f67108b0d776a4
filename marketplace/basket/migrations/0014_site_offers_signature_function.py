"""``halle_site_offers_signature()``: the digest the cached site offers are keyed by.

Every open site offer (whatever its dates: they are checked against the clock
when the offers are applied) with its condition and benefit, whole rows cast to
text, so a new, changed, suspended or closed offer changes the digest. 'Open'
and 'Site' are the values Oscar stores in ``status`` and ``offer_type``.
"""
from django.db import migrations

from marketplace.core.migration_operations import postgresql_function

FUNCTION = r"""
CREATE OR REPLACE FUNCTION halle_site_offers_signature()
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    result text;
BEGIN
    SELECT md5(coalesce(string_agg(concat_ws(',', o::text, cn::text, bn::text), '|' ORDER BY o.id), ''))
    INTO result
    FROM offer_conditionaloffer o
    LEFT JOIN offer_condition cn ON cn.id = o.condition_id
    LEFT JOIN offer_benefit bn ON bn.id = o.benefit_id
    WHERE o.status = 'Open' AND o.offer_type = 'Site';
    RETURN result;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("basket", "0013_basket_page_signature_function"),
        ("offer", "0013_range_excluded_categories"),
    ]

    operations = [postgresql_function(create_sql=FUNCTION, drop_sql="DROP FUNCTION IF EXISTS halle_site_offers_signature()")]
