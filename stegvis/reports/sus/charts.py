"""The charts of the SUS reports, drawn from the very cells of the table beside them
(so a chart can never show a figure its table hides). Bars are the participant
report's (`participants.charts.bar_chart_svg`, matplotlib SVG via
`finance.charts.svg_text`); amounts are drawn in tkr."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from stegvis.finance.charts import tkr
from stegvis.participants.charts import bar_chart_svg
from stegvis.participants.selectors_report import Cell, Line, ReportTable

_ID = re.compile(r'\bid="([^"]+)"')
_REFERENCE = re.compile(r'(href="#|url\(#)([^")]+)')


def unique_ids(svg: str) -> str:
    """Every chart of a page or a PDF names its glyphs and clip paths alike
    (matplotlib's ids); prefix them with a digest of the chart, so that ids are
    unique in the document and each chart uses its own."""
    prefix = "c" + hashlib.sha1(svg.encode(), usedforsecurity=False).hexdigest()[:8] + "-"
    ids = set(_ID.findall(svg))
    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    return _REFERENCE.sub(
        lambda m: m.group(1) + (prefix if m.group(2) in ids else "") + m.group(2), svg
    )


# Horizontal bars only when there are many: a short horizontal chart puts its legend
# on the value axis's labels.
HORIZONTAL_FROM = 18


def _value(cell: Cell) -> float | None:
    value = cell.value
    if value is None:
        return None
    if cell.kind == "tkr":
        return tkr(int(value))
    if cell.kind == "kr":
        return round(float(value))
    return float(value)


def table_chart(
    table: ReportTable,
    *,
    title: str,
    columns: Sequence[int],
    names: Sequence[str] | None = None,
    lines: Sequence[Line] | None = None,
    percent: bool = False,
    horizontal: bool = False,
) -> str:
    """Grouped bars: one group per line of the table (its label; sum lines are left
    out unless `lines` names them), one bar per chosen column (index into the line's
    cells, named by `names` or the column headings)."""
    chosen = list(lines) if lines is not None else [line for line in table.lines if not line.total]
    series = [
        (
            names[position] if names is not None else table.columns[index],
            [_value(line.cells[index]) for line in chosen],
        )
        for position, index in enumerate(columns)
    ]
    return unique_ids(
        bar_chart_svg(
            title=title,
            categories=[line.label for line in chosen],
            series=series,
            percent=percent,
            horizontal=horizontal and len(chosen) * len(series) >= HORIZONTAL_FROM,
        )
    )


def columns_chart(
    table: ReportTable,
    *,
    title: str,
    line_indices: Sequence[int],
    columns: Sequence[int],
    percent: bool = False,
    horizontal: bool = False,
) -> str:
    """Grouped bars the other way round: one group per chosen column (its heading),
    one bar per chosen line (its label) — e.g. the counts by kön."""
    series = [
        (table.lines[index].label, [_value(table.lines[index].cells[c]) for c in columns])
        for index in line_indices
    ]
    return unique_ids(
        bar_chart_svg(
            title=title,
            categories=[table.columns[c] for c in columns],
            series=series,
            percent=percent,
            horizontal=horizontal and len(columns) * len(series) >= HORIZONTAL_FROM,
        )
    )
