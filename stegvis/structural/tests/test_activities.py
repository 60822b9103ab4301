"""Activities: the rules of the services, the counts by kind and period, and the goal
map's `activities` metric, computed on a small year counted by hand."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_scopes import scope, scopes_disabled

from stegvis.associations.tests.factories import MemberFactory
from stegvis.audit.models import AuditEntry
from stegvis.conftest import World
from stegvis.goals import evaluation, metrics
from stegvis.goals.evaluation import Status
from stegvis.goals.periods import period_from_code
from stegvis.goals.tests.factories import GoalMapFactory, indicator
from stegvis.interventions.tests.factories import InterventionFactory
from stegvis.structural import selectors
from stegvis.structural import services_activities as services
from stegvis.structural.models.activities import Activity, ActivityAttendance, ActivityKind
from stegvis.structural.selectors import KindCount, ListFilters
from stegvis.structural.services_activities import AttendanceRow
from stegvis.structural.tests.factories_activities import ActivityFactory, AttendanceFactory

D = datetime.date
LATER = D(2030, 1, 1)


@dataclass
class Year:
    """2024 at the own förbund, counted by hand:

    | date       | kind           | members (women/men) | others | counts |
    |------------|----------------|---------------------|--------|--------|
    | 2024-02-08 | seminarium     | 12 (7/4) + 6        | 2      | 20     |
    | 2024-03-20 | kunskapsdialog | 15                  | 0      | 15     |
    | 2024-03-27 | kunskapsdialog | cancelled (9)       | 0      | no     |
    | 2024-05-16 | frukostmöte    | 8                   | 0      | 8      |
    | 2024-06-12 | kunskapsdialog | 10, for the insats  | 3      | 13     |
    | 2024-10-03 | seminarium     | 25                  | 5      | 30     |
    | 2025-01-15 | seminarium     | 4                   | 0      | (2025) |

    Tertial 1 (jan–apr): 2 activities, 35 participants; tertial 2 (jan–aug): 4, 56;
    helår: 5, 86.
    """

    kinds: dict[str, ActivityKind]
    second: Any  # another member of the own förbund
    insats: Any
    cancelled: Activity


def _add(
    world: World,
    kinds: dict[str, ActivityKind],
    code: str,
    on: D,
    attendance: list[tuple[Any, int, int | None, int | None]],
    others: int = 0,
    **extra: Any,
) -> Activity:
    return services.activity_create(
        actor=world.users["chief"],
        association=world.own,
        kind=kinds[code],
        title=f"{kinds[code].name} {on.isoformat()}",
        date=on,
        organiser="Samordningsförbundet Eget",
        other_participants=others,
        attendance=[AttendanceRow(member, n, women, men) for member, n, women, men in attendance],
        **extra,
    )


@pytest.fixture
def year(world: World) -> Year:
    with scope(association=world.own):
        services.install_default_kinds(world.own)
        kinds = {kind.code: kind for kind in ActivityKind.objects.filter(association=world.own)}
        second = MemberFactory(association=world.own, name="Region Test", kind="region")
        insats = InterventionFactory(association=world.own, name="Tillitsbyrån")
        member = world.member
        _add(
            world,
            kinds,
            "seminarium",
            D(2024, 2, 8),
            [(member, 12, 7, 4), (second, 6, None, None)],
            2,
        )
        _add(world, kinds, "kunskapsdialog", D(2024, 3, 20), [(member, 15, None, None)])
        cancelled = _add(
            world,
            kinds,
            "kunskapsdialog",
            D(2024, 3, 27),
            [(member, 9, None, None)],
            cancelled=True,
        )
        _add(world, kinds, "frukostmote", D(2024, 5, 16), [(second, 8, 5, 3)])
        _add(
            world,
            kinds,
            "kunskapsdialog",
            D(2024, 6, 12),
            [(member, 10, None, None)],
            3,
            intervention=insats,
        )
        _add(
            world,
            kinds,
            "seminarium",
            D(2024, 10, 3),
            [(member, 20, None, None), (second, 5, 2, 2)],
            5,
        )
        _add(world, kinds, "seminarium", D(2025, 1, 15), [(member, 4, None, None)])
    return Year(kinds, second, insats, cancelled)


def test_the_built_in_kinds_are_added_once_per_forbund(world: World) -> None:
    with scopes_disabled():
        assert services.install_default_kinds(world.own) == 8
        assert services.install_default_kinds(world.own) == 0
        names = list(
            ActivityKind.objects.filter(association=world.own).values_list("name", flat=True)
        )
        assert names[:3] == ["Utbildning", "Seminarium", "Kunskapsdialog"]
        assert "Frukostmöte" in names and "Övrigt" in names
        assert not ActivityKind.objects.filter(association=world.other).exists()


def test_counts_by_kind_for_a_tertial_and_the_year(world: World, year: Year) -> None:
    t1 = selectors.activities_by_kind(
        association=world.own, start=D(2024, 1, 1), end=D(2024, 4, 30)
    )
    assert t1 == [
        KindCount("Seminarium", "seminarium", activities=1, participants=20),
        KindCount("Kunskapsdialog", "kunskapsdialog", activities=1, participants=15),
    ]
    whole = selectors.activities_by_kind(
        association=world.own, start=D(2024, 1, 1), end=D(2024, 12, 31)
    )
    assert [(k.code, k.activities, k.participants) for k in whole] == [
        ("seminarium", 2, 50),
        ("kunskapsdialog", 2, 28),
        ("frukostmote", 1, 8),
    ]
    with_empty = selectors.activities_by_kind(
        association=world.own, start=D(2024, 1, 1), end=D(2024, 12, 31), include_empty=True
    )
    assert len(with_empty) == 8 and with_empty[0] == KindCount("Utbildning", "utbildning", 0, 0)


def test_the_period_table_counts_from_the_first_of_january(world: World, year: Year) -> None:
    with scope(association=world.own):
        activities = selectors.year_activities(
            association=world.own, year=2024, filters=ListFilters()
        )
        table = selectors.period_table(association=world.own, year=2024, activities=activities)
    assert [p.code for p in table.periods] == ["2024-t1", "2024-t2", "2024"]
    assert [(c.activities, c.participants) for c in table.totals] == [(2, 35), (4, 56), (5, 86)]
    dialog = next(row for row in table.rows if row.code == "kunskapsdialog")
    assert [(c.activities, c.participants) for c in dialog.cells] == [(1, 15), (2, 28), (2, 28)]
    # The cancelled dialog is on the list but not in the counts.
    assert year.cancelled.pk in [a.pk for a in activities]


def test_participants_per_member_with_women_and_men_where_known(world: World, year: Year) -> None:
    with scope(association=world.own):
        activities = selectors.year_activities(
            association=world.own, year=2024, filters=ListFilters()
        )
        table = selectors.member_table(association=world.own, activities=activities)
    rows = {row.member.name: row for row in table.rows}
    own = rows["Egna kommun"]
    assert (own.activities, own.participants, own.women, own.men) == (4, 57, 7, 4)
    region = rows["Region Test"]
    assert (region.activities, region.participants, region.women, region.men) == (3, 19, 7, 5)
    assert table.other_participants == 10
    assert table.total == 86
    assert table.activities == 5


def test_activity_count_by_kind_and_insats(world: World, year: Year) -> None:
    start, end = D(2024, 1, 1), D(2024, 12, 31)
    assert selectors.activity_count(association=world.own, start=start, end=end) == 5
    assert (
        selectors.activity_count(
            association=world.own, start=start, end=end, kind_code="kunskapsdialog"
        )
        == 2
    )
    assert (
        selectors.activity_count(
            association=world.own, start=start, end=end, intervention_id=year.insats.pk
        )
        == 1
    )
    assert selectors.activity_count(association=world.other, start=start, end=end) == 0


def test_a_cancelled_activity_is_not_counted(world: World, year: Year) -> None:
    start, end = D(2024, 3, 21), D(2024, 3, 31)
    assert selectors.activity_count(association=world.own, start=start, end=end) == 0
    with scope(association=world.own):
        services.activity_update(actor=None, activity=year.cancelled, cancelled=False)
    assert selectors.activity_totals(association=world.own, start=start, end=end) == (1, 9)


# ---------------------------------------------------------------------------
# The rules


@pytest.mark.parametrize(
    ("women", "men", "ok"),
    [(6, 4, True), (3, None, True), (None, None, True), (6, 5, False), (11, None, False)],
)
def test_women_and_men_never_exceed_the_participants(
    world: World, women: int | None, men: int | None, ok: bool
) -> None:
    with scope(association=world.own):
        services.install_default_kinds(world.own)
        kind = ActivityKind.objects.get(association=world.own, code="seminarium")
        data = {
            "kind": kind,
            "title": "Seminarium om samverkan",
            "date": D(2024, 4, 2),
            "organiser": "Förbundet",
            "attendance": [AttendanceRow(world.member, 10, women, men)],
        }
        if ok:
            activity = services.activity_create(actor=None, association=world.own, **data)
            assert activity.attendance.get().participants == 10
            return
        with pytest.raises(ValidationError) as raised:
            services.activity_create(actor=None, association=world.own, **data)
    message = " ".join(raised.value.message_dict["attendance"])
    assert "Egna kommun" in message and "fler än deltagarna (10)" in message
    with scopes_disabled():
        assert not Activity.objects.exists()


def test_the_database_also_refuses_more_women_and_men_than_participants(world: World) -> None:
    with scopes_disabled():
        attendance = AttendanceFactory(
            activity=ActivityFactory(association=world.own), member=world.member, participants=5
        )
        attendance.women, attendance.men = 3, 3
        with pytest.raises(IntegrityError), transaction.atomic():
            attendance.save()


def test_an_insats_of_another_forbund_is_refused(world: World) -> None:
    with scopes_disabled():
        foreign = InterventionFactory(association=world.other, name="Annans insats")
    with scope(association=world.own):
        services.install_default_kinds(world.own)
        kind = ActivityKind.objects.get(association=world.own, code="workshop")
        with pytest.raises(ValidationError) as raised:
            services.activity_create(
                actor=None,
                association=world.own,
                kind=kind,
                title="Workshop",
                date=D(2024, 4, 2),
                organiser="Förbundet",
                intervention=foreign,
            )
    assert "intervention" in raised.value.message_dict


def test_a_kind_or_member_of_another_forbund_is_refused(world: World) -> None:
    with scopes_disabled():
        services.install_default_kinds(world.other)
        foreign_kind = ActivityKind.objects.get(association=world.other, code="workshop")
    with scope(association=world.own):
        services.install_default_kinds(world.own)
        with pytest.raises(ValidationError) as raised:
            services.activity_create(
                actor=None,
                association=world.own,
                kind=foreign_kind,
                title="Workshop",
                date=D(2024, 4, 2),
                organiser="Förbundet",
                attendance=[AttendanceRow(world.other_member, 3)],
            )
    assert set(raised.value.message_dict) == {"kind"}
    with scope(association=world.own):
        kind = ActivityKind.objects.get(association=world.own, code="workshop")
        with pytest.raises(ValidationError) as raised:
            services.activity_create(
                actor=None,
                association=world.own,
                kind=kind,
                title="Workshop",
                date=D(2024, 4, 2),
                organiser="Förbundet",
                attendance=[AttendanceRow(world.other_member, 3)],
            )
    assert "Andra kommun är inte medlem" in raised.value.message_dict["attendance"][0]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"end_date": D(2024, 4, 1)}, "end_date"),
        ({"starts_at": datetime.time(13), "ends_at": datetime.time(9)}, "ends_at"),
        ({"evaluation_score": Decimal("4.5")}, "evaluation_scale"),
        ({"evaluation_score": Decimal("5.5"), "evaluation_scale": 5}, "evaluation_score"),
        ({"evaluation_score": Decimal("0.5"), "evaluation_scale": 5}, "evaluation_score"),
        ({"title": "  "}, "title"),
        ({"organiser": ""}, "organiser"),
    ],
)
def test_dates_times_and_evaluation_are_checked(
    world: World, extra: dict[str, Any], field: str
) -> None:
    with scope(association=world.own):
        services.install_default_kinds(world.own)
        data: dict[str, Any] = {
            "kind": ActivityKind.objects.get(association=world.own, code="konferens"),
            "title": "Konferens",
            "date": D(2024, 4, 2),
            "organiser": "Förbundet",
            **extra,
        }
        with pytest.raises(ValidationError) as raised:
            services.activity_create(actor=None, association=world.own, **data)
    assert field in raised.value.message_dict


def test_changes_are_logged_with_the_attendance(world: World) -> None:
    chief = world.users["chief"]
    with scope(association=world.own):
        services.install_default_kinds(world.own)
        kind = ActivityKind.objects.get(association=world.own, code="frukostmote")
        activity = services.activity_create(
            actor=chief,
            association=world.own,
            kind=kind,
            title="Frukostmöte om BIP",
            date=D(2024, 9, 12),
            starts_at=datetime.time(8),
            organiser="Förbundet",
            attendance=[AttendanceRow(world.member, 6, 4, 2)],
        )
        assert activity.created_by == chief
        services.activity_update(
            actor=chief,
            activity=activity,
            attendance=[AttendanceRow(world.member, 7, 4, 2)],
            evaluation_score=Decimal("4.4"),
            evaluation_scale=5,
        )
        services.activity_delete(actor=chief, activity=activity)
    with scopes_disabled():
        entries = list(AuditEntry.objects.filter(association=world.own).order_by("pk"))
        assert not ActivityAttendance.objects.exists()
    assert [e.action for e in entries] == [
        "activity.created",
        "activity.updated",
        "activity.deleted",
    ]
    assert entries[0].changes["attendance"] == {"Egna kommun": [6, 4, 2]}
    assert entries[0].changes["starts_at"] == "08:00"
    assert entries[1].changes["attendance"] == [
        {"Egna kommun": [6, 4, 2]},
        {"Egna kommun": [7, 4, 2]},
    ]
    assert entries[1].changes["evaluation_score"] == [None, "4.4"]
    assert entries[0].actor == chief


def test_own_kinds_get_a_code_and_are_removed_only_when_unused(world: World) -> None:
    with scope(association=world.own):
        services.install_default_kinds(world.own)
        own = services.kind_create(actor=None, association=world.own, name="Samverkansutbildning")
        assert own.code == "samverkansutbildning" and not own.builtin
        with pytest.raises(ValidationError):
            services.kind_create(actor=None, association=world.own, name="samverkansutbildning")
        with pytest.raises(ValidationError):
            services.kind_create(actor=None, association=world.own, name="Seminarium")
        services.kind_rename(actor=None, kind=own, name="Samverkansutbildning (FINSAM)")
        own.refresh_from_db()
        assert own.code == "samverkansutbildning"  # indicators keep finding it
        builtin = ActivityKind.objects.get(association=world.own, code="seminarium")
        with pytest.raises(ValidationError):
            services.kind_rename(actor=None, kind=builtin, name="Seminarier")
        with pytest.raises(ValidationError):
            services.kind_delete(actor=None, kind=builtin)
        ActivityFactory(association=world.own, kind=own)
        with pytest.raises(ValidationError) as raised:
            services.kind_delete(actor=None, kind=own)
        assert "används av 1 aktiviteter" in raised.value.messages[0]
        Activity.objects.filter(kind=own).delete()
        services.kind_delete(actor=None, kind=own)
        assert not ActivityKind.objects.filter(pk=own.pk).exists()


# ---------------------------------------------------------------------------
# The goal map's `activities` metric


def _compute(world: World, code: str = "2024", **params: Any) -> metrics.MetricResult:
    period = period_from_code(association=world.own, code=code)
    return metrics.metric_compute(
        association=world.own, metric="activities", params=params, period=period
    )


def test_the_metric_counts_held_activities(world: World, year: Year) -> None:
    assert _compute(world).value == 5
    assert _compute(world, "2024-t1").value == 2
    assert _compute(world, "2024-t2").value == 4
    assert _compute(world, "2025").value == 1
    dialogues = _compute(world, kind="kunskapsdialog")
    assert dialogues.value == 2
    assert dialogues.breakdown == [("Kunskapsdialog under perioden", 2), ("Deltagare i dem", 28)]
    # The plan file may name a kind as written ("Frukostmöte") or by its code.
    assert _compute(world, kind="Frukostmöte").value == 1
    assert _compute(world, intervention="Tillitsbyrån").value == 1


def test_an_unknown_kind_is_not_measurable_with_a_reason(world: World, year: Year) -> None:
    result = _compute(world, kind="samverkansutbildning")
    assert not result.measurable and result.value is None
    assert "”samverkansutbildning” finns inte" in result.reason
    assert _compute(world, kind="workshop").value == 0
    # A built-in kind is known even before the förbund has used activities.
    assert (
        metrics.metric_compute(
            association=world.other,
            metric="activities",
            params={"kind": "konferens"},
            period=period_from_code(association=world.other, code="2024"),
        ).value
        == 0
    )


def test_an_indicator_of_at_least_four_activities_is_achieved_with_four(world: World) -> None:
    with scopes_disabled():
        goal_map = GoalMapFactory(association=world.own, year=2024)
        made = indicator(goal_map, "activities", target=(">=", "4"))
    with scope(association=world.own):
        services.install_default_kinds(world.own)
        kind = ActivityKind.objects.get(association=world.own, code="kunskapsdialog")
        for month in (2, 4, 9):
            services.activity_create(
                actor=None,
                association=world.own,
                kind=kind,
                title=f"Kunskapsdialog {month}",
                date=D(2024, month, 10),
                organiser="Förbundet",
            )
        services.activity_create(
            actor=None,
            association=world.own,
            kind=kind,
            title="Inställd kunskapsdialog",
            date=D(2024, 11, 10),
            organiser="Förbundet",
            cancelled=True,
        )
    period = period_from_code(association=world.own, code="2024")

    def status() -> Status:
        with scopes_disabled():
            return evaluation.indicator_evaluate(
                indicator=made, period=period, min_cell=5, today=LATER
            ).status

    assert status() == Status.NOT_ACHIEVED  # three held, one cancelled
    with scope(association=world.own):
        services.activity_create(
            actor=None,
            association=world.own,
            kind=kind,
            title="Kunskapsdialog i december",
            date=D(2024, 12, 5),
            organiser="Förbundet",
        )
    assert status() == Status.ACHIEVED
