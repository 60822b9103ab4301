from __future__ import annotations

import datetime
from typing import Any

from django_scopes import scopes_disabled

from stegvis.core.demo import demo_everything
from stegvis.finance.models import Plan


def test_demo_loads_both_plans_once(db: Any) -> None:
    _logins, loaded = demo_everything()
    assert len(loaded) == 3  # two plans and the application round
    with scopes_disabled():
        versions = Plan.history.count()
        plans = sorted(Plan.objects.values_list("association__slug", "first_year"))
        assert plans[:2] == [("blekinge", 2024), ("samspelet", 2024)]
        # The draft budget for the years the open round applies for (after today).
        assert plans[2][0] == "samspelet" and plans[2][1] > datetime.date.today().year
    _logins, again = demo_everything()
    assert again == []
    with scopes_disabled():
        assert Plan.history.count() == versions
