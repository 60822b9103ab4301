"""The columns of the participant file and the rule of each (spec/participant-file.md),
on plain values: a cell in, a stored value or a Swedish message out.

The column names and the codes are the spec's own and are never translated: they are
the contract between a förbund's spreadsheet and Stegvis.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from stegvis.participants.vocabulary import (
    Education,
    Employment,
    Gender,
    Outcome,
    Referrer,
    Support,
)

CODE_MAX = 40
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
# YYMMDD-NNNN, YYYYMMDD-NNNN or the same without the dash (shape only: a code that
# merely looks like one is refused too, so that no real one slips through).
PERSONNUMMER = re.compile(r"(?:\d{6}|\d{8})-?\d{4}")
# Anywhere in a cell, also with the "+" of a person over 100: such a value is never echoed.
PERSONNUMMER_ANYWHERE = re.compile(r"(?<!\d)(?:\d{6}|\d{8})[-+]?\d{4}(?!\d)")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
AGE_MIN, AGE_MAX = 15, 70
MONTHS_MAX = 32767  # what the database holds


class CellError(ValueError):
    """A cell breaks its column's rule; the message is shown as `rad N, kolumn: …`."""


@dataclass(frozen=True)
class Column:
    name: str  # as in the spec, also the header of the template and the export
    key: str
    required: bool = False  # the column must be present and every row must have a value
    # The model attributes the column sets.
    attributes: tuple[str, ...] = ()


CODE = "kod"
GENDER = "kön"
BIRTH_YEAR = "födelseår"
MUNICIPALITY = "kommun"
REFERRER = "remitterande part"
START = "startdatum"
SUPPORT_AT_START = "försörjning vid start"
EMPLOYMENT_AT_START = "sysselsättning vid start"
EDUCATION = "utbildningsnivå"
MONTHS = "månader utan arbete"
EXIT = "slutdatum"
OUTCOME = "avslutsorsak"
SUPPORT_AT_EXIT = "försörjning vid slut"
EMPLOYMENT_AT_EXIT = "sysselsättning vid slut"
HANDOVER = "överlämning till"
CONSENT = "samtycke"

COLUMNS: tuple[Column, ...] = (
    Column(CODE, "code", True, ("code",)),
    Column(GENDER, "gender", True, ("gender",)),
    Column(BIRTH_YEAR, "birth_year", True, ("birth_year",)),
    Column(MUNICIPALITY, "municipality", False, ("municipality_id",)),
    Column(REFERRER, "referrer", False, ("referring_member_id", "referrer_other")),
    Column(START, "start", True, ("start",)),
    Column(SUPPORT_AT_START, "support_at_start", False, ("support_at_start",)),
    Column(EMPLOYMENT_AT_START, "employment_at_start", False, ("employment_at_start",)),
    Column(EDUCATION, "education", False, ("education",)),
    Column(MONTHS, "months_without_work", False, ("months_without_work",)),
    Column(EXIT, "exit", False, ("exit",)),
    Column(OUTCOME, "outcome", False, ("outcome",)),
    Column(SUPPORT_AT_EXIT, "support_at_exit", False, ("support_at_exit",)),
    Column(EMPLOYMENT_AT_EXIT, "employment_at_exit", False, ("employment_at_exit",)),
    Column(HANDOVER, "handover_to", False, ("handover_to_id",)),
    Column(CONSENT, "consent", False, ("consent",)),
)
BY_NAME = {column.name: column for column in COLUMNS}
ORDER = {column.name: index for index, column in enumerate(COLUMNS)}

GENDERS = tuple(Gender.values)
SUPPORTS = tuple(Support.values)
EMPLOYMENTS = tuple(Employment.values)
EDUCATIONS = tuple(Education.values)
OUTCOMES = tuple(Outcome.values)
REFERRERS = tuple(Referrer.values)


@functools.lru_cache(maxsize=16384)
def normal(text: str) -> str:
    """How headers, codes and names are compared: case, surrounding and repeated spaces
    and the Unicode form (a Mac may write å as a + ring) do not matter."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def cell_text(value: Any) -> str:
    """A cell as text: 3.0 from a spreadsheet is 3, a date cell its ISO date."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


def shown(text: str) -> str:
    """A value quoted in a message, unless it may be a personnummer (never repeated)."""
    if PERSONNUMMER_ANYWHERE.search(text.replace(" ", "")):
        return _("värdet (som liknar ett personnummer)")
    if len(text) > 60:
        text = text[:57] + "…"
    return f"”{text}”"


def _allowed(codes: Sequence[str]) -> str:
    return ", ".join(codes)


# --- one cell each ---------------------------------------------------------------


def parse_code(value: Any) -> str:
    text = cell_text(value)
    if PERSONNUMMER.fullmatch(text.replace(" ", "")):
        raise CellError(
            _(
                "Värdet ser ut som ett personnummer och sparas inte. Skriv insatsens egen "
                "kod för deltagaren, aldrig personnummer eller namn."
            )
        )
    if len(text) > CODE_MAX:
        raise CellError(_("Koden får vara högst %(max)d tecken.") % {"max": CODE_MAX})
    if not CODE_PATTERN.fullmatch(text):
        raise CellError(
            _(
                "Koden får bara innehålla bokstäverna A–Z och a–z (utan å, ä, ö), "
                "siffror, bindestreck och understreck."
            )
        )
    return text


@functools.cache
def _lookup(codes: tuple[str, ...]) -> dict[str, str]:
    return {normal(code): code for code in codes}


def parse_choice(value: Any, codes: tuple[str, ...]) -> str:
    text = cell_text(value)
    code = _lookup(codes).get(normal(text))
    if code is not None:
        return code
    raise CellError(
        _("%(value)s är inget tillåtet värde. Tillåtna värden: %(allowed)s.")
        % {"value": shown(text), "allowed": _allowed(codes)}
    )


def parse_choices(value: Any, codes: tuple[str, ...], separators: str) -> list[str]:
    """Several codes in one cell; stored in the vocabulary's order, each once."""
    text = cell_text(value)
    for separator in separators[1:]:
        text = text.replace(separator, separators[0])
    parts = [part for part in (p.strip() for p in text.split(separators[0])) if part]
    found: set[str] = set()
    wrong: list[str] = []
    lookup = _lookup(codes)
    for part in parts:
        code = lookup.get(normal(part))
        if code is None:
            wrong.append(part)
        else:
            found.add(code)
    if wrong:
        separator_text = _(" eller ").join(f"”{s}”" for s in separators)
        raise CellError(
            _(
                "%(values)s är inget tillåtet värde. Tillåtna värden, flera skilda med "
                "%(separator)s: %(allowed)s."
            )
            % {
                "values": ", ".join(shown(part) for part in wrong),
                "separator": separator_text,
                "allowed": _allowed(codes),
            }
        )
    return canonical_choices(found, codes)


def canonical_choices(values: Any, codes: tuple[str, ...] = SUPPORTS) -> list[str]:
    if not values:
        return []
    chosen = set(values)
    return [code for code in codes if code in chosen] + sorted(chosen - set(codes))


def parse_whole_number(value: Any) -> int:
    """A whole number from a cell: 3, "3" or the 3.0 a spreadsheet gives."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError
    text = cell_text(value).replace(" ", "")
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError
    return int(text)


def parse_birth_year(value: Any) -> int:
    try:
        year = parse_whole_number(value)
    except ValueError:
        year = 0
    if not 1000 <= year <= 9999:
        raise CellError(
            _("%(value)s är inget årtal. Skriv födelseåret med fyra siffror, t.ex. 1985.")
            % {"value": shown(cell_text(value))}
        )
    return year


def parse_months(value: Any) -> int:
    try:
        months = parse_whole_number(value)
    except ValueError:
        months = -1
    if months < 0 or months > MONTHS_MAX:
        raise CellError(
            _("%(value)s är inget heltal som är 0 eller större.")
            % {"value": shown(cell_text(value))}
        )
    return months


def parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if DATE_PATTERN.fullmatch(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise CellError(
                _("%(value)s är inget datum som finns.") % {"value": shown(text)}
            ) from None
    raise CellError(
        _("%(value)s är inget datum. Skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2024-03-01.")
        % {"value": shown(text)}
    )


@dataclass(frozen=True)
class Members:
    """The förbund's members by normalised name (loaded once per import)."""

    by_name: Mapping[str, Any]  # normal(name) → Member
    municipalities: Mapping[str, Any]

    @classmethod
    def of(cls, members: Sequence[Any], municipality_kind: str) -> Members:
        return cls(
            by_name={normal(m.name): m for m in members},
            municipalities={normal(m.name): m for m in members if m.kind == municipality_kind},
        )

    def names(self, *, municipalities: bool = False) -> str:
        found = self.municipalities if municipalities else self.by_name
        return ", ".join(sorted((m.name for m in found.values()), key=normal)) or _("(inga)")


