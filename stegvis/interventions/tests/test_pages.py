"""The Insatser pages as members, the kansli and the board use them: forms and their
messages on the fields, who may change which insats, and the decision's exports."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from stegvis.associations.models import Membership
from stegvis.conftest import World
from stegvis.finance.models import BudgetAmount
from stegvis.interventions import services
from stegvis.interventions.forms_applications import application_years
from stegvis.interventions.models import (
    Application,
    ApplicationRound,
    Decision,
    DocumentReference,
    Intervention,
    InterventionStaff,
    Kind,
    Target,
)
from stegvis.interventions.tests.factories import (
    InterventionFactory,
    decide,
    parties,
    plan_of,
    prepared,
    round_of,
    submitted,
)

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
Status = Intervention.Status


def url(world: World, rest: str = "") -> str:
    return f"/f/{world.own.slug}/insatser/{rest}"


def text(response: Any) -> str:
    """The page's text without tags, runs of white space as one space."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(NBSP, " ")


def field_errors(response: Any, form: str = "form") -> dict[str, list[str]]:
    """The form's errors by field, non-breaking spaces as plain ones."""
    return {
        name: [str(error).replace(NBSP, " ") for error in errors]
        for name, errors in response.context[form].errors.items()
    }


def insats(world: World, *, staff: str | None = None, **values: Any) -> Intervention:
    with scope(association=world.own):
        intervention: Intervention = InterventionFactory(
            association=world.own, owner=world.member, **values
        )
        if staff:
            services.staff_add(actor=None, intervention=intervention, user=world.users[staff])
        return intervention


def other_insats(world: World) -> Intervention:
    with scope(association=world.other):
        intervention: Intervention = InterventionFactory(
            association=world.other, owner=world.other_member, name="Annans insats"
        )
        return intervention


def open_round(world: World, **values: Any) -> ApplicationRound:
    today = timezone.localdate()
    return round_of(
        world,
        opens=today - datetime.timedelta(days=10),
        closes=today + datetime.timedelta(days=20),
        **values,
    )


def represent_member(world: World, person: str = "intervention_owner") -> None:
    """The person represents the own förbund's municipality (as a member's user does)."""
    with scopes_disabled():
        Membership.objects.filter(association=world.own, user=world.users[person]).update(
            member=world.member
        )


def granted(world: World, **values: Any) -> Decision:
    """A partial grant of 'Stegen' for 2026–2027, written in a 2026–2027 budget."""
    plan_of(world)
    application = prepared(
        world,
        recommendation=Application.Recommendation.PARTIAL,
        recommended={2026: 1_000_000, 2027: 800_000},
    )
    return decide(
        world,
        application,
        outcome=Decision.Outcome.PARTIAL,
        granted={2026: 900_000, 2027: 700_000},
        **values,
    )


# ---------------------------------------------------------------------------
# The list


def test_list_shows_insatser_with_budget_and_totals(world: World, client_as: Any) -> None:
    decision = granted(world)
    insats(world, name="Tidigt stöd", kind=Kind.STRUCTURAL)
    response = client_as("reader").get(url(world))
    assert response.status_code == 200
    page = text(response)
    assert "Stegen" in page and "Tidigt stöd" in page
    assert "Budget (tkr) Planerade deltagare alla år 2026 2027" in page
    assert "2 insatser" in page
    # Stegen's granted money per year with its participants, the sum row, per year.
    assert "Stegen Individinriktad Egna kommun Beviljad 900 700 75" in page
    assert "Summa 900 700 75" in page
    assert "2026 900 40 2027 700 35" in page
    assert decision.intervention is not None


def test_list_filters_by_kind_status_member_and_year(world: World, client_as: Any) -> None:
    granted(world)
    insats(world, name="Tidigt stöd", kind=Kind.STRUCTURAL)
    client = client_as("reader")
    page = text(client.get(url(world), {"kind": Kind.STRUCTURAL}))
    assert "Tidigt stöd" in page and "Stegen" not in page
    page = text(client.get(url(world), {"status": Status.GRANTED, "year": 2027}))
    assert "Stegen" in page and "Tidigt stöd" not in page
    assert "Budget (tkr) Planerade deltagare 2027 2027 Stegen" in page
    page = text(client.get(url(world), {"member": parties(world).fk.pk}))
    assert "Stegen" in page and "Tidigt stöd" not in page
    assert "Inga insatser matchar urvalet" in text(
        client.get(url(world), {"kind": Kind.STRUCTURAL, "status": Status.GRANTED})
    )


