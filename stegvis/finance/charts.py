"""Charts of the economy as SVG text, drawn on the server with matplotlib (Agg, no
pyplot state, no fonts or anything else fetched): inline in the pages, and in the
PDF reports of the reports app. Every chart is shown with its table beside it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from stegvis.finance.budget import YearFigures

# Colours that keep apart for colour-blind readers (Okabe–Ito) and hold 3:1 against white.
REVENUE_COLOUR = "#1d4f73"
COST_COLOUR = "#d55e00"
EQUITY_COLOUR = "#007a5a"
BUFFER_COLOUR = "#4a5561"
INK = "#1b1f23"
GRID = "#d5dbe1"
NBSP = "\u00a0"
MINUS = "\u2212"


def tkr(amount: int) -> int:
    """Whole kronor as whole tkr, halves away from zero, as the pages show them."""
    return int((Decimal(amount) / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def swedish(number: float) -> str:
    """12106 → '12 106', -979 → '−979'."""
    text = f"{abs(round(number)):,}".replace(",", NBSP)
    return f"{MINUS}{text}" if number < 0 else text


# matplotlib styles each element with a style="…" attribute and the whole drawing with
# a <style> element; the pages' Content-Security-Policy (style-src 'self') blocks both.
_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
_DEFAULT_STYLE = re.compile(r"\s*<defs>\s*<style[^>]*>\*\{([^}]*)\}</style>\s*</defs>")


def _presentation_attributes(declarations: str) -> str:
    """'fill: #fff; stroke-width: 0.8' → ' fill="#fff" stroke-width="0.8"'. Every
    property matplotlib writes (fill, stroke, opacity, font, stop) is also an SVG
    presentation attribute, which CSP does not block."""
    pairs = (part.split(":", 1) for part in declarations.split(";") if ":" in part)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def svg_text(figure: object) -> str:
    """A matplotlib figure as inline SVG, without date or creator, scaling with the
    page: the one renderer of every chart in the app (page and PDF alike). Styles are
    written as presentation attributes, so the chart needs no inline CSS."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buffer = io.StringIO()
    FigureCanvasSVG(figure).print_svg(  # type: ignore[arg-type]
        buffer, metadata={"Date": None, "Creator": None, "Format": None, "Type": None}
    )
    svg = buffer.getvalue()
    # Inline SVG: no XML prologue, and a drawing that scales with the page.
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r"\1", svg, count=1)
    # The drawing's defaults (the <style> rule for every element) go on the <svg>
    # element, where its children inherit them; each element's own style follows.
    default = _DEFAULT_STYLE.search(svg)
    if default:
        svg = svg[: default.start()] + svg[default.end() :]
        svg = svg.replace("<svg ", f"<svg{_presentation_attributes(default.group(1))} ", 1)
    return _STYLE_ATTRIBUTE.sub(lambda match: _presentation_attributes(match.group(1)), svg)


def budget_chart_svg(
    figures: Sequence[YearFigures],
    *,
    buffer: int = 0,
    title: str | None = None,
    size: tuple[float, float] = (7.5, 3.6),
) -> str:
    """Revenues and costs per year as bars and closing equity as a line, in tkr, with
    the buffer (lowest equity) as a dashed line when there is one. Returns the <svg>
    element, labelled for screen readers; the page shows the same numbers as a table."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    years = [f.year for f in figures]
    revenues = [tkr(f.revenues) for f in figures]
    costs = [tkr(f.costs) for f in figures]
    equity = [tkr(f.closing_equity) for f in figures]
    label_revenues = _("Intäkter")
    label_costs = _("Kostnader")
    label_equity = _("Utgående eget kapital")

    with matplotlib.rc_context(
        {
            "svg.hashsalt": "stegvis",  # the same drawing gives the same text
            "svg.fonttype": "path",  # letters as shapes: nothing for the viewer to fetch
            "font.family": "DejaVu Sans",
            "font.size": 11,
            "axes.edgecolor": GRID,
            "axes.labelcolor": INK,
            "xtick.color": INK,
            "ytick.color": INK,
            "text.color": INK,
        }
    ):
        figure = Figure(figsize=size, layout="constrained")
        axes = figure.add_subplot()
        positions = list(range(len(years)))
        width = 0.36
        bars_revenue = axes.bar(
            [p - width / 2 for p in positions],
            revenues,
            width,
            label=label_revenues,
            color=REVENUE_COLOUR,
            zorder=2,
        )
        bars_cost = axes.bar(
            [p + width / 2 for p in positions],
            costs,
            width,
            label=label_costs,
            color=COST_COLOUR,
            hatch="//",
            edgecolor="white",
            linewidth=0,
            zorder=2,
        )
        for bars, values in ((bars_revenue, revenues), (bars_cost, costs)):
            axes.bar_label(bars, labels=[swedish(v) for v in values], padding=2, fontsize=9.5)
        axes.plot(
            positions,
            equity,
            label=label_equity,
            color=EQUITY_COLOUR,
            marker="o",
            markersize=6,
            linewidth=2.5,
            zorder=3,
        )
        for x, value in zip(positions, equity, strict=True):
            axes.annotate(
                swedish(value),
                (x, value),
                textcoords="offset points",
                xytext=(0, 9),
                ha="center",
                va="bottom",
                fontsize=9.5,
                color=EQUITY_COLOUR,
                fontweight="bold",
                bbox={
                    "boxstyle": "round,pad=0.2",
                    "facecolor": "white",
                    "edgecolor": EQUITY_COLOUR,
                },
                zorder=4,
            )
        if buffer:
            axes.axhline(
                tkr(buffer),
                color=BUFFER_COLOUR,
                linestyle="--",
                linewidth=1.2,
                label=_("Buffert %(amount)s tkr") % {"amount": swedish(tkr(buffer))},
                zorder=1,
            )
        axes.set_xticks(positions, [str(year) for year in years])
        # Room around the groups, so that a one-year plan does not fill the width.
        axes.set_xlim(-0.5 - 0.5 / len(years), len(years) - 0.5 + 0.5 / len(years))
        axes.set_ylabel("tkr")
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: swedish(value)))
        axes.yaxis.set_major_locator(MaxNLocator(nbins=6))
        axes.grid(axis="y", color=GRID, linewidth=0.8, zorder=0)
        axes.set_axisbelow(True)
        axes.spines[["top", "right"]].set_visible(False)
        lowest = min([0, *equity])
        axes.set_ylim(bottom=lowest * 1.15 if lowest < 0 else 0)
        axes.margins(y=0.12)
        if title:
            axes.set_title(title, loc="left", fontsize=11, fontweight="bold")
        handles, labels = axes.get_legend_handles_labels()
        order = [labels.index(name) for name in (label_revenues, label_costs, label_equity)]
        order += [i for i in range(len(labels)) if i not in order]
        axes.legend(
            [handles[i] for i in order],
            [labels[i] for i in order],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncol=4,
            frameon=False,
            fontsize=10,
        )
        svg = svg_text(figure)

    summary = "; ".join(
        _("%(year)s: intäkter %(revenues)s, kostnader %(costs)s, eget kapital %(equity)s tkr")
        % {
            "year": year,
            "revenues": swedish(revenue),
            "costs": swedish(cost),
            "equity": swedish(closing),
        }
        for year, revenue, cost, closing in zip(years, revenues, costs, equity, strict=True)
    )
    label = title or _("Intäkter, kostnader och eget kapital per år (tkr)")
    return svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{escape(label, {chr(34): "&quot;"})}. '
        f'{escape(summary, {chr(34): "&quot;"})}" class="chart" ',
        1,
    )
