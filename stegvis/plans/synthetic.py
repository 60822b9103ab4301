"""Made-up plans of any size, for benchmarks and tests: a valid `PlanDocument` with
many lines and years, the same for the same arguments.
"""

from __future__ import annotations

import random

from stegvis.finance import budget
from stegvis.plans.document import DocContributions, DocLine, DocMember, PlanDocument

MUNICIPALITIES = (
    ("Norrby kommun", 61_200),
    ("Söderby kommun", 24_400),
    ("Österås kommun", 12_900),
    ("Västerås-by kommun", 8_300),
    ("Åby kommun", 17_050),
    ("Ängsvik kommun", 30_010),
    ("Ödeby kommun", 5_420),
    ("Lillby kommun", 9_990),
)


def synthetic_document(
    *, lines: int = 500, years: int = 10, first_year: int = 2024, seed: int = 0
) -> PlanDocument:
    """A plan with `lines` revenue and cost lines over `years` years: a tenth of the
    lines are grants, the rest costs in every category, every twentieth cost funds an
    insats with targets; contributions from a yearly total. Amounts in tkr, some of
    them with kronor (decimal tkr), some lines in kr."""
    rng = random.Random(seed)  # noqa: S311 - made-up data, the same every time
    plan_years = list(range(first_year, first_year + years))
    members = [
        DocMember("Försäkringskassan", budget.STATE),
        DocMember("Arbetsförmedlingen", budget.STATE),
        DocMember("Region Syntetisk", budget.REGION),
        *(DocMember(name, budget.MUNICIPALITY, population) for name, population in MUNICIPALITIES),
    ]
    revenues = []
    costs = []
    interventions = []
    for number in range(lines):
        amounts = {
            year: rng.randrange(20, 4_000) * 1000 + (rng.randrange(1000) if number % 7 == 0 else 0)
            for year in plan_years
            if rng.random() > 0.1
        }
        unit = "kr" if number % 11 == 0 else None
        if number % 10 == 0:
            revenues.append(
                DocLine(name=f"Bidrag {number:04d}", kind="grant", amounts=amounts, unit=unit)
            )
            continue
        category = budget.COST_CATEGORIES[number % len(budget.COST_CATEGORIES)]
        intervention = None
        if category == "individual" and number % 20 == 4:
            intervention = f"Insats {number:04d}"
            interventions.append(
                {
                    "name": intervention,
                    "kind": "individual",
                    "owner": MUNICIPALITIES[number % len(MUNICIPALITIES)][0],
                    "members": [
                        MUNICIPALITIES[number % len(MUNICIPALITIES)][0],
                        "Försäkringskassan",
                    ],
                    "start": f"{first_year}-01-01",
                    "targets": [
                        {
                            "text": "Minst 40 deltagare",
                            "metric": "participants",
                            "op": ">=",
                            "value": 40,
                            "year": first_year,
                        },
                        {
                            "text": "80 % med stegförflyttning",
                            "metric": "step_progress_share",
                            "op": ">=",
                            "value": 0.8,
                        },
                    ],
                }
            )
        costs.append(
            DocLine(
                name=f"Kostnad {number:04d}",
                kind=category,
                amounts=amounts,
                unit=unit,
                intervention=intervention,
            )
        )
    return PlanDocument(
        association="Samordningsförbundet Syntetisk",
        members=members,
        years=plan_years,
        unit="tkr",
        opening_equity=rng.randrange(500, 5_000) * 1000,
        contributions=DocContributions(
            total={year: rng.randrange(20_000, 60_000) * 1000 + 1 for year in plan_years},
            municipal_key="population",
        ),
        revenues=revenues,
        costs=costs,
        interventions=interventions,
        goals=[
            {
                "perspective": "Ekonomi",
                "text": "Budgeten hålls",
                "indicators": [
                    {"text": "Inom budget", "metric": "budget_adherence", "op": "<=", "value": 1}
                ],
            }
        ],
    )