def test_list_exports_to_excel_with_the_filters(world: World, client_as: Any) -> None:
    granted(world)
    insats(world, name="Tidigt stöd", kind=Kind.STRUCTURAL)
    response = client_as("reader").get(url(world, "export.xlsx"), {"kind": Kind.INDIVIDUAL})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Insats"
    assert "Budget 2026 (kr)" in rows[0]
    names = [row[0] for row in rows[1:] if row and row[0]]
    assert "Stegen" in names and "Tidigt stöd" not in names
    stegen = next(row for row in rows if row[0] == "Stegen")
    assert 900_000 in stegen and 700_000 in stegen
    assert any(str(row[0]).startswith("Urval: Slag: Individinriktad") for row in rows if row[0])


# ---------------------------------------------------------------------------
# One insats


def test_insats_page_shows_facts_budget_decisions_and_participants(
    world: World, client_as: Any
) -> None:
    decision = granted(world, reference="Dnr 2025/17")
    intervention = decision.intervention
    assert intervention is not None
    response = client_as("reader").get(url(world, f"{intervention.pk}/"))
    assert response.status_code == 200
    page = text(response)
    assert "Individinriktad" in page and "Egna kommun" in page and "Försäkringskassan" in page
    assert "Beviljad" in page
    assert "2026-01-01 – 2027-12-31" in page
    html = response.content.decode()
    assert f"/f/{world.own.slug}/ekonomi/2026/" in html  # the budget it is written in
    assert re.search(r"2026 900 Budget 2026", page), page
    assert f"/insatser/beslut/{decision.pk}/" in html
    assert "Delvis bifall" in page and "§ 42" in page
    assert "Dnr 2025/17" in page  # the decision's diarienummer among the documents
    assert "40" in page and "35" in page  # planned participants from the application
    # A reader changes nothing.
    assert "Ändra uppgifterna" not in page
    assert "Lägg till mätpunkt" not in page


def test_insatsansvarig_edits_own_insats(world: World, client_as: Any) -> None:
    intervention = insats(world, name="Stegen", staff="intervention_owner")
    client = client_as("intervention_owner")
    page = text(client.get(url(world, f"{intervention.pk}/")))
    assert "Ändra uppgifterna" in page and "Lägg till mätpunkt" in page
    response = client.post(
        url(world, f"{intervention.pk}/andra/"),
        {
            "name": "Stegen Karlstad",
            "kind": Kind.INDIVIDUAL,
            "focus": "Arbetsträning",
            "owner": world.member.pk,
            "members": [world.member.pk, parties(world).fk.pk],
            "start": "2026-01-01",
            "end": "2027-12-31",
            "reference": "Dnr 1",
        },
    )
    assert response.status_code == 302
    with scope(association=world.own):
        intervention.refresh_from_db()
        assert intervention.name == "Stegen Karlstad"
        assert intervention.focus == "Arbetsträning"
        assert set(intervention.members.values_list("name", flat=True)) == {
            "Egna kommun",
            "Försäkringskassan",
        }


def test_edit_shows_the_services_and_the_forms_messages_on_the_fields(
    world: World, client_as: Any
) -> None:
    insats(world, name="Annan")
    intervention = insats(world, name="Stegen")
    response = client_as("chief").post(
        url(world, f"{intervention.pk}/andra/"),
        {
            "name": "Annan",
            "kind": Kind.INDIVIDUAL,
            "owner": world.member.pk,
            "start": "2027-01-01",
            "end": "2026-01-01",
        },
    )
    assert response.status_code == 200
    errors = field_errors(response)
    assert errors["end"] == ["Insatsen kan inte sluta innan den börjar."]
    response = client_as("chief").post(
        url(world, f"{intervention.pk}/andra/"),
        {"name": "Annan", "kind": Kind.INDIVIDUAL, "owner": world.member.pk},
    )
    assert field_errors(response)["name"] == ["Det finns redan en insats med det namnet."]


