"""Files for the tests of the import limits (`stegvis.core.uploads`): a workbook that
unpacks to far more than it weighs, a file that is large on disk without being
written, and the peak of Python's memory while something runs."""

from __future__ import annotations

import functools
import io
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

MB = 1024 * 1024


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def padded(data: bytes, *, megabytes: int) -> bytes:
    """The workbook with its first sheet's XML padded by `megabytes` of spaces before
    its closing tag, packed as tightly as deflate can (about 1 000 to 1): still a valid
    workbook with the same rows, but one that unpacks to that size."""
    target = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(target, "w") as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
                continue
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            end = content.rindex(b"</worksheet>")
            block = b" " * MB
            with archive.open(entry, "w", force_zip64=True) as stream:
                stream.write(content[:end])
                for _ in range(megabytes):
                    stream.write(block)
                stream.write(content[end:])
    return target.getvalue()


@functools.cache
def bomb(megabytes: int) -> bytes:
    """A one-row workbook padded to `megabytes` (built once per test run: packing a few
    hundred megabytes takes a second or two)."""
    return padded(workbook([["kod", "kön"], ["A1", "man"]]), megabytes=megabytes)


def large_file(path: Path, size: int) -> Path:
    """A file of `size` bytes on disk that costs no time or space to make (sparse)."""
    with path.open("wb") as file:
        file.truncate(size)
    return path


def peak_memory(run: Callable[[], Any]) -> tuple[Any, int]:
    """What `run` returns and the peak of Python's allocations while it ran, in bytes."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = run()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak
