"""A workbook read into the plan file's data, with the place of every path."""

from __future__ import annotations

import datetime
import io
import warnings
from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl import load_workbook

from stegvis.plans.document import Problem
from stegvis.plans.excel.layout import (
    CONTRIBUTION_KEY,
    CONTRIBUTION_TOTAL,
    CONTRIBUTIONS,
    COST_COLUMNS,
    COST_TAIL,
    COSTS,
    EMPTY_ROWS_STOP,
    EXCEL_OPS,
    GOAL_COLUMNS,
    GOALS,
    INDICATOR_COLUMNS,
    INTERVENTION_COLUMNS,
    INTERVENTIONS,
    MAX_COLUMNS,
    MEMBER_COLUMNS,
    MEMBERS,
    NONE_WORDS,
    PLAN,
    PLAN_FIELDS,
    README,
    REVENUE_COLUMNS,
    REVENUE_TAIL,
    REVENUES,
    RULE_FIELDS,
    RULES,
    SHEETS,
    TARGET_COLUMNS,
    TIER,
    Column,
    Field,
    empty,
    location,
    norm,
    split_values,
    split_years,
    year_header,
)
from stegvis.plans.source import Source


class _WorkbookReader:
    """Turns the sheets into the plan file's data, remembering where each path sits."""

    def __init__(self, sheets: dict[str, list[list[Any]]]):
        self.sheets = sheets
        self.source = Source(kind="xlsx", data={})
        self.data: dict[str, Any] = self.source.data
        self.locations = self.source.locations

    def problem(self, path: str, message: str, where: str) -> None:
        self.source.problems.append(Problem(path, f"{message} ({where})"))

    def rows(self, sheet: str) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values) of the data rows: row 2 on, empty rows left out."""
        for number, values in enumerate(self.sheets.get(sheet, [])[1:], start=2):
            if not all(empty(v) for v in values):
                yield number, values

    def read(self) -> Source:
        for sheet, rows in self.sheets.items():
            if sheet not in SHEETS and any(not empty(v) for row in rows for v in row):
                self.source.problems.append(
                    Problem("", f'okänt blad "{sheet}" – bladen heter {", ".join(SHEETS[1:])}')
                )
        self.fields(PLAN, PLAN_FIELDS)
        self.members()
        self.contributions()
        self.rules()
        self.lines(REVENUES, "revenues", REVENUE_COLUMNS, REVENUE_TAIL)
        self.lines(COSTS, "costs", COST_COLUMNS, COST_TAIL)
        self.grouped(
            INTERVENTIONS, "interventions", INTERVENTION_COLUMNS, TARGET_COLUMNS, "targets"
        )
        self.grouped(GOALS, "goals", GOAL_COLUMNS, INDICATOR_COLUMNS, "indicators")
        return self.source

    # --- labelled rows ---------------------------------------------------------------

    def put(self, path: Sequence[str], value: Any) -> None:
        target = self.data
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = value

    def fields(self, sheet: str, fields: Sequence[Field]) -> list[tuple[int, list[Any]]]:
        """Label/value rows; returns the rows it did not know for the caller to try."""
        by_label = {norm(f.label): f for f in fields} | {norm(".".join(f.path)): f for f in fields}
        by_label |= {norm(f.path[-1]): f for f in fields}
        unknown = []
        for number, values in self.rows(sheet):
            label = values[0] if values else None
            field = by_label.get(norm(label)) if not empty(label) else None
            if field is None:
                unknown.append((number, values))
                continue
            path = ".".join(field.path)
            cells = [(column, v) for column, v in enumerate(values[1:], start=2) if not empty(v)]
            self.locations[path] = location(sheet, number, 2)
            if not cells:
                continue
            if field.many and len(cells) == 1 and norm(cells[0][1]) in NONE_WORDS:
                self.locations[path] = location(sheet, number, cells[0][0])
                self.put(field.path, [])
                continue
            if field.many:
                items: list[Any] = []
                for column, value in cells:
                    parts = split_years(value) if field.path == ("years",) else split_values(value)
                    for part in parts:
                        self.locations[f"{path}[{len(items)}]"] = location(sheet, number, column)
                        items.append(part)
                self.put(field.path, items)
                continue
            column, value = cells[0]
            self.locations[path] = location(sheet, number, column)
            self.put(field.path, value)
            for column, extra in cells[1:]:
                self.problem(
                    path,
                    f"oväntat värde {quote_cell(extra)} efter värdet",
                    location(sheet, number, column),
                )
        if sheet == PLAN:
            for number, values in unknown:
                self.problem("", f"okänd rad {quote_cell(values[0])}", location(sheet, number, 1))
        return unknown

    def rules(self) -> None:
        tiers: dict[int, dict[str, Any]] = {}
        for number, values in self.fields(RULES, RULE_FIELDS):
            match = TIER.fullmatch(norm(values[0])) if not empty(values[0]) else None
            if match is None:
                self.problem(
                    "rules", f"okänd rad {quote_cell(values[0])}", location(RULES, number, 1)
                )
                continue
            position = int(match[1]) - 1
            key = "up_to" if match[2] == "upp till" else "rate"
            path = f"rules.equity_cap.tiers[{position}].{key}"
            self.locations[path] = location(RULES, number, 2)
            self.locations.setdefault(
                f"rules.equity_cap.tiers[{position}]", location(RULES, number)
            )
            tier = tiers.setdefault(position, {})
            if len(values) > 1 and not empty(values[1]):
                tier[key] = values[1]
        present = sorted(position for position, tier in tiers.items() if tier)
        if present:
            for position in range(present[-1] + 1):
                if not tiers.get(position):
                    self.problem(
                        f"rules.equity_cap.tiers[{position}]",
                        f"trappsteg {position + 1} saknas",
                        f"blad {RULES}",
                    )
            self.data.setdefault("rules", {}).setdefault("equity_cap", {})["tiers"] = [
                tiers.get(position, {}) for position in range(present[-1] + 1)
            ]

    def contributions(self) -> None:
        rows = self.sheets.get(CONTRIBUTIONS, [])
        header = rows[0] if rows else []
        years = {column: year_header(v) for column, v in enumerate(header) if column > 0}
        total: dict[Any, Any] = {}
        key: Any = None
        for number, values in self.rows(CONTRIBUTIONS):
            label = norm(values[0]) if values and not empty(values[0]) else ""
            if label in (norm(CONTRIBUTION_TOTAL), "total"):
                for column, value in enumerate(values):
                    if column == 0 or empty(value):
                        continue
                    year = years.get(column)
                    if year is None:
                        self.problem(
                            "contributions.total",
                            f"värde {quote_cell(value)} i en kolumn utan år som rubrik",
                            location(CONTRIBUTIONS, number, column + 1),
                        )
                        continue
                    path = f"contributions.total.{year}"
                    self.locations[path] = location(CONTRIBUTIONS, number, column + 1)
                    total[year] = value
                self.locations["contributions.total"] = location(CONTRIBUTIONS, number)
            elif label in (norm(CONTRIBUTION_KEY), "municipal_key"):
                key = values[1] if len(values) > 1 and not empty(values[1]) else None
                self.locations["contributions.municipal_key"] = location(CONTRIBUTIONS, number, 2)
            else:
                self.problem(
                    "contributions",
                    f"okänd rad {quote_cell(values[0])}",
                    location(CONTRIBUTIONS, number, 1),
                )
        self.locations.setdefault("contributions", f"blad {CONTRIBUTIONS}")
        if total:
            section = self.data.setdefault("contributions", {})
            section["total"] = total
            if key is not None:
                section["municipal_key"] = key

    # --- tables ----------------------------------------------------------------------

    def header(
        self, sheet: str, path: str, columns: Sequence[Column], *, years: bool = False
    ) -> dict[int, Column | int]:
        """Which column holds what: a Column, or a year (for amounts)."""
        rows = self.sheets.get(sheet, [])
        mapping: dict[int, Column | int] = {}
        by_header = {norm(c.header): c for c in columns}
        keys = [c.key for c in columns]
        by_header |= {norm(c.key): c for c in columns if keys.count(c.key) == 1}
        for column, value in enumerate(rows[0] if rows else []):
            if empty(value):
                continue
            year = year_header(value) if years else None
            if year is not None:
                mapping[column] = year
            elif norm(value) in by_header:
                found = by_header[norm(value)]
                if found in mapping.values():
                    self.problem(
                        path,
                        f"kolumnen {quote_cell(value)} står två gånger",
                        location(sheet, 1, column + 1),
                    )
                else:
                    mapping[column] = found
            else:
                self.problem(
                    path, f"okänd kolumn {quote_cell(value)}", location(sheet, 1, column + 1)
                )
        return mapping

    def cells(
        self, sheet: str, number: int, values: list[Any], mapping: dict[int, Column | int]
    ) -> Iterator[tuple[int, Column | int, Any]]:
        for column, value in enumerate(values):
            if column not in mapping:
                if not empty(value):
                    self.problem(
                        "",
                        f"värde {quote_cell(value)} i en kolumn utan rubrik",
                        location(sheet, number, column + 1),
                    )
                continue
            yield column, mapping[column], value

    def members(self) -> None:
        mapping = self.header(MEMBERS, "association.members", MEMBER_COLUMNS)
        members: list[dict[str, Any]] = []
        shares: dict[Any, Any] = {}
        for number, values in self.rows(MEMBERS):
            path = f"association.members[{len(members)}]"
            self.locations[path] = location(MEMBERS, number)
            item: dict[str, Any] = {}
            share: tuple[int, Any] | None = None
            for column, what, value in self.cells(MEMBERS, number, values, mapping):
                assert isinstance(what, Column)
                if what.key == "share":
                    if not empty(value):
                        share = (column, value)
                    continue
                self.locations[f"{path}.{what.key}"] = location(MEMBERS, number, column + 1)
                if not empty(value):
                    item[what.key] = value
            if share is not None:
                name = item.get("name", f"rad {number}")
                shares[name] = share[1]
                self.locations[f"contributions.shares.{name}"] = location(
                    MEMBERS, number, share[0] + 1
                )
            members.append(item)
        if MEMBERS in self.sheets:
            self.data.setdefault("association", {})["members"] = members
            self.locations.setdefault("association.members", f"blad {MEMBERS}")
        if shares:
            self.data.setdefault("contributions", {})["shares"] = shares
            self.locations.setdefault("contributions.shares", f"blad {MEMBERS}, kolumn Andel")

    def lines(self, sheet: str, path: str, head: Sequence[Column], tail: Sequence[Column]) -> None:
        if sheet not in self.sheets:
            return
        mapping = self.header(sheet, path, [*head, *tail], years=True)
        lines: list[dict[str, Any]] = []
        for number, values in self.rows(sheet):
            line_path = f"{path}[{len(lines)}]"
            self.locations[line_path] = location(sheet, number)
            self.locations[f"{line_path}.amounts"] = location(sheet, number)
            item: dict[str, Any] = {"amounts": {}}
            for column, what, value in self.cells(sheet, number, values, mapping):
                if isinstance(what, int):
                    self.locations[f"{line_path}.amounts.{what}"] = location(
                        sheet, number, column + 1
                    )
                    if not empty(value):
                        item["amounts"][what] = value
                    continue
                self.locations[f"{line_path}.{what.key}"] = location(sheet, number, column + 1)
                if not empty(value):
                    item[what.key] = value
            lines.append(item)
        self.data[path] = lines
        self.locations.setdefault(path, f"blad {sheet}")

    def grouped(
        self,
        sheet: str,
        path: str,
        own: Sequence[Column],
        targets: Sequence[Column],
        targets_key: str,
    ) -> None:
        """Insatser with their targets, or goals with their indicators: a row whose own
        columns are empty continues the item above it."""
        if sheet not in self.sheets:
            return
        mapping = self.header(sheet, path, [*own, *targets])
        items: list[dict[str, Any]] = []
        for number, values in self.rows(sheet):
            mine: dict[str, Any] = {}
            target: dict[str, Any] = {}
            places: dict[str, int] = {}
            for column, what, value in self.cells(sheet, number, values, mapping):
                assert isinstance(what, Column)
                is_target = what in targets
                key = ("t:" if is_target else "") + what.key
                places[key] = column + 1
                if empty(value):
                    continue
                if is_target:
                    if what.key == "op" and isinstance(value, str):
                        value = EXCEL_OPS.get(value.strip(), value)
                    target[what.key] = value
                elif what.key == "members":
                    mine[what.key] = split_values(value)
                else:
                    mine[what.key] = value
            if mine or not items:
                item_path = f"{path}[{len(items)}]"
                self.locations[item_path] = location(sheet, number)
                for key, column in places.items():
                    if not key.startswith("t:"):
                        self.locations[f"{item_path}.{key}"] = location(sheet, number, column)
                if isinstance(mine.get("members"), list):
                    for j in range(len(mine["members"])):
                        self.locations[f"{item_path}.members[{j}]"] = location(
                            sheet, number, places["members"]
                        )
                items.append(mine)
            if target:
                item = items[-1]
                item_path = f"{path}[{len(items) - 1}]"
                found = item.setdefault(targets_key, [])
                target_path = f"{item_path}.{targets_key}[{len(found)}]"
                self.locations[target_path] = location(sheet, number)
                for key, column in places.items():
                    if key.startswith("t:"):
                        self.locations[f"{target_path}.{key[2:]}"] = location(sheet, number, column)
                found.append(target)
        self.data[path] = items
        self.locations.setdefault(path, f"blad {sheet}")


def quote_cell(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)


def _cell_value(cell: Any) -> Any:
    value = cell.value
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date()
    if isinstance(value, str):
        return value.strip()
    return value


def _sheet_values(worksheet: Any, cached: Any) -> tuple[list[list[Any]], list[str]]:
    """The values of a sheet, formulas replaced by Excel's last computed value."""
    rows: list[list[Any]] = []
    uncomputed: list[str] = []
    empty_run = 0
    for row in worksheet.iter_rows(max_col=min(worksheet.max_column, MAX_COLUMNS)):
        values = []
        for cell in row:
            if cell.data_type == "f":
                value = cached[cell.coordinate].value if cached is not None else None
                if value is None:
                    uncomputed.append(cell.coordinate)
                values.append(value)
            else:
                values.append(_cell_value(cell))
        while values and empty(values[-1]):
            values.pop()
        rows.append(values)
        empty_run = empty_run + 1 if not values else 0
        if empty_run >= EMPTY_ROWS_STOP:
            break
    while rows and not rows[-1]:
        rows.pop()
    return rows, uncomputed


