"""Plan file data written as a workbook, the same bytes for the same data."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from stegvis.finance import budget
from stegvis.plans.document import FORMAT
from stegvis.plans.excel.layout import (
    CELL_OPS,
    CONTRIBUTION_KEY,
    CONTRIBUTION_TOTAL,
    CONTRIBUTIONS,
    COST_COLUMNS,
    COST_TAIL,
    COSTS,
    GOAL_COLUMNS,
    GOALS,
    ILLEGAL,
    INDICATOR_COLUMNS,
    INTERVENTION_COLUMNS,
    INTERVENTIONS,
    MEMBER_COLUMNS,
    MEMBER_KINDS,
    MEMBERS,
    NONE_WORD,
    PLAN,
    PLAN_FIELDS,
    README,
    REVENUE_COLUMNS,
    REVENUE_TAIL,
    REVENUES,
    RULE_FIELDS,
    RULES,
    TARGET_COLUMNS,
    TIER_HELP,
    UNITS,
    YEAR_HELP,
    Column,
    Field,
    join_values,
)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_DATETIME = datetime.datetime(2000, 1, 1)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose entries carry a fixed time, so that the same plan gives the
    same bytes (openpyxl stamps every entry with the time of writing)."""

    def writestr(  # type: ignore[override]
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: bytes | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=FIXED_TIME)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(  # type: ignore[override]
        self,
        filename: Any,
        arcname: str | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        # openpyxl writes each sheet to a temporary file first; its time must not count.
        with open(filename, "rb") as file:
            self.writestr(arcname or str(filename), file.read(), compress_type, compresslevel)


def _put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        value = ILLEGAL.sub("", value)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # a text, not a formula
    if isinstance(value, int | float) and not isinstance(value, bool):
        cell.number_format = "#,##0" if isinstance(value, int) else "#,##0.0##"
    if isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _header(ws: Worksheet, headers: Sequence[tuple[Any, int]]) -> None:
    for column, (text, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
        if text == "":
            continue
        cell = _put(ws, 1, column, text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top")
    ws.freeze_panes = "A2"


def _choices(
    ws: Worksheet, column: int, choices: Sequence[str], *, first: int = 2, last: int = 500
) -> None:
    """A drop-down list of the allowed words; other values may still be typed (the
    reader says what is wrong with them)."""
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=False,
    )
    letter = get_column_letter(column)
    validation.add(f"{letter}{first}:{letter}{last}")
    ws.add_data_validation(validation)


def _fields_sheet(ws: Worksheet, fields: Sequence[tuple[Field | str, list[Any]]]) -> None:
    _header(ws, [("Uppgift", 30), ("Värde", 16), ("", 12), ("", 12), ("", 12)])
    for row, (field, values) in enumerate(fields, start=2):
        label = field.label if isinstance(field, Field) else field
        _put(ws, row, 1, label).font = HEADER_FONT
        for column, value in enumerate(values, start=2):
            if value is not None:
                _put(ws, row, column, value)
        if isinstance(field, Field) and field.choices:
            _choices(ws, 2, field.choices, first=row, last=row)


def _target_row(target: dict[str, Any], columns: Sequence[Column]) -> list[Any]:
    return [
        ("=" if target.get(c.key) == "==" else target.get(c.key))
        if c.key == "op"
        else target.get(c.key)
        for c in columns
    ]


def write_workbook(data: dict[str, Any], *, template: bool = False) -> bytes:
    """Plan file data (as `writer` makes it, amounts in the file's unit) as a
    workbook in the layout above. The bytes depend on the data only."""
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    workbook.properties.creator = "Stegvis"
    workbook.properties.created = FIXED_DATETIME
    workbook.properties.modified = FIXED_DATETIME
    years: list[int] = list(data.get("years", []))
    association = data.get("association", {})
    contributions = data.get("contributions") or {}
    rules = data.get("rules", {})

    _readme(workbook.create_sheet(README), template=template)

    plan_ws = workbook.create_sheet(PLAN)
    _fields_sheet(
        plan_ws,
        [
            (PLAN_FIELDS[0], [data.get("format")]),
            (PLAN_FIELDS[1], [data.get("unit")]),
            (PLAN_FIELDS[2], [association.get("name")]),
            (PLAN_FIELDS[3], years),
            (PLAN_FIELDS[4], [data.get("opening_equity")]),
        ],
    )

    ws = workbook.create_sheet(MEMBERS)
    _header(ws, [(c.header, c.width) for c in MEMBER_COLUMNS])
    _choices(ws, 2, MEMBER_KINDS)
    shares = contributions.get("shares") or {}
    for row, member in enumerate(association.get("members", []), start=2):
        for column, value in enumerate(
            [
                member.get("name"),
                member.get("kind"),
                member.get("population"),
                shares.get(member.get("name")),
            ],
            start=1,
        ):
            if value is not None:
                _put(ws, row, column, value)

    ws = workbook.create_sheet(CONTRIBUTIONS)
    _header(ws, [("Uppgift", 18), *[(year, 12) for year in years]])
    _put(ws, 2, 1, CONTRIBUTION_TOTAL).font = HEADER_FONT
    for column, year in enumerate(years, start=2):
        if year in contributions.get("total", {}):
            _put(ws, 2, column, contributions["total"][year])
    _put(ws, 3, 1, CONTRIBUTION_KEY).font = HEADER_FONT
    if contributions:
        _put(ws, 3, 2, contributions.get("municipal_key", "population"))
    _choices(ws, 2, budget.MUNICIPAL_KEYS, first=3, last=3)

    equity_cap = rules.get("equity_cap", {})
    tier_rows: list[tuple[Field | str, list[Any]]] = []
    for number, tier in enumerate(equity_cap.get("tiers", []), start=1):
        tier_rows.append((f"Trappsteg {number} upp till", [tier.get("up_to")]))
        tier_rows.append((f"Trappsteg {number} andel", [tier.get("rate")]))
    ws = workbook.create_sheet(RULES)
    _fields_sheet(
        ws,
        [
            (RULE_FIELDS[0], [equity_cap.get("base")]),
            *tier_rows,
            (RULE_FIELDS[1], [rules.get("equity_min")]),
            (RULE_FIELDS[2], [rules.get("admin_share_max")]),
            (RULE_FIELDS[3], list(rules.get("admin_categories", [])) or [NONE_WORD]),
        ],
    )

    for sheet, key, head, tail in [
        (REVENUES, "revenues", REVENUE_COLUMNS, REVENUE_TAIL),
        (COSTS, "costs", COST_COLUMNS, COST_TAIL),
    ]:
        ws = workbook.create_sheet(sheet)
        _header(
            ws,
            [(c.header, c.width) for c in head]
            + [(year, 11) for year in years]
            + [(c.header, c.width) for c in tail],
        )
        _choices(ws, 2, head[1].choices)
        _choices(ws, len(head) + len(years) + 2, UNITS)
        for row, line in enumerate(data.get(key, []), start=2):
            values = (
                [line.get(c.key) for c in head]
                + [line.get("amounts", {}).get(year) for year in years]
                + [line.get(c.key) for c in tail]
            )
            for column, value in enumerate(values, start=1):
                if value is not None:
                    _put(ws, row, column, value)

    for sheet, key, own, targets, targets_key in [
        (INTERVENTIONS, "interventions", INTERVENTION_COLUMNS, TARGET_COLUMNS, "targets"),
        (GOALS, "goals", GOAL_COLUMNS, INDICATOR_COLUMNS, "indicators"),
    ]:
        ws = workbook.create_sheet(sheet)
        _header(ws, [(c.header, c.width) for c in [*own, *targets]])
        if key == "interventions":
            _choices(ws, 2, own[1].choices)
        _choices(ws, len(own) + 2, targets[1].choices)
        _choices(ws, len(own) + 3, CELL_OPS)
        row = 2
        for item in data.get(key, []):
            mine = []
            for c in own:
                value = item.get(c.key)
                if c.key == "members" and value:
                    value = join_values(value)
                if c.key in ("start", "end") and isinstance(value, str):
                    value = datetime.date.fromisoformat(value)
                mine.append(value)
            item_targets = item.get(targets_key) or [{}]
            for number, target in enumerate(item_targets):
                values = (mine if number == 0 else [None] * len(own)) + _target_row(target, targets)
                for column, value in enumerate(values, start=1):
                    if value is not None:
                        _put(ws, row, column, value)
                row += 1

    buffer = io.BytesIO()
    archive = _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(workbook, archive).save()
    return buffer.getvalue()


def _readme(ws: Worksheet, *, template: bool) -> None:
    """The explanations, in Swedish: what each sheet, row and column holds."""
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 26
    ws.column_dimensions["C"].width = 100
    lines: list[tuple[str, str, str]] = [
        ("Stegvis verksamhetsplan", "", f"Formatet {FORMAT}: planen som data."),
        (
            "",
            "",
            "Fyll i bladen och läs in filen i Stegvis (eller kontrollera den med "
            "`stegvis plan check FIL`). Rad 1 i varje blad är rubriker; varje annan rad "
            "är en post. Tomma rader hoppas över.",
        ),
        (
            "",
            "",
            "Namn är nycklar: medlemmar, insatser och rader hänvisar till varandra med "
            "namn, och namnen måste finnas. Belopp i planens enhet (tkr eller kr); "
            '"1 637 273" och "12,5" går bra.',
        ),
        ("", "", ""),
        ("Blad", "Rad eller kolumn", "Betydelse"),
    ]
    if template:
        lines.insert(
            1, ("", "", "Exempelraderna visar hur det ser ut – skriv över dem med er egen plan.")
        )
    for field in PLAN_FIELDS:
        lines.append((PLAN, field.label, field.help))
    for column in MEMBER_COLUMNS:
        lines.append((MEMBERS, column.header, column.help))
    lines.append(
        (
            CONTRIBUTIONS,
            CONTRIBUTION_TOTAL,
            "Medlemsavgifternas summa per år; delas 50/25/25 "
            "(staten, regionen, kommunerna). Lämna tomt om avgifterna står rad för rad under Intäkter.",
        )
    )
    lines.append(
        (
            CONTRIBUTIONS,
            CONTRIBUTION_KEY,
            "Hur kommunernas fjärdedel fördelas: population "
            "(folkmängd), equal (lika delar) eller shares (Andel i bladet Medlemmar).",
        )
    )
    lines.append((RULES, RULE_FIELDS[0].label, RULE_FIELDS[0].help))
    lines.append((RULES, "Trappsteg N …", TIER_HELP))
    for field in RULE_FIELDS[1:]:
        lines.append((RULES, field.label, field.help))
    lines.append(
        (
            RULES,
            "",
            "Utan värden gäller de nationella rekommendationerna: tak 20 % av intäkterna "
            "upp till 7 Mkr och 15 % därutöver, administration högst 15 %.",
        )
    )
    for sheet, head, tail in [
        (REVENUES, REVENUE_COLUMNS, REVENUE_TAIL),
        (COSTS, COST_COLUMNS, COST_TAIL),
    ]:
        for column in head:
            lines.append((sheet, column.header, column.help))
        lines.append((sheet, "2024, 2025, …", YEAR_HELP))
        for column in tail:
            lines.append((sheet, column.header, column.help))
    for column in [*INTERVENTION_COLUMNS, *TARGET_COLUMNS]:
        lines.append((INTERVENTIONS, column.header, column.help))
    for column in [*GOAL_COLUMNS, *INDICATOR_COLUMNS]:
        lines.append((GOALS, column.header, column.help))
    for row, (a, b, c) in enumerate(lines, start=1):
        for number, value in enumerate((a, b, c), start=1):
            if value:
                cell = _put(ws, row, number, value)
                cell.alignment = Alignment(wrap_text=number == 3, vertical="top")
                if number == 1 or row in (1, 5 + int(template)):
                    cell.font = HEADER_FONT
