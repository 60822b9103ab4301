"""The Aktiviteter pages and the Samverkan start page as people use them: the kansli
registers an activity with its attendance per member, everyone in Samverkan reads the
list, its counts and exports, and sees what is coming on the start page."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from stegvis.associations.tests.factories import MemberFactory
from stegvis.conftest import World
from stegvis.interventions.tests.factories import InterventionFactory
from stegvis.structural import services_activities as services
from stegvis.structural.models.activities import Activity, ActivityKind
from stegvis.structural.models.deviations import Deviation
from stegvis.structural.services_activities import AttendanceRow
from stegvis.structural.tests.factories_activities import activities_path
from stegvis.structural.tests.factories_deviations import case
from stegvis.structural.tests.factories_surveys import make_round
from stegvis.structural.tests.factories_teams import MeetingFactory, TeamFactory

D = datetime.date


def base(world: World) -> str:
    return f"/f/{world.own.slug}/samverkan/"


def text(response: Any) -> str:
    """The page's text, tags removed, spaces normalised."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


@pytest.fixture
def kinds(world: World) -> dict[str, ActivityKind]:
    with scopes_disabled():
        services.install_default_kinds(world.own)
        return {k.code: k for k in ActivityKind.objects.filter(association=world.own)}


@pytest.fixture
def region(world: World) -> Any:
    with scopes_disabled():
        return MemberFactory(association=world.own, name="Region Test", kind="region")


def form_data(world: World, kinds: dict[str, ActivityKind], **changes: Any) -> dict[str, Any]:
    """The activity form as the chief fills it in, the attendance rows in the order of
    the förbund's members (staten, region, kommuner)."""
    with scopes_disabled():
        members = list(world.own.members.all())
    data: dict[str, Any] = {
        "kind": kinds["kunskapsdialog"].pk,
        "title": "Kunskapsdialog: psykisk ohälsa och arbete",
        "date": "2024-03-20",
        "starts_at": "13:00",
        "ends_at": "16:00",
        "end_date": "",
        "place": "Karlstad, Stadshuset",
        "organiser": "Samordningsförbundet Eget",
        "intervention": "",
        "description": "Föreläsning och samtal i grupper.",
        "other_participants": "2",
        "other_participants_note": "Brukarorganisationer",
        "evaluation_score": "4,3",
        "evaluation_scale": "5",
        "evaluation_responses": "18",
        "narvaro-TOTAL_FORMS": str(len(members)),
        "narvaro-INITIAL_FORMS": str(len(members)),
        "narvaro-MIN_NUM_FORMS": "0",
        "narvaro-MAX_NUM_FORMS": "1000",
    }
    for index, member in enumerate(members):
        data.update(
            {
                f"narvaro-{index}-member_id": str(member.pk),
                f"narvaro-{index}-participants": "",
                f"narvaro-{index}-women": "",
                f"narvaro-{index}-men": "",
            }
        )
    data.update(changes)
    return data


def _index(world: World, name: str) -> int:
    with scopes_disabled():
        members = list(world.own.members.all())
    return [m.name for m in members].index(name)


