"""``halle_product_page_signature(product_id, at)``: the digest the product page cache is keyed by.

A PL/pgSQL function so that PostgreSQL plans its query once per connection (as a
statement sent from Python it spent three times longer planning than running).
Whole rows are cast to text, so a column added later is covered without editing
this function. SQLite (the demo) has no such function and caches no page.
"""
from django.db import migrations

from marketplace.core.migration_operations import postgresql_function

FUNCTION = r"""
CREATE OR REPLACE FUNCTION halle_product_page_signature(wanted_id integer, wanted_at timestamptz)
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    result text;
BEGIN
    SELECT md5(concat_ws('#', p::text, pc::text, pp::text, ppc::text,
        (SELECT string_agg(concat_ws(',', sr::text, pa::text, sh::text), '|' ORDER BY sr.id)
           FROM partner_stockrecord sr JOIN partner_partner pa ON pa.id = sr.partner_id
           LEFT JOIN shops_shop sh ON sh.partner_id = pa.id WHERE sr.product_id = p.id),
        (SELECT string_agg(concat_ws(',', c::text,
                  (SELECT string_agg(concat_ws(',', sr::text, pa::text, sh::text), '|' ORDER BY sr.id)
                     FROM partner_stockrecord sr JOIN partner_partner pa ON pa.id = sr.partner_id
                     LEFT JOIN shops_shop sh ON sh.partner_id = pa.id WHERE sr.product_id = c.id)),
                '|' ORDER BY c.id)
           FROM catalogue_product c WHERE c.parent_id = p.id),
        (SELECT string_agg(h::text, '|' ORDER BY h.id) FROM shops_openingperiod h
           JOIN shops_shop sh ON sh.id = h.shop_id
           JOIN partner_stockrecord sr ON sr.partner_id = sh.partner_id WHERE sr.product_id = p.id),
        (SELECT string_agg(cl::text, '|' ORDER BY cl.id) FROM shops_closure cl
           JOIN shops_shop sh ON sh.id = cl.shop_id
           JOIN partner_stockrecord sr ON sr.partner_id = sh.partner_id
           WHERE sr.product_id = p.id AND cl.ends_at > wanted_at),
        (SELECT string_agg(im::text, '|' ORDER BY im.id) FROM catalogue_productimage im WHERE im.product_id = p.id),
        (SELECT string_agg(concat_ws(',', av::text, pat::text), '|' ORDER BY av.id)
           FROM catalogue_productattributevalue av JOIN catalogue_productattribute pat ON pat.id = av.attribute_id
           WHERE av.product_id = p.id),
        (SELECT string_agg(o.option_id::text, ',' ORDER BY o.option_id) FROM catalogue_productclass_options o
           WHERE o.productclass_id = p.product_class_id),
        (SELECT string_agg(o.option_id::text, ',' ORDER BY o.option_id) FROM catalogue_product_product_options o
           WHERE o.product_id = p.id)))
    INTO result
    FROM catalogue_product p
    LEFT JOIN catalogue_productclass pc ON pc.id = p.product_class_id
    LEFT JOIN catalogue_product pp ON pp.id = p.parent_id
    LEFT JOIN catalogue_productclass ppc ON ppc.id = pp.product_class_id
    WHERE p.id = wanted_id;
    RETURN result;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0034_product_search_vector"),
        ("partner", "0009_stockhold"),
        ("shops", "0006_owners_and_dashboard_access"),
    ]

    operations = [postgresql_function(create_sql=FUNCTION, drop_sql="DROP FUNCTION IF EXISTS halle_product_page_signature(integer, timestamptz)")]
