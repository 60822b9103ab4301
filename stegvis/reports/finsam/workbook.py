"""The Uppföljning Finsam workbook: three sheets in the register's order, the same
tables the page shows.

* Förbundet: allocated funds per member and their sum, the opening and closing
  equity, the administrative costs' budget and actual.
* Insatser: one row per insats granted for the year, and their sum.
* Läs mig: what the file is, what each column asks and where Stegvis has it, what is
  missing (to fill in by hand), and which participant counts are hidden and why.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stegvis.core.exporters import AMOUNT, DATE, Exporter, Table
from stegvis.reports.finsam.selectors import PARTICIPANT_COLUMNS, TOTAL, FinsamExport

SHEET_ASSOCIATION = gettext_lazy("Förbundet")
SHEET_INTERVENTIONS = gettext_lazy("Insatser")
SHEET_README = gettext_lazy("Läs mig")


def association_table(export: FinsamExport) -> Table:
    """Sheet "Förbundet": allocated funds per member, equity, administrative costs."""
    year = export.year
    funds = _("Tilldelade medel")
    equity = _("Eget kapital")
    admin = _("Administrativa kostnader")
    rows: list[list[Any]] = []
    for fund in export.funds:
        label = f"{fund.member} ({fund.kind_label.lower()})" if fund.kind_label else fund.member
        rows.append([funds, label, fund.amount])
    if export.plan is not None:
        rows.append([funds, _("Summa tilldelade medel"), export.funds_total])
        rows.append(
            [
                equity,
                _("Ingående eget kapital 1 januari %(year)s") % {"year": year},
                export.opening_equity,
            ]
        )
        closing = (
            _("Utgående eget kapital 31 december %(year)s, prognos")
            if export.period is not None and not export.actuals_complete
            else _("Utgående eget kapital 31 december %(year)s, utfall")
        ) % {"year": year}
        rows.append([equity, closing, export.closing_equity])
        rows.append(
            [
                equity,
                _("Utgående eget kapital 31 december %(year)s enligt budget") % {"year": year},
                export.closing_equity_budget,
            ]
        )
        rows.append([admin, _("Budget %(year)s") % {"year": year}, export.admin_budget])
        actual_label = (
            _("Utfall %(year)s") % {"year": year}
            if export.whole_year
            else _("Utfall %(year)s till och med %(period)s")
            % {"year": year, "period": export.period_name}
        )
        rows.append([admin, actual_label, export.admin_actual])
    notes = []
    if export.plan is None:
        notes.append(
            _("Inga uppgifter: det finns ingen budget för %(year)s i Stegvis.") % {"year": year}
        )
    else:
        notes.append(
            _("Belopp i kronor ur %(plan)s. Administrativa kostnader: %(categories)s.")
            % {"plan": export.plan, "categories": export.admin_categories}
        )
    return Table(
        title=str(SHEET_ASSOCIATION),
        columns=[_("Uppgift"), _("Post"), _("Belopp (kr)")],
        rows=rows,
        notes=notes,
        formats={2: AMOUNT},
    )


INTERVENTION_COLUMNS = [
    # heading, what the register asks, where Stegvis has it
    (
        gettext_lazy("Insats"),
        gettext_lazy("Insatsens namn."),
        gettext_lazy("Insatser: namn."),
    ),
    (
        gettext_lazy("Inriktning"),
        gettext_lazy("Individinriktad eller strukturövergripande."),
        gettext_lazy("Insatser: slag."),
    ),
    (
        gettext_lazy("Preciserad inriktning"),
        gettext_lazy("Insatsens preciserade inriktning."),
        gettext_lazy(
            "Insatser: preciserad inriktning (fritext; välj motsvarande alternativ i registret)."
        ),
    ),
    (
        gettext_lazy("Målgrupp"),
        gettext_lazy("Insatsens målgrupp."),
        gettext_lazy("Insatser: målgrupp."),
    ),
    (
        gettext_lazy("ESF-medfinansierad"),
        gettext_lazy("Om insatsen medfinansieras av Europeiska socialfonden."),
        gettext_lazy("Insatser: ESF-medfinansierad."),
    ),
    (
        gettext_lazy("Uppföljningsmetod"),
        gettext_lazy("Hur insatsen följs upp (väljs när insatsen läggs upp i registret)."),
        gettext_lazy("Finns inte i Stegvis: fyll i själv."),
    ),
    (
        gettext_lazy("Projektägare"),
        gettext_lazy("Den medlem som äger insatsen."),
        gettext_lazy("Insatser: projektägare."),
    ),
    (
        gettext_lazy("Startdatum"),
        gettext_lazy("Insatsens start."),
        gettext_lazy("Insatser: startdatum."),
    ),
    (
        gettext_lazy("Slutdatum"),
        gettext_lazy("Insatsens slut."),
        gettext_lazy("Insatser: slutdatum."),
    ),
    (
        gettext_lazy("Budget (kr)"),
        gettext_lazy("Insatsens budget för året."),
        gettext_lazy(
            "Ekonomi: insatsens kostnadsrader i årets budget (kopplade genom beslut, eller "
            "som namnger insatsen)."
        ),
    ),
    (
        gettext_lazy("Utfall (kr)"),
        gettext_lazy("Insatsens utfall för året."),
        gettext_lazy("Ekonomi → Utfall: utfallet på insatsens kostnadsrader."),
    ),
    (
        gettext_lazy("Budgeterat antal deltagare"),
        gettext_lazy("Planerat antal deltagare under året."),
        gettext_lazy("Insatser: planerade deltagare för året."),
    ),
    (
        gettext_lazy("Deltagare kvinnor"),
        gettext_lazy("Individinriktade insatser: antal deltagare som är kvinnor."),
        gettext_lazy("Deltagare: inskrivna någon gång under året, anonyma medräknade."),
    ),
    (
        gettext_lazy("Deltagare män"),
        gettext_lazy("Individinriktade insatser: antal deltagare som är män."),
        gettext_lazy("Deltagare: inskrivna någon gång under året, anonyma medräknade."),
    ),
    (
        gettext_lazy("Deltagare, kön ej angivet"),
        gettext_lazy("Individinriktade insatser: deltagare med annat eller okänt kön."),
        gettext_lazy("Deltagare: kön ej angivet."),
    ),
    (
        gettext_lazy("Deltagare totalt"),
        gettext_lazy(
            "Individinriktade insatser: alla deltagare. Strukturövergripande insatser: "
            "antal deltagare."
        ),
        gettext_lazy(
            "Individinriktade: Deltagare. Strukturövergripande: deltagarna i insatsens "
            "aktiviteter under året (Samverkan)."
        ),
    ),
]
BUDGET_COLUMN = 9


def interventions_table(export: FinsamExport) -> Table:
    """Sheet "Insatser": one row per insats granted for the year, and their sum."""
    rows: list[list[Any]] = []
    for item in export.interventions:
        if item.is_structural:
            participants: list[Any] = [None, None, None, item.participants[TOTAL]]
        else:
            participants = [item.participants[column] for column in PARTICIPANT_COLUMNS]
        rows.append(
            [
                item.name,
                item.kind_label,
                item.focus,
                item.target_group,
                item.esf_funded,
                None,
                item.owner,
                item.start,
                item.end,
                item.budget,
                item.actual,
                item.planned,
                *participants,
            ]
        )
    if rows:
        rows.append(
            [
                _("Summa"),
                *[None] * 8,
                export.budget_total,
                export.actual_total,
                export.planned_total,
                *[export.participants_total[column] for column in PARTICIPANT_COLUMNS],
            ]
        )
    notes = []
    if not rows:
        notes.append(
            _("Inga uppgifter: förbundet har inga beviljade insatser för %(year)s i Stegvis.")
            % {"year": export.year}
        )
    else:
        notes.append(
            _(
                "Tomma deltagarceller: färre än %(k)s, eller dolda så att inget dolt antal "
                "kan räknas fram (se Läs mig). Summaradens deltagare efter kön gäller de "
                "individinriktade insatserna."
            )
            % {"k": export.min_cell}
        )
    columns = [str(heading) for heading, _asks, _source in INTERVENTION_COLUMNS]
    columns[BUDGET_COLUMN] = _("Budget %(year)s (kr)") % {"year": export.year}
    columns[BUDGET_COLUMN + 1] = (
        _("Utfall %(year)s (kr)") % {"year": export.year}
        if export.whole_year
        else _("Utfall %(year)s t.o.m. %(period)s (kr)")
        % {"year": export.year, "period": export.period_name}
    )
    return Table(
        title=str(SHEET_INTERVENTIONS),
        columns=columns,
        rows=rows,
        notes=notes,
        formats={
            7: DATE,
            8: DATE,
            **dict.fromkeys(range(BUDGET_COLUMN, len(columns)), AMOUNT),
        },
    )


def readme_table(export: FinsamExport) -> Table:
    """Sheet "Läs mig": what the file is, what each column holds and where it comes
    from, what is missing, and which participant counts are hidden and why."""
    about = _("Om filen")
    rows: list[list[Any]] = [
        [about, _("Förbund"), export.association.name],
        [about, _("År"), str(export.year)],
        [about, _("Uttagen"), export.made],
        [
            about,
            _("Till"),
            _(
                "Uppföljning Finsam: uppgifterna i samma ordning som registret frågar efter "
                "dem, så att inget behöver skrivas två gånger."
            ),
        ],
        [about, _("Budget"), str(export.plan) if export.plan else _("Ingen budget för året")],
        [
            about,
            _("Utfall till och med"),
            export.period_name or _("Inget utfall registrerat"),
        ],
        [about, _("Minsta cellstorlek"), export.min_cell],
    ]
    association_sheet = str(SHEET_ASSOCIATION)
    rows += [
        [
            association_sheet,
            _("Tilldelade medel"),
            _("Varje medlems medlemsavgift för året ur budgeten (Ekonomi → Medlemsavgifter)."),
        ],
        [
            association_sheet,
            _("Eget kapital"),
            _(
                "Ingående eget kapital för året ur budgeten; utgående eget kapital som "
                "utfall när helårsutfallet är registrerat på alla rader, annars som prognos "
                "(Ekonomi → Utfall), och enligt budget."
            ),
        ],
        [
            association_sheet,
            _("Administrativa kostnader"),
            _(
                "Budget och utfall för de kategorier som budgetens regler räknar som administration: %(categories)s."
            )
            % {"categories": export.admin_categories or "–"},
        ],
    ]
    sheet = str(SHEET_INTERVENTIONS)
    rows += [
        [sheet, str(heading), _("%(asks)s Källa: %(source)s") % {"asks": asks, "source": source}]
        for heading, asks, source in INTERVENTION_COLUMNS
    ]
    rows.append(
        [
            sheet,
            _("Vilka insatser"),
            _(
                "Insatser som är beviljade, pågående eller avslutade och som berör året "
                "(period, budget eller planerade deltagare)."
            ),
        ]
    )
    fill_in = _("Att fylla i")
    rows += [[fill_in, what, text] for what, text in export.missing]
    rows.append(
        [
            fill_in,
            _("Uppföljningsmetod"),
            _("Stegvis har inte registrets uppföljningsmetod: välj den i registret per insats."),
        ]
    )
    hidden = _("Dolda antal")
    for cell in export.hidden:
        rows.append(
            [
                hidden,
                f"{cell.where}: {cell.column}",
                _(
                    "%(reason)s. Siffror om deltagare som lämnar en insats visas inte under "
                    "förbundets minsta cellstorlek (%(k)s). Insatsens deltagaransvariga kan "
                    "lämna det verkliga antalet direkt i registret."
                )
                % {"reason": cell.reason[:1].upper() + cell.reason[1:], "k": export.min_cell},
            ]
        )
    notes = []
    if export.is_empty:
        notes.append(
            _(
                "Inga uppgifter: förbundet har varken budget eller beviljade insatser för "
                "%(year)s i Stegvis."
            )
            % {"year": export.year}
        )
    return Table(
        title=str(SHEET_README),
        columns=[_("Avsnitt"), _("Uppgift"), _("Förklaring")],
        rows=rows,
        notes=notes,
        formats={},
    )


def finsam_tables(export: FinsamExport) -> list[Table]:
    return [association_table(export), interventions_table(export), readme_table(export)]


class FinsamExporter(Exporter):
    """The workbook for Uppföljning Finsam; CSV holds the insatser."""

    def __init__(self, export: FinsamExport) -> None:
        self.export = export
        self.filename = f"{export.association.slug}-uppfoljning-finsam-{export.year}"

    def tables(self) -> list[Table]:
        return finsam_tables(self.export)

    def csv_table(self) -> Table:
        return self._tables()[1]
