"""The document's tables for Excel, one sheet each, amounts in kronor."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from stegvis.core.exporters import Table
from stegvis.goals import selectors as goal_selectors
from stegvis.participants.selectors_report import ReportTable
from stegvis.reports.periodic.finance import FinancePart, equity_rows
from stegvis.reports.periodic.parts import StructuralPart

if TYPE_CHECKING:
    from stegvis.reports.periodic.document import PeriodicReport


def _report_table(table: ReportTable, notes: Sequence[str]) -> Table:
    return Table(
        title=table.title,
        columns=[table.row_heading, *table.columns],
        rows=[[line.label, *(cell.export_value for cell in line.cells)] for line in table.lines],
        notes=[*([table.note] if table.note else []), *notes],
    )


def _percent(value: Decimal | float | None) -> float | None:
    return None if value is None else round(float(value) * 100, 1)


def finance_table(part: FinancePart) -> Table:
    result = part.followup
    actual_heading = (
        _("Utfall %(year)s (kr)") % {"year": result.year}
        if part.full_year
        else _("Utfall %(span)s (kr)") % {"span": part.span}
    )
    columns = [
        _("Kategori"),
        _("Budget %(year)s (kr)") % {"year": result.year},
        actual_heading,
        _("Andel av budget (%)"),
    ]
    if not part.full_year:
        columns.append(_("Prognos helår (kr)"))
    columns += [
        _("Avvikelse utfall − budget (kr)")
        if part.full_year
        else _("Avvikelse prognos − budget (kr)"),
        _("Notering"),
    ]
    rows: list[list[Any]] = []
    for row in part.rows:
        values: list[Any] = [
            row.label,
            row.figures.budget,
            row.figures.actual,
            _percent(row.figures.used_share),
        ]
        if not part.full_year:
            values.append(row.figures.prognosis)
        values += [row.deviation, row.flag]
        rows.append(values)
    return Table(
        title=_("Budget mot utfall"),
        columns=columns,
        rows=rows,
        notes=[
            _("Andel av året: %(months)d av 12 månader (%(share)s %%).")
            % {"months": result.period.end_month, "share": _percent(result.year_share)}
        ],
    )


def comments_table(part: FinancePart) -> Table:
    return Table(
        title=_("Kommentarer till utfallet"),
        columns=[
            _("Budgetrad"),
            _("Kategori"),
            _("Flagga"),
            _("Prognosen bygger på"),
            _("Kommentar"),
        ],
        rows=[
            [each.line, each.category, each.flag, each.basis, each.comment]
            for each in part.comments
        ],
    )


def equity_table(part: FinancePart) -> Table:
    second = _("Enligt utfallet (kr)") if part.final else _("Enligt prognosen (kr)")
    admin = part.followup.admin_share
    return Table(
        title=_("Resultat och eget kapital"),
        columns=[_("Post"), _("Enligt budget (kr)"), second],
        rows=[list(row) for row in equity_rows(part)],
        notes=[
            _("Administrationens andel av kostnaderna: %(share)s %%.") % {"share": _percent(admin)}
        ]
        if admin is not None
        else [],
    )


def structural_table(part: StructuralPart) -> Table:
    return Table(
        title=_("Samverkansaktiviteter"),
        columns=[_("Slag av aktivitet"), _("Aktiviteter"), _("Deltagare")],
        rows=[[row.kind, row.activities, row.participants] for row in part.rows]
        + [[_("Totalt"), part.activities, part.participants]],
    )


def document_tables(report: PeriodicReport) -> list[Table]:
    tables: list[Table] = []
    if report.participants:
        note = _(
            "Tomma celler: färre än %(k)s – visas inte, eller dolda så att inget dolt antal "
            "kan räknas fram."
        ) % {"k": report.min_cell}
        tables += [_report_table(table, [note]) for table in report.participants.tables]
    if report.goals:
        tables.append(goal_selectors.goal_map_table(page=report.goals.page))
    if report.finance:
        tables.append(finance_table(report.finance))
        if report.finance.comments:
            tables.append(comments_table(report.finance))
        tables.append(equity_table(report.finance))
    if report.structural:
        tables.append(structural_table(report.structural))
    if not tables:
        tables.append(
            Table(
                title=_("Inga uppgifter"),
                columns=[_("Anmärkning")],
                rows=[[note] for note in report.notes],
            )
        )
    heading = f"{report.association.name}: {report.heading}"
    for table in tables:
        table.notes.append(heading)
    return tables
