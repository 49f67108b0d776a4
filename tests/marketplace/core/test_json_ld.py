"""Opening hours as schema.org items: the week, then what closures leave open day by day."""
from __future__ import annotations

import datetime as dt
import json

from marketplace.core.json_ld import json_ld_script, opening_hours_specification
from shops.models import Closure, OpeningPeriod
from tests.factories.logistics import paris

MONDAY = paris(2026, 12, 7, 8)  # a Monday, 8:00 in the town


def _week():
    return [
        OpeningPeriod(weekday=0, opens=dt.time(9), closes=dt.time(12)),
        OpeningPeriod(weekday=0, opens=dt.time(14), closes=dt.time(19)),
        OpeningPeriod(weekday=1, opens=dt.time(9), closes=dt.time(19)),
    ]


def test_weekly_hours_become_one_item_per_period_with_schema_days():
    items = opening_hours_specification(periods=_week(), closures=[], at=MONDAY)

    assert items == [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": "https://schema.org/Monday", "opens": "09:00", "closes": "12:00"},
        {"@type": "OpeningHoursSpecification", "dayOfWeek": "https://schema.org/Monday", "opens": "14:00", "closes": "19:00"},
        {"@type": "OpeningHoursSpecification", "dayOfWeek": "https://schema.org/Tuesday", "opens": "09:00", "closes": "19:00"},
    ]


def test_a_whole_day_closure_is_published_as_closed_that_day():
    closure = Closure(starts_at=paris(2026, 12, 8), ends_at=paris(2026, 12, 9), reason="Inventaire")

    special = [i for i in opening_hours_specification(periods=_week(), closures=[closure], at=MONDAY) if "validFrom" in i]

    assert special == [{"@type": "OpeningHoursSpecification", "validFrom": "2026-12-08", "validThrough": "2026-12-08",
                        "opens": "00:00", "closes": "00:00"}]


def test_a_closure_of_an_afternoon_leaves_the_morning_open():
    closure = Closure(starts_at=paris(2026, 12, 14, 13), ends_at=paris(2026, 12, 14, 23))

    special = [i for i in opening_hours_specification(periods=_week(), closures=[closure], at=MONDAY) if "validFrom" in i]

    assert [(i["validFrom"], i["opens"], i["closes"]) for i in special] == [("2026-12-14", "09:00", "12:00")]


def test_closures_over_or_beyond_ninety_days_are_not_published():
    past = Closure(starts_at=paris(2026, 11, 2), ends_at=paris(2026, 11, 3))
    far = Closure(starts_at=paris(2027, 6, 1), ends_at=paris(2027, 6, 2))

    items = opening_hours_specification(periods=_week(), closures=[past, far], at=MONDAY)

    assert not [i for i in items if "validFrom" in i]


def test_a_closure_over_several_days_closes_each_of_them():
    closure = Closure(starts_at=paris(2026, 12, 24, 12), ends_at=paris(2026, 12, 27))

    special = [i for i in opening_hours_specification(periods=_week(), closures=[closure], at=MONDAY) if "validFrom" in i]

    assert [i["validFrom"] for i in special] == ["2026-12-24", "2026-12-25", "2026-12-26"]
    assert all(i["opens"] == i["closes"] == "00:00" for i in special)


def test_the_script_data_cannot_close_its_element():
    text = json_ld_script({"name": "</script><script>alert(1)</script> & co"})

    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & co"
