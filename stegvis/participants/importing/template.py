"""The Excel template of the participant file: the header row in the spec's order,
drop-down lists for the coded columns and a sheet of instructions in Swedish.

Examples stand only on the instruction sheet: a row on the first sheet would be
imported."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from django_scopes import scope
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from stegvis.associations.models import Association, Member
from stegvis.participants.importing import columns as c

TEMPLATE_ROWS = 5000  # how far down the drop-down lists reach
LISTS = "Listor"


def _instructions(municipalities: list[str], members: list[str]) -> dict[str, tuple[str, str]]:
    """Column → (what it holds, an example)."""
    none = _("(förbundet har inga ännu)")
    return {
        c.CODE: (
            _(
                "Insatsens egen kod för deltagaren: 1–40 tecken av A–Z, a–z, 0–9, - och _. "
                "Unik i filen. Aldrig personnummer eller namn – ett värde som ser ut som ett "
                "personnummer tas inte emot. Finns koden redan i insatsen uppdateras deltagaren."
            ),
            "STG-0042",
        ),
        c.GENDER: (_("Ett av: %(codes)s.") % {"codes": ", ".join(c.GENDERS)}, "kvinna"),
        c.BIRTH_YEAR: (
            _(
                "Födelseår med fyra siffror. Deltagaren ska vara 15–70 år vid startdatum "
                "(startåret minus födelseåret)."
            ),
            "1988",
        ),
        c.MUNICIPALITY: (
            _("Namnet på en kommun som är medlem i förbundet: %(names)s.")
            % {"names": ", ".join(municipalities) or none},
            municipalities[0] if municipalities else "",
        ),
        c.REFERRER: (
            _("Namnet på en medlem, egen anmälan eller annan. Medlemmar: %(names)s.")
            % {"names": ", ".join(members) or none},
            "egen anmälan",
        ),
        c.START: (
            _("Datum då deltagaren började, ÅÅÅÅ-MM-DD (en datumcell i Excel går också bra)."),
            "2024-03-01",
        ),
        c.SUPPORT_AT_START: (
            _(
                "En eller flera av: %(codes)s. Flera skiljs med komma i Excel och i en "
                "semikolonavgränsad CSV, med semikolon i en kommaavgränsad CSV."
            )
            % {"codes": ", ".join(c.SUPPORTS)},
            "sjukpenning, ekonomiskt bistånd",
        ),
        c.EMPLOYMENT_AT_START: (
            _("En av: %(codes)s.") % {"codes": ", ".join(c.EMPLOYMENTS)},
            "ingen sysselsättning",
        ),
        c.EDUCATION: (_("En av: %(codes)s.") % {"codes": ", ".join(c.EDUCATIONS)}, "gymnasial"),
        c.MONTHS: (
            _("Antal månader utan arbete eller studier före start, ett heltal 0 eller större."),
            "18",
        ),
        c.EXIT: (
            _(
                "Datum då deltagaren avslutades, ÅÅÅÅ-MM-DD. Inte före startdatum och inte "
                "senare än i dag. Tomt så länge deltagaren är kvar."
            ),
            "2024-11-15",
        ),
        c.OUTCOME: (
            _(
                "Krävs när slutdatum finns, annars tom. En av: %(codes)s. Arbete, studier, "
                "arbetssökande och annan rehabilitering räknas som stegförflyttning."
            )
            % {"codes": ", ".join(c.OUTCOMES)},
            "studier",
        ),
        c.SUPPORT_AT_EXIT: (_("Som försörjning vid start."), "studiemedel"),
        c.EMPLOYMENT_AT_EXIT: (_("Som sysselsättning vid start."), "studier"),
        c.HANDOVER: (
            _("Namnet på den medlem deltagaren lämnas över till vid avslut. Medlemmar: %(names)s.")
            % {"names": ", ".join(members) or none},
            members[0] if members else "",
        ),
        c.CONSENT: (_("Datum då deltagaren gav sitt samtycke, ÅÅÅÅ-MM-DD."), "2024-03-01"),
    }


def _list_validation(
    sheet: Any, lists: Any, column_index: int, values: list[str], *, strict: bool, list_column: int
) -> None:
    if not values:
        return
    letter = get_column_letter(list_column)
    for row, value in enumerate(values, start=1):
        lists.cell(row=row, column=list_column, value=value)
    validation = DataValidation(
        type="list",
        formula1=f"{quote_sheetname(LISTS)}!${letter}$1:${letter}${len(values)}",
        allow_blank=True,
        showErrorMessage=strict,
    )
    if strict:
        validation.errorTitle = _("Inget tillåtet värde")
        validation.error = _("Välj ett värde i listan.")
    target = get_column_letter(column_index)
    validation.add(f"{target}2:{target}{TEMPLATE_ROWS}")
    sheet.add_data_validation(validation)


def template_workbook(*, association: Association) -> bytes:
    with scope(association=association):
        members = list(Member.objects.filter(association=association))
    member_names = sorted((m.name for m in members), key=c.normal)
    municipality_names = sorted(
        (m.name for m in members if m.kind == Member.Kind.MUNICIPALITY), key=c.normal
    )

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Deltagare")
    sheet.append([column.name for column in c.COLUMNS])
    for index, column in enumerate(c.COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(len(column.name) + 4, 14)
    sheet.freeze_panes = "A2"

    info = workbook.create_sheet(_("Instruktioner"))
    lists = workbook.create_sheet(LISTS)
    lists.sheet_state = "hidden"

    choices: dict[str, tuple[list[str], bool]] = {
        c.GENDER: (list(c.GENDERS), True),
        c.MUNICIPALITY: (municipality_names, True),
        c.REFERRER: ([*member_names, *c.REFERRERS], True),
        # Several codes may stand in one cell: the list helps, it does not forbid.
        c.SUPPORT_AT_START: (list(c.SUPPORTS), False),
        c.EMPLOYMENT_AT_START: (list(c.EMPLOYMENTS), True),
        c.EDUCATION: (list(c.EDUCATIONS), True),
        c.OUTCOME: (list(c.OUTCOMES), True),
        c.SUPPORT_AT_EXIT: (list(c.SUPPORTS), False),
        c.EMPLOYMENT_AT_EXIT: (list(c.EMPLOYMENTS), True),
        c.HANDOVER: (member_names, True),
    }
    for list_column, (name, (values, strict)) in enumerate(choices.items(), start=1):
        _list_validation(
            sheet,
            lists,
            c.ORDER[name] + 1,
            values,
            strict=strict,
            list_column=list_column,
        )

    info.append([_("Så fyller du i deltagarfilen")])
    info["A1"].font = Font(bold=True, size=14)
    for line in (
        _(
            "Fyll i en rad per deltagare på bladet Deltagare, under rubrikraden. Ändra inte "
            "rubrikerna; kolumner som inte behövs får tas bort, utom de obligatoriska."
        ),
        _("Skriv aldrig personnummer eller namn. Deltagaren känns igen på insatsens egen kod."),
        _("Stora och små bokstäver och mellanslag före och efter spelar ingen roll."),
        _(
            "Allt eller inget: har någon rad fel sparas ingenting, och varje fel visas med rad "
            "och kolumn. Provkör gärna först."
        ),
        _(
            "En kolumn som saknas i filen lämnar uppgiften oförändrad för deltagare som redan "
            "finns; en tom cell tar bort uppgiften."
        ),
        _("Exemplen nedan är bara exempel: skriv dem inte på bladet Deltagare."),
    ):
        info.append([line])
    info.append([])
    info.append([_("Kolumn"), _("Obligatorisk"), _("Vad den ska innehålla"), _("Exempel")])
    for cell in info[info.max_row]:
        cell.font = Font(bold=True)
    descriptions = _instructions(municipality_names, member_names)
    for column in c.COLUMNS:
        text, example = descriptions[column.name]
        required = (
            _("ja")
            if column.required
            else (_("när slutdatum finns") if column.name == c.OUTCOME else _("nej"))
        )
        info.append([column.name, required, text, example])
        info.cell(row=info.max_row, column=3).alignment = Alignment(wrap_text=True, vertical="top")
    info.column_dimensions["A"].width = 26
    info.column_dimensions["B"].width = 20
    info.column_dimensions["C"].width = 90
    info.column_dimensions["D"].width = 30

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
