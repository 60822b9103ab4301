"""The demo's avvikelser and guldkorn at Samspelet: made through the services (so their
texts pass the personal data check), handled with learning, one open, made once."""

from __future__ import annotations

import datetime
from typing import Any

from django_scopes import scope, scopes_disabled

from stegvis.associations.demo import demo_load
from stegvis.associations.models import Association
from stegvis.core.demo import demo_follow_up_load
from stegvis.structural.demo_deviations import DEMO_CASES, demo_deviations_load
from stegvis.structural.models import Deviation

TODAY = datetime.date(2025, 6, 15)


def test_the_demo_cases_are_made_once(db: Any) -> None:
    with scopes_disabled():
        demo_load()
        demo_follow_up_load(today=TODAY)
        samspelet = Association.objects.get(slug="samspelet")
    assert demo_deviations_load(samspelet, today=TODAY) == [
        f"Samordningsförbundet Samspelet: {len(DEMO_CASES)} avvikelser och guldkorn"
    ]
    assert demo_deviations_load(samspelet, today=TODAY) == []
    with scope(association=samspelet):
        cases = list(Deviation.objects.filter(association=samspelet))
        statuses = sorted(case.status for case in cases)
        assert len(cases) == len(DEMO_CASES)
        assert statuses.count("closed") == 4 and "reported" in statuses
        assert all(case.learning for case in cases if case.status == "closed")
        karlstad = [
            case
            for case in cases
            if case.intervention and case.intervention.name == "Stegen Karlstad"
        ]
        assert all(case.handled_by.name == "Styrgrupp Stegen Karlstad" for case in karlstad)
        assert {case.reported_by.username for case in cases} == {
            "deltagare.samspelet",
            "insats.samspelet",
            "chef.samspelet",
        }
