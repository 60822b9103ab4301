"""The demo konsultationsteam at Samspelet: a year of meetings with one cancelled and
one representative replaced, rates that fund the state's and the region's staff but
not the kommun's, meetings ahead; made once."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django_scopes import scope, scopes_disabled

from stegvis.associations.demo import demo_load
from stegvis.associations.models import Association
from stegvis.goals.periods import range_period
from stegvis.structural import selectors_teams
from stegvis.structural.demo_teams import TEAM, demo_teams_load
from stegvis.structural.models import ConsultationTeam, TeamMeeting

TODAY = datetime.date(2025, 6, 15)


def test_the_demo_team_is_made_once_with_a_year_of_meetings(db: Any) -> None:
    with scopes_disabled():
        demo_load()
        samspelet = Association.objects.get(slug="samspelet")
    loaded = demo_teams_load(samspelet, today=TODAY)
    assert len(loaded) == 1 and TEAM in loaded[0]
    assert demo_teams_load(samspelet, today=TODAY) == []
    with scope(association=samspelet):
        team = ConsultationTeam.objects.get(association=samspelet, name=TEAM)
        assert team.working_group is not None
        meetings = TeamMeeting.objects.filter(team=team)
        past = meetings.filter(date__lte=TODAY)
        assert past.count() >= 20
        assert meetings.filter(date__gt=TODAY).count() >= 2
        assert meetings.filter(cancelled=True).count() == 1
        assert not meetings.filter(date__month=7).exists()
        replaced = team.representatives.filter(valid_to__isnull=False)
        assert [rep.member.name for rep in replaced] == ["Försäkringskassan"]
        page = selectors_teams.financing_page(
            association=samspelet,
            period=range_period(TODAY - datetime.timedelta(days=365), TODAY),
        )
    amounts = {row.member.name: row.amount for row in page.rows}
    assert amounts["Karlstads kommun"] == Decimal(0)
    assert all(amounts[name] > 0 for name in ("Försäkringskassan", "Arbetsförmedlingen"))
    assert amounts["Region Värmland"] > 0
    assert page.total == sum(amounts.values())
    fk = next(row for row in page.rows if row.member.name == "Försäkringskassan")
    assert len(fk.lines) == 2  # 1 500 kr per meeting last year, 1 600 kr this year
