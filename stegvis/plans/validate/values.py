"""Checking one value of a plan file: its shape, a text, a number as the spec reads
numbers, an amount in the file's unit, a year, a date, a reference to a member."""

from __future__ import annotations

import datetime
import difflib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from stegvis.finance import budget
from stegvis.plans.document import DocMember, Problem

UNITS = ("tkr", "kr")
MEMBER_KINDS = (budget.STATE, budget.REGION, budget.MUNICIPALITY)
# Far above any förbund (their budgets are 5–50 Mkr), far below what the database holds.
MAX_AMOUNT = 10**13
DIGITS_LIMIT = 18  # a number's digits before or after the decimal point
MAX_NAME = 200  # the length of a name in the database
YEAR_RANGE = (1900, 2200)

# Thousands separated by spaces ("1 637 273", also the no-break and thin spaces a
# word processor puts there), a decimal comma or point ("12,5"), a minus sign.
NUMBER = re.compile(r"[+\-−]?(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+|\d+)(?:[,.]\d+)?")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def quote(value: Any) -> str:
    """A value as the file wrote it, for a message: texts in quotes, long ones cut."""
    if isinstance(value, str):
        text = value if len(value) <= 80 else value[:77] + "…"
        return f'"{text}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…"


def describe(value: Any) -> str:
    """What a value is, in words: for 'ska vara …, inte <describe>'."""
    if isinstance(value, dict):
        return "en samling nycklar"
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, bool):
        return f"ett sanningsvärde ({quote(value)})"
    if isinstance(value, int | float | Decimal):
        return f"ett tal ({quote(value)})"
    if isinstance(value, str):
        return f"en text ({quote(value)})"
    return quote(value)


def join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def index(path: str, i: int) -> str:
    return f"{path}[{i}]"


def choices_text(choices: Iterable[str]) -> str:
    items = list(choices)
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " eller " + items[-1]


