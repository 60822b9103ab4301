"""Avvikelser and guldkorn through their pages: reporting without personal data, who
sees which case, the kansli's handling with its history, the export and categories."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from stegvis.associations.models import WorkingGroup
from stegvis.associations.services import association_starting_point
from stegvis.audit.models import AuditEntry
from stegvis.conftest import World
from stegvis.structural import services_deviations as services
from stegvis.structural.models import Deviation, DeviationCategory
from stegvis.structural.tests.factories_deviations import case, category, impossible_number, insats

D = datetime.date
NAME_WARNING = "Texten ser ut att innehålla ett namn: ”Anna Svensson”."
CONFIRM = "Jag har kontrollerat att texten inte innehåller personuppgifter"


def url(world: World, rest: str = "") -> str:
    return f"/f/{world.own.slug}/samverkan/avvikelser/{rest}"


def html(response: Any) -> str:
    return response.content.decode()


def report_data(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "kind": "deviation",
        "intervention": "",
        "occurred_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "title": "Remissen kom inte fram",
        "description": "Remissen från vårdcentralen kom aldrig fram till kommunen.",
        "members": [world.member.pk],
        "category": category(world.own, "Remiss och överlämning").pk,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def cases() -> list[Deviation]:
    with scopes_disabled():
        return list(Deviation.objects.order_by("pk"))


def actions() -> list[str]:
    with scopes_disabled():
        return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


@pytest.fixture
def stegen(world: World) -> Any:
    """An insats the insatsansvarig and the deltagaransvarig work on."""
    return insats(world, "Stegen", "intervention_owner", "participant_registrar")


@pytest.fixture
def grannen(world: World) -> Any:
    """An insats neither of them works on."""
    return insats(world, "Grannen")


# ---------------------------------------------------------------------------
# Reporting without personal data


def test_staff_of_an_insats_report_a_deviation(world: World, client_as: Any, stegen: Any) -> None:
    association_starting_point(association=world.own)  # as the förbund was created
    client = client_as("participant_registrar")
    page = html(client.get(url(world, "ny/")))
    # The only insats they work on is chosen for them; the categories are the defaults.
    assert f'<option value="{stegen.pk}" selected>Stegen</option>' in page
    assert "Remiss och överlämning" in page and "Tillgänglighet" in page
    assert CONFIRM not in page
    response = client.post(url(world, "ny/"), report_data(world, intervention=stegen.pk))
    assert response.status_code == 302
    (made,) = cases()
    assert (made.kind, made.status, made.intervention, made.reported_by) == (
        "deviation",
        "reported",
        stegen,
        world.users["participant_registrar"],
    )
    assert made.reported_on == timezone.localdate()
    with scopes_disabled():
        assert list(made.members.all()) == [world.member]
    detail = html(client.get(response["Location"]))
    assert "Avvikelsen är rapporterad" in detail and "Rapporterad" in detail
    assert actions()[-1] == "deviation.reported"


def test_a_personal_number_is_refused_naming_the_field_without_repeating_it(
    world: World, client_as: Any
) -> None:
    number = impossible_number(month="13")
    text = f"Deltagaren {number} fick vänta på beslut från parterna."
    response = client_as("intervention_owner").post(
        url(world, "ny/"), report_data(world, description=text)
    )
    page = html(response)
    assert response.status_code == 200 and not cases()
    assert number not in page and number[-4:] not in page
    assert "Det är borttaget ur texten nedan" in page
    assert "[personnummer borttaget] fick vänta på beslut" in page
    # The message stands under the field it is about.
    field = page[page.index('for="id_description"') :]
    assert field.index("personnummer") < field.index('for="id_occurred_on"')
    # A refusal is not a warning: there is nothing to confirm it away with.
    assert CONFIRM not in page
    again = client_as("intervention_owner").post(
        url(world, "ny/"), report_data(world, description=text, confirm_no_personal_data="on")
    )
    assert again.status_code == 200 and not cases()


def test_a_name_gives_a_warning_and_is_taken_once_confirmed(world: World, client_as: Any) -> None:
    client = client_as("chief")
    text = "Mötet med Anna Svensson på vårdcentralen ställdes in två gånger."
    first = client.post(url(world, "ny/"), report_data(world, description=text))
    page = html(first)
    assert first.status_code == 200 and not cases()
    assert NAME_WARNING in page
    assert CONFIRM in page
    # Taking the name out is enough …
    fixed = client.post(
        url(world, "ny/"),
        report_data(world, description="Mötet på vårdcentralen ställdes in två gånger."),
    )
    assert fixed.status_code == 302
    # … and so is confirming that it is not a person's.
    confirmed = client.post(
        url(world, "ny/"), report_data(world, description=text, confirm_no_personal_data="on")
    )
    assert confirmed.status_code == 302
    assert [made.description for made in cases()][-1] == text


def test_the_förbunds_own_names_are_not_taken_for_a_person(world: World) -> None:
    with scopes_disabled():
        services.categories_ensure(association=world.own)
        made = services.deviation_report(
            actor=None,
            association=world.own,
            kind="good_example",
            title="Egna Kommun och Styrelse i samma rum",
            description="Samarbetet mellan Egna kommun och Styrelse Egna fungerade.",
            occurred_on=D(2024, 3, 1),
            reported_on=D(2024, 3, 2),
            category=DeviationCategory.objects.get(association=world.own, name="Övrigt"),
        )
    assert made.kind == "good_example"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"occurred_on": "2099-01-01"}, "occurred_on", "efter att det rapporterades"),
        ({"occurred_on": "2001-01-01"}, "occurred_on", "mer än 5 år bakåt"),
        ({"title": ""}, "title", "Detta fält måste fyllas i."),
        ({"kind": "klagomål"}, "kind", "Välj ett giltigt alternativ"),
    ],
)
def test_report_errors_name_their_field(
    world: World, client_as: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    response = client_as("chief").post(url(world, "ny/"), report_data(world, **changes))
    assert response.status_code == 200 and not cases()
    assert message in str(response.context["form"].errors[field])


def test_a_retired_category_cannot_be_chosen(world: World, client_as: Any) -> None:
    retired = category(world.own, "Regelverk")
    with scopes_disabled():
        services.category_update(
            actor=None, category=retired, name="Regelverk", position=5, active=False
        )
    client = client_as("chief")
    assert "Regelverk" not in html(client.get(url(world, "ny/")))
    response = client.post(url(world, "ny/"), report_data(world, category=retired.pk))
    assert "category" in response.context["form"].errors


# ---------------------------------------------------------------------------
# Who reports for which insats, who sees which case


def test_a_registrar_cannot_report_for_someone_elses_insats(
    world: World, client_as: Any, stegen: Any, grannen: Any
) -> None:
    client = client_as("participant_registrar")
    assert "Grannen" not in html(client.get(url(world, "ny/")))
    response = client.post(url(world, "ny/"), report_data(world, intervention=grannen.pk))
    assert response.status_code == 200 and not cases()
    assert "intervention" in response.context["form"].errors
    # Without an insats is fine.
    assert client.post(url(world, "ny/"), report_data(world)).status_code == 302


def test_the_kansli_reports_for_any_insats(world: World, client_as: Any, grannen: Any) -> None:
    response = client_as("chief").post(
        url(world, "ny/"), report_data(world, intervention=grannen.pk)
    )
    assert response.status_code == 302
    assert cases()[0].intervention == grannen


def test_a_registrar_sees_only_what_they_reported(
    world: World, client_as: Any, stegen: Any
) -> None:
    registrar = world.users["participant_registrar"]
    mine = case(world.own, title="Min rapport", reported_by=registrar, intervention=stegen)
    others = case(world.own, title="Kansliets rapport", reported_by=world.users["chief"])
    same_insats = case(
        world.own,
        title="Insatsansvarigs rapport",
        reported_by=world.users["intervention_owner"],
        intervention=stegen,
    )
    client = client_as("participant_registrar")
    page = html(client.get(url(world)))
    assert "Min rapport" in page
    assert "Kansliets rapport" not in page and "Insatsansvarigs rapport" not in page
    assert "Rapporterad av" not in page  # nobody's name in the list
    assert client.get(url(world, f"{mine.pk}/")).status_code == 200
    assert client.get(url(world, f"{others.pk}/")).status_code == 404
    assert client.get(url(world, f"{same_insats.pk}/")).status_code == 404
    export = client.get(url(world, "export.csv")).content.decode("utf-8-sig")
    assert "Min rapport" in export and "Kansliets rapport" not in export


def test_an_intervention_owner_also_sees_the_cases_of_their_insats(
    world: World, client_as: Any, stegen: Any, grannen: Any
) -> None:
    on_stegen = case(
        world.own,
        title="Om Stegen",
        reported_by=world.users["participant_registrar"],
        intervention=stegen,
    )
    on_grannen = case(world.own, title="Om Grannen", intervention=grannen)
    client = client_as("intervention_owner")
    page = html(client.get(url(world)))
    assert "Om Stegen" in page and "Om Grannen" not in page
    detail = html(client.get(url(world, f"{on_stegen.pk}/")))
    # Who reported is for the kansli only.
    assert "Rapporterad av" not in detail
    assert client.get(url(world, f"{on_grannen.pk}/")).status_code == 404


def test_the_board_is_sent_to_the_learning_overview(world: World, client_as: Any) -> None:
    response = client_as("reader").get(url(world))
    assert response.status_code == 302
    assert response["Location"] == url(world, "larande/")


def test_another_förbunds_case_answers_404(world: World, client_as: Any) -> None:
    theirs = case(world.other, title="Annans")
    client = client_as("chief")
    assert client.get(url(world, f"{theirs.pk}/")).status_code == 404
    assert client.get(url(world, f"{theirs.pk}/hantera/")).status_code == 404
    assert "Annans" not in html(client.get(url(world)))


# ---------------------------------------------------------------------------
# Handling


def handle_data(**changes: Any) -> dict[str, Any]:
    data = {
        "status": "in_progress",
        "handled_by": "",
        "measures": "",
        "learning": "",
        "closed_on": "",
        "title": "Remissen kom inte fram",
        "description": "Överlämningen mellan parterna dröjde.",
    }
    data.update(changes)
    return data


def test_the_kansli_handles_and_closes_a_case_with_its_history(
    world: World, client_as: Any, stegen: Any
) -> None:
    with scopes_disabled():
        styrgrupp = WorkingGroup.objects.create(
            association=world.own, kind="steering", name="Styrgrupp Stegen"
        )
        stegen.steering_group = styrgrupp
        stegen.save()
    made = case(
        world.own,
        reported_by=world.users["participant_registrar"],
        intervention=stegen,
        reported_on=timezone.localdate(),
    )
    client = client_as("chief")
    form = html(client.get(url(world, f"{made.pk}/hantera/")))
    # The insats's styrgrupp is suggested.
    assert f'<option value="{styrgrupp.pk}" selected>Styrgrupp Stegen</option>' in form

    response = client.post(
        url(world, f"{made.pk}/hantera/"),
        handle_data(handled_by=styrgrupp.pk, measures="Rutinen för remisser ses över."),
    )
    assert response.status_code == 302
    assert "Rapporterad → Under hantering" in html(client.get(response["Location"]))

    # An avvikelse is not closed without its learning.
    refused = client.post(
        url(world, f"{made.pk}/hantera/"), handle_data(status="closed", handled_by=styrgrupp.pk)
    )
    assert refused.status_code == 200
    assert "Skriv lärdomen" in str(refused.context["form"].errors["learning"])

    closed = client.post(
        url(world, f"{made.pk}/hantera/"),
        handle_data(
            status="closed",
            handled_by=styrgrupp.pk,
            measures="Rutinen för remisser ses över.",
            learning="En gemensam kontaktperson per part gör att remisser inte faller mellan stolarna.",
        ),
    )
    assert closed.status_code == 302
    with scopes_disabled():
        made.refresh_from_db()
        versions = list(made.history.order_by("history_date").values_list("status", flat=True))
    assert (made.status, made.closed_on, made.handled_by) == (
        "closed",
        timezone.localdate(),
        styrgrupp,
    )
    assert versions == ["reported", "in_progress", "closed"]
    assert actions()[-2:] == ["deviation.handled", "deviation.closed"]
    with scopes_disabled():
        entry = AuditEntry.objects.filter(action="deviation.closed").get()
    assert entry.changes["status"] == ["in_progress", "closed"]
    assert entry.changes["texts"] == ["learning"]
    assert "stolarna" not in str(entry.changes)  # free texts stay out of the log

    # The reporter sees the outcome and the history, not who handled it.
    page = html(client_as("participant_registrar").get(url(world, f"{made.pk}/")))
    assert "Avslutad" in page and "faller mellan stolarna" in page
    assert "Historik" in page and page.count("<time") == 3


def test_reopening_clears_the_closing_date(world: World) -> None:
    made = case(
        world.own,
        kind="good_example",
        status="closed",
        closed_on=D(2024, 3, 12),
        learning="Bra exempel.",
    )
    with scopes_disabled():
        services.deviation_handle(
            actor=None,
            deviation=made,
            status="in_progress",
            handled_by=None,
            measures="",
            learning="Bra exempel.",
        )
        made.refresh_from_db()
    assert (made.status, made.closed_on) == ("in_progress", None)
    assert actions()[-1] == "deviation.reopened"


def test_a_closing_date_before_the_report_is_refused(world: World) -> None:
    made = case(world.own, kind="good_example", reported_on=D(2024, 3, 10))
    with scopes_disabled(), pytest.raises(Exception) as raised:
        services.deviation_handle(
            actor=None,
            deviation=made,
            status="closed",
            handled_by=None,
            measures="",
            learning="",
            closed_on=D(2024, 3, 1),
        )
    assert "före det rapporterades" in str(raised.value)


def test_a_corrected_text_leaves_no_trace_in_the_history(world: World, client_as: Any) -> None:
    made = case(world.own, description="Mötet med Anna Svensson ställdes in.")
    with scopes_disabled():
        # A second version, as if handled once with the name still in the text.
        services.deviation_handle(
            actor=None,
            deviation=made,
            status="in_progress",
            handled_by=None,
            measures="",
            learning="",
        )
    response = client_as("chief").post(
        url(world, f"{made.pk}/hantera/"),
        handle_data(description="Mötet med handläggaren ställdes in."),
    )
    assert response.status_code == 302
    with scopes_disabled():
        texts = set(made.history.values_list("description", flat=True))
    assert texts == {"Mötet med handläggaren ställdes in."}
    assert "deviation.text_corrected" in actions()


def test_handling_text_with_a_name_needs_confirmation(world: World, client_as: Any) -> None:
    made = case(world.own)
    client = client_as("chief")
    data = handle_data(measures="Per Holm på Försäkringskassan kontaktar vårdcentralen.")
    warned = client.post(url(world, f"{made.pk}/hantera/"), data)
    assert warned.status_code == 200
    assert "”Per Holm”" in html(warned) and CONFIRM in html(warned)
    data["confirm_no_personal_data"] = "on"
    assert client.post(url(world, f"{made.pk}/hantera/"), data).status_code == 302


# ---------------------------------------------------------------------------
# Export and categories


def test_the_export_has_the_list_with_its_filters(
    world: World, client_as: Any, stegen: Any
) -> None:
    case(world.own, title="Remissen", reported_by=world.users["participant_registrar"])
    case(world.own, title="Bra möte", kind="good_example", reported_by=world.users["chief"])
    client = client_as("chief")
    text = client.get(url(world, "export.csv")).content.decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert header[:3] == ["Slag", "Status", "Rubrik"] and header[-1] == "Rapporterad av"
    assert "Remissen" in text and "Bra möte" in text
    only_good = client.get(url(world, "export.csv?kind=good_example")).content.decode("utf-8-sig")
    assert "Bra möte" in only_good and "Remissen" not in only_good
    workbook = client.get(url(world, "export.xlsx?kind=good_example"))
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(url(world, "export.pdf")).status_code == 404
    # Reporters get no reporter column.
    registrar = client_as("participant_registrar").get(url(world, "export.csv"))
    assert "Rapporterad av" not in registrar.content.decode("utf-8-sig")


def test_the_list_filters_by_kind_status_category_and_year(world: World, client_as: Any) -> None:
    case(world.own, title="Gammal", reported_on=D(2023, 5, 1))
    case(world.own, title="Ny tillgänglighet", category_name="Tillgänglighet")
    case(world.own, title="Avslutad", status="closed", closed_on=D(2024, 4, 1), learning="x")
    client = client_as("chief")

    def titles(query: str) -> set[str]:
        rows = client.get(url(world, query)).context["rows"]
        return {row.title for row in rows}

    assert titles("") == {"Gammal", "Ny tillgänglighet", "Avslutad"}
    assert titles("?year=2023") == {"Gammal"}
    assert titles("?status=closed") == {"Avslutad"}
    tillganglighet = category(world.own, "Tillgänglighet")
    assert titles(f"?category={tillganglighet.pk}") == {"Ny tillgänglighet"}
    assert titles("?kind=good_example") == set()


def test_the_kansli_keeps_the_categories(world: World, client_as: Any) -> None:
    association_starting_point(association=world.own)  # as the förbund was created
    client = client_as("chief")
    page = html(client.get(url(world, "kategorier/")))
    assert "Information/kommunikation" in page and "6 kategorier" in page
    assert client.post(url(world, "kategorier/"), {"name": "Sekretess"}).status_code == 302
    duplicate = client.post(url(world, "kategorier/"), {"name": "sekretess"})
    assert "finns redan" in html(duplicate)
    sekretess = category(world.own, "Sekretess")
    response = client.post(
        url(world, f"kategorier/{sekretess.pk}/"),
        {"name": "Sekretess och samtycke", "position": 3, "active": ""},
    )
    assert response.status_code == 302
    with scopes_disabled():
        sekretess.refresh_from_db()
    assert (sekretess.name, sekretess.active) == ("Sekretess och samtycke", False)
    theirs = category(world.other, "Övrigt")
    assert client.get(url(world, f"kategorier/{theirs.pk}/")).status_code == 404
