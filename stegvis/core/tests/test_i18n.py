"""The English catalog: complete, compiled, covering every string in the source, and used.

The source language is Swedish; `stegvis/locale/en/LC_MESSAGES/django.po` holds the
English. A string added to a template or to Python without a translation fails
`test_every_source_string_is_in_the_catalog`: run `make messages`, translate the new
entries and commit the .po and the compiled .mo together.
"""

from __future__ import annotations

import ast
import io
import re
import shutil
import subprocess
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2]
CATALOG = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = CATALOG / "django.po"
MO = CATALOG / "django.mo"

# What makemessages reads: .py, .html and .txt files outside the tests.
SKIPPED_DIRS = {"tests", "__pycache__", "locale", "static", "migrations"}
# The gettext functions xgettext looks for, by their name in django.utils.translation.
SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop"}
PLURAL = {"ngettext", "ngettext_lazy"}
CONTEXT = {"pgettext", "pgettext_lazy"}
CONTEXT_PLURAL = {"npgettext", "npgettext_lazy"}
GETTEXT_NAMES = SINGULAR | PLURAL | CONTEXT | CONTEXT_PLURAL
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def __str__(self) -> str:
        return f"django.po:{self.line} {self.msgid!r}"


def parse_po(text: str) -> list[Entry]:
    """The entries of a .po file, header included, obsolete (#~) entries left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] = ("", 0)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            current = None
            continue
        if line.startswith("#~"):
            continue
        if current is None:
            current = Entry(line=number)
            entries.append(current)
        if line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            append(current, target, ast.literal_eval(line))
        else:
            keyword, _, value = line.partition(" ")
            index = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            target = ("msgstr", int(index[1])) if index else (keyword, 0)
            if keyword in {"msgctxt", "msgid"}:
                current.line = number
            set_field(current, target, ast.literal_eval(value))
    return [entry for entry in entries if entry.msgstr]


def set_field(entry: Entry, target: tuple[str, int], value: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = value
    elif name in {"msgid", "msgid_plural", "msgctxt"}:
        setattr(entry, name, value)
    else:
        raise ValueError(f"unknown .po keyword {name!r}")


def append(entry: Entry, target: tuple[str, int], value: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] += value
    else:
        setattr(entry, name, getattr(entry, name) + value)


def catalog() -> list[Entry]:
    return [entry for entry in parse_po(PO.read_text(encoding="utf-8")) if entry.msgid]


# --- what the source asks for -------------------------------------------------------


@dataclass(frozen=True)
class Wanted:
    msgid: str
    msgid_plural: str | None
    msgctxt: str | None
    where: str


def source_files(*suffixes: str) -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if path.suffix in suffixes and not SKIPPED_DIRS & set(relative.parts[:-1]):
            yield path


def gettext_aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> gettext function, so `gettext_lazy as _lazy` counts as well."""
    aliases = {name: name for name in GETTEXT_NAMES}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in GETTEXT_NAMES:
                    aliases[alias.asname or alias.name] = alias.name
    return aliases


def wanted_from_call(function: str, args: list[str | None], where: str) -> Wanted | None:
    """The msgid a gettext call with these (literal or None) arguments asks for."""
    if function in CONTEXT | CONTEXT_PLURAL:
        context, args = args[0], args[1:]
        if context is None:
            return None
    else:
        context = None
    plural = function in PLURAL | CONTEXT_PLURAL
    if not args or args[0] is None or (plural and (len(args) < 2 or args[1] is None)):
        return None  # not a literal: nothing for makemessages to find either
    return Wanted(args[0], args[1] if plural else None, context, where)


def wanted_in_python(path: Path) -> Iterator[Wanted]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    aliases = gettext_aliases(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in aliases:
            continue
        args = [
            arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
            for arg in node.args
        ]
        where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
        wanted = wanted_from_call(aliases[name], args, where)
        if wanted is not None:
            yield wanted


def wanted_in_template(path: Path) -> Iterator[Wanted]:
    """Django's own templatize (what makemessages runs) turns the template into gettext
    calls on a background of placeholder letters; read the calls back, line by line."""
    code = translation.templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for number, line in enumerate(code.splitlines(), start=1):
        if "(" not in line:
            continue
        tokens = [
            token
            for token in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline)
            if token.type in {tokenize.NAME, tokenize.OP, tokenize.STRING}
        ]
        for position, token in enumerate(tokens[:-1]):
            if token.string in GETTEXT_NAMES and tokens[position + 1].string == "(":
                args = call_arguments(tokens[position + 2 :])
                where = f"{path.relative_to(PACKAGE)}:{number}"
                wanted = wanted_from_call(token.string, args, where)
                if wanted is not None:
                    yield wanted


