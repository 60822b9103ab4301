"""Attendance per member and month as inline SVG (matplotlib, Agg, nothing fetched),
drawn like finance/charts.py: small multiples, a panel per member with a bar per
month, so members never hide each other's lines and nothing rests on colour. A month
without a held meeting where the member had a representative has no bar but a dash,
never a made-up zero; the chart carries its figures as text for screen readers and
the page shows them as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from stegvis.finance.charts import GRID, INK, svg_text

BAR_COLOUR = "#1d4f73"  # the brand's blue, 8:1 against white
MUTED = "#4a5561"

Series = tuple[str, tuple[float | None, ...]]


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)}\u00a0%"


def presence_chart_svg(
    *,
    months: Sequence[str],
    ticks: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
    title: str,
) -> str:
    """Small multiples: one panel per member with a bar per month for its attendance
    share (0–100 %), `months` naming the months in words and `ticks` under the bars.
    Empty when no member has a value (the page then says so in words)."""
    plain: tuple[Series, ...] = tuple(
        (name, tuple(None if share is None else float(share) for share in shares))
        for name, shares in series
    )
    if not months or not any(value is not None for _name, values in plain for value in values):
        return ""
    svg = _chart(tuple(ticks), plain)
    summary = "; ".join(
        f"{name}: "
        + ", ".join(
            f"{month} {_percent(value)}" for month, value in zip(months, values, strict=True)
        )
        for name, values in plain
    )
    label = f"{title}. {summary}. " + _("– betyder inget hållet möte med representant.")
    quoted = escape(label, {'"': "&quot;"})
    return svg.replace("<svg ", f'<svg role="img" aria-label="{quoted}" class="chart" ', 1)


@lru_cache(maxsize=64)
def _chart(ticks: tuple[str, ...], series: tuple[Series, ...]) -> str:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, FuncFormatter

    columns = min(len(series), 4)
    rows = -(-len(series) // columns)
    with matplotlib.rc_context(
        {
            "svg.hashsalt": "stegvis",
            "svg.fonttype": "path",
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.edgecolor": GRID,
            "axes.labelcolor": INK,
            "xtick.color": INK,
            "ytick.color": INK,
            "text.color": INK,
        }
    ):
        figure = Figure(figsize=(9.0, 2.3 * rows), layout="constrained")
        panels = figure.subplots(rows, columns, squeeze=False, sharey=True)
        xs = list(range(len(ticks)))
        for index, (name, values) in enumerate(series):
            axes = panels[index // columns][index % columns]
            heights = [0.0 if value is None else value * 100 for value in values]
            axes.bar(xs, heights, width=0.7, color=BAR_COLOUR, zorder=2)
            for x, value in zip(xs, values, strict=True):
                if value is None:
                    axes.annotate("–", (x, 0), ha="center", va="bottom", color=MUTED, fontsize=9)
            axes.set_title(name, fontsize=10, loc="left", color=INK)
            axes.set_xticks(xs, list(ticks))
            axes.tick_params(axis="x", length=0, labelsize=8)
            axes.set_xlim(-0.6, len(ticks) - 0.4)
            axes.set_ylim(0, 105)
            axes.yaxis.set_major_locator(FixedLocator([0, 50, 100]))
            axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:.0f}\u00a0%"))
            axes.grid(axis="y", color=GRID, linewidth=0.8, zorder=0)
            axes.set_axisbelow(True)
            axes.spines[["top", "right"]].set_visible(False)
        for index in range(len(series), rows * columns):
            panels[index // columns][index % columns].set_visible(False)
        return svg_text(figure)
