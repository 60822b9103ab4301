"""The charts of the delårsrapport and the verksamhetsberättelse: matplotlib SVG, the
same on the page and in the PDF, each with its figures in a table beside it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from stegvis.finance.charts import COST_COLOUR, GRID, INK, REVENUE_COLOUR, svg_text, swedish, tkr
from stegvis.participants.charts import bar_chart_svg
from stegvis.participants.selectors_report import gender_headings

if TYPE_CHECKING:
    from stegvis.reports.periodic.finance import FinancePart


_SVG_ID = re.compile(r'\bid="([^"]+)"')
_SVG_REFERENCE = re.compile(r'(href="#|url\(#)')


def scoped_ids(key: str, svg: str) -> str:
    """The chart's element ids prefixed with `key`: matplotlib numbers them the same
    in every chart, and several charts share one page and one PDF."""
    if not svg:
        return svg
    svg = _SVG_ID.sub(lambda match: f'id="{key}-{match.group(1)}"', svg)
    return _SVG_REFERENCE.sub(lambda match: f"{match.group(1)}{key}-", svg)


def gender_chart(
    key: str,
    title: str,
    categories: list[str],
    values: list[list[int | None]],
    *,
    horizontal: bool,
) -> str:
    """Bars per kön (the totals are in the table); a kön with nothing to draw is left
    out, and so is a chart with nothing at all to draw."""
    headings = gender_headings()
    series = [
        (headings[index], each) for index, each in enumerate(values) if any(value for value in each)
    ]
    if not series:
        return ""
    height = 0.24 * len(categories) * len(series) + 1.2 if horizontal else 3.0
    return scoped_ids(
        key,
        bar_chart_svg(
            title=title,
            categories=categories,
            series=series,
            horizontal=horizontal,
            size=(7.5, max(2.4, height)),
        ),
    )


def finance_chart_svg(part: FinancePart) -> str:
    """Cost categories: the year's budget, the actual to date and (a tertial) the
    prognosis, in tkr, as horizontal bars. The table beside it has the same figures."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    groups = part.followup.cost_groups
    categories = [group.label for group in groups]
    series: list[tuple[str, list[int | None], str, str]] = [
        (_("Budget %(year)s") % {"year": part.followup.year}, [], "#4a5561", ""),
        (
            _("Utfall %(year)s") % {"year": part.followup.year}
            if part.full_year
            else _("Utfall %(span)s") % {"span": part.span},
            [],
            REVENUE_COLOUR,
            "//",
        ),
    ]
    if not part.full_year:
        series.append((_("Prognos helår"), [], COST_COLOUR, ".."))
    for group in groups:
        series[0][1].append(tkr(group.total.budget))
        series[1][1].append(None if group.total.actual is None else tkr(group.total.actual))
        if not part.full_year:
            series[2][1].append(tkr(group.total.prognosis))
    count = len(series)
    height = max(2.6, 0.17 * len(categories) * count + 1.3)
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
        figure = Figure(figsize=(7.5, height), layout="constrained")
        axes = figure.add_subplot()
        width = 0.8 / count
        positions = list(range(len(categories)))
        for index, (name, values, colour, hatch) in enumerate(series):
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            bars = axes.barh(
                offsets,
                [value or 0 for value in values],
                width,
                label=name,
                color=colour,
                hatch=hatch,
                edgecolor="white",
                linewidth=0,
                zorder=2,
            )
            axes.bar_label(
                bars,
                labels=["–" if value is None else swedish(value) for value in values],
                padding=2,
                fontsize=8,
            )
        axes.set_yticks(positions, categories)
        axes.invert_yaxis()
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: swedish(value)))
        axes.xaxis.set_major_locator(MaxNLocator(nbins=6))
        axes.grid(axis="x", color=GRID, linewidth=0.8, zorder=0)
        axes.margins(x=0.14)
        axes.set_axisbelow(True)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12),
            ncol=count,
            frameon=False,
            fontsize=9,
        )
        svg = svg_text(figure)
    from xml.sax.saxutils import escape

    summary = "; ".join(
        f"{category}: "
        + ", ".join(
            f"{name} {'–' if values[i] is None else swedish(values[i] or 0)} tkr"
            for name, values, _colour, _hatch in series
        )
        for i, category in enumerate(categories)
    )
    label = _("Kostnader per kategori (tkr)") + ". " + summary
    return svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{escape(label, {chr(34): "&quot;"})}" class="chart" ',
        1,
    )
