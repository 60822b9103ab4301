"""`plan check`: every year computed and every rule applied to a plan document.

The figures and findings come from `stegvis.finance.budget` (spec "Computed per
year", "Findings"); this module only shapes them: `check_report` as the `--json`
output of the spec (`stegvis-plan-check/1`, amounts in whole kronor, shares as
decimals rounded to four places), `check_summary` as the Swedish text a person reads.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from stegvis.finance import budget
from stegvis.plans.document import PlanDocument, Problem

REPORT_FORMAT = "stegvis-plan-check/1"
CATEGORY_LABELS = {
    "board": "Styrelse",
    "administration": "Kansli/administration",
    "premises": "Lokaler",
    "competence": "Kompetensutveckling",
    "individual": "Individinriktade insatser",
    "structural": "Strukturövergripande insatser",
    "other": "Övrigt",
    "unallocated": "Ej fördelat/buffert",
}


def _number(value: int | Decimal | None) -> int | float | None:
    """An amount as a JSON integer, a share as a JSON number with four decimals."""
    if value is None or isinstance(value, int):
        return value
    return float(value.quantize(budget.SHARE_PLACES, rounding=ROUND_HALF_UP))


def contributions_by_member(document: PlanDocument, plan: budget.Budget) -> list[dict[str, Any]]:
    """Each year's contributions per paying member, generated lines included, members
    in the plan's order; a member without a contribution that year is left out."""
    rows = []
    for year in plan.years:
        for member in plan.members:
            amounts = [
                line.amounts[year]
                for line in plan.revenues
                if line.kind == "contribution"
                and line.member == member.name
                and year in line.amounts
            ]
            if amounts:
                rows.append({"year": year, "member": member.name, "amount": sum(amounts)})
    return rows


def check_report(document: PlanDocument) -> dict[str, Any]:
    """The `--json` output of `stegvis plan check` (spec "`--json` output")."""
    plan = document.to_budget()
    figures = budget.year_figures(plan)
    return {
        "format": REPORT_FORMAT,
        "association": document.association,
        "years": [
            {
                "year": year.year,
                "opening_equity": year.opening_equity,
                "contributions": year.contributions,
                "other_revenues": year.other_revenues,
                "revenues": year.revenues,
                "disposable": year.disposable,
                "costs": year.costs,
                "costs_by_category": dict(year.costs_by_category),
                "result": year.result,
                "closing_equity": year.closing_equity,
                "equity_cap": year.equity_cap,
                "admin_share": _number(year.admin_share),
            }
            for year in figures
        ],
        "contributions": contributions_by_member(document, plan),
        "findings": [
            {
                "year": finding.year,
                "rule": finding.rule,
                "value": _number(finding.value),
                "limit": _number(finding.limit),
                "message": finding.message,
            }
            for finding in budget.findings(plan, figures)
        ],
    }


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", " ").replace("-", "−")


def _amount(kronor: int, unit: str) -> str:
    if unit == "tkr":
        thousands = (Decimal(kronor) / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return _grouped(int(thousands))
    return _grouped(kronor)


def check_summary(document: PlanDocument, *, warnings: list[Problem]) -> str:
    """What `plan check` prints without `--json`: the years side by side, the
    contributions per member, the findings and the warnings, in Swedish."""
    plan = document.to_budget()
    figures = budget.year_figures(plan)
    unit = document.unit
    years = document.years
    title = f"Budget {years[0]}"
    if len(years) > 1:
        title += f", plan {years[1]}" + (f"–{years[-1]}" if len(years) > 2 else "")
    lines = [f"{document.association}: {title} (belopp i {unit})", ""]
    width = max(10, *(len(_amount(f.disposable, unit)) + 2 for f in figures))
    label_width = 32

    def row(label: str, values: list[str]) -> str:
        return label.ljust(label_width) + "".join(v.rjust(width) for v in values)

    lines.append(row("", [str(year) for year in years]))
    rows: list[tuple[str, str]] = [
        ("Ingående eget kapital", "opening_equity"),
        ("Medlemsavgifter", "contributions"),
        ("Övriga intäkter", "other_revenues"),
        ("Summa intäkter", "revenues"),
        ("Medel att disponera", "disposable"),
        ("Kostnader", "costs"),
        ("Resultat", "result"),
        ("Utgående eget kapital", "closing_equity"),
        ("Tak för eget kapital", "equity_cap"),
    ]
    for label, attribute in rows:
        lines.append(row(label, [_amount(getattr(f, attribute), unit) for f in figures]))
    if document.rules.equity_min:
        lines.append(
            row(
                f"Ej budgeterat (över {_amount(document.rules.equity_min, unit)} {unit})",
                [_amount(f.unbudgeted, unit) for f in figures],
            )
        )
    lines.append(
        row(
            "Andel administration",
            [budget.percent(f.admin_share) if f.admin_share is not None else "–" for f in figures],
        )
    )
    categories = [
        c for c in budget.COST_CATEGORIES if any(c in f.costs_by_category for f in figures)
    ]
    if categories:
        lines += ["", "Kostnader per kategori"]
        for category in categories:
            lines.append(
                row(
                    "  " + CATEGORY_LABELS[category],
                    [_amount(f.costs_by_category.get(category, 0), unit) for f in figures],
                )
            )
    contributions = contributions_by_member(document, plan)
    if contributions:
        lines += ["", "Medlemsavgifter per medlem"]
        by_member: dict[str, dict[int, int]] = {}
        for item in contributions:
            by_member.setdefault(item["member"], {})[item["year"]] = item["amount"]
        for member, amounts in by_member.items():
            lines.append(
                row(
                    "  " + member[: label_width - 3],
                    [_amount(amounts.get(y, 0), unit) for y in years],
                )
            )
    found = budget.findings(plan, figures)
    lines.append("")
    if found:
        lines.append(f"Anmärkningar ({len(found)})")
        lines += [f"  {finding.year}: {finding.message} [{finding.rule}]" for finding in found]
    else:
        lines.append("Inga anmärkningar: planen håller reglerna alla år.")
    if warnings:
        lines += ["", f"Varningar ({len(warnings)})"]
        lines += [f"  {warning}" for warning in warnings]
    return "\n".join(lines) + "\n"