def parse_municipality(value: Any, members: Members) -> int:
    text = cell_text(value)
    member = members.municipalities.get(normal(text))
    if member is None:
        raise CellError(
            _(
                "%(value)s är ingen kommun som är medlem i förbundet. Förbundets kommuner: %(names)s."
            )
            % {"value": shown(text), "names": members.names(municipalities=True)}
        )
    return int(member.pk)


def parse_member(value: Any, members: Members) -> int:
    text = cell_text(value)
    member = members.by_name.get(normal(text))
    if member is None:
        raise CellError(
            _("%(value)s är ingen medlem i förbundet. Förbundets medlemmar: %(names)s.")
            % {"value": shown(text), "names": members.names()}
        )
    return int(member.pk)


def parse_referrer(value: Any, members: Members) -> tuple[int | None, str]:
    """(referring member's id, or the non-member code `egen anmälan`/`annan`)."""
    text = cell_text(value)
    member = members.by_name.get(normal(text))
    if member is not None:
        return int(member.pk), ""
    for code in REFERRERS:
        if normal(code) == normal(text):
            return None, code
    raise CellError(
        _(
            "%(value)s är ingen medlem i förbundet och inte %(codes)s. "
            "Förbundets medlemmar: %(names)s."
        )
        % {
            "value": shown(text),
            "codes": _(" eller ").join(REFERRERS),
            "names": members.names(),
        }
    )


def _one(attribute: str, parse: Any) -> Any:
    return lambda value, members, separators: {attribute: parse(value)}


PARSERS: dict[str, Any] = {
    "code": _one("code", parse_code),
    "gender": _one("gender", lambda v: parse_choice(v, GENDERS)),
    "birth_year": _one("birth_year", parse_birth_year),
    "municipality": lambda v, m, s: {"municipality_id": parse_municipality(v, m)},
    "referrer": lambda v, m, s: dict(
        zip(("referring_member_id", "referrer_other"), parse_referrer(v, m), strict=True)
    ),
    "start": _one("start", parse_date),
    "support_at_start": lambda v, m, s: {"support_at_start": parse_choices(v, SUPPORTS, s)},
    "employment_at_start": _one("employment_at_start", lambda v: parse_choice(v, EMPLOYMENTS)),
    "education": _one("education", lambda v: parse_choice(v, EDUCATIONS)),
    "months_without_work": _one("months_without_work", parse_months),
    "exit": _one("exit", parse_date),
    "outcome": _one("outcome", lambda v: parse_choice(v, OUTCOMES)),
    "support_at_exit": lambda v, m, s: {"support_at_exit": parse_choices(v, SUPPORTS, s)},
    "employment_at_exit": _one("employment_at_exit", lambda v: parse_choice(v, EMPLOYMENTS)),
    "handover_to": lambda v, m, s: {"handover_to_id": parse_member(v, m)},
    "consent": _one("consent", parse_date),
}


def parse_cell(column: Column, value: Any, *, members: Members, separators: str) -> dict[str, Any]:
    """The model attributes one non-empty cell sets; CellError when it breaks the rule."""
    result: dict[str, Any] = PARSERS[column.key](value, members, separators)
    return result


# What an empty cell of an optional column stores.
EMPTY: dict[str, Any] = {
    "municipality_id": None,
    "referring_member_id": None,
    "referrer_other": "",
    "support_at_start": [],
    "employment_at_start": "",
    "education": "",
    "months_without_work": None,
    "exit": None,
    "outcome": "",
    "support_at_exit": [],
    "employment_at_exit": "",
    "handover_to_id": None,
    "consent": None,
}


def empty_values(column: Column) -> dict[str, Any]:
    return {attribute: EMPTY[attribute] for attribute in column.attributes}