def test_insatsansvarig_gets_403_for_someone_elses_insats(world: World, client_as: Any) -> None:
    mine = insats(world, name="Min", staff="intervention_owner")
    theirs = insats(world, name="Någon annans")
    client = client_as("intervention_owner")
    assert client.get(url(world, f"{theirs.pk}/")).status_code == 200  # reads it
    assert client.get(url(world, f"{theirs.pk}/andra/")).status_code == 403
    for rest, data in [
        ("status/", {"status": Status.PREPARED}),
        ("planerade-deltagare/", {"year": 2026, "count": 10}),
        ("matpunkter/", {"text": "t", "metric": "participants"}),
        ("handlingar/", {"reference": "1", "title": "t"}),
        ("styrgrupp/", {"person_name": "A", "function": "participant"}),
    ]:
        assert client.post(url(world, f"{theirs.pk}/{rest}"), data).status_code == 403, rest
    assert client.get(url(world, f"{mine.pk}/andra/")).status_code == 200


def test_other_associations_objects_are_404(world: World, client_as: Any) -> None:
    theirs = other_insats(world)
    with scope(association=world.other):
        other_round = ApplicationRound.objects.create(
            association=world.other,
            name="Annans omgång",
            opens=datetime.date(2025, 9, 1),
            closes=datetime.date(2025, 10, 31),
            amount_available=1,
        )
    client = client_as("chief")
    for rest in [
        f"{theirs.pk}/",
        f"{theirs.pk}/andra/",
        f"ansokningsomgangar/{other_round.pk}/",
        f"ansokningsomgangar/{other_round.pk}/ansok/",
    ]:
        assert client.get(url(world, rest)).status_code == 404, rest
    assert (
        client.post(url(world, f"{theirs.pk}/status/"), {"status": "prepared"}).status_code == 404
    )


def test_other_associations_application_and_decision_are_404(world: World, client_as: Any) -> None:
    decision = granted(world)
    # The chief of the other förbund asks for them through its own address.
    other = client_as("outsider")
    application_pk = decision.application_id
    for rest in [
        f"ansokningar/{application_pk}/",
        f"ansokningar/{application_pk}/beredning/",
        f"ansokningar/{application_pk}/beslut/",
        f"beslut/{decision.pk}/",
        f"beslut/{decision.pk}/protokollsutdrag.pdf",
        f"beslut/{decision.pk}/beslut.xlsx",
    ]:
        path = f"/f/{world.other.slug}/insatser/{rest}"
        assert other.get(path).status_code == 404, rest


def test_granted_insats_keeps_kind_and_esf(world: World, client_as: Any) -> None:
    intervention = granted(world).intervention
    assert intervention is not None
    client = client_as("chief")
    response = client.get(url(world, f"{intervention.pk}/andra/"))
    page = text(response)
    assert (
        "Slag och ESF-medfinansiering kan inte ändras när insatsen är beviljad – skapa en ny insats"
        in page
    )
    form = response.context["form"]
    assert form.fields["kind"].disabled and form.fields["esf_funded"].disabled
    # A posted change of a disabled field is ignored; the rest is saved.
    response = client.post(
        url(world, f"{intervention.pk}/andra/"),
        {
            "name": intervention.name,
            "kind": Kind.STRUCTURAL,
            "esf_funded": "on",
            "owner": world.member.pk,
            "focus": "Ny inriktning",
        },
    )
    assert response.status_code == 302
    with scope(association=world.own):
        intervention.refresh_from_db()
    assert intervention.kind == Kind.INDIVIDUAL and not intervention.esf_funded
    assert intervention.focus == "Ny inriktning"


def test_status_buttons_follow_the_machine(world: World, client_as: Any) -> None:
    intervention = granted(world).intervention
    assert intervention is not None
    with scope(association=world.own):
        services.staff_add(
            actor=None, intervention=intervention, user=world.users["intervention_owner"]
        )
    owner = client_as("intervention_owner")
    page = text(owner.get(url(world, f"{intervention.pk}/")))
    assert "Markera som pågående" in page and "Markera som avslutad" not in page
    response = owner.post(url(world, f"{intervention.pk}/status/"), {"status": Status.ONGOING})
    assert response.status_code == 302
    with scope(association=world.own):
        intervention.refresh_from_db()
    assert intervention.status == Status.ONGOING
    # A step the machine does not allow is refused with a message.
    response = owner.post(
        url(world, f"{intervention.pk}/status/"), {"status": Status.APPLIED}, follow=True
    )
    assert "kan inte få den statusen" in text(response)


