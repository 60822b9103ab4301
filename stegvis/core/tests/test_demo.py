from __future__ import annotations

import datetime
import re
from typing import Any

from django_scopes import scopes_disabled

from stegvis.accounts.models import User
from stegvis.audit.models import AuditEntry
from stegvis.core.demo import demo_everything
from stegvis.finance.models import Plan
from stegvis.goals.models import GoalMap, Indicator, ManualValue
from stegvis.instruments.models import Instrument, InterventionInstrument, Response
from stegvis.interventions.models import Intervention, InterventionStaff
from stegvis.participants.models import Participant
from stegvis.structural.models.activities import Activity
from stegvis.structural.models.deviations import Deviation
from stegvis.structural.models.surveys import SurveyRound
from stegvis.structural.models.teams import TeamMeeting


def _follow_up_counts() -> dict[str, int]:
    with scopes_disabled():
        return {
            "instruments": Instrument.objects.count(),
            "uses": InterventionInstrument.objects.count(),
            "interventions": Intervention.objects.count(),
            "participants": Participant.objects.count(),
            "responses": Response.objects.count(),
            "staff": InterventionStaff.objects.count(),
            "audit": AuditEntry.objects.count(),
            "goal_maps": GoalMap.objects.count(),
            "indicators": Indicator.objects.count(),
            "manual_values": ManualValue.objects.count(),
            "activities": Activity.objects.count(),
            "meetings": TeamMeeting.objects.count(),
            "deviations": Deviation.objects.count(),
            "survey_rounds": SurveyRound.objects.count(),
        }


def test_demo_loads_both_plans_once(db: Any) -> None:
    _logins, loaded = demo_everything()
    # Two plans, the application round, two insatser with participants, the goal
    # maps of the current year, and Samspelet's structural work (activities, a
    # konsultationsteam, avvikelser and guldkorn, two survey rounds).
    assert len(loaded) == 12
    with scopes_disabled():
        versions = Plan.history.count()
        plans = sorted(Plan.objects.values_list("association__slug", "first_year"))
        assert plans[:2] == [("blekinge", 2024), ("samspelet", 2024)]
        # The draft budget for the years the open round applies for (after today).
        assert plans[2][0] == "samspelet" and plans[2][1] > datetime.date.today().year
    counts = _follow_up_counts()
    _logins, again = demo_everything()
    assert again == []
    with scopes_disabled():
        assert Plan.history.count() == versions
    assert _follow_up_counts() == counts


def test_the_demo_deltagaransvarig_has_participants_to_follow_up(db: Any) -> None:
    demo_everything()
    with scopes_disabled():
        registrar = User.objects.get(username="deltagare.samspelet")
        (insats,) = Intervention.objects.filter(staff__user=registrar)
        assert insats.name == "Stegen Karlstad"
        assert insats.status == "ongoing"
        people = Participant.objects.filter(intervention=insats)
        assert 60 <= people.count() <= 150
        assert people.filter(exit__isnull=True).exists()
        assert people.filter(exit__isnull=False).exists()
        assert Response.objects.filter(participant__intervention=insats).count() > people.count()
        # Each demo förbund has the three default instruments; the insats uses them.
        # (Samspelet's collaboration survey is an instrument of its own kind.)
        for slug in ("samspelet", "blekinge"):
            follow_up = Instrument.objects.filter(association__slug=slug).exclude(
                kind=Instrument.Kind.COLLABORATION
            )
            assert follow_up.count() == 3
        assert InterventionInstrument.objects.filter(intervention=insats).count() == 3
        for code in people.values_list("code", flat=True):
            assert re.fullmatch(r"SYN-\d{6}", code)


def test_the_demo_goal_maps_have_computed_and_manual_indicators(db: Any) -> None:
    demo_everything()
    this_year = datetime.date.today().year
    with scopes_disabled():
        for slug in ("samspelet", "blekinge"):
            years = set(
                GoalMap.objects.filter(association__slug=slug).values_list("year", flat=True)
            )
            assert years == {2024, this_year}
        samspelet = Indicator.objects.filter(association__slug="samspelet")
        metrics = set(samspelet.values_list("metric", flat=True))
        assert {"participants", "step_progress_share", "manual", "admin_share"} <= metrics
        assert ManualValue.objects.filter(association__slug="samspelet").exists()
        assert ManualValue.objects.filter(association__slug="blekinge").exists()