def decimal_places(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def scale_to_integers(values: list[Decimal]) -> list[int]:
    """Shares such as 0.6/0.4 or 37.5/62.5 as whole numbers in the same proportion."""
    factor = Decimal(10) ** max((decimal_places(v) for v in values), default=0)
    return [int(v * factor) for v in values]


class ValueChecker:
    """The checks of single values and shapes, collecting every problem and warning;
    the sections (`Validator`) build on them. `codes` are the codes the installation
    knows (`vocabulary.known_codes()`)."""

    def __init__(self, *, codes: Mapping[str, frozenset[str]]):
        self.codes = codes
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.unit = "tkr"
        self.years: list[int] | None = None
        self.members: dict[str, DocMember] = {}
        self.member_paths: dict[str, str] = {}
        # Members whose own entry is wrong: referring to them is not a second problem.
        self.broken_members: set[str] = set()
        self.intervention_names: set[str] = set()

    # --- reporting -------------------------------------------------------------------

    def error(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(Problem(path, message))

    # --- shapes ----------------------------------------------------------------------

    def mapping(
        self,
        value: Any,
        path: str,
        *,
        required: Iterable[str] = (),
        optional: Iterable[str] = (),
    ) -> dict[str, Any] | None:
        """The keys of a mapping that the format allows, nulls left out; an unknown
        key and a missing required one are errors (spec: a misspelt key must not be
        silently ignored)."""
        required = tuple(required)
        allowed = [*required, *optional]
        if not isinstance(value, dict):
            self.error(path, f"ska vara en samling nycklar (namn: värde), inte {describe(value)}")
            return None
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str) or key not in allowed:
                message = f"okänd nyckel {quote(key)}"
                close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.75)
                if close:
                    message += f' (menade du "{close[0]}"?)'
                elif allowed:
                    message += f" – tillåtna nycklar här: {', '.join(allowed)}"
                self.error(join(path, key), message)
            elif item is not None:
                result[key] = item
        for key in required:
            if key not in result:
                self.error(join(path, key), "saknas")
        return result

    def sequence(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.error(path, f"ska vara en lista, inte {describe(value)}")
            return []
        return value

    def text(self, value: Any, path: str, *, multiline: bool = False, limit: int = 0) -> str | None:
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            self.error(path, f"ska vara en text, inte {describe(value)}")
            return None
        text = str(value).strip()
        if not text:
            self.error(path, "är tom")
            return None
        allowed = "\n\t" if multiline else ""
        if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text):
            self.error(path, f"innehåller otillåtna tecken: {quote(text)}")
            return None
        if limit and len(text) > limit:
            self.error(path, f"är för lång ({len(text)} tecken, högst {limit}): {quote(text)}")
            return None
        return text

    def name(self, value: Any, path: str) -> str | None:
        return self.text(value, path, limit=MAX_NAME)

    def choice(self, value: Any, path: str, choices: Iterable[str], what: str) -> str | None:
        choices = tuple(choices)
        if isinstance(value, str) and value.strip() in choices:
            return value.strip()
        message = f"{what} {quote(value)} – ska vara {choices_text(choices)}"
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.75)
        if close:
            message += f' (menade du "{close[0]}"?)'
        self.error(path, message)
        return None

    def number(self, value: Any, path: str) -> Decimal | None:
        """A number as the spec reads it: a number, or a text with spaces between the
        thousands ("1 637 273") or a decimal comma ("12,5"); anything else is an error."""
        number: Decimal | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, Decimal):
            number = value if value.is_finite() else None
        elif isinstance(value, float):
            number = Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
        elif isinstance(value, str) and NUMBER.fullmatch(value.strip()):
            cleaned = value.strip().replace("−", "-").replace(",", ".")
            for space in " \u00a0\u202f\u2009":
                cleaned = cleaned.replace(space, "")
            try:
                number = Decimal(cleaned)
            except InvalidOperation:
                number = None
        if number is None:
            self.error(path, f"inte ett tal: {quote(value)}")
            return None
        if number == 0:
            return Decimal(0)
        # Digits far beyond any plan's figures: refused before any arithmetic, which
        # would overflow on them (1e9999999).
        if not -DIGITS_LIMIT <= number.adjusted() <= DIGITS_LIMIT:
            self.error(path, f"orimligt tal: {quote(value)}")
            return None
        return number

    def share(self, value: Any, path: str, *, places: int | None = None) -> Decimal | None:
        """A share written as a decimal between 0 and 1 (20 % is 0.20)."""
        number = self.number(value, path)
        if number is None:
            return None
        if not 0 <= number <= 1:
            self.error(
                path,
                f"en andel skrivs som decimaltal mellan 0 och 1 (20 % = 0.20), inte {quote(value)}",
            )
            return None
        if places is not None and decimal_places(number.normalize()) > places:
            self.error(path, f"högst {places} decimaler: {quote(value)}")
            return None
        return number

    def amount(self, value: Any, path: str, unit: str) -> int | None:
        """An amount in `unit`, as whole kronor. Parts of a krona are rounded (half
        up) with a warning: a plan is in whole kronor."""
        number = self.number(value, path)
        if number is None:
            return None
        kronor = number * 1000 if unit == "tkr" and abs(number) <= MAX_AMOUNT else number
        if abs(kronor) > MAX_AMOUNT:
            self.error(path, f"orimligt stort belopp: {quote(value)}")
            return None
        whole = kronor.to_integral_value(rounding=ROUND_HALF_UP)
        if whole != kronor:
            self.warn(path, f"{quote(value)} {unit} avrundas till hela kronor: {int(whole)} kr")
        return int(whole)

    def whole(self, value: Any, path: str, *, minimum: int = 0) -> int | None:
        number = self.number(value, path)
        if number is None:
            return None
        if number != number.to_integral_value() or number < minimum or number > MAX_AMOUNT:
            self.error(path, f"ska vara ett heltal, minst {minimum}: {quote(value)}")
            return None
        return int(number)

    def year(self, value: Any, path: str) -> int | None:
        year: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            year = value
        # ASCII digits only: str.isdigit() also accepts '¹' and other digits int() refuses.
        elif isinstance(value, str) and re.fullmatch(r"[0-9]{1,4}", value.strip()):
            year = int(value.strip())
        elif isinstance(value, Decimal) and value.is_finite() and -10_000 < value < 10_000:
            year = int(value) if value == value.to_integral_value() else None
        if year is None or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            self.error(path, f"inte ett år: {quote(value)}")
            return None
        return year

    def years_text(self) -> str:
        if not self.years:
            return ""
        if len(self.years) == 1:
            return str(self.years[0])
        return f"{self.years[0]}–{self.years[-1]}"

    def amounts(self, value: Any, path: str, unit: str, *, what: str) -> dict[int, int]:
        """Amounts per year. A year not in `years` is an error; so is a negative amount
        (costs are positive, spec; revenues and totals too, as the database holds them)."""
        if not isinstance(value, dict):
            self.error(
                path,
                f"ska vara belopp per år, t.ex. {{{(self.years or [2024])[0]}: 1400}}, "
                f"inte {describe(value)}",
            )
            return {}
        result: dict[int, int] = {}
        for key, item in value.items():
            item_path = join(path, key)
            year = self.year(key, item_path)
            if year is None:
                continue
            if self.years is not None and year not in self.years:
                self.error(item_path, f"året {quote(key)} finns inte i years ({self.years_text()})")
                continue
            if year in result:
                self.error(item_path, f"året {quote(key)} står två gånger")
                continue
            if item is None:
                continue
            amount = self.amount(item, item_path, unit)
            if amount is None:
                continue
            if amount < 0:
                self.error(
                    item_path,
                    f"{what} kan inte vara negativ: {quote(item)} – skriv beloppet som ett positivt tal",
                )
                continue
            result[year] = amount
        return result

    def date(self, value: Any, path: str) -> str | None:
        if isinstance(value, datetime.datetime):
            return value.date().isoformat()
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, str) and DATE.fullmatch(value.strip()):
            try:
                return datetime.date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        self.error(path, f"inte ett datum (ÅÅÅÅ-MM-DD): {quote(value)}")
        return None

    def member_ref(self, value: Any, path: str, *, kind: str | None = None) -> str | None:
        """A reference to a member by name (names are the keys, spec)."""
        name = self.text(value, path)
        if name is None:
            return None
        if name in self.broken_members:
            return None
        if name not in self.members:
            message = f"ingen medlem heter {quote(name)}"
            close = difflib.get_close_matches(name, list(self.members), n=1, cutoff=0.8)
            if close:
                message += f' (menade du "{close[0]}"?)'
            self.error(path, message)
            return None
        if kind is not None and self.members[name].kind != kind:
            self.error(path, f"{quote(name)} är inte en medlem av slaget {kind}")
            return None
        return name
