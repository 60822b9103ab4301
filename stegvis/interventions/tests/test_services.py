"""The rules of insatser, applications and decisions (DOMAIN.md §3, issue #4)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django_scopes import scope, scopes_disabled

from stegvis.associations import services as association_services
from stegvis.associations.models import Seat, WorkingGroup
from stegvis.associations.tests.factories import MemberFactory, UserFactory
from stegvis.audit.models import AuditEntry
from stegvis.conftest import World
from stegvis.finance import budget
from stegvis.finance import services as finance_services
from stegvis.finance.models import BudgetAmount, BudgetLine
from stegvis.finance.selectors import plan_budget
from stegvis.interventions import selectors, services
from stegvis.interventions.models import (
    DEFAULT_TARGET_GROUPS,
    Application,
    Decision,
    DecisionYear,
    DocumentReference,
    Intervention,
    InterventionLine,
    InterventionStaff,
    Kind,
    PlannedParticipants,
    Target,
    TargetGroup,
)
from stegvis.interventions.tests.factories import (
    CLOSES,
    IN_ROUND,
    OPENS,
    InterventionFactory,
    decide,
    parties,
    plan_of,
    prepared,
    round_of,
    submitted,
)

pytestmark = pytest.mark.django_db

Status = Intervention.Status
Outcome = Decision.Outcome


def errors_of(info: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return info.value.message_dict


def insats(world: World, **values: object) -> Intervention:
    with scope(association=world.own):
        intervention: Intervention = InterventionFactory(
            association=world.own, owner=world.member, **values
        )
        return intervention


# ---------------------------------------------------------------------------
# Two members share the need


def test_application_with_only_the_applicant_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        submitted(world, sharing_members=[])
    assert "Minst två medlemmar måste dela behovet" in errors_of(info)["sharing_members"][0]
    with scope(association=world.own):
        assert not Application.objects.exists()


def test_applicant_named_again_among_sharing_members_counts_once(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        submitted(world, sharing_members=[world.member])
    assert "sharing_members" in errors_of(info)


def test_applicant_and_one_more_member_are_enough(world: World) -> None:
    application = submitted(world, sharing_members=[parties(world).region])
    with scope(association=world.own):
        assert list(application.sharing_members.all()) == [parties(world).region]
        assert application.status == Application.Status.SUBMITTED


def test_sharing_member_of_another_association_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        submitted(world, sharing_members=[world.other_member])
    assert "sharing_members" in errors_of(info)


# ---------------------------------------------------------------------------
# Rounds and submission


def test_round_must_be_open_on_the_day_the_application_comes_in(world: World) -> None:
    round = round_of(world)
    for day in (OPENS - datetime.timedelta(days=1), CLOSES + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as info:
            submitted(world, round=round, on=day)
        assert "round" in errors_of(info)
    application = submitted(world, round=round, on=CLOSES)
    assert application.received_on == CLOSES


def test_round_dates_amount_and_name_are_checked(world: World) -> None:
    with scope(association=world.own):
        with pytest.raises(ValidationError) as info:
            services.round_create(
                actor=None,
                association=world.own,
                name="Höst",
                opens=CLOSES,
                closes=OPENS,
                amount_available=-1,
            )
        assert set(errors_of(info)) == {"closes", "amount_available"}
        round = services.round_create(
            actor=world.users["chief"],
            association=world.own,
            name="Höst",
            opens=OPENS,
            closes=CLOSES,
            amount_available=2_000_000,
        )
        with pytest.raises(ValidationError) as info:
            services.round_create(
                actor=None,
                association=world.own,
                name="höst",
                opens=OPENS,
                closes=CLOSES,
                amount_available=1,
            )
        assert "name" in errors_of(info)
        services.round_update(actor=world.users["chief"], round=round, amount_available=2_500_000)
        entry = AuditEntry.objects.filter(action="application_round.updated").get()
    assert round.amount_available == 2_500_000
    assert entry.changes == {"amount_available": [2_000_000, 2_500_000]}


def test_submission_checks_amounts_years_and_texts(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        submitted(world, years={2026: (-5, -1)}, need=" ", goals="")
    assert set(errors_of(info)) == {
        "requested_2026",
        "participants_2026",
        "need",
        "goals",
        NON_FIELD_ERRORS,  # nothing is applied for
    }
    for years in ({}, {2026: (0, 10)}):
        with pytest.raises(ValidationError) as info:
            submitted(world, years=years)
        assert errors_of(info)[NON_FIELD_ERRORS] == ["Ange sökt belopp för minst ett år."]


def test_submission_is_logged_with_its_fields(world: World) -> None:
    application = submitted(world)
    with scope(association=world.own):
        entry = AuditEntry.objects.get(action="application.submitted")
    assert entry.object_id == str(application.pk)
    assert entry.actor == world.users["chief"]
    assert entry.changes["title"] == "Stegen"
    assert entry.changes["requested"] == {"2026": 1_200_000, "2027": 1_000_000}
    assert entry.changes["sharing_members"] == "Försäkringskassan, Region Eget"


def test_new_insats_may_not_take_the_name_of_an_existing_one(world: World) -> None:
    insats(world, name="Stegen")
    with pytest.raises(ValidationError) as info:
        submitted(world, title="stegen")
    assert "title" in errors_of(info)


def test_continued_funding_keeps_kind_and_esf_of_a_granted_insats(world: World) -> None:
    existing = insats(world, name="Stegen", status=Status.GRANTED, kind=Kind.INDIVIDUAL)
    with pytest.raises(ValidationError) as info:
        submitted(world, intervention=existing, kind=Kind.STRUCTURAL, esf_funded=True)
    assert set(errors_of(info)) == {"kind", "esf_funded"}
    assert "Slag och ESF-medfinansiering kan inte ändras" in errors_of(info)["kind"][0]


def test_closed_insats_takes_no_application(world: World) -> None:
    existing = insats(world, name="Stegen", status=Status.CLOSED)
    with pytest.raises(ValidationError) as info:
        submitted(world, intervention=existing)
    assert "intervention" in errors_of(info)


# ---------------------------------------------------------------------------
# Beredning


def test_preparation_recommends_what_was_applied_for_on_approval(world: World) -> None:
    application = prepared(world)
    with scope(association=world.own):
        rows = {row.year: row.recommended for row in application.years.all()}
    assert application.status == Application.Status.PREPARED
    assert rows == {2026: 1_200_000, 2027: 1_000_000}


def test_preparation_refuses_more_than_requested(world: World) -> None:
    application = submitted(world)
    with pytest.raises(ValidationError) as info:
        prepared(
            world,
            application,
            recommendation=Application.Recommendation.PARTIAL,
            recommended={2026: 1_300_000},
        )
    assert "större än det sökta" in errors_of(info)["recommended_2026"][0]


def test_recommended_rejection_recommends_nothing(world: World) -> None:
    application = prepared(
        world, recommendation=Application.Recommendation.REJECT, recommended={2026: 5}
    )
    with scope(association=world.own):
        assert {row.recommended for row in application.years.all()} == {0}


def test_prepared_application_may_be_prepared_again_before_the_decision(world: World) -> None:
    application = prepared(world)
    application = prepared(
        world,
        application,
        recommendation=Application.Recommendation.PARTIAL,
        recommended={2026: 800_000},
    )
    with scope(association=world.own):
        rows = {row.year: row.recommended for row in application.years.all()}
    assert application.recommendation == Application.Recommendation.PARTIAL
    assert rows == {2026: 800_000, 2027: 0}


# ---------------------------------------------------------------------------
# The application's steps


def test_submitted_application_cannot_be_decided_before_preparation(world: World) -> None:
    plan_of(world)
    application = submitted(world)
    with pytest.raises(ValidationError) as info:
        decide(world, application)
    assert "beredas" in errors_of(info)[NON_FIELD_ERRORS][0]
    with scope(association=world.own):
        assert not Decision.objects.exists()
        assert not Intervention.objects.exists()


def test_rejected_application_is_not_reopened(world: World) -> None:
    application = prepared(world, recommendation=Application.Recommendation.REJECT)
    decide(world, application, outcome=Outcome.REJECT)
    assert application.status == Application.Status.DECIDED
    with pytest.raises(ValidationError) as info:
        prepared(world, application)
    assert "ny ansökan" in errors_of(info)[NON_FIELD_ERRORS][0]
    plan_of(world)
    with pytest.raises(ValidationError) as info:
        decide(world, application, outcome=Outcome.APPROVE)
    assert "redan beslutad" in errors_of(info)[NON_FIELD_ERRORS][0]
    with scope(association=world.own):
        assert not Intervention.objects.exists()
        assert not InterventionLine.objects.exists()


def test_rejected_need_is_applied_for_anew(world: World) -> None:
    plan_of(world)
    first = prepared(world, recommendation=Application.Recommendation.REJECT)
    decide(world, first, outcome=Outcome.REJECT)
    second = prepared(world, title="Stegen")
    decision = decide(world, second)
    assert decision.intervention is not None
    assert decision.intervention.name == "Stegen"


def test_rejecting_a_registered_insats_marks_it_rejected(world: World) -> None:
    existing = insats(world, name="Stegen")
    application = prepared(
        world, intervention=existing, recommendation=Application.Recommendation.REJECT
    )
    existing.refresh_from_db()
    assert existing.status == Status.PREPARED
    decide(world, application, outcome=Outcome.REJECT)
    existing.refresh_from_db()
    assert existing.status == Status.REJECTED


# ---------------------------------------------------------------------------
# The decision and the budget


def test_granted_decision_creates_the_insats_and_its_cost_line(world: World) -> None:
    plan = plan_of(world)
    p = parties(world)
    with scope(association=world.own):
        target_group = TargetGroup.objects.create(association=world.own, name="Unga vuxna")
    application = prepared(world, target_group=target_group, esf_funded=True)
    decision = decide(world, application, reference="Dnr 2025/17")
    with scope(association=world.own):
        intervention = Intervention.objects.get()
        assert decision.intervention == intervention
        assert intervention.name == "Stegen"
        assert intervention.status == Status.GRANTED
        assert intervention.kind == Kind.INDIVIDUAL
        assert intervention.esf_funded is True
        assert intervention.target_group == target_group
        assert intervention.owner == p.kommun
        assert set(intervention.members.all()) == {p.kommun, p.fk, p.region}
        assert intervention.start == datetime.date(2026, 1, 1)
        assert intervention.end == datetime.date(2027, 12, 31)
        assert selectors.planned_participants(intervention) == {2026: 40, 2027: 35}
        link = InterventionLine.objects.get()
        line = link.line
        assert link.intervention == intervention
        assert line.plan == plan
        assert (line.side, line.name, line.category) == ("cost", "Stegen", "individual")
        assert line.intervention_name == "Stegen"
        assert dict(line.amounts.values_list("year", "amount")) == {
            2026: 1_200_000,
            2027: 1_000_000,
        }
        assert DocumentReference.objects.get().reference == "Dnr 2025/17"
        assert {row.year: row.granted for row in decision.years.all()} == {
            2026: 1_200_000,
            2027: 1_000_000,
        }
    application.refresh_from_db()
    assert application.status == Application.Status.DECIDED


def test_budget_shows_the_granted_amount(world: World) -> None:
    plan = plan_of(world)
    decide(world, prepared(world))
    with scope(association=world.own):
        costs = {line.name: line for line in plan_budget(plan).costs}
        figures = {f.year: f for f in budget.year_figures(plan_budget(plan))}
    assert costs["Stegen"] == budget.Line(
        name="Stegen",
        kind="individual",
        amounts={2026: 1_200_000, 2027: 1_000_000},
        intervention="Stegen",
    )
    assert figures[2026].costs_by_category["individual"] == 1_200_000
    assert figures[2026].costs == 400_000 + 1_200_000


def test_structural_insats_gets_a_structural_cost_line(world: World) -> None:
    plan_of(world)
    decide(world, prepared(world, kind=Kind.STRUCTURAL))
    with scope(association=world.own):
        assert InterventionLine.objects.get().line.category == "structural"


def test_decision_submitted_twice_writes_once(world: World) -> None:
    plan_of(world)
    application = prepared(world)
    first = decide(world, application)
    second = decide(world, application)
    assert second.pk == first.pk
    with scope(association=world.own):
        assert Intervention.objects.count() == 1
        assert Decision.objects.count() == 1
        assert DecisionYear.objects.count() == 2
        assert InterventionLine.objects.count() == 1
        assert BudgetLine.objects.filter(name="Stegen").count() == 1
        assert sorted(
            BudgetAmount.objects.filter(line__name="Stegen").values_list("year", "amount")
        ) == [(2026, 1_200_000), (2027, 1_000_000)]
        assert AuditEntry.objects.filter(action="decision.recorded").count() == 1
        assert AuditEntry.objects.filter(action="budget_line.created").count() == 2  # + Kansli


def test_a_different_second_decision_is_refused(world: World) -> None:
    plan_of(world)
    application = prepared(world)
    decide(world, application)
    with pytest.raises(ValidationError) as info:
        decide(world, application, outcome=Outcome.PARTIAL, granted={2026: 100_000})
    assert "redan beslutad" in errors_of(info)[NON_FIELD_ERRORS][0]
    with scope(association=world.own):
        assert BudgetAmount.objects.get(line__name="Stegen", year=2026).amount == 1_200_000


def test_partial_decision_grants_what_is_given(world: World) -> None:
    plan_of(world)
    decision = decide(world, prepared(world), outcome=Outcome.PARTIAL, granted={2026: 600_000})
    with scope(association=world.own):
        intervention = Intervention.objects.get()
        line = InterventionLine.objects.get().line
        assert dict(line.amounts.values_list("year", "amount")) == {2026: 600_000}
        assert intervention.end == datetime.date(2026, 12, 31)
        assert selectors.planned_participants(intervention) == {2026: 40}
        assert {row.year: row.granted for row in decision.years.all()} == {2026: 600_000, 2027: 0}


def test_partial_decision_may_not_grant_more_than_applied_for(world: World) -> None:
    plan_of(world)
    application = prepared(world)
    with pytest.raises(ValidationError) as info:
        decide(world, application, outcome=Outcome.PARTIAL, granted={2026: 1_500_000})
    assert "granted_2026" in errors_of(info)
    with pytest.raises(ValidationError) as info:
        decide(world, application, outcome=Outcome.PARTIAL, granted={})
    assert "avslag" in errors_of(info)[NON_FIELD_ERRORS][0]
    with pytest.raises(ValidationError) as info:
        decide(world, application, outcome=Outcome.APPROVE, granted={2026: 1})
    assert "delvis bifall" in errors_of(info)["granted_2026"][0]


def test_rejection_writes_no_insats_and_no_lines(world: World) -> None:
    plan_of(world)
    application = prepared(world)
    decision = decide(world, application, outcome=Outcome.REJECT)
    assert decision.intervention is None
    with scope(association=world.own):
        assert not Intervention.objects.exists()
        assert not BudgetLine.objects.filter(name="Stegen").exists()
        assert {row.granted for row in decision.years.all()} == {0}


def test_nothing_is_written_when_a_granted_year_has_no_budget(world: World) -> None:
    plan_of(world, first_year=2026, last_year=2026)
    application = prepared(world)
    with scopes_disabled():
        entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as info:
        decide(world, application)
    assert errors_of(info)[NON_FIELD_ERRORS] == [
        "Det finns ingen budget för 2027: skapa eller ladda upp budgeten först"
    ]
    application.refresh_from_db()
    assert application.status == Application.Status.PREPARED
    with scope(association=world.own):
        assert not Decision.objects.exists()
        assert not Intervention.objects.exists()
        assert not BudgetLine.objects.filter(name="Stegen").exists()
        assert not PlannedParticipants.objects.exists()
    with scopes_disabled():
        assert AuditEntry.objects.count() == entries


def test_every_decision_is_kept_in_history(world: World) -> None:
    plan_of(world)
    decision = decide(world, prepared(world))
    with scope(association=world.own):
        assert decision.history.count() == 1
        assert decision.history.get().outcome == Outcome.APPROVE
        assert DecisionYear.history.count() == 2
        assert decision.application.history.count() >= 3  # submitted, prepared, decided


def test_continued_funding_updates_the_insats_and_keeps_other_years(world: World) -> None:
    plan_of(world)
    first = decide(world, prepared(world))
    intervention = first.intervention
    assert intervention is not None
    insats_round = round_of(world, name="Vår 2026")
    with scope(association=world.own):
        neighbour = MemberFactory(association=world.own, name="Grannby kommun")
    application = prepared(
        world,
        intervention=intervention,
        title="",
        round=insats_round,
        years={2027: (1_100_000, 30)},
        sharing_members=[neighbour],
    )
    assert application.title == "Stegen"
    decision = decide(world, application)
    assert decision.intervention == intervention
    with scope(association=world.own):
        assert Intervention.objects.count() == 1
        line = InterventionLine.objects.get().line
        assert dict(line.amounts.values_list("year", "amount")) == {
            2026: 1_200_000,
            2027: 1_100_000,
        }
        assert selectors.planned_participants(intervention) == {2026: 40, 2027: 30}
        assert intervention.members.filter(name="Grannby kommun").exists()


def test_decision_takes_over_a_cost_line_of_the_insats_name(world: World) -> None:
    plan = plan_of(world)
    with scope(association=world.own):
        finance_services.budget_line_create(
            actor=None,
            plan=plan,
            side=BudgetLine.Side.COST,
            name="Stegen",
            category="individual",
            amounts={2026: 900_000, 2027: 900_000},
        )
    decide(world, prepared(world), outcome=Outcome.PARTIAL, granted={2026: 1_000_000})
    with scope(association=world.own):
        line = BudgetLine.objects.get(name="Stegen")
        assert InterventionLine.objects.get().line == line
        assert dict(line.amounts.values_list("year", "amount")) == {
            2026: 1_000_000,
            2027: 900_000,
        }


def test_granted_years_in_two_budgets_get_a_line_in_each(world: World) -> None:
    plan_of(world, first_year=2026, last_year=2026)
    plan_of(world, first_year=2027, last_year=2028)
    decision = decide(world, prepared(world))
    with scope(association=world.own):
        assert InterventionLine.objects.count() == 2
        assert decision.intervention is not None
        assert selectors.intervention_budget(decision.intervention) == {
            2026: 1_200_000,
            2027: 1_000_000,
        }


# ---------------------------------------------------------------------------
# Insatser: kind and ESF, status machine


def test_kind_and_esf_cannot_change_once_granted(world: World) -> None:
    plan_of(world)
    intervention = decide(world, prepared(world)).intervention
    assert intervention is not None
    with scope(association=world.own), pytest.raises(ValidationError) as info:
        services.intervention_update(
            actor=None, intervention=intervention, kind=Kind.STRUCTURAL, esf_funded=True
        )
    assert set(errors_of(info)) == {"kind", "esf_funded"}
    assert errors_of(info)["kind"] == [
        "Slag och ESF-medfinansiering kan inte ändras när insatsen är beviljad – skapa en ny insats"
    ]
    intervention.refresh_from_db()
    assert (intervention.kind, intervention.esf_funded) == (Kind.INDIVIDUAL, False)


def test_kind_and_esf_change_of_an_instance_a_form_has_changed_is_refused(world: World) -> None:
    intervention = insats(world, status=Status.ONGOING)
    intervention.kind = Kind.STRUCTURAL  # as a ModelForm leaves its instance
    with scope(association=world.own), pytest.raises(ValidationError):
        services.intervention_update(actor=None, intervention=intervention, kind=Kind.STRUCTURAL)


def test_kind_and_esf_may_change_before_the_grant(world: World) -> None:
    intervention = insats(world)
    with scope(association=world.own):
        services.intervention_update(
            actor=None, intervention=intervention, kind=Kind.STRUCTURAL, esf_funded=True
        )
    assert (intervention.kind, intervention.esf_funded) == (Kind.STRUCTURAL, True)


def test_other_fields_change_after_the_grant_and_a_new_name_follows_to_the_lines(
    world: World,
) -> None:
    plan_of(world)
    intervention = decide(world, prepared(world)).intervention
    assert intervention is not None
    with scope(association=world.own):
        services.steering_group_ensure(actor=None, intervention=intervention)
        services.intervention_update(
            actor=world.users["chief"],
            intervention=intervention,
            name="Stegen Eget",
            focus="Arbetsträning",
        )
        line = InterventionLine.objects.get().line
        assert (line.name, line.intervention_name) == ("Stegen Eget", "Stegen Eget")
        assert intervention.steering_group is not None
        assert intervention.steering_group.name == "Styrgrupp Stegen Eget"
        entry = AuditEntry.objects.filter(action="intervention.updated").latest("id")
    assert entry.changes["name"] == ["Stegen", "Stegen Eget"]


STEPS = [Status.APPLIED, Status.PREPARED, Status.GRANTED, Status.ONGOING, Status.CLOSED]


def test_status_moves_one_step_at_a_time_to_closed(world: World) -> None:
    intervention = insats(world)
    with scope(association=world.own):
        for status in STEPS[1:]:
            services.intervention_set_status(actor=None, intervention=intervention, status=status)
            assert intervention.status == status
        assert AuditEntry.objects.filter(action="intervention.status_changed").count() == 4


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.APPLIED, Status.GRANTED),
        (Status.APPLIED, Status.ONGOING),
        (Status.PREPARED, Status.ONGOING),
        (Status.GRANTED, Status.CLOSED),
        (Status.GRANTED, Status.REJECTED),
        (Status.ONGOING, Status.GRANTED),
        (Status.CLOSED, Status.ONGOING),
        (Status.REJECTED, Status.APPLIED),
        (Status.REJECTED, Status.PREPARED),
    ],
)
def test_status_cannot_skip_go_back_or_leave_an_end(world: World, start: str, target: str) -> None:
    intervention = insats(world, status=start)
    with scope(association=world.own), pytest.raises(ValidationError) as info:
        services.intervention_set_status(actor=None, intervention=intervention, status=target)
    message = errors_of(info)["status"][0]
    assert str(Status(start).label).lower() in message
    assert str(Status(target).label).lower() in message
    intervention.refresh_from_db()
    assert intervention.status == start


@pytest.mark.parametrize("start", [Status.APPLIED, Status.PREPARED])
def test_applied_or_prepared_insats_may_be_rejected(world: World, start: str) -> None:
    intervention = insats(world, status=start)
    with scope(association=world.own):
        services.intervention_set_status(
            actor=None, intervention=intervention, status=Status.REJECTED
        )
    assert intervention.status == Status.REJECTED


def test_rejected_insats_message_names_both_statuses(world: World) -> None:
    intervention = insats(world, status=Status.REJECTED)
    with scope(association=world.own), pytest.raises(ValidationError) as info:
        services.intervention_set_status(
            actor=None, intervention=intervention, status=Status.APPLIED
        )
    assert errors_of(info)["status"] == [
        "En insats kan inte gå från avslagen till ansökt. Ett nytt behov blir en ny insats."
    ]


# ---------------------------------------------------------------------------
# Direct registration and the rest of an insats


def test_registered_insats_is_applied_with_its_owner_among_the_members(world: World) -> None:
    p = parties(world)
    with scope(association=world.own):
        intervention = services.intervention_create(
            actor=world.users["chief"],
            association=world.own,
            name="Navigatorcentrum",
            kind=Kind.INDIVIDUAL,
            owner=p.kommun,
            members=[p.fk],
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2026, 12, 31),
        )
        assert intervention.status == Status.APPLIED
        assert set(intervention.members.all()) == {p.kommun, p.fk}
        with pytest.raises(ValidationError) as info:
            services.intervention_create(
                actor=None,
                association=world.own,
                name="navigatorcentrum",
                kind="other",
                owner=world.other_member,
                members=[],
                start=datetime.date(2026, 1, 1),
                end=datetime.date(2025, 1, 1),
            )
    assert set(errors_of(info)) == {"name", "kind", "owner", "end"}


def test_planned_participants_are_set_per_year(world: World) -> None:
    intervention = insats(world)
    with scope(association=world.own):
        services.planned_participants_set(
            actor=None, intervention=intervention, year=2026, count=20
        )
        services.planned_participants_set(
            actor=None, intervention=intervention, year=2026, count=25
        )
        assert selectors.planned_participants(intervention) == {2026: 25}
        with pytest.raises(ValidationError) as info:
            services.planned_participants_set(
                actor=None, intervention=intervention, year=2026, count=-1
            )
    assert "count" in errors_of(info)


def test_targets_use_the_metric_vocabulary(world: World) -> None:
    intervention = insats(world)
    with scope(association=world.own):
        target = services.target_add(
            actor=world.users["chief"],
            intervention=intervention,
            text="90 % upplever att de får stöd",
            metric="survey_agree_share",
            params={"question": "support"},  # a code nobody knows yet: allowed
            op=">=",
            value="0,90",
        )
        assert (target.metric, target.params, target.op) == (
            "survey_agree_share",
            {"question": "support"},
            ">=",
        )
        assert target.value == Decimal("0.9")
        services.target_update(actor=None, target=target, value=Decimal("0.95"), year=2026)
        target.refresh_from_db()
        assert (target.value, target.year) == (Decimal("0.95"), 2026)
        services.target_delete(actor=None, target=target)
        assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"metric": "happiness"}, "metric"),
        ({"metric": "exit_outcome_share"}, "outcome"),
        ({"metric": "participants", "params": {"question": "x"}}, "question"),
        ({"metric": "step_progress_share", "op": ">=", "value": "70"}, "value"),
        ({"metric": "participants", "op": ">="}, "value"),
        ({"metric": "participants", "op": "≈", "value": 3}, "op"),
        ({"metric": "manual", "params": {"colour": "blå"}}, "metric"),
    ],
)
def test_targets_outside_the_vocabulary_are_refused(
    world: World, values: dict[str, object], field: str
) -> None:
    intervention = insats(world)
    with scope(association=world.own), pytest.raises(ValidationError) as info:
        services.target_add(actor=None, intervention=intervention, text="Mål", **values)
    assert field in errors_of(info)


def test_documents_steering_group_and_staff(world: World) -> None:
    intervention = insats(world, name="Stegen")
    owner = world.users["intervention_owner"]
    with scope(association=world.own):
        document = services.document_add(
            actor=None, intervention=intervention, reference="2025/12", title="Ansökan"
        )
        services.document_delete(actor=None, document=document)
        assert not DocumentReference.objects.exists()

        group = services.steering_group_ensure(actor=None, intervention=intervention)
        assert services.steering_group_ensure(actor=None, intervention=intervention) == group
        assert (group.kind, group.name) == (WorkingGroup.Kind.STEERING, "Styrgrupp Stegen")
        assert intervention.steering_group == group
        association_services.seat_create(
            actor=None,
            group=group,
            person_name="Eva Chef",
            function=Seat.Function.ORDINARY,
            member=world.member,
        )
        assert group.seats.count() == 1

        services.staff_add(actor=None, intervention=intervention, user=owner)
        with pytest.raises(ValidationError):
            services.staff_add(actor=None, intervention=intervention, user=owner)
        with pytest.raises(ValidationError) as info:
            services.staff_add(actor=None, intervention=intervention, user=UserFactory())
        assert "user" in errors_of(info)
        services.staff_remove(actor=None, intervention=intervention, user=owner)
        assert not InterventionStaff.objects.exists()


def test_target_groups_default_once_and_extend(world: World) -> None:
    with scope(association=world.own):
        services.target_groups_ensure(association=world.own)
        services.target_groups_ensure(association=world.own)
        assert TargetGroup.objects.count() == len(DEFAULT_TARGET_GROUPS)
        services.target_group_create(actor=None, association=world.own, name="Nyanlända")
        with pytest.raises(ValidationError) as info:
            services.target_group_create(actor=None, association=world.own, name="nyanlända")
        assert "name" in errors_of(info)
        assert TargetGroup.objects.count() == len(DEFAULT_TARGET_GROUPS) + 1
    with scope(association=world.other):
        assert not TargetGroup.objects.filter(association=world.other).exists()


def test_in_round_constant_is_inside_the_round() -> None:
    assert OPENS <= IN_ROUND <= CLOSES


def test_the_insatsansvarig_who_applied_runs_the_granted_insats(world: World) -> None:
    plan_of(world)
    p = parties(world)
    owner = world.users["intervention_owner"]
    with scope(association=world.own):
        application = services.application_submit(
            actor=owner,
            association=world.own,
            round=round_of(world),
            title="Vägen vidare",
            kind=Kind.INDIVIDUAL,
            applicant=p.kommun,
            sharing_members=[p.fk],
            need="Behov",
            goals="Mål",
            years={2026: (500_000, 10)},
            on=IN_ROUND,
        )
    decide(world, prepared(world, application))
    with scope(association=world.own):
        intervention = Intervention.objects.get(name="Vägen vidare")
        assert selectors.can_edit_intervention(
            request_or_user=owner, role="intervention_owner", intervention=intervention
        )


def test_a_refused_steering_seat_leaves_no_empty_group(world: World) -> None:
    with scope(association=world.own):
        intervention = InterventionFactory(association=world.own, owner=parties(world).kommun)
        with pytest.raises(ValidationError):
            services.steering_seat_add(
                actor=None, intervention=intervention, person_name="", function="ordinary"
            )
        intervention.refresh_from_db()
        assert intervention.steering_group is None
        seat = services.steering_seat_add(
            actor=None, intervention=intervention, person_name="Nils Lund", function="convener"
        )
        intervention.refresh_from_db()
        assert seat.group == intervention.steering_group
