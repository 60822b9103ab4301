"""The reports SUS had, back again (DOMAIN.md §8): the participant report, the insats
report and the cost report, each as a page with charts and tables, as PDF and as Excel.

They compute nothing of their own that another app already computes:

* `participants` frames the participant report's tables (`participants.selectors_report`)
  over any period and adds the comparisons SUS made possible: one row per insats and
  one row per year, with the key before → after shares;
* `interventions` computes its variables through `goals.metrics.metric_compute` (the
  goal map's one code path) and the budget and actuals of each insats from finance;
* `costs` arranges the finance follow-up (`finance.actuals.followup`) by source of
  funds, by insats (ESF-medfinansierade apart) and by administrative category.

Figures about participants are suppressed below the förbund's minimum cell size, with
complementary suppression (`participants.suppression`), wherever they appear.
`common` holds the cells, tables, period choice and exports the three share.
"""