def test_a_grant_is_the_boards_step_not_the_insatsansvarigs(world: World, client_as: Any) -> None:
    intervention = insats(world, staff="intervention_owner", status=Status.PREPARED)
    owner = client_as("intervention_owner")
    page = text(owner.get(url(world, f"{intervention.pk}/")))
    assert "Markera som beviljad" not in page
    response = owner.post(url(world, f"{intervention.pk}/status/"), {"status": Status.GRANTED})
    assert response.status_code == 403
    assert "Markera som beviljad" in text(client_as("chief").get(url(world, f"{intervention.pk}/")))


def test_targets_are_added_with_messages_on_the_fields_and_removed(
    world: World, client_as: Any
) -> None:
    intervention = insats(world, staff="intervention_owner")
    client = client_as("intervention_owner")
    response = client.post(
        url(world, f"{intervention.pk}/matpunkter/"),
        {"text": "90 % upplever stöd", "metric": "survey_agree_share", "op": ">=", "value": "0,9"},
    )
    assert response.status_code == 400
    errors = field_errors(response, "target_form")
    assert "detail" in errors, errors
    response = client.post(
        url(world, f"{intervention.pk}/matpunkter/"),
        {"text": "Minst 120 deltar", "metric": "participants", "op": ">=", "value": "120"},
    )
    assert response.status_code == 302
    with scope(association=world.own):
        target = Target.objects.get(intervention=intervention)
    assert target.value == 120
    page = text(client.get(url(world, f"{intervention.pk}/")))
    assert "Minst 120 deltar" in page and "Deltagare under perioden" in page
    response = client.post(url(world, f"{intervention.pk}/matpunkter/{target.pk}/ta-bort/"))
    assert response.status_code == 302
    with scope(association=world.own):
        assert not Target.objects.filter(intervention=intervention).exists()


def test_documents_steering_group_and_planned_participants(world: World, client_as: Any) -> None:
    intervention = insats(world, staff="intervention_owner")
    client = client_as("intervention_owner")
    base = url(world, f"{intervention.pk}/")
    response = client.post(f"{base}handlingar/", {"reference": "", "title": "Ansökan"})
    assert response.status_code == 400
    assert field_errors(response, "document_form")["reference"]
    assert (
        client.post(
            f"{base}handlingar/",
            {"reference": "Dnr 2025/3", "title": "Ansökan", "date": "2025-09-15"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}styrgrupp/",
            {"person_name": "Nils Lund", "function": "convener", "member": world.member.pk},
        ).status_code
        == 302
    )
    assert (
        client.post(f"{base}planerade-deltagare/", {"year": 2026, "count": 45}).status_code == 302
    )
    response = client.post(f"{base}planerade-deltagare/", {"year": 2026, "count": -1})
    assert response.status_code == 400
    assert field_errors(response, "planned_form")["count"]
    page = text(client.get(base))
    assert "Dnr 2025/3" in page and "Nils Lund" in page and "Sammankallande" in page
    assert "2026 45" in page
    with scope(association=world.own):
        intervention.refresh_from_db()
        assert intervention.steering_group is not None
        seat = intervention.steering_group.seats.get()
        document = DocumentReference.objects.get(intervention=intervention)
    assert client.post(f"{base}styrgrupp/{seat.pk}/ta-bort/").status_code == 302
    assert client.post(f"{base}handlingar/{document.pk}/ta-bort/").status_code == 302
    page = text(client.get(base))
    assert "Styrgruppen har inga ledamöter" in page  # the group stays, empty
    assert "Inga handlingar är registrerade" in page
    with scope(association=world.own):
        assert not intervention.steering_group.seats.exists()


def test_chief_connects_an_insatsansvarig_who_then_may_edit(world: World, client_as: Any) -> None:
    intervention = insats(world)
    owner = client_as("intervention_owner")
    assert owner.get(url(world, f"{intervention.pk}/andra/")).status_code == 403
    user = world.users["intervention_owner"]
    response = client_as("chief").post(
        url(world, f"{intervention.pk}/personal/"), {"user": user.pk}
    )
    assert response.status_code == 302
    assert owner.get(url(world, f"{intervention.pk}/andra/")).status_code == 200
    response = client_as("chief").post(
        url(world, f"{intervention.pk}/personal/"), {"user": user.pk}
    )
    assert field_errors(response, "staff_form")["user"] == ["Personen arbetar redan med insatsen."]
    assert (
        client_as("chief").post(url(world, f"{intervention.pk}/personal/{user.pk}/ta-bort/"))
    ).status_code == 302
    with scope(association=world.own):
        assert not InterventionStaff.objects.filter(intervention=intervention).exists()


