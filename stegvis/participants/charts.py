"""Charts of the participant report as inline SVG (matplotlib, Agg, nothing fetched),
drawn like finance/charts.py. A suppressed figure is not drawn: its bar is left out
and marked "–", and the table beside the chart says why."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from stegvis.finance.charts import GRID, INK, svg_text

# Okabe–Ito, 3:1 against white; hatches keep series apart without colour.
SERIES_COLOURS = ["#1d4f73", "#d55e00", "#007a5a", "#4a5561", "#8a5a00"]
HATCHES = ["", "//", "..", "xx", "\\\\"]

Series = tuple[str, Sequence[float | None]]


def _label(value: float | None, percent: bool) -> str:
    if value is None:
        return "–"
    if percent:
        return f"{value * 100:.0f}\u00a0%"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u00a0")
    return f"{value:.1f}".replace(".", ",")


def bar_chart_svg(
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    title: str,
    percent: bool = False,
    horizontal: bool = False,
    size: tuple[float, float] | None = None,
) -> str:
    """Grouped bars: one group per category, one bar per series (e.g. kvinna, man, ej
    angivet, totalt). Values None (not shown) are left out and labelled "–". Returns the
    <svg> element labelled for screen readers with the same figures as the table."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    count = max(len(series), 1)
    if size is None:
        size = (7.5, max(2.6, 0.28 * len(categories) * count + 1.2)) if horizontal else (7.5, 3.6)
    with matplotlib.rc_context(
        {
            "svg.hashsalt": "stegvis",
            "svg.fonttype": "path",
            "font.family": "DejaVu Sans",
            "font.size": 10,
            "axes.edgecolor": GRID,
            "axes.labelcolor": INK,
            "xtick.color": INK,
            "ytick.color": INK,
            "text.color": INK,
        }
    ):
        figure = Figure(figsize=size, layout="constrained")
        axes = figure.add_subplot()
        width = 0.8 / count
        positions = list(range(len(categories)))
        for index, (name, values) in enumerate(series):
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            heights = [0 if value is None else value for value in values]
            draw = axes.barh if horizontal else axes.bar
            bars = draw(
                offsets,
                heights,
                width,
                label=name,
                color=SERIES_COLOURS[index % len(SERIES_COLOURS)],
                hatch=HATCHES[index % len(HATCHES)],
                edgecolor="white",
                linewidth=0,
                zorder=2,
            )
            axes.bar_label(
                bars, labels=[_label(value, percent) for value in values], padding=2, fontsize=8
            )
        formatter = FuncFormatter(
            lambda value, _pos: f"{value * 100:.0f}\u00a0%" if percent else f"{value:.0f}"
        )
        value_axis = axes.xaxis if horizontal else axes.yaxis
        value_axis.set_major_formatter(formatter)
        value_axis.set_major_locator(MaxNLocator(nbins=6, integer=not percent))
        if horizontal:
            axes.set_yticks(positions, list(categories))
            axes.invert_yaxis()
            axes.grid(axis="x", color=GRID, linewidth=0.8, zorder=0)
            axes.margins(x=0.12)
            if percent:
                axes.set_xlim(0, 1.12)
        else:
            axes.set_xticks(positions, list(categories))
            axes.grid(axis="y", color=GRID, linewidth=0.8, zorder=0)
            axes.margins(y=0.15)
            if percent:
                axes.set_ylim(0, 1.12)
        axes.set_axisbelow(True)
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            axes.legend(
                loc="upper center",
                bbox_to_anchor=(0.5, -0.08 if not horizontal else -0.04),
                ncol=min(len(series), 4),
                frameon=False,
                fontsize=9,
            )
        svg = svg_text(figure)

    summary = "; ".join(
        f"{category}: "
        + ", ".join(f"{name} {_label(values[index], percent)}" for name, values in series)
        for index, category in enumerate(categories)
    )
    hidden = any(value is None for _name, values in series for value in values)
    note = (" " + _("– betyder att antalet är för litet för att visas.")) if hidden else ""
    label = f"{title}. {summary}.{note}"
    return svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{escape(label, {chr(34): "&quot;"})}" class="chart" ',
        1,
    )
