"""What Uppföljning Finsam (the national register since 2023) asks of a förbund for a
year, gathered from Stegvis so that nothing is typed twice (DOMAIN.md §8).

The register asks, in this order (finsam.se, "Behörighetsroller"): the funds each
member allocated and the equity; the budget and actuals of the administrative costs;
each insats with its inriktning, target group, budget, actuals and budgeted number of
participants; the participants of each structural insats; and the participants of
each individual insats by kön.

`selectors.finsam_export` reads the figures (and lists what is missing);
`workbook` lays them out as the register's order in three sheets — Förbundet,
Insatser, Läs mig — for the page and the Excel file (`FinsamExporter`).
"""

from stegvis.reports.finsam.selectors import (
    FinsamExport,
    FinsamIntervention,
    Fund,
    Hidden,
    finsam_export,
)
from stegvis.reports.finsam.workbook import (
    FinsamExporter,
    association_table,
    finsam_tables,
    interventions_table,
    readme_table,
)

__all__ = [
    "FinsamExport",
    "FinsamExporter",
    "FinsamIntervention",
    "Fund",
    "Hidden",
    "association_table",
    "finsam_export",
    "finsam_tables",
    "interventions_table",
    "readme_table",
]
