"""Konsultationsteam: the rules of the services (representatives replaced, attendance
only for the representatives of the day, cancelled meetings, rates from a date), the
meeting form with attendance and case counts in one transaction, and the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from stegvis.associations.models import WorkingGroup
from stegvis.associations.tests.factories import WorkingGroupFactory
from stegvis.audit.models import AuditEntry
from stegvis.conftest import World
from stegvis.structural import services_teams as services
from stegvis.structural.models import (
    ConsultationTeam,
    FinancingRate,
    MeetingAttendance,
    MeetingCases,
    TeamMeeting,
    TeamRepresentative,
)
from stegvis.structural.services_teams import Presence
from stegvis.structural.tests.factories_teams import TeamYear, team_year

D = datetime.date


@pytest.fixture
def year(world: World) -> TeamYear:
    return team_year(world.own, kommun=world.member)


def url(world: World, rest: str) -> str:
    return f"/f/{world.own.slug}/samverkan/konsultationsteam/{rest}"


def meeting_post(
    year: TeamYear, day: str, present: list[TeamRepresentative], **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": day,
        "shown_date": day,
        "starts_at": "09:00",
        "duration_minutes": "120",
        "notes": "Två nya ärenden om samordning av sjukskrivning.",
    }
    for person in present:
        data[f"attended_{person.pk}"] = "on"
    data.update(extra)
    return data


# ---------------------------------------------------------------------------
# Services


def test_a_meeting_stores_attendance_for_everyone_appointed_and_the_case_counts(
    world: World, year: TeamYear
) -> None:
    with scope(association=world.own):
        meeting = services.meeting_create(
            actor=world.users["chief"],
            team=year.team,
            date=D(2024, 6, 12),
            attendance={year.bertil.pk: Presence(True), year.david.pk: Presence(True, Decimal(1))},
            cases={year.kommun.pk: (3, 1), year.af.pk: (0, 0)},
        )
        rows = {
            row.representative.name: (row.attended, row.hours)
            for row in MeetingAttendance.objects.filter(meeting=meeting)
        }
        cases = list(
            MeetingCases.objects.filter(meeting=meeting).values_list(
                "member__name", "new_cases", "follow_up_cases"
            )
        )
    # Anna left in March: she has no row; Cecilia and Eva were appointed and absent.
    assert rows == {
        "Bertil Berg": (True, None),
        "Cecilia Cederlund": (False, None),
        "David Dahl": (True, Decimal(1)),
        "Eva Ek": (False, None),
    }
    assert cases == [(year.kommun.name, 3, 1)]  # a member with no cases has no row
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="team_meeting.created")
    assert entry.changes["attendance"]["Bertil Berg (Försäkringskassan)"] == "närvarande"


def test_attendance_of_someone_not_representative_on_the_date_is_refused(
    world: World, year: TeamYear
) -> None:
    with scope(association=world.own), pytest.raises(ValidationError) as raised:
        services.meeting_create(
            actor=None,
            team=year.team,
            date=D(2024, 6, 12),
            attendance={year.anna.pk: Presence(True)},
        )
    assert "Anna Andersson var inte representant den 2024-06-12" in str(raised.value)
    with scopes_disabled():
        assert not TeamMeeting.objects.filter(date=D(2024, 6, 12)).exists()


def test_attendance_is_recorded_only_once_the_meeting_has_been_held(
    world: World, year: TeamYear
) -> None:
    with scope(association=world.own):
        with pytest.raises(ValidationError, match="först när mötet har hållits"):
            services.meeting_create(
                actor=None,
                team=year.team,
                date=D(2024, 9, 1),
                attendance={year.bertil.pk: Presence(True)},
                today=D(2024, 8, 30),
            )
        planned = services.meeting_create(
            actor=None, team=year.team, date=D(2024, 9, 1), today=D(2024, 8, 30)
        )
        assert planned.attendance.count() == 0


def test_a_representative_of_another_team_is_refused(world: World, year: TeamYear) -> None:
    with scope(association=world.own):
        other = services.team_create(actor=None, association=world.own, name="Team Syd")
        stranger = services.representative_add(
            actor=None, team=other, member=year.af, name="Sara Syd", valid_from=D(2024, 1, 1)
        )
        with pytest.raises(ValidationError, match="inte representant i teamet"):
            services.meeting_create(
                actor=None,
                team=year.team,
                date=D(2024, 6, 12),
                attendance={stranger.pk: Presence(True)},
            )


def test_replacing_a_representative_ends_the_old_the_day_before(
    world: World, year: TeamYear
) -> None:
    with scope(association=world.own):
        successor = services.representative_replace(
            actor=world.users["chief"],
            representative=year.david,
            on=D(2024, 6, 1),
            name="Dora Dalin",
            title="Arbetsterapeut",
        )
        year.david.refresh_from_db()
    assert year.david.valid_to == D(2024, 5, 31)
    assert (successor.valid_from, successor.valid_to, successor.member) == (
        D(2024, 6, 1),
        None,
        year.region,
    )
    assert successor.replaces == year.david
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="team_representative.replaced").exists()


def test_a_replacement_before_recorded_attendance_is_refused(world: World, year: TeamYear) -> None:
    with scope(association=world.own), pytest.raises(ValidationError) as raised:
        services.representative_replace(
            actor=None, representative=year.david, on=D(2024, 5, 1), name="Dora Dalin"
        )
    assert "2024-05-08" in str(raised.value)


def test_a_replaced_representative_cannot_be_replaced_again(world: World, year: TeamYear) -> None:
    with scope(association=world.own), pytest.raises(ValidationError, match="redan"):
        services.representative_replace(
            actor=None, representative=year.anna, on=D(2024, 3, 10), name="Ny Person"
        )


def test_ending_a_representative_keeps_recorded_attendance_inside(
    world: World, year: TeamYear
) -> None:
    with scope(association=world.own):
        with pytest.raises(ValidationError, match="2024-04-10"):
            services.representative_end(actor=None, representative=year.eva, on=D(2024, 4, 5))
        services.representative_end(actor=None, representative=year.eva, on=D(2024, 5, 31))
        year.eva.refresh_from_db()
    assert year.eva.valid_to == D(2024, 5, 31)


def test_a_cancelled_meeting_keeps_its_record(world: World, year: TeamYear) -> None:
    meeting = year.meetings[4]
    with scope(association=world.own):
        services.meeting_cancel(actor=None, meeting=meeting, reason="Sjukdom i teamet")
        with pytest.raises(ValidationError, match="redan inställt"):
            services.meeting_cancel(actor=None, meeting=meeting)
        meeting.refresh_from_db()
        assert meeting.cancelled and meeting.cancel_reason == "Sjukdom i teamet"
        assert meeting.attendance.count() == 4


def test_a_new_rate_ends_the_current_one_of_the_same_team_and_member(
    world: World, year: TeamYear
) -> None:
    with scope(association=world.own):
        services.rate_create(
            actor=None,
            association=world.own,
            team=None,
            member=None,
            unit="meeting",
            amount=1600,
            valid_from=D(2025, 1, 1),
        )
        every = list(
            FinancingRate.objects.filter(team=None, member=None).values_list(
                "amount", "valid_from", "valid_to"
            )
        )
        with pytest.raises(ValidationError, match="2025-01-01"):
            services.rate_create(
                actor=None,
                association=world.own,
                team=None,
                member=None,
                unit="meeting",
                amount=1700,
                valid_from=D(2024, 6, 1),
            )
    assert sorted(every) == [
        (1500, D(2024, 1, 1), D(2024, 12, 31)),
        (1600, D(2025, 1, 1), None),
    ]


def test_a_team_refuses_a_working_group_of_another_kind(world: World) -> None:
    with scope(association=world.own):
        board = WorkingGroup.objects.get(association=world.own, name="Styrelse")
        with pytest.raises(ValidationError, match="konsultationsteam"):
            services.team_create(
                actor=None, association=world.own, name="Team", working_group=board
            )


# ---------------------------------------------------------------------------
# Pages


def test_chief_records_a_meeting_with_attendance_and_cases_in_one_form(
    world: World, year: TeamYear, client_as: Any
) -> None:
    client = client_as("chief")
    page = client.get(url(world, f"{year.team.pk}/mote/nytt/?datum=2024-06-12"))
    assert page.status_code == 200
    html = page.content.decode()
    # The form lists the representatives of the day, not Anna who left in March.
    assert "Bertil Berg" in html
    assert f'name="attended_{year.anna.pk}"' in html  # present but hidden …
    assert "hidden" in html.split(f'name="attended_{year.anna.pk}"')[0].rsplit("<tr", 1)[1]
    data = meeting_post(
        year,
        "2024-06-12",
        [year.bertil, year.cecilia],
        **{f"hours_{year.cecilia.pk}": "1,5", f"new_{year.kommun.pk}": "2"},
    )
    response = client.post(url(world, f"{year.team.pk}/mote/nytt/"), data)
    assert response.status_code == 302
    with scopes_disabled():
        meeting = TeamMeeting.objects.get(date=D(2024, 6, 12))
        assert response["Location"].endswith(f"/konsultationsteam/mote/{meeting.pk}/")
        present = set(
            meeting.attendance.filter(attended=True).values_list("representative__name", "hours")
        )
        assert present == {("Bertil Berg", None), ("Cecilia Cederlund", Decimal("1.5"))}
        assert meeting.cases.get().new_cases == 2
    detail = client.get(response["Location"]).content.decode()
    assert "2 av 4 representanter var närvarande" in detail
    assert "1,5" in detail


def test_the_form_refuses_attendance_for_a_representative_not_valid_on_the_date(
    world: World, year: TeamYear, client_as: Any
) -> None:
    client = client_as("chief")
    data = meeting_post(year, "2024-06-12", [year.anna, year.bertil])
    response = client.post(url(world, f"{year.team.pk}/mote/nytt/"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anna Andersson var inte representant för Försäkringskassan den 2024-06-12" in html
    with scopes_disabled():
        assert not TeamMeeting.objects.filter(date=D(2024, 6, 12)).exists()


def test_a_changed_date_shows_the_representatives_of_that_day_before_saving(
    world: World, year: TeamYear, client_as: Any
) -> None:
    client = client_as("chief")
    data = meeting_post(year, "2024-03-01", [])
    data["shown_date"] = "2024-06-12"  # the page showed June's representatives
    response = client.post(url(world, f"{year.team.pk}/mote/nytt/"), data)
    assert response.status_code == 200
    assert "Representanterna för 2024-03-01 visas nu" in response.content.decode()


def test_editing_a_meeting_replaces_its_attendance(
    world: World, year: TeamYear, client_as: Any
) -> None:
    meeting = year.meetings[5]  # 8 May: Bertil and David present
    client = client_as("chief")
    form = client.get(url(world, f"mote/{meeting.pk}/andra/")).content.decode()
    assert f'name="attended_{year.bertil.pk}" id="id_attended_{year.bertil.pk}" checked' in form
    data = meeting_post(year, "2024-05-08", [year.cecilia, year.eva])
    response = client.post(url(world, f"mote/{meeting.pk}/andra/"), data)
    assert response.status_code == 302
    with scopes_disabled():
        assert set(
            meeting.attendance.filter(attended=True).values_list("representative__name", flat=True)
        ) == {"Cecilia Cederlund", "Eva Ek"}
        assert AuditEntry.objects.filter(action="team_meeting.updated").exists()


def test_cancelling_a_meeting_through_its_page(
    world: World, year: TeamYear, client_as: Any
) -> None:
    meeting = year.meetings[4]
    client = client_as("chief")
    assert client.get(url(world, f"mote/{meeting.pk}/stall-in/")).status_code == 200
    response = client.post(url(world, f"mote/{meeting.pk}/stall-in/"), {"reason": "Helgdag"})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Mötet ställdes in" in detail and "Helgdag" in detail


def test_team_page_shows_representatives_meetings_and_attendance_over_time(
    world: World, year: TeamYear, client_as: Any
) -> None:
    html = client_as("reader").get(url(world, f"{year.team.pk}/?period=2024-t1")).content.decode()
    assert "Ersatt av Bertil Berg" in html
    assert "2024-03-27" in html and "Inställt" in html
    # Per member over the tertial: FK 4 of 4, AF 3 of 4 (75 %).
    assert "75\u00a0%" in html
    assert "<svg" in html and 'role="img"' in html
    assert "ej representerad" not in html
    assert "/byt/" not in html and "Nytt möte" not in html  # the reader changes nothing


def test_team_export_has_meetings_attendance_and_cases(
    world: World, year: TeamYear, client_as: Any
) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_as("chief").get(url(world, f"{year.team.pk}/export.xlsx?period=2024-t1"))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Möten", "Närvaro per medlem", "Närvaro per månad", "Ärenden"]
    cases = list(book["Ärenden"].iter_rows(min_row=2, values_only=True))
    assert (world.member.name, 3, 3) in cases


def test_chief_adds_and_replaces_a_representative_through_the_pages(
    world: World, year: TeamYear, client_as: Any
) -> None:
    client = client_as("chief")
    response = client.post(
        url(world, f"{year.team.pk}/representant/ny/"),
        {
            "member": year.af.pk,
            "name": "Fredrik Fors",
            "title": "Arbetsförmedlare",
            "valid_from": "2024-09-01",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        fredrik = TeamRepresentative.objects.get(name="Fredrik Fors")
    response = client.post(
        url(world, f"representant/{fredrik.pk}/byt/"),
        {"on": "2024-10-01", "name": "Gun Grön", "title": ""},
    )
    assert response.status_code == 302
    page = client.get(url(world, f"{year.team.pk}/?period=2024")).content.decode()
    assert "Ersatt av Gun Grön" in page


def test_chief_creates_and_edits_a_team(world: World, client_as: Any) -> None:
    with scopes_disabled():
        group = WorkingGroupFactory(
            association=world.own,
            kind=WorkingGroup.Kind.CONSULTATION,
            name="Konsultationsteam Väst",
        )
    client = client_as("chief")
    response = client.post(
        url(world, "nytt/"),
        {
            "name": "Team Väst",
            "description": "Unga vuxna",
            "working_group": group.pk,
            "active": "on",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        team = ConsultationTeam.objects.get(name="Team Väst")
    assert team.working_group == group
    response = client.post(url(world, f"{team.pk}/andra/"), {"name": "Team Väst", "active": ""})
    assert response.status_code == 302
    with scopes_disabled():
        team.refresh_from_db()
    assert not team.active
    listing = client.get(url(world, "")).content.decode()
    assert "Team Väst" in listing and "Vilande" in listing


def test_the_same_team_name_twice_is_refused(world: World, year: TeamYear, client_as: Any) -> None:
    response = client_as("chief").post(url(world, "nytt/"), {"name": "konsultationsteam mitt"})
    assert response.status_code == 200
    assert "Det finns redan ett konsultationsteam med namnet" in response.content.decode()


def test_another_forbunds_team_and_meeting_answer_404(world: World, client_as: Any) -> None:
    other = team_year(world.other)
    client = client_as("chief")
    assert client.get(url(world, f"{other.team.pk}/")).status_code == 404
    assert client.get(url(world, f"mote/{other.meetings[0].pk}/")).status_code == 404
    assert client.get(url(world, f"finansiering/?team={other.team.pk}")).status_code == 404
    response = client.post(
        url(world, f"representant/{other.anna.pk}/byt/"), {"on": "2024-02-01", "name": "X"}
    )
    assert response.status_code == 404


def test_a_registrar_sees_the_teams_but_not_the_financing(
    world: World, year: TeamYear, client_as: Any
) -> None:
    client = client_as("participant_registrar")
    page = client.get(url(world, f"{year.team.pk}/"))
    assert page.status_code == 200
    assert "Finansieringsunderlag" not in page.content.decode()
    assert client.get(url(world, "finansiering/")).status_code == 403
    assert client.get(url(world, "finansiering/export.xlsx")).status_code == 403
