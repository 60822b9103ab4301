"""The demo's year of activities at Samspelet: held ones with attendance per member,
planned ones in the coming weeks, its own kind that its goal map names; made once."""

from __future__ import annotations

import datetime
from typing import Any

from django_scopes import scope, scopes_disabled

from stegvis.associations.demo import demo_load
from stegvis.associations.models import Association
from stegvis.core.demo import demo_goals_load, demo_plans_load
from stegvis.goals import evaluation
from stegvis.goals.evaluation import Status
from stegvis.goals.models import Indicator
from stegvis.goals.periods import period_from_code
from stegvis.structural import selectors
from stegvis.structural.demo_activities import demo_activities_load
from stegvis.structural.models.activities import Activity

TODAY = datetime.date(2025, 6, 15)


def test_the_demo_year_is_made_once_with_attendance_and_coming_activities(db: Any) -> None:
    with scopes_disabled():
        demo_load()
        demo_plans_load()
        demo_goals_load(today=TODAY)
        samspelet = Association.objects.get(slug="samspelet")
    loaded = demo_activities_load(samspelet, today=TODAY)
    assert loaded and loaded[0].startswith("Samordningsförbundet Samspelet: ")
    assert demo_activities_load(samspelet, today=TODAY) == []
    with scope(association=samspelet):
        activities = list(Activity.objects.filter(association=samspelet))
        held = [a for a in activities if a.date <= TODAY and not a.cancelled]
        assert all(a.attendance.exists() for a in held)
        assert not any(a.attendance.exists() for a in activities if a.date > TODAY)
        kinds = {a.kind.code for a in held if a.date.year == 2025}
        assert {"kunskapsdialog", "frukostmote", "seminarium"} <= kinds
        coming = selectors.upcoming_activities(
            association=samspelet, start=TODAY, end=TODAY + datetime.timedelta(days=60)
        )
        assert len(coming) >= 4
    # The plan year's goal map counts its samverkansutbildning.
    with scopes_disabled():
        made = Indicator.objects.get(
            association=samspelet,
            goal__goal_map__year=2024,
            text="En genomförd samverkansutbildning inom Samspelet",
        )
        result = evaluation.indicator_evaluate(
            indicator=made,
            period=period_from_code(association=samspelet, code="2024"),
            min_cell=5,
            today=TODAY,
        )
    assert result.result.value == 1
    assert result.status == Status.ACHIEVED
