"""From the bytes of a plan file to parsed data: YAML (the reference form), JSON with
the same structure, or an Excel workbook (`excel`).

YAML is read with the types of YAML 1.2's core schema — true/false, null, whole and
decimal numbers — so that `no`, `on` or `2023-01-01` stay the texts they look like
(YAML 1.1 would make them booleans and dates), decimals are read exactly
(`Decimal`), and a key written twice, an anchor/alias or a tag is an error instead of
something silently changed.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from stegvis.core import uploads
from stegvis.plans.document import Problem

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old .xls format


@dataclass
class Source:
    """What a file holds before the format's rules are applied."""

    data: Any = None
    kind: str = "yaml"  # yaml | json | xlsx
    # Where a path sits in the file, for Excel: "blad Kostnader, rad 5, kolumn D".
    locations: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PlanLoader(_Base):
    """A safe loader with the YAML 1.2 core types and a record of what it refused."""

    yaml_implicit_resolvers: dict[Any, Any] = {}

    def __init__(self, stream: str):
        super().__init__(stream)
        self.refused: list[str] = []

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        # A node met a second time is an alias (*name): refused, so that a small file
        # cannot expand into a huge structure ("billion laughs").
        if node in self.constructed_objects or node in self.recursive_objects:
            self.refused.append(
                f"rad {node.start_mark.line + 1}: YAML-alias (*namn) stöds inte – skriv ut värdet"
            )
            return None
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            return {}
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, list | dict):
                self.refused.append(
                    f"rad {key_node.start_mark.line + 1}: en nyckel kan inte vara en lista eller samling"
                )
                continue
            if key in mapping:
                self.refused.append(
                    f"rad {key_node.start_mark.line + 1}: nyckeln {_quote(key)} står två gånger"
                )
                continue
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_int(self, node: Any) -> Any:
        text = self.construct_scalar(node)
        try:
            return int(text)
        except ValueError:  # more digits than Python converts: not a plan's number
            return text

    def construct_decimal(self, node: Any) -> Any:
        text = self.construct_scalar(node)
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text
        return number if number.is_finite() else text

    def construct_undefined(self, node: Any) -> Any:
        self.refused.append(f"rad {node.start_mark.line + 1}: YAML-taggen {node.tag} stöds inte")
        return None

    def construct_yaml_map(self, node: Any) -> Any:
        # Built at once (not as a generator) so that every key check runs.
        return self.construct_mapping(node, deep=True)

    def construct_yaml_seq(self, node: Any) -> Any:
        return [self.construct_object(child, deep=True) for child in node.value]


PlanLoader.yaml_constructors = {
    "tag:yaml.org,2002:null": _Base.construct_yaml_null,
    "tag:yaml.org,2002:bool": _Base.construct_yaml_bool,
    "tag:yaml.org,2002:int": PlanLoader.construct_int,
    "tag:yaml.org,2002:float": PlanLoader.construct_decimal,
    "tag:yaml.org,2002:str": _Base.construct_yaml_str,
    "tag:yaml.org,2002:seq": PlanLoader.construct_yaml_seq,
    "tag:yaml.org,2002:map": PlanLoader.construct_yaml_map,
    None: PlanLoader.construct_undefined,
}
PlanLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
PlanLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
)
PlanLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"
        r"|^[-+]?[0-9]+[eE][-+]?[0-9]+$"
        r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"
    ),
    list("-+0123456789."),
)
PlanLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


def _quote(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)


def _decode(data: bytes, source: Source) -> str | None:
    """UTF-8 (with or without BOM); a file saved by an old Windows editor in
    Windows-1252 is read too, with a warning, since its Swedish letters are otherwise
    the only thing wrong with it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        source.problems.append(
            Problem("", "filen är varken YAML, JSON eller en Excel-arbetsbok (.xlsx)")
        )
        return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        source.problems.append(
            Problem(
                "", "filen är varken YAML, JSON eller en Excel-arbetsbok (.xlsx): inte text i UTF-8"
            )
        )
        return None
    source.warnings.append(Problem("", "filen är inte UTF-8; den har lästs som Windows-1252"))
    return text


def _load_json(text: str, source: Source) -> bool:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        for key, value in items:
            if key in mapping:
                source.problems.append(Problem("", f'nyckeln "{key}" står två gånger'))
            mapping[key] = value
        return mapping

    try:
        source.data = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=lambda constant: constant,  # NaN, Infinity: not numbers here
            object_pairs_hook=pairs,
        )
    except json.JSONDecodeError as error:
        source.problems.append(
            Problem(
                "",
                f"filen är inte giltig JSON (rad {error.lineno}, kolumn {error.colno}): {error.msg}",
            )
        )
        return False
    except (RecursionError, ValueError) as error:
        source.problems.append(Problem("", f"filen är inte giltig JSON: {error}"))
        return False
    source.kind = "json"
    return True


def _load_yaml(text: str, source: Source) -> None:
    loader = PlanLoader(text)
    try:
        source.data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" (rad {mark.line + 1}, kolumn {mark.column + 1})" if mark else ""
        what = error.problem or error.context or "okänt fel"
        source.problems.append(Problem("", f"filen är inte giltig YAML{where}: {what}"))
        return
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as error:
        source.problems.append(Problem("", f"filen är inte giltig YAML: {error}"))
        return
    finally:
        loader.dispose()
    source.problems.extend(Problem("", message) for message in loader.refused)


def limit_problem(refused: uploads.FileRefused) -> Problem:
    """A limit's message as the plan file's problems read: "filen är 7 MB; högst …"."""
    message = str(refused).rstrip(".")
    return Problem("", message[:1].lower() + message[1:])


def parse(data: bytes, *, filename: str) -> Source:
    """The parsed content of a plan file, the format told by its content (a zip
    archive is a workbook; text that starts with `{` is JSON) and then by its name.
    A file over `uploads.PLAN_FILE` is refused, a workbook by its zip directory before
    it is unpacked."""
    source = Source()
    name = filename.lower()
    try:
        uploads.check_size(len(data), uploads.PLAN_FILE)
    except uploads.FileRefused as refused:
        source.problems.append(limit_problem(refused))
        return source
    if data.startswith(ZIP_MAGIC) or name.endswith(".xlsx"):
        if not data.startswith(ZIP_MAGIC):
            source.problems.append(Problem("", "filen heter .xlsx men är ingen Excel-arbetsbok"))
            return source
        try:
            uploads.check_workbook(io.BytesIO(data), uploads.PLAN_FILE)
        except uploads.FileRefused as refused:
            source.problems.append(limit_problem(refused))
            return source
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            pass  # the workbook reader names what is wrong with the archive
        from stegvis.plans import excel  # openpyxl only when a workbook is read

        return excel.read_workbook(data)
    if data.startswith(OLE_MAGIC) or name.endswith(".xls"):
        source.problems.append(
            Problem(
                "",
                "det gamla Excel-formatet (.xls) stöds inte – spara arbetsboken som .xlsx",
            )
        )
        return source
    text = _decode(data, source)
    if text is None:
        return source
    if not text.strip():
        source.problems.append(Problem("", "filen är tom"))
        return source
    if name.endswith(".json"):
        _load_json(text, source)
    elif text.lstrip().startswith(("{", "[")):
        # JSON first for its clearer messages; YAML's flow style looks the same.
        if not _load_json(text, source):
            source.problems.clear()
            _load_yaml(text, source)
    else:
        _load_yaml(text, source)
    return source
