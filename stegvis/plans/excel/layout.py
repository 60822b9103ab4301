"""The sheets, rows and columns of the plan workbook (see `stegvis.plans.excel`), with
the Swedish explanations the template shows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from stegvis.finance import budget
from stegvis.plans.document import FORMAT
from stegvis.plans.vocabulary import METRICS, OPS

README = "Läs mig"
PLAN = "Plan"
MEMBERS = "Medlemmar"
CONTRIBUTIONS = "Avgifter"
RULES = "Regler"
REVENUES = "Intäkter"
COSTS = "Kostnader"
INTERVENTIONS = "Insatser"
GOALS = "Mål"
SHEETS = (README, PLAN, MEMBERS, CONTRIBUTIONS, RULES, REVENUES, COSTS, INTERVENTIONS, GOALS)

MAX_COLUMNS = 200
# Stop reading a sheet after this many empty rows in a row (formatting can make a
# sheet look a million rows long).
EMPTY_ROWS_STOP = 1000
ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # what openpyxl refuses
# A list left empty on purpose (an empty cell means "the default").
NONE_WORDS = ("inga", "ingen", "-", "–")
NONE_WORD = "inga"
# How a comparison is written in a cell: Excel takes a cell beginning with "=" for a
# formula when it is typed, so "==" is written "=" (and ≥, ≤ are understood).
EXCEL_OPS = {"=": "==", "≥": ">=", "≤": "<=", "=>": ">=", "=<": "<="}
CELL_OPS = tuple("=" if op == "==" else op for op in OPS)


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    help: str
    choices: tuple[str, ...] = ()
    width: int = 14


@dataclass(frozen=True)
class Field:
    """A labelled row of the Plan or Regler sheet."""

    label: str
    path: tuple[str, ...]
    help: str
    many: bool = False  # values in B, C, D … (or one cell, comma-separated)
    choices: tuple[str, ...] = ()


MEMBER_KINDS = (budget.STATE, budget.REGION, budget.MUNICIPALITY)
UNITS = ("tkr", "kr")

PLAN_FIELDS = (
    Field("Format", ("format",), f"Alltid {FORMAT}."),
    Field("Enhet", ("unit",), "Enhet för alla belopp: tkr eller kr.", choices=UNITS),
    Field("Förbund", ("association", "name"), "Förbundets namn, exakt som i Stegvis."),
    Field("År", ("years",), "Budgetåret först, sedan planåren – ett år per cell.", many=True),
    Field(
        "Ingående eget kapital",
        ("opening_equity",),
        "Eget kapital vid budgetårets början, buffert inräknad.",
    ),
)
RULE_FIELDS = (
    Field(
        "Underlag för tak",
        ("rules", "equity_cap", "base"),
        "Taket för eget kapital räknas på revenues (intäkter) eller contributions "
        "(medlemsavgifter).",
        choices=budget.EQUITY_CAP_BASES,
    ),
    Field(
        "Lägsta eget kapital",
        ("rules", "equity_min"),
        "Lägsta tillåtna utgående eget kapital, t.ex. en likviditetsbuffert.",
    ),
    Field(
        "Högsta andel administration",
        ("rules", "admin_share_max"),
        "Högsta andel av kostnaderna för administration, som decimaltal (15 % = 0,15).",
    ),
    Field(
        "Administrativa kategorier",
        ("rules", "admin_categories"),
        'Kostnadskategorier som räknas som administration, en per cell; "inga" om '
        "ingen kategori ska räknas.",
        many=True,
    ),
)
TIER = re.compile(r"trappsteg\s*(\d{1,2})\s*:?\s*(upp till|andel)")
TIER_HELP = (
    "Trappsteg N upp till / andel: taket är andelen av den del av underlaget som ligger "
    "inom trappsteget; gränsen i planens enhet. Sista trappstegets gräns lämnas tom."
)
CONTRIBUTION_TOTAL = "Totalt"
CONTRIBUTION_KEY = "Kommunal nyckel"

MEMBER_COLUMNS = (
    Column("Namn", "name", "Medlemmens namn; andra blad hänvisar till det.", width=32),
    Column(
        "Slag",
        "kind",
        "state (staten), region eller municipality (kommun). Den första statliga medlemmen "
        "betalar statens halva.",
        choices=MEMBER_KINDS,
    ),
    Column("Folkmängd", "population", "Kommunens folkmängd (för nyckeln population)."),
    Column("Andel", "share", "Kommunens andel (för nyckeln shares), t.ex. 3 och 1."),
)
REVENUE_COLUMNS = (
    Column("Namn", "name", "Intäktens namn, unikt bland intäkterna.", width=32),
    Column(
        "Slag",
        "kind",
        "contribution (medlemsavgift), grant (bidrag, t.ex. ESF) eller other.",
        choices=budget.REVENUE_KINDS,
    ),
)
REVENUE_TAIL = (
    Column("Medlem", "member", "Medlemmen som betalar (för en medlemsavgift).", width=28),
    Column("Enhet", "unit", "Bara om raden inte är i planens enhet: tkr eller kr.", choices=UNITS),
)
COST_COLUMNS = (
    Column("Namn", "name", "Kostnadens namn, unikt bland kostnaderna.", width=32),
    Column(
        "Kategori",
        "category",
        "board (styrelse), administration (kansli), premises (lokaler), competence "
        "(kompetensutveckling), individual (individinriktade insatser), structural "
        "(strukturövergripande), other, unallocated (ej fördelat).",
        choices=budget.COST_CATEGORIES,
    ),
)
COST_TAIL = (
    Column(
        "Insats", "intervention", "Insatsen raden finansierar (namn i bladet Insatser).", width=28
    ),
    Column("Enhet", "unit", "Bara om raden inte är i planens enhet: tkr eller kr.", choices=UNITS),
)
YEAR_HELP = "Belopp per år i planens enhet (eller radens); mellanslag och decimalkomma går bra."
INTERVENTION_COLUMNS = (
    Column("Namn", "name", "Insatsens namn. Tom: raden är ytterligare en mätpunkt.", width=28),
    Column(
        "Slag",
        "kind",
        "individual (individinriktad) eller structural (strukturövergripande).",
        choices=("individual", "structural"),
    ),
    Column("Ägare", "owner", "Medlemmen som äger insatsen (projektägare).", width=24),
    Column("Medlemmar", "members", "Medverkande medlemmar, åtskilda med semikolon.", width=40),
    Column("Start", "start", "Startdatum, ÅÅÅÅ-MM-DD.", width=12),
    Column("Slut", "end", "Slutdatum, ÅÅÅÅ-MM-DD (kan vara tomt).", width=12),
)
GOAL_COLUMNS = (
    Column("Perspektiv", "perspective", "Målkartans perspektiv, t.ex. Individ.", width=16),
    Column("Mål", "text", "Målet. Tomt: raden är ytterligare en indikator.", width=40),
    Column("Aktiviteter", "activities", "Hur målet nås eller mäts.", width=28),
    Column("Ansvarig", "responsible", "Vem som ansvarar.", width=18),
)


def target_columns(first: str) -> tuple[Column, ...]:
    return (
        Column(first, "text", "Målet i ord, t.ex. Minst 120 deltagare.", width=40),
        Column(
            "Mått",
            "metric",
            "Vad som mäts: " + ", ".join(f"{m.code} ({m.label})" for m in METRICS.values()) + ".",
            choices=tuple(METRICS),
            width=22,
        ),
        Column("Jämförelse", "op", ">=, <=, >, < eller = (lika med).", choices=CELL_OPS, width=11),
        Column("Värde", "value", "Målvärdet; en andel som decimaltal (90 % = 0,90).", width=10),
        Column("År", "year", "Bara om målet gäller ett visst år.", width=8),
        Column("Utfall", "outcome", "Utfallets kod (för exit_outcome_share)."),
        Column("Fråga", "question", "Enkätfrågans kod (för survey_agree_share)."),
        Column(
            "Svarsgrupp",
            "group",
            "Samverkansenkätens svarsgrupper (för survey_agree_share, valfritt): personal, "
            "chefer, styrelse eller remittenter, flera med kommatecken.",
        ),
        Column("Instrument", "instrument", "Instrumentets kod (för screening_coverage)."),
        Column("Aktivitetsslag", "kind", "Slag av aktivitet (för activities, valfritt)."),
        Column("Kommun", "municipality", "Kommunen (för full_year_equivalents, valfritt)."),
        Column("Källa", "source", "Varifrån värdet kommer (för manual).", width=24),
    )


TARGET_COLUMNS = target_columns("Mätpunkt")
INDICATOR_COLUMNS = target_columns("Indikator")


def norm(value: Any) -> str:
    return " ".join(str(value).lower().split()).rstrip(":")


def empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def location(sheet: str, row: int, column: int | None = None) -> str:
    where = f"blad {sheet}, rad {row}"
    return f"{where}, kolumn {get_column_letter(column)}" if column else where


def join_values(values: Sequence[str]) -> str:
    """Several names in one cell, as `split_values` reads them back: "a; b", and a
    lone name with a comma in it ends with ";" so that it stays whole. (A name with a
    semicolon in it cannot be written in a list cell.)"""
    text = "; ".join(values)
    return text + ";" if len(values) == 1 and "," in values[0] else text


def split_values(value: Any) -> list[Any]:
    """One cell holding several values: "2024, 2025, 2026", "a; b"; semicolons (or
    line breaks) when there are any, commas otherwise."""
    if not isinstance(value, str):
        return [value]
    separator = ";" if ";" in value or "\n" in value else ","
    return [part.strip() for part in value.replace("\n", ";").split(separator) if part.strip()]


def split_years(value: Any) -> list[Any]:
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{4})\s*[-–]\s*(\d{4})\s*", value)
        if match and int(match[1]) <= int(match[2]) <= int(match[1]) + 50:
            return list(range(int(match[1]), int(match[2]) + 1))
        return [part for part in re.split(r"[,;\s]+", value) if part]
    return [value]


def year_header(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2200:
        return value
    if isinstance(value, float) and value.is_integer() and 1900 <= value <= 2200:
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        return int(value)
    return None