def test_the_chief_registers_an_activity_with_attendance_per_member(
    world: World, client_as: Any, kinds: dict[str, ActivityKind], region: Any
) -> None:
    own, reg = _index(world, "Egna kommun"), _index(world, "Region Test")
    page = client_as("chief").get(f"{base(world)}aktiviteter/ny/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Egna kommun" in html and "Region Test" in html
    assert 'value="Samordningsförbundet Eget"' in html  # the förbund as organiser by default
    response = client_as("chief").post(
        f"{base(world)}aktiviteter/ny/",
        form_data(
            world,
            kinds,
            **{
                f"narvaro-{own}-participants": "12",
                f"narvaro-{own}-women": "8",
                f"narvaro-{own}-men": "3",
                f"narvaro-{reg}-participants": "5",
            },
        ),
    )
    assert response.status_code == 302, text(response)[:2000]
    with scopes_disabled():
        activity = Activity.objects.get(association=world.own)
        rows = {row.member.name: row for row in activity.attendance.select_related("member")}
    assert response["Location"].endswith(f"/aktiviteter/{activity.pk}/")
    assert (rows["Egna kommun"].participants, rows["Egna kommun"].women) == (12, 8)
    assert rows["Region Test"].participants == 5 and rows["Region Test"].women is None
    assert activity.evaluation_score == Decimal("4.3") and activity.starts_at == datetime.time(13)
    detail = text(client_as("reader").get(response["Location"]))
    assert "Kunskapsdialog: psykisk ohälsa och arbete" in detail
    assert "4,3 på skalan 1–5" in detail and "18 svar" in detail
    assert "Summa 19 8 3" in detail  # 12 + 5 + 2 others; 8 women, 3 men where known


def test_more_women_and_men_than_participants_is_refused_naming_the_member(
    world: World, client_as: Any, kinds: dict[str, ActivityKind]
) -> None:
    own = _index(world, "Egna kommun")
    response = client_as("chief").post(
        f"{base(world)}aktiviteter/ny/",
        form_data(
            world,
            kinds,
            **{
                f"narvaro-{own}-participants": "4",
                f"narvaro-{own}-women": "3",
                f"narvaro-{own}-men": "2",
            },
        ),
    )
    assert response.status_code == 200
    assert "Egna kommun: kvinnor och män (5) är fler än deltagarna (4)." in text(response)
    with scopes_disabled():
        assert not Activity.objects.exists()


def test_an_insats_of_another_forbund_cannot_be_chosen(
    world: World, client_as: Any, kinds: dict[str, ActivityKind]
) -> None:
    with scopes_disabled():
        foreign = InterventionFactory(association=world.other, name="Annans insats")
        InterventionFactory(association=world.own, name="Egen insats")
    form = text(client_as("chief").get(f"{base(world)}aktiviteter/ny/"))
    assert "Egen insats" in form and "Annans insats" not in form
    response = client_as("chief").post(
        f"{base(world)}aktiviteter/ny/", form_data(world, kinds, intervention=str(foreign.pk))
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in text(response)
    with scopes_disabled():
        assert not Activity.objects.exists()


def _year(world: World, kinds: dict[str, ActivityKind], region: Any) -> dict[str, Activity]:
    """Three activities in 2024 (one cancelled) and one planned in 2025."""
    made = {}
    with scope(association=world.own):
        insats = InterventionFactory(association=world.own, name="Tillitsbyrån")
        for key, code, on, attendance, extra in (
            ("seminar", "seminarium", D(2024, 2, 8), [(world.member, 12), (region, 6)], {}),
            (
                "dialog",
                "kunskapsdialog",
                D(2024, 6, 12),
                [(world.member, 10)],
                {"intervention": insats},
            ),
            ("breakfast", "frukostmote", D(2024, 9, 5), [(region, 9)], {"cancelled": True}),
            ("next", "seminarium", D(2025, 2, 1), [], {}),
        ):
            made[key] = services.activity_create(
                actor=None,
                association=world.own,
                kind=kinds[code],
                title=f"{kinds[code].name} {on.isoformat()}",
                date=on,
                organiser="Förbundet",
                attendance=[AttendanceRow(m, n) for m, n in attendance],
                **extra,
            )
    return made


def test_the_list_shows_the_year_its_counts_and_filters(
    world: World, client_as: Any, kinds: dict[str, ActivityKind], region: Any
) -> None:
    made = _year(world, kinds, region)
    page = text(client_as("reader").get(f"{base(world)}aktiviteter/?year=2024"))
    assert "Aktiviteter 2024" in page
    assert made["seminar"].title in page and made["breakfast"].title in page
    assert made["next"].title not in page
    assert "Inställd" in page
    # Per kind and period: the cancelled breakfast is not counted.
    assert "Seminarium 1 18 1 18 1 18" in page
    assert "Kunskapsdialog 0 0 1 10 1 10" in page
    assert "Summa 1 18 2 28 2 28" in page
    assert "Frukostmöte 0" not in page
    # Per member.
    assert "Region Test 1 6" in page
    # Filtered by kind and by insats.
    by_kind = text(
        client_as("reader").get(
            f"{base(world)}aktiviteter/?year=2024&kind={kinds['seminarium'].pk}"
        )
    )
    assert made["seminar"].title in by_kind and made["dialog"].title not in by_kind
    insats = made["dialog"].intervention
    by_insats = text(
        client_as("reader").get(f"{base(world)}aktiviteter/?year=2024&intervention={insats.pk}")
    )
    assert made["dialog"].title in by_insats and made["seminar"].title not in by_insats
    # Readers see no forms.
    assert "Registrera aktivitet" not in page


def test_the_list_and_the_counts_export_to_csv_and_excel(
    world: World, client_as: Any, kinds: dict[str, ActivityKind], region: Any
) -> None:
    made = _year(world, kinds, region)
    response = client_as("reader").get(f"{base(world)}aktiviteter/export.csv?year=2024")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="aktiviteter-2024.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[:3] == ["Datum", "Slutdatum", "Börjar"]
    assert "Deltagare: Egna kommun" in header and "Deltagare: Region Test" in header
    seminar = next(row for row in rows if row[5] == made["seminar"].title)
    assert seminar[header.index("Deltagare totalt")] == "18"
    assert seminar[header.index("Deltagare: Region Test")] == "6"
    breakfast = next(row for row in rows if row[5] == made["breakfast"].title)
    assert breakfast[header.index("Inställd")] == "Ja"

    workbook = openpyxl.load_workbook(
        io.BytesIO(
            client_as("reader")
            .get(f"{base(world)}aktiviteter/sammanstallning.xlsx?year=2024")
            .content
        )
    )
    assert workbook.sheetnames == ["Per slag och period 2024", "Per medlem 2024"]
    by_kind = [
        list(row) for row in workbook["Per slag och period 2024"].iter_rows(values_only=True)
    ]
    assert by_kind[0][:4] == [
        "Slag",
        "Kod",
        "Tertial 1 2024: aktiviteter",
        "Tertial 1 2024: deltagare",
    ]
    assert by_kind[1][:2] == ["Seminarium", "seminarium"]
    assert by_kind[3][:2] == ["Summa", ""] or by_kind[3][0] == "Summa"
    assert by_kind[3][-2:] == [2, 28]
    members = [list(row) for row in workbook["Per medlem 2024"].iter_rows(values_only=True)]
    assert ["Region Test", 1, 6, None, None] in members

    counts_csv = client_as("reader").get(f"{base(world)}aktiviteter/sammanstallning.csv?year=2024")
    assert (
        counts_csv.content.decode("utf-8-sig")
        .splitlines()[1]
        .startswith("Seminarium;seminarium;1;18")
    )
    assert client_as("reader").get(f"{base(world)}aktiviteter/export.pdf").status_code == 404


def test_the_chief_edits_attendance_and_deletes_an_activity(
    world: World, client_as: Any, kinds: dict[str, ActivityKind], region: Any
) -> None:
    made = _year(world, kinds, region)
    seminar = made["seminar"]
    url = f"{base(world)}aktiviteter/{seminar.pk}/andra/"
    form = client_as("chief").get(url)
    assert 'value="12"' in form.content.decode()
    reg = _index(world, "Region Test")
    response = client_as("chief").post(
        url,
        form_data(
            world,
            kinds,
            kind=str(kinds["seminarium"].pk),
            title=seminar.title,
            date="2024-02-08",
            **{f"narvaro-{reg}-participants": "7"},
        ),
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert {row.member.name: row.participants for row in seminar.attendance.all()} == {
            "Region Test": 7
        }
    response = client_as("chief").post(f"{base(world)}aktiviteter/{seminar.pk}/ta-bort/")
    assert response.status_code == 302 and response["Location"].endswith("?year=2024")
    with scopes_disabled():
        assert not Activity.objects.filter(pk=seminar.pk).exists()


def test_the_forbund_adds_a_kind_of_its_own(
    world: World, client_as: Any, kinds: dict[str, ActivityKind]
) -> None:
    url = f"{base(world)}aktiviteter/slag/"
    page = text(client_as("chief").get(url))
    assert "Kunskapsdialog" in page and "kunskapsdialog" in page
    response = client_as("chief").post(url, {"name": "Samverkansutbildning"})
    assert response.status_code == 302
    with scopes_disabled():
        own = ActivityKind.objects.get(association=world.own, name="Samverkansutbildning")
    assert own.code == "samverkansutbildning"
    again = client_as("chief").post(url, {"name": "samverkansutbildning"})
    assert "Det finns redan ett slag som heter" in text(again)
    response = client_as("chief").post(f"{url}{own.pk}/ta-bort/")
    assert response.status_code == 302
    with scopes_disabled():
        assert not ActivityKind.objects.filter(pk=own.pk).exists()


def test_the_start_page_lists_what_is_coming_in_the_next_sixty_days(
    world: World, client_as: Any, kinds: dict[str, ActivityKind]
) -> None:
    today = timezone.localdate()
    with scope(association=world.own):
        for title, days, cancelled in (
            ("Frukostmöte om BIP", 3, False),
            ("Inställd workshop", 10, True),
            ("Konferens i höst", 75, False),
            ("Seminarium förra veckan", -7, False),
        ):
            services.activity_create(
                actor=None,
                association=world.own,
                kind=kinds["frukostmote"],
                title=title,
                date=today + datetime.timedelta(days=days),
                starts_at=datetime.time(8, 30),
                organiser="Förbundet",
                cancelled=cancelled,
            )
    page = text(client_as("participant_registrar").get(base(world)))
    assert "Frukostmöte om BIP" in page and "kl. 08:30" in page
    assert "Inställd workshop" in page and "Inställd" in page
    assert "Konferens i höst" not in page
    assert "Seminarium förra veckan" not in page
    week = (today + datetime.timedelta(days=3)).isocalendar().week
    assert f"Vecka {week}" in page
    # The activities card: held this year, and a nudge for the kansli only.
    assert "saknar närvaro" not in page
    chief_page = text(client_as("chief").get(base(world)))
    if (today - datetime.timedelta(days=7)).year == today.year:
        assert "1 genomförd aktivitet saknar närvaro" in chief_page


def test_the_start_page_shows_meetings_and_survey_rounds_and_a_card_for_each_part(
    world: World, client_as: Any
) -> None:
    today = timezone.localdate()
    with scopes_disabled():
        team = TeamFactory(association=world.own, name="Konsultationsteam Karlstad")
        MeetingFactory(
            team=team, date=today + datetime.timedelta(days=5), starts_at=datetime.time(13)
        )
        MeetingFactory(team=team, date=today + datetime.timedelta(days=90))
        other_team = TeamFactory(association=world.other, name="Annans team")
        MeetingFactory(team=other_team, date=today + datetime.timedelta(days=5))
        case(world.own, title="Öppen avvikelse", reported_on=today)
        case(world.own, title="Guldkorn", kind=Deviation.Kind.GOOD_EXAMPLE, reported_on=today)
    make_round(
        world.own,
        title="Samverkansenkät till chefer",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=20),
    )
    page = text(client_as("reader").get(base(world)))
    assert "Konsultationsteam Karlstad" in page and "kl. 13:00–15:00" in page
    assert "Annans team" not in page
    assert "Enkäten stänger Samverkansenkät till chefer" in page
    # The cards: one meeting coming, one open deviation, one round open.
    assert "Konsultationsteam 1 möte de närmaste 60 dagarna" in page
    assert "Avvikelser och guldkorn 1 öppen avvikelse" in page
    assert "Samverkansenkäter 1 enkätomgång tar emot svar nu" in page
    # A board member is sent to the learning overview, staff to the cases.
    html = client_as("reader").get(base(world)).content.decode()
    assert f"/f/{world.own.slug}/samverkan/avvikelser/larande/" in html
    assert "Till lärandeöversikten" in html
    assert "Till avvikelser och guldkorn" in text(
        client_as("participant_registrar").get(base(world))
    )


def test_another_forbunds_activity_cannot_be_changed_or_removed(
    world: World, client_as: Any
) -> None:
    for rest in (
        "{other_activity}/ta-bort/",
        "slag/{other_kind}/ta-bort/",
        "{other_activity}/andra/",
    ):
        assert client_as("chief").post(activities_path(world, rest)).status_code == 404
