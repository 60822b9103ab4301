"""Reading a plan file (`stegvis-plan/1`, `shared/spec/plan-format.md`).

`read_plan` takes the bytes of a YAML, JSON or Excel (.xlsx) file and gives the
checked `PlanDocument` with its warnings, or raises `PlanFileError` with every
problem found. The format is told by the content (a zip archive is a workbook, text
beginning with `{` is JSON) and then by the file name. A workbook is turned into the
same data as the YAML (layout in `stegvis.plans.excel`) and checked by the same
rules (`stegvis.plans.validate`); its problems name the sheet, row and column.
"""

from __future__ import annotations

from stegvis.plans.document import PlanDocument, PlanFileError, Problem
from stegvis.plans.source import Source, parse
from stegvis.plans.validate import Validator
from stegvis.plans.vocabulary import known_codes


def _parent(path: str) -> str | None:
    """`costs[3].amounts.2025` → `costs[3].amounts` → `costs[3]` → `costs` → None."""
    if path.endswith("]") and "[" in path:
        return path[: path.rindex("[")] or None
    if "." in path:
        return path[: path.rindex(".")]
    return None


def locate(problem: Problem, locations: dict[str, str]) -> Problem:
    """The problem with where it sits in a workbook added, from the nearest path
    that has a place."""
    path: str | None = problem.path
    while path:
        if path in locations:
            return Problem(problem.path, f"{problem.message} ({locations[path]})")
        path = _parent(path)
    return problem


def read_plan(data: bytes, *, filename: str) -> tuple[PlanDocument, list[Problem]]:
    """The plan in `data` and its warnings (e.g. a question code the installation does
    not know yet). Raises `PlanFileError` listing every problem when the file cannot
    be used; never another exception, whatever the bytes."""
    try:
        source = parse(data, filename=filename)
    except Exception as error:  # a parser's own bug must not become a traceback
        source = Source(problems=[Problem("", f"filen kunde inte läsas: {error}")])
    if source.problems and source.data is None:
        raise PlanFileError(source.problems)
    if source.data is None:
        raise PlanFileError([Problem("", "filen är tom")])
    validator = Validator(codes=known_codes())
    try:
        document = validator.document(source.data)
    except RecursionError:
        validator.error("", "filen är för djupt nästlad")
        document = None
    # The parser's own problems say where they are already.
    problems = [*source.problems, *(locate(p, source.locations) for p in validator.problems)]
    warnings = [*source.warnings, *(locate(p, source.locations) for p in validator.warnings)]
    if problems or document is None:
        raise PlanFileError(problems or [Problem("", "filen kunde inte läsas")])
    return document, warnings
