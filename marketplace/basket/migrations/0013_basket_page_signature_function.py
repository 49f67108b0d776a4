"""``halle_basket_page_signature(basket_id)``: the digest a guest's basket page is cached under.

Every row the basket page reads, cast whole to text (a column added later is
covered): the open guest basket, its lines with their attributes, products,
classes, pictures, offers (stock records) and shops; its vouchers and their
use; and the offers that could apply: the open ones with their conditions, benefits,
combinations and ranges (an offer that closes or reopens changes that set; range
membership and categories only for the products in the basket). NULL
when the id is not an open guest basket. A PL/pgSQL function so that the query
is planned once per connection. SQLite (the demo) has no such function.
"""
from django.db import migrations

from marketplace.core.migration_operations import postgresql_function

FUNCTION = r"""
CREATE OR REPLACE FUNCTION halle_basket_page_signature(wanted_id integer)
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    result text;
    offers integer[] := ARRAY(SELECT id FROM offer_conditionaloffer WHERE status = 'Open');
    ranges integer[];
BEGIN
    ranges := ARRAY(
        SELECT bn.range_id FROM offer_benefit bn JOIN offer_conditionaloffer o ON o.benefit_id = bn.id
         WHERE o.id = ANY (offers) AND bn.range_id IS NOT NULL
        UNION
        SELECT cn.range_id FROM offer_condition cn JOIN offer_conditionaloffer o ON o.condition_id = cn.id
         WHERE o.id = ANY (offers) AND cn.range_id IS NOT NULL);
    SELECT md5(concat_ws('#', b::text,
        (SELECT string_agg(concat_ws(',', l::text, p::text, pp::text, pc::text, sr::text, pa::text, sh::text,
                   (SELECT string_agg(im::text, ';' ORDER BY im.id) FROM catalogue_productimage im
                      WHERE im.product_id IN (p.id, p.parent_id)),
                   (SELECT string_agg(pcat::text, ';' ORDER BY pcat.id) FROM catalogue_productcategory pcat
                      WHERE pcat.product_id IN (p.id, p.parent_id)),
                   (SELECT string_agg(rp::text, ';' ORDER BY rp.id) FROM offer_rangeproduct rp
                      WHERE rp.product_id IN (p.id, p.parent_id)),
                   (SELECT string_agg(rx::text, ';' ORDER BY rx.id) FROM offer_range_excluded_products rx
                      WHERE rx.product_id IN (p.id, p.parent_id))),
                '|' ORDER BY l.id)
           FROM basket_line l
           JOIN catalogue_product p ON p.id = l.product_id
           LEFT JOIN catalogue_product pp ON pp.id = p.parent_id
           LEFT JOIN catalogue_productclass pc ON pc.id = COALESCE(p.product_class_id, pp.product_class_id)
           LEFT JOIN partner_stockrecord sr ON sr.id = l.stockrecord_id
           LEFT JOIN partner_partner pa ON pa.id = sr.partner_id
           LEFT JOIN shops_shop sh ON sh.partner_id = pa.id
           WHERE l.basket_id = b.id),
        (SELECT string_agg(la::text, '|' ORDER BY la.id) FROM basket_lineattribute la
           JOIN basket_line l ON l.id = la.line_id WHERE l.basket_id = b.id),
        (SELECT string_agg(concat_ws(',', v::text,
                   (SELECT count(*) FROM voucher_voucherapplication va WHERE va.voucher_id = v.id),
                   (SELECT string_agg(vo.conditionaloffer_id::text, ';' ORDER BY vo.conditionaloffer_id)
                      FROM voucher_voucher_offers vo WHERE vo.voucher_id = v.id)),
                '|' ORDER BY v.id)
           FROM voucher_voucher v JOIN basket_basket_vouchers bv ON bv.voucher_id = v.id WHERE bv.basket_id = b.id),
        (SELECT string_agg(concat_ws(',', o::text, bn::text, cn::text), '|' ORDER BY o.id)
           FROM offer_conditionaloffer o
           LEFT JOIN offer_benefit bn ON bn.id = o.benefit_id
           LEFT JOIN offer_condition cn ON cn.id = o.condition_id
           WHERE o.id = ANY (offers)),
        (SELECT string_agg(x::text, '|' ORDER BY x.id) FROM offer_conditionaloffer_combinations x
           WHERE x.from_conditionaloffer_id = ANY (offers) OR x.to_conditionaloffer_id = ANY (offers)),
        (SELECT string_agg(r::text, '|' ORDER BY r.id) FROM offer_range r WHERE r.id = ANY (ranges)),
        (SELECT string_agg(x::text, '|' ORDER BY x.id) FROM offer_range_classes x WHERE x.range_id = ANY (ranges)),
        (SELECT string_agg(x::text, '|' ORDER BY x.id) FROM offer_range_included_categories x
           WHERE x.range_id = ANY (ranges)),
        (SELECT string_agg(x::text, '|' ORDER BY x.id) FROM offer_range_excluded_categories x
           WHERE x.range_id = ANY (ranges))))
    INTO result
    FROM basket_basket b
    WHERE b.id = wanted_id AND b.owner_id IS NULL AND b.status = 'Open';
    RETURN result;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("basket", "0012_line_code"),
        ("catalogue", "0035_product_page_signature_function"),
        ("offer", "0013_range_excluded_categories"),
        ("voucher", "0010_auto_20210224_0712"),
    ]

    operations = [postgresql_function(create_sql=FUNCTION, drop_sql="DROP FUNCTION IF EXISTS halle_basket_page_signature(integer)")]
