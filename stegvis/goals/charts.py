"""An indicator's trend over the years as inline SVG (matplotlib, Agg, nothing fetched),
drawn like finance/charts.py: a small sparkline for the goal map's table and a larger
chart for the indicator's page. A year without a value (not measurable, or hidden
below the minimum cell size) is a gap in the line, never a made-up point; every chart
carries its figures as text for screen readers, and the pages show them as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from stegvis.finance.charts import GRID, INK, svg_text

LINE_COLOUR = "#1d4f73"
TARGET_COLOUR = "#4a5561"

# (label of the x position, value or None, the value as the page writes it)
Point = tuple[str, float | None, str]


def _with_label(svg: str, label: str, css_class: str) -> str:
    quoted = escape(label, {'"': "&quot;"})
    return svg.replace("<svg ", f'<svg role="img" aria-label="{quoted}" class="{css_class}" ', 1)


def _summary(points: Sequence[Point]) -> str:
    return "; ".join(f"{x}: {text}" for x, _value, text in points)


def sparkline_svg(*, points: Sequence[Point], title: str) -> str:
    """A line over the years, small enough for a table cell. Empty when no year has
    a value (the cell then says so in words)."""
    if not any(value is not None for _x, value, _text in points):
        return ""
    return _with_label(_sparkline(tuple(points)), f"{title}. {_summary(points)}", "sparkline")


@lru_cache(maxsize=512)
def _sparkline(points: tuple[Point, ...]) -> str:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"svg.hashsalt": "stegvis", "svg.fonttype": "path"}):
        figure = Figure(figsize=(1.5, 0.45))
        figure.subplots_adjust(left=0.04, right=0.96, top=0.85, bottom=0.15)
        axes = figure.add_subplot()
        xs = list(range(len(points)))
        ys = [float("nan") if value is None else value for _x, value, _text in points]
        axes.plot(xs, ys, color=LINE_COLOUR, linewidth=1.6, marker="o", markersize=2.5)
        last = max(i for i, (_x, value, _text) in enumerate(points) if value is not None)
        axes.plot([last], [ys[last]], marker="o", markersize=4.5, color=LINE_COLOUR)
        axes.set_xlim(-0.3, len(points) - 0.7)
        axes.margins(y=0.25)
        axes.axis("off")
        return svg_text(figure)


def trend_chart_svg(
    *,
    points: Sequence[Point],
    title: str,
    percent: bool = False,
    target: float | None = None,
    target_text: str = "",
) -> str:
    """The indicator's value per year, with the target as a dashed line."""
    if not any(value is not None for _x, value, _text in points):
        return ""
    svg = _trend_chart(tuple(points), percent, target, target_text)
    label = f"{title}. {_summary(points)}."
    if target_text:
        label += " " + _("Målvärde %(target)s.") % {"target": target_text}
    if any(value is None for _x, value, _text in points):
        label += " " + _("– betyder att värdet inte kan mätas eller inte visas.")
    return _with_label(svg, label, "chart")


@lru_cache(maxsize=128)
def _trend_chart(
    points: tuple[Point, ...], percent: bool, target: float | None, target_text: str
) -> str:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

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
        figure = Figure(figsize=(7.0, 3.0), layout="constrained")
        axes = figure.add_subplot()
        xs = list(range(len(points)))
        ys = [float("nan") if value is None else value for _x, value, _text in points]
        axes.plot(xs, ys, color=LINE_COLOUR, linewidth=2.2, marker="o", markersize=6, zorder=3)
        for x, (_label, value, text) in zip(xs, points, strict=True):
            if value is not None:
                axes.annotate(
                    text,
                    (x, value),
                    textcoords="offset points",
                    xytext=(0, 8),
                    ha="center",
                    fontsize=9,
                )
        if target is not None:
            axes.axhline(
                target,
                color=TARGET_COLOUR,
                linestyle="--",
                linewidth=1.2,
                label=_("Målvärde %(target)s") % {"target": target_text},
                zorder=1,
            )
            axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
        axes.set_xticks(xs, [x for x, _value, _text in points])
        axes.set_xlim(-0.5, len(points) - 0.5)
        if percent:
            axes.yaxis.set_major_formatter(
                FuncFormatter(lambda value, _pos: f"{value * 100:.0f}\u00a0%")
            )
            axes.set_ylim(0, 1.1)
        else:
            axes.yaxis.set_major_formatter(
                FuncFormatter(lambda value, _pos: f"{value:g}".replace(".", ","))
            )
            axes.margins(y=0.2)
            shown = [value for _x, value, _text in points if value is not None]
            if target is not None:
                shown.append(target)
            if min(shown) >= 0:
                axes.set_ylim(bottom=0, top=max(shown) * 1.2 or 1)
        axes.yaxis.set_major_locator(MaxNLocator(nbins=5))
        axes.grid(axis="y", color=GRID, linewidth=0.8, zorder=0)
        axes.set_axisbelow(True)
        axes.spines[["top", "right"]].set_visible(False)
        return svg_text(figure)