def test_chief_registers_an_existing_insats(world: World, client_as: Any) -> None:
    client = client_as("chief")
    assert client.get(url(world, "ny/")).status_code == 200
    response = client.post(
        url(world, "ny/"),
        {"name": "Stegen Kristinehamn", "kind": Kind.INDIVIDUAL, "owner": world.member.pk},
    )
    assert response.status_code == 302
    with scope(association=world.own):
        intervention = Intervention.objects.get(name="Stegen Kristinehamn")
    assert intervention.status == Status.APPLIED
    assert response["Location"] == url(world, f"{intervention.pk}/")


# ---------------------------------------------------------------------------
# Rounds


def test_chief_creates_and_edits_a_round_in_tkr(world: World, client_as: Any) -> None:
    client = client_as("chief")
    response = client.post(
        url(world, "ansokningsomgangar/ny/"),
        {
            "name": "Ansökan 2027",
            "opens": "2026-09-01",
            "closes": "2026-08-01",
            "unit": "tkr",
            "amount_available": "3 000",
        },
    )
    assert response.status_code == 200
    assert field_errors(response)["closes"] == ["Omgången kan inte stänga innan den öppnar."]
    response = client.post(
        url(world, "ansokningsomgangar/ny/"),
        {
            "name": "Ansökan 2027",
            "opens": "2026-09-01",
            "closes": "2026-10-31",
            "unit": "tkr",
            "amount_available": "3 000,5",
        },
    )
    assert response.status_code == 302
    with scope(association=world.own):
        round = ApplicationRound.objects.get(name="Ansökan 2027")
    assert round.amount_available == 3_000_500
    response = client.post(
        url(world, f"ansokningsomgangar/{round.pk}/andra/"),
        {
            "name": "Ansökan 2027",
            "opens": "2026-09-01",
            "closes": "2026-11-15",
            "unit": "kr",
            "amount_available": "2 500 000",
        },
    )
    assert response.status_code == 302
    with scope(association=world.own):
        round.refresh_from_db()
    assert round.amount_available == 2_500_000 and round.closes == datetime.date(2026, 11, 15)
    page = text(client.get(url(world, f"ansokningsomgangar/{round.pk}/")))
    assert "Ansökningarna gäller 2027–2029" in page


