"""What a file people upload or import may be, and the checks that hold it to that.

Every import (the participant file, the actuals sheet, the plan file) takes a file
from a person, in the browser or on the command line, and none may let one file take
the server's memory: a 120 kB .xlsx can unpack to gigabytes, a CSV can be larger than
anyone meant. So each kind of file has its limits here (`Limit`), every import checks
them before it reads the content, and the messages name the limit:

* the file's own size, from the upload or the file system (`check_size`, `check_path`);
* for an .xlsx (a zip archive), from its directory and before openpyxl opens it: how
  many parts it has, what they unpack to together, and how much each part is packed
  (`check_workbook`);
* while a sheet is read: its rows, its columns and, in a CSV, the length of a line
  (`csv_rows` reads a CSV line by line, so that memory does not follow the file's size).

An import reports the problems of at most `MAX_PROBLEM_ROWS` rows and then how many
more there are (`more_problems`), so that a file where every row is wrong does not
build a page of a million lines.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import os
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MB = 1024 * 1024

# A deflated part that unpacks to more than this many times its packed size is no
# spreadsheet: sheets stay under about 25 (one text repeated in 800 000 cells: 24,
# empty styled cells: 15, a plan: 7), a zip bomb reaches 1 000.
MAX_COMPRESSION_RATIO = 100
# Parts below this size are not judged by their ratio: a small part of repeated
# markup (styles, an empty sheet) can be packed far more without harm.
RATIO_FROM_BYTES = MB
# A workbook has a dozen parts, a few hundred with many sheets and pictures.
MAX_ZIP_MEMBERS = 1_000
# A participant row is about 150 characters, an actuals row 50.
MAX_LINE_CHARS = 10_000
# Rows with problems listed before "…and N more"; file-wide problems always are.
MAX_PROBLEM_ROWS = 1_000

_SCAN_CHUNK = MB


@dataclass(frozen=True)
class Limit:
    """What one kind of file may be."""

    max_bytes: int  # the file as uploaded
    max_unpacked_bytes: int  # an .xlsx's parts together, unpacked


@dataclass(frozen=True)
class SheetLimit(Limit):
    """A file read a row at a time (a CSV or a workbook's first sheet)."""

    max_rows: int  # the spreadsheet's row numbers, the header included
    max_columns: int


# 50 000 participants (more than any insats has) are a CSV of about 8 MB or an XLSX of
# 3 MB that unpacks to 40 MB; the import reads them a row at a time.
PARTICIPANT_FILE = SheetLimit(
    max_bytes=25 * MB, max_unpacked_bytes=200 * MB, max_rows=200_000, max_columns=100
)
# A plan has a few hundred budget lines, so a sheet of 2 000 rows lists at most 4 000
# problems (no cap needed). The page carries the tried file back to "Spara" in the
# form, as base64 (4/3 of its size), which must stay under Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
ACTUALS_SHEET = SheetLimit(
    max_bytes=1 * MB, max_unpacked_bytes=20 * MB, max_rows=2_000, max_columns=26
)
# A plan of 500 lines × 10 years is 95 kB of YAML, or an XLSX of 50 kB that unpacks
# to 0.4 MB. A workbook is read whole, twice when it has formulas (their last computed
# values): about 20 times its unpacked size in memory, so 10 MB is at most 200 MB.
PLAN_FILE = Limit(max_bytes=5 * MB, max_unpacked_bytes=10 * MB)


class FileRefused(ValueError):
    """The file is over a limit or cannot be read; the message says which, in Swedish."""


def megabytes(size: int) -> str:
    """1 572 864 → '1,5 MB'; rounded up, so that a file just over a limit never
    shows as the limit itself."""
    tenths = math.ceil(size * 10 / MB)
    if tenths % 10 == 0:
        return f"{tenths // 10} MB"
    return f"{tenths // 10},{tenths % 10} MB"


def _count(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def check_size(size: int, limit: Limit) -> None:
    if size > limit.max_bytes:
        raise FileRefused(
            _("Filen är %(size)s; högst %(limit)s tas emot.")
            % {"size": megabytes(size), "limit": megabytes(limit.max_bytes)}
        )


def validate_upload(upload: UploadedFile, limit: Limit) -> None:
    """For a form's clean_file: the upload's size as the browser sent it, before its
    content is read."""
    try:
        check_size(upload.size or 0, limit)
    except FileRefused as refused:
        raise ValidationError(str(refused)) from refused


def check_path(path: str | os.PathLike[str], limit: Limit) -> None:
    """The size of a file on disk, before it is opened (OSError when it cannot be
    read, for the caller to name)."""
    check_size(os.stat(path).st_size, limit)


def read_limited(stream: IO[bytes], limit: Limit) -> bytes:
    """The whole of a stream whose size is not known beforehand (standard input),
    never more than the limit."""
    data = stream.read(limit.max_bytes + 1)
    check_size(len(data), limit)
    return data


def seekable(stream: IO[bytes], limit: Limit) -> IO[bytes]:
    """The stream itself when it can be read twice; otherwise its content, read up to
    the limit (a pipe)."""
    if stream.seekable():
        return stream
    return io.BytesIO(read_limited(stream, limit))


def check_workbook(stream: IO[bytes], limit: Limit) -> None:
    """Refuse an .xlsx whose zip directory promises too much, before anything is
    unpacked. The directory can be trusted: Python's zipfile (which openpyxl reads
    through) never gives more bytes than the directory states for a part, and a part
    that would unpack to more fails its checksum.

    Raises FileRefused over a limit and zipfile.BadZipFile when the file is no zip
    archive; the stream is left at its start."""
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    finally:
        stream.seek(0)
    if len(parts) > MAX_ZIP_MEMBERS:
        raise FileRefused(
            _("Excelfilen har %(count)s delar; högst %(limit)s tas emot.")
            % {"count": _count(len(parts)), "limit": _count(MAX_ZIP_MEMBERS)}
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limit.max_unpacked_bytes:
        raise FileRefused(
            _("Excelfilen packas upp till %(size)s; högst %(limit)s tas emot.")
            % {"size": megabytes(unpacked), "limit": megabytes(limit.max_unpacked_bytes)}
        )
    for part in parts:
        if part.file_size < RATIO_FROM_BYTES:
            continue
        ratio = part.file_size / max(part.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO:
            raise FileRefused(
                _(
                    "Excelfilens del %(part)s packas upp till %(ratio)s gånger sin storlek; "
                    "högst %(limit)s gånger tas emot."
                )
                % {
                    "part": part.filename,
                    "ratio": _count(int(ratio)),
                    "limit": _count(MAX_COMPRESSION_RATIO),
                }
            )


def check_rows(number: int, limit: SheetLimit) -> None:
    """Called with each row's number as a sheet is read: stops at the limit, so that a
    sheet claiming row 1 048 576 (or a billion) is not walked to the end."""
    if number > limit.max_rows:
        raise FileRefused(
            _("Filen har fler än %(limit)s rader; högst %(limit)s tas emot.")
            % {"limit": _count(limit.max_rows)}
        )


def check_columns(number: int, cells: Sequence[object], limit: SheetLimit) -> None:
    """A row with a value beyond the last column allowed is refused (an .xlsx is read
    up to one column past the limit, so that such a value shows)."""
    if len(cells) <= limit.max_columns:
        return
    if any(not _blank(cell) for cell in cells[limit.max_columns :]):
        raise FileRefused(
            _("Rad %(row)s har värden i fler än %(limit)s kolumner; högst %(limit)s tas emot.")
            % {"row": _count(number), "limit": _count(limit.max_columns)}
        )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- CSV, line by line ---------------------------------------------------------------


def _encoding(stream: IO[bytes]) -> str:
    """UTF-8 (with or without a byte-order mark) when every byte of the file is, else
    Windows-1252, which Swedish Excel writes as plain "CSV". Read once in chunks; the
    stream is left at its start."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    encoding = "utf-8-sig"
    try:
        while chunk := stream.read(_SCAN_CHUNK):
            if b"\x00" in chunk:
                raise FileRefused(_("Filen kunde inte läsas som Excel (.xlsx) eller CSV."))
            if encoding != "cp1252":
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    encoding = "cp1252"
        if encoding != "cp1252":
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                encoding = "cp1252"
    finally:
        stream.seek(0)
    return encoding


def _lines(text: IO[str]) -> Iterator[str]:
    while line := text.readline(MAX_LINE_CHARS + 1):
        if len(line) > MAX_LINE_CHARS:
            raise FileRefused(
                _("Filen har en rad som är längre än %(limit)s tecken; högst %(limit)s tas emot.")
                % {"limit": _count(MAX_LINE_CHARS)}
            )
        yield line


def _open_text(stream: IO[bytes], encoding: str) -> io.TextIOWrapper:
    # errors="replace": a byte Windows-1252 leaves undefined (0x81, 0x8d …) becomes
    # "?" rather than an error, as the whole-file decode did.
    return io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")


def csv_rows(
    stream: IO[bytes], limit: SheetLimit, *, delimiters: str
) -> tuple[str, Iterator[tuple[int, list[str]]]]:
    """The delimiter of a CSV file (the first of `delimiters` that its first non-blank
    line holds, else the last) and its rows as (spreadsheet row number from 1, cells),
    read line by line. A quoted cell may hold a line break: the spreadsheet's row is
    the record. The row and line limits are checked as the rows are read; a file that
    is no text raises FileRefused at once."""
    encoding = _encoding(stream)
    text = _open_text(stream, encoding)
    try:
        first = next((line for line in _lines(text) if line.strip()), "")
    finally:
        text.detach()  # the stream stays open for the rows
        stream.seek(0)
    delimiter = next((d for d in delimiters if d in first), delimiters[-1])

    def rows() -> Iterator[tuple[int, list[str]]]:
        text = _open_text(stream, encoding)
        try:
            for number, cells in enumerate(csv.reader(_lines(text), delimiter=delimiter), 1):
                check_rows(number, limit)
                check_columns(number, cells, limit)
                yield number, cells
        except csv.Error as error:
            raise FileRefused(
                _("Filen kunde inte läsas som CSV: %(error)s") % {"error": error}
            ) from error
        finally:
            text.detach()

    return delimiter, rows()


# --- reporting -----------------------------------------------------------------------


def more_problems(*, problems: int, rows: int) -> str:
    """The line after the problems shown, for those left out."""
    return ngettext(
        "…och %(problems)s fel till på %(rows)s rad, som inte visas. Rätta felen ovan och "
        "läs in filen igen.",
        "…och %(problems)s fel till på %(rows)s rader, som inte visas. Rätta felen ovan och "
        "läs in filen igen.",
        rows,
    ) % {"problems": _count(problems), "rows": _count(rows)}