def read_workbook(data: bytes) -> Source:
    """The workbook's sheets as plan file data (see `stegvis.plans.excel`)."""
    # openpyxl warns about what it does not support (extensions, odd dates); what
    # matters to the plan is reported as a problem instead.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read_workbook(data)


def _read_workbook(data: bytes) -> Source:
    try:
        workbook = load_workbook(io.BytesIO(data), rich_text=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged archive
        return Source(
            kind="xlsx",
            problems=[
                Problem("", f"filen är ingen Excel-arbetsbok (.xlsx) som går att läsa: {error}")
            ],
        )
    cached_workbook = None
    if any(
        cell.data_type == "f"
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
    ):
        try:
            cached_workbook = load_workbook(io.BytesIO(data), data_only=True, rich_text=False)
        except Exception:  # pragma: no cover - it opened a moment ago
            cached_workbook = None
    sheets: dict[str, list[list[Any]]] = {}
    known = {norm(name): name for name in SHEETS}
    problems = []
    for worksheet in workbook.worksheets:
        cached = cached_workbook[worksheet.title] if cached_workbook is not None else None
        rows, uncomputed = _sheet_values(worksheet, cached)
        name = known.get(norm(worksheet.title), worksheet.title)
        if name == README:
            continue
        sheets[name] = rows
        for coordinate in uncomputed[:10]:
            problems.append(
                Problem(
                    "",
                    f"formeln i blad {name}, cell {coordinate} har inget beräknat värde – "
                    "öppna och spara filen i Excel",
                )
            )
    source = _WorkbookReader(sheets).read()
    source.problems[:0] = problems
    return source