def test_round_page_shows_applied_recommended_granted_against_available(
    world: World, client_as: Any
) -> None:
    decision = granted(world)
    round = decision.application.round
    submitted(world, title="Tillitsbyrå", round=round, years={2026: (500_000, 0)})
    response = client_as("reader").get(url(world, f"ansokningsomgangar/{round.pk}/"))
    page = text(response)
    assert "Tillgängligt 3 000 tkr" in page
    assert "Sökt 2 700 tkr" in page  # 1 200 + 1 000 + 500
    assert "Föreslaget av kansliet 1 800 tkr" in page
    assert "Beviljat av styrelsen 1 600 tkr" in page
    assert "Kvar att bevilja 1 400 tkr" in page
    assert "Stegen" in page and "Tillitsbyrå" in page
    workbook = load_workbook(
        io.BytesIO(
            client_as("reader")
            .get(url(world, f"ansokningsomgangar/{round.pk}/export.xlsx"))
            .content
        )
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Ansökan", "Sökande medlem")
    assert {row[0] for row in rows[1:3]} == {"Stegen", "Tillitsbyrå"}


# ---------------------------------------------------------------------------
# Applications


def application_data(world: World, years: list[int], **values: Any) -> dict[str, Any]:
    p = parties(world)
    data = {
        "title": "Stegen Hammarö",
        "kind": Kind.INDIVIDUAL,
        "sharing_members": [p.fk.pk, p.region.pk],
        "need": "Unga vuxna långt från arbetsmarknaden.",
        "goals": "Hälften går vidare till arbete eller studier.",
        "unit": "tkr",
        f"requested_{years[0]}": "1 200",
        f"participants_{years[0]}": "40",
        f"requested_{years[1]}": "1 000,5",
        f"participants_{years[1]}": "35",
    }
    data.update(values)
    return data


def test_member_applies_for_own_member_with_years_of_the_round(
    world: World, client_as: Any
) -> None:
    represent_member(world)
    round = open_round(world)
    years = application_years(round)
    client = client_as("intervention_owner")
    response = client.get(url(world, f"ansokningsomgangar/{round.pk}/ansok/"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.years == years and len(years) == 3
    assert form.fields["applicant"].disabled
    assert list(form.fields["applicant"].queryset) == [world.member]
    assert "received_on" not in form.fields
    page = text(response)
    assert "Minst två medlemmar måste dela behovet" in page  # the rule on the field
    assert f"Sökt belopp {years[0]}" in page
    # Another member posted as applicant is ignored: the applicant is one's own member.
    data = application_data(world, years, applicant=parties(world).fk.pk)
    response = client.post(url(world, f"ansokningsomgangar/{round.pk}/ansok/"), data)
    assert response.status_code == 302
    with scope(association=world.own):
        application = Application.objects.get(title="Stegen Hammarö")
        assert application.applicant == world.member
        assert application.submitted_by == world.users["intervention_owner"]
        assert {y.year: (y.requested, y.planned_participants) for y in application.years.all()} == {
            years[0]: (1_200_000, 40),
            years[1]: (1_000_500, 35),
        }
    assert response["Location"] == url(world, f"ansokningar/{application.pk}/")


def test_two_member_rule_and_year_errors_show_on_their_fields(world: World, client_as: Any) -> None:
    represent_member(world)
    round = open_round(world)
    years = application_years(round)
    client = client_as("intervention_owner")
    data = application_data(
        world,
        years,
        sharing_members=[],
        **{
            f"requested_{years[0]}": "mycket",
            f"requested_{years[1]}": "",
            f"participants_{years[1]}": "3",
        },
    )
    response = client.post(url(world, f"ansokningsomgangar/{round.pk}/ansok/"), data)
    assert response.status_code == 200
    errors = field_errors(response)
    assert errors[f"requested_{years[0]}"] == ["Inte ett tal: ”mycket”."]
    assert errors[f"requested_{years[1]}"] == [
        f"Ange sökt belopp för {years[1]}, eller lämna året tomt."
    ]
    rule = "Minst två medlemmar måste dela behovet – ange minst en medlem till utöver den sökande."
    assert errors["sharing_members"] == [rule]
    assert 'id="id_sharing_members_error"' in response.content.decode()
    # A member's user is not offered their own member: it applies already.
    form = response.context["form"]
    assert world.member not in form.fields["sharing_members"].queryset
    # The kansli may name the applicant among the sharing members: the service's rule
    # counts it once, and its message lands on the same field.
    data = application_data(
        world, years, applicant=world.member.pk, sharing_members=[world.member.pk]
    )
    response = client_as("chief").post(url(world, f"ansokningsomgangar/{round.pk}/ansok/"), data)
    assert response.status_code == 200
    assert field_errors(response)["sharing_members"] == [rule]
    with scope(association=world.own):
        assert not Application.objects.exists()


def test_without_a_member_or_outside_the_round_a_member_cannot_apply(
    world: World, client_as: Any
) -> None:
    round = open_round(world)
    client = client_as("intervention_owner")
    response = client.get(url(world, f"ansokningsomgangar/{round.pk}/ansok/"))
    assert "Du företräder ingen medlem" in text(response)
    assert "form" not in response.context
    represent_member(world)
    closed = round_of(world)  # 2025
    response = client.get(url(world, f"ansokningsomgangar/{closed.pk}/ansok/"))
    assert "Ansökningar tas emot bara medan den är öppen" in text(response)


def test_kansli_registers_an_application_for_any_member_that_came_in_time(
    world: World, client_as: Any
) -> None:
    round = round_of(world)  # 2025-09-01 – 2025-10-31, closed now
    years = application_years(round)
    p = parties(world)
    data = application_data(
        world,
        years,
        applicant=p.fk.pk,
        sharing_members=[world.member.pk],
        received_on="2025-10-30",
    )
    response = client_as("chief").post(url(world, f"ansokningsomgangar/{round.pk}/ansok/"), data)
    assert response.status_code == 302
    with scope(association=world.own):
        application = Application.objects.get()
    assert application.applicant == p.fk
    assert application.received_on == datetime.date(2025, 10, 30)
    data["title"] = "Sen ansökan"
    data["received_on"] = "2025-11-02"
    response = client_as("chief").post(url(world, f"ansokningsomgangar/{round.pk}/ansok/"), data)
    assert "är öppen" in text(response)


# ---------------------------------------------------------------------------
# Beredning and decision


def test_kansli_prepares_with_amounts_per_year(world: World, client_as: Any) -> None:
    application = submitted(world)
    client = client_as("chief")
    path = url(world, f"ansokningar/{application.pk}/beredning/")
    page = text(client.get(path))
    assert "Unga vuxna långt från arbetsmarknaden." in page
    response = client.post(
        path,
        {
            "notes": "Behovet delas.",
            "recommendation": "partial",
            "unit": "tkr",
            "recommended_2026": "1 500",
            "recommended_2027": "800",
        },
    )
    assert response.status_code == 200
    assert field_errors(response)["recommended_2026"] == [
        "Beloppet kan inte vara större än det sökta (1 200 000 kr)."
    ]
    response = client.post(
        path,
        {
            "notes": "Behovet delas.",
            "recommendation": "partial",
            "unit": "tkr",
            "recommended_2026": "1 000",
            "recommended_2027": "800",
        },
    )
    assert response.status_code == 302
    with scope(association=world.own):
        application.refresh_from_db()
        assert {y.year: y.recommended for y in application.years.all()} == {
            2026: 1_000_000,
            2027: 800_000,
        }
    assert application.status == Application.Status.PREPARED
    page = text(client_as("reader").get(url(world, f"ansokningar/{application.pk}/")))
    assert "Förslag till beslut: Delvis bifall" in page and "Behovet delas." in page
    assert client_as("intervention_owner").get(path).status_code == 403


def test_meeting_lists_prepared_applications_with_a_form_for_the_chief(
    world: World, client_as: Any
) -> None:
    application = prepared(
        world, recommendation="partial", recommended={2026: 1_000_000, 2027: 800_000}
    )
    response = client_as("chief").get(url(world, "styrelsen/"))
    page = text(response)
    assert "Stegen" in page and "Kansliets förslag Delvis bifall" in page
    assert "3 000 tkr tillgängligt, 0 tkr beviljat hittills, 3 000 tkr kvar" in page
    form = response.context["items"][0][2]
    assert form.initial["outcome"] == "partial"
    assert f'name="ansokan-{application.pk}-granted_2026"' in response.content.decode()
    reader = client_as("reader").get(url(world, "styrelsen/"))
    assert "Stegen" in text(reader)
    assert "granted_2026" not in reader.content.decode()  # the board reads; the chief records


def test_chief_records_a_partial_grant_once(world: World, client_as: Any) -> None:
    plan = plan_of(world)
    application = prepared(
        world, recommendation="partial", recommended={2026: 1_000_000, 2027: 800_000}
    )
    prefix = f"ansokan-{application.pk}"
    data = {
        f"{prefix}-meeting_date": "2025-11-20",
        f"{prefix}-paragraph": "§ 42",
        f"{prefix}-outcome": "partial",
        f"{prefix}-unit": "tkr",
        f"{prefix}-granted_2026": "900",
        f"{prefix}-granted_2027": "700",
        f"{prefix}-conditions": "Redovisning efter första året.",
        f"{prefix}-reference": "Dnr 2025/17",
    }
    client = client_as("chief")
    path = url(world, f"ansokningar/{application.pk}/beslut/")
    response = client.post(path, data)
    assert response.status_code == 302
    with scope(association=world.own):
        decision = Decision.objects.get()
        intervention = decision.intervention
        assert intervention is not None and intervention.status == Status.GRANTED
        assert {y.year: y.granted for y in decision.years.all()} == {2026: 900_000, 2027: 700_000}
        amounts = dict(
            BudgetAmount.objects.filter(line__plan=plan, line__name="Stegen").values_list(
                "year", "amount"
            )
        )
    assert amounts == {2026: 900_000, 2027: 700_000}
    assert response["Location"] == url(world, f"beslut/{decision.pk}/")
    # Sent again (a double click): still one decision, and a message saying so.
    response = client.post(path, data, follow=True)
    assert "Beslutet var redan infört" in text(response)
    # A different decision on the decided application: the service's message.
    response = client.post(path, {**data, f"{prefix}-outcome": "reject"})
    assert response.status_code == 200
    assert "Ansökan är redan beslutad" in text(response)
    with scope(association=world.own):
        assert Decision.objects.count() == 1
    page = text(client.get(url(world, f"beslut/{decision.pk}/")))
    assert "Styrelsen beslutar att delvis bevilja ansökan från Egna kommun" in page
    assert "Redovisning efter första året." in page


def test_decision_form_shows_messages_on_the_fields(world: World, client_as: Any) -> None:
    plan_of(world)
    application = prepared(world)
    prefix = f"ansokan-{application.pk}"
    response = client_as("chief").post(
        url(world, f"ansokningar/{application.pk}/beslut/"),
        {
            f"{prefix}-meeting_date": "2025-11-20",
            f"{prefix}-paragraph": "",
            f"{prefix}-outcome": "partial",
            f"{prefix}-unit": "kr",
            f"{prefix}-granted_2026": "2 000 000",
        },
    )
    assert response.status_code == 200
    errors = field_errors(response)
    assert "paragraph" in errors
    response = client_as("chief").post(
        url(world, f"ansokningar/{application.pk}/beslut/"),
        {
            f"{prefix}-meeting_date": "2025-11-20",
            f"{prefix}-paragraph": "§ 3",
            f"{prefix}-outcome": "partial",
            f"{prefix}-unit": "kr",
            f"{prefix}-granted_2026": "2 000 000",
        },
    )
    assert field_errors(response)["granted_2026"] == [
        "Beloppet kan inte vara större än det sökta (1 200 000 kr)."
    ]
    assert (
        client_as("reader").get(url(world, f"ansokningar/{application.pk}/beslut/")).status_code
        == 403
    )


# ---------------------------------------------------------------------------
# The decision's protocol extract and Excel


def test_decision_pdf_is_a_protocol_extract_with_the_paragraph(
    world: World, client_as: Any, tmp_path: Any
) -> None:
    decision = granted(world, paragraph="§ 42")
    response = client_as("reader").get(url(world, f"beslut/{decision.pk}/protokollsutdrag.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 5_000
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return  # poppler-utils is not installed: the size above has to do
    path = tmp_path / "beslut.pdf"
    path.write_bytes(response.content)
    content = subprocess.run(  # noqa: S603 - a fixed program on a file the test wrote
        [pdftotext, "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Protokollsutdrag" in content
    assert "§ 42" in content
    assert world.own.name in content
    assert "2025-11-20" in content
    assert "900 000" in content.replace(NBSP, " ")
    assert "Sida 1 av 1" in content


def test_decision_exports_to_excel(world: World, client_as: Any) -> None:
    decision = granted(world)
    response = client_as("reader").get(url(world, f"beslut/{decision.pk}/beslut.xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Beslut", "Belopp per år"]
    facts: dict[Any, Any] = dict(workbook["Beslut"].iter_rows(min_row=2, values_only=True))
    assert facts["Paragraf"] == "§ 42"
    assert facts["Beslut"] == "Delvis bifall"
    amounts = list(workbook["Belopp per år"].iter_rows(min_row=2, values_only=True))
    assert amounts[0] == (2026, 1_200_000, 1_000_000, 900_000)
    assert amounts[-1] == ("Summa", 2_200_000, None, 1_600_000)


def test_the_kansli_extends_the_list_of_target_groups(world: World, client_as: Any) -> None:
    path = f"/f/{world.own.slug}/insatser/malgrupper/"
    chief = client_as("chief")
    # A förbund without målgrupper (a factory's) gets none from opening the page.
    assert "Unga vuxna 16–29 år" not in chief.get(path).content.decode()
    with scope(association=world.own):
        services.target_groups_ensure(association=world.own)  # as on creation
    assert "Unga vuxna 16–29 år" in chief.get(path).content.decode()
    assert chief.post(path, {"name": "Föräldralediga"}).status_code == 302
    again = chief.post(path, {"name": "föräldralediga"})
    assert again.context["form"].errors == {"name": ["Målgruppen finns redan i listan."]}
    reader = client_as("reader")
    assert "Föräldralediga" in reader.get(path).content.decode()
    assert reader.post(path, {"name": "Smygande"}).status_code == 403