def call_arguments(tokens: list[tokenize.TokenInfo]) -> list[str | None]:
    """The arguments of a call up to its closing bracket: string literals, else None."""
    args: list[str | None] = []
    literal: str | None = ""
    for token in tokens:
        if token.string in {",", ")"}:
            args.append(literal or None)
            literal = ""
            if token.string == ")":
                break
        elif token.type == tokenize.STRING and literal is not None:
            literal += ast.literal_eval(token.string)
        else:
            literal = None
    return args


def wanted_in_source() -> list[Wanted]:
    wanted: list[Wanted] = []
    for path in source_files(".py"):
        wanted.extend(wanted_in_python(path))
    for path in source_files(".html", ".txt"):
        wanted.extend(wanted_in_template(path))
    return wanted


# --- the tests ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _keep_language() -> Iterator[None]:
    """The locale middleware activates English for the thread; give it back afterwards."""
    language = translation.get_language()
    yield
    translation.activate(language)


def test_the_catalog_exists_with_a_compiled_copy() -> None:
    assert PO.is_file(), f"{PO} is missing: run `make messages`"
    assert MO.is_file(), f"{MO} is missing: run `make messages` (compilemessages)"
    header = parse_po(PO.read_text(encoding="utf-8"))[0]
    assert header.msgid == ""
    assert "Language: en\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    entries = catalog()
    assert len(entries) > 100
    fuzzy = [
        str(entry) for entry in parse_po(PO.read_text(encoding="utf-8")) if "fuzzy" in entry.flags
    ]
    assert fuzzy == [], f"fuzzy entries (check the translation, then remove the flag): {fuzzy}"
    empty = [
        str(entry)
        for entry in entries
        if not entry.msgstr
        or not all(entry.msgstr.values())
        or len(entry.msgstr) != (2 if entry.msgid_plural else 1)
    ]
    assert empty == [], f"untranslated entries: {empty}"


def test_translations_keep_the_placeholders() -> None:
    wrong = []
    for entry in catalog():
        expected = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        for translated in entry.msgstr.values():
            found = set(PLACEHOLDER.findall(translated))
            # A singular may leave out the count ("One entry"), never add a name.
            if not found <= expected or (not entry.msgid_plural and found != expected):
                wrong.append(f"{entry}: {translated!r}")
    assert wrong == []


def test_the_compiled_catalog_matches_the_po_file() -> None:
    """A .mo compiled from an older .po gives the Swedish or the old English back."""
    stale = []
    with translation.override("en"):
        for entry in catalog():
            if entry.msgid_plural is None:
                got = [
                    translation.pgettext(entry.msgctxt, entry.msgid)
                    if entry.msgctxt is not None
                    else translation.gettext(entry.msgid)
                ]
                want = [entry.msgstr[0]]
            else:
                counts = (1, 2)
                if entry.msgctxt is not None:
                    got = [
                        translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                        for n in counts
                    ]
                else:
                    got = [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in counts]
                want = [entry.msgstr[0], entry.msgstr[1]]
            if got != want:
                stale.append(f"{entry}: compiled {got!r}, .po {want!r}")
    assert stale == [], "django.mo is out of date, run `make messages`:\n" + "\n".join(stale)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext tools are not installed")
def test_msgfmt_accepts_the_catalog(tmp_path: Path) -> None:
    """msgfmt checks the python-format strings and the plural forms."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt is not None
    result = subprocess.run(  # noqa: S603
        [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(PO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_the_source_scanner_finds_strings() -> None:
    """Guards the guard below: the scanner sees each kind of translatable string."""
    wanted = {(w.msgctxt, w.msgid, w.msgid_plural) for w in wanted_in_source()}
    assert (None, "Översikt", None) in wanted  # gettext_lazy as _ in Python
    assert (None, "Logga in i Stegvis", None) in wanted  # {% translate %}
    wanted_day = "Läget i dag, %(day)s. Du är inloggad som %(role_label)s."
    assert (None, wanted_day, None) in wanted  # blocktranslate
    assert (None, "%(counter)s post", "%(counter)s poster") in wanted  # with a plural
    assert (None, "Svenska", None) in wanted  # settings.LANGUAGES


def test_every_source_string_is_in_the_catalog() -> None:
    entries = {entry.key: entry for entry in catalog()}
    missing = []
    for wanted in wanted_in_source():
        entry = entries.get((wanted.msgctxt, wanted.msgid))
        if entry is None or entry.msgid_plural != wanted.msgid_plural:
            missing.append(f"{wanted.where}: {wanted.msgid!r}")
    assert missing == [], (
        "strings without an English translation; run `make messages` and translate them "
        "in stegvis/locale/en/LC_MESSAGES/django.po:\n" + "\n".join(missing)
    )


def test_a_page_in_english(client: Client, db: None) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/konto/logga-in/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    page = client.get("/konto/logga-in/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Log in to Stegvis</h1>" in html
    assert ">Log in</button>" in html
    assert "Logga in" not in html
    # The switch back to Swedish names the language in Swedish.
    assert 'value="sv" class="link" lang="sv">Svenska</button>' in html
