"""The plan file as an Excel workbook: the same content as the YAML, one sheet per
section, read into the same data so that the same rules check it.

The layout (row 1 holds the headers; every other row is one item; an empty row is
skipped; headers and labels are matched without regard to case, and the spec's
own key — `name`, `category`, … — is accepted as a header too):

* **Läs mig** – the explanations; never read.
* **Plan** – one row per field, label in column A, value in B:
  `Format` (stegvis-plan/1), `Enhet` (tkr | kr), `Förbund` (the förbund's name),
  `År` (the years, one per cell B, C, D … or "2024, 2025, 2026"),
  `Ingående eget kapital`.
* **Medlemmar** – `Namn | Slag | Folkmängd | Andel`: slag state | region |
  municipality; folkmängd for the key `population`; andel for the key `shares`.
* **Avgifter** – row 1 `Uppgift | 2024 | 2025 | …`; row `Totalt` with the
  contribution total of each year (`contributions.total`) and row `Kommunal nyckel`
  (population | equal | shares) in column B. Without totals there is no
  `contributions` block: contributions are then lines under Intäkter.
* **Regler** – label/value like Plan: `Underlag för tak` (revenues | contributions),
  `Trappsteg 1 upp till`, `Trappsteg 1 andel`, `Trappsteg 2 upp till`, … (the last
  tier's "upp till" empty), `Lägsta eget kapital`, `Högsta andel administration`,
  `Administrativa kategorier` (one per cell, or separated by commas). A sheet
  without values means the defaults.
* **Intäkter** – `Namn | Slag | <one column per year> | Medlem | Enhet`:
  slag contribution | grant | other; medlem for a contribution; enhet only when the
  line is not in the plan's unit.
* **Kostnader** – `Namn | Kategori | <one column per year> | Insats | Enhet`.
* **Insatser** – `Namn | Slag | Ägare | Medlemmar | Start | Slut` and the target
  columns `Mätpunkt | Mått | Jämförelse | Värde | År | Utfall | Fråga | Svarsgrupp |
  Instrument | Aktivitetsslag | Kommun | Källa`. A row with an empty Namn (and empty insats
  columns) adds one more target to the insats above it. Medlemmar are separated by
  semicolons or commas (a name with a semicolon cannot stand in that list).
  Jämförelse is written `=` for `==`: Excel takes a typed cell beginning with `=`
  for a formula (`≥` and `≤` are understood too).
* **Mål** – `Perspektiv | Mål | Aktiviteter | Ansvarig` and the indicator columns
  (as the target columns, the first one headed `Indikator`); a row with the goal
  columns empty adds an indicator to the goal above.

A problem in a workbook names the cell: `costs[3].amounts.2025: inte ett tal:
"1 3O0" (blad Kostnader, rad 5, kolumn D)`. A cell with a formula is read by its
value as Excel last computed it.
"""

from stegvis.plans.excel.layout import SHEETS
from stegvis.plans.excel.reading import read_workbook
from stegvis.plans.excel.writing import write_workbook

__all__ = ["SHEETS", "read_workbook", "write_workbook"]
