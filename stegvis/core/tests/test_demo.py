from __future__ import annotations

from typing import Any

from django_scopes import scopes_disabled

from stegvis.core.demo import demo_everything
from stegvis.finance.models import Plan


def test_demo_loads_both_plans_once(db: Any) -> None:
    _logins, plans = demo_everything()
    assert len(plans) == 2
    with scopes_disabled():
        versions = Plan.history.count()
        assert sorted(Plan.objects.values_list("association__slug", "first_year")) == [
            ("blekinge", 2024),
            ("samspelet", 2024),
        ]
    _logins, again = demo_everything()
    assert again == []
    with scopes_disabled():
        assert Plan.history.count() == versions
