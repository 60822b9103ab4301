"""What the synthetic data set holds, drawn from the seed before anything is written:
the förbund, their members, insatser and how many participants each insats gets."""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from stegvis.core.synthetic import names
from stegvis.core.synthetic.people import (
    FIRST_START,
)
from stegvis.interventions.models import Intervention, Kind

SLUG_PREFIX = "syn-"


@dataclass(frozen=True)
class Scale:
    name: str
    associations: int
    interventions: int
    participants: int
    responses: int  # follow-up events
    staff: bool  # staff users (only where someone will log in)


SCALES = {
    "small": Scale("small", 3, 10, 600, 3_000, staff=True),
    "national": Scale("national", 75, 1_500, 400_000, 2_500_000, staff=False),
}


# The plan: what to make, drawn before anything is written --------------------------


@dataclass
class InterventionPlan:
    name: str
    kind: str
    owner: str
    members: list[str]
    start: datetime.date
    end: datetime.date | None
    status: str
    focus: str
    participants: int = 0


@dataclass
class AssociationPlan:
    index: int
    place: str
    region: str
    municipalities: list[tuple[str, int]]
    interventions: list[InterventionPlan]
    weight: float

    @property
    def slug(self) -> str:
        return f"{SLUG_PREFIX}{self.index:03d}"

    @property
    def name(self) -> str:
        return f"Samordningsförbundet {self.place} (syntetiskt)"

    @property
    def participants(self) -> int:
        return sum(plan.participants for plan in self.interventions)


def _split(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder), each ≥ `minimum`."""
    if not weights:
        return []
    rest = total - minimum * len(weights)
    if rest < 0:
        return [minimum] * len(weights)
    whole = sum(weights) or 1.0
    exact = [rest * weight / whole for weight in weights]
    parts = [math.floor(value) for value in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[: rest - sum(parts)]:
        parts[i] += 1
    return [part + minimum for part in parts]


def organisation_number(index: int) -> str:
    """A valid-looking organisationsnummer for a synthetic förbund (2290NN-NNNC)."""
    base = f"2290{index:05d}"
    for check in range(10):
        digits = base + str(check)
        total = 0
        for position, char in enumerate(reversed(digits)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return f"{digits[:6]}-{digits[6:]}"
    raise AssertionError("unreachable")


def _intervention_dates(
    rng: random.Random, today: datetime.date
) -> tuple[datetime.date, datetime.date | None, str]:
    draw = rng.random()
    if draw < 0.7:  # long-running
        start = datetime.date(rng.choice([2018, 2019, 2020]), rng.choice([1, 8]), 1)
        return start, None, Intervention.Status.ONGOING
    if draw < 0.8:  # ended
        start = datetime.date(rng.choice([2020, 2021]), 1, 1)
        end = min(datetime.date(rng.choice([2023, 2024, 2025]), 12, 31), today)
        return start, end, Intervention.Status.CLOSED
    start = min(
        datetime.date(rng.choice([2023, 2024, 2025]), rng.choice([1, 3, 9]), 1),
        today - datetime.timedelta(days=60),
    )
    return start, datetime.date(today.year + 1, 12, 31), Intervention.Status.ONGOING


def window(
    plan: InterventionPlan, today: datetime.date
) -> tuple[datetime.date, datetime.date, datetime.date | None]:
    """First and last start day of the insats's participants, and when it closed."""
    first = max(FIRST_START, plan.start)
    closes = plan.end if plan.end is not None and plan.end <= today else None
    last = closes - datetime.timedelta(days=30) if closes else today
    return first, max(first, last), closes


def plan_associations(scale: Scale, *, seed: int, today: datetime.date) -> list[AssociationPlan]:
    """Every förbund's members, insatser and participant counts, from the seed alone."""
    rng = random.Random(f"stegvis-synthetic-plan-{seed}")  # noqa: S311 - made-up data
    taken: set[str] = set()
    regions = [f"Region {place}" for place in names.place_names(rng, 21, taken=taken)]
    weights = [rng.lognormvariate(0, 0.6) for _ in range(scale.associations)]
    intervention_counts = _split(scale.interventions, weights, minimum=2)
    plans: list[AssociationPlan] = []
    for index, (weight, count) in enumerate(zip(weights, intervention_counts, strict=True), 1):
        place = names.place_names(rng, 1, taken=taken)[0]
        municipalities = [
            (names.municipality_name(town), int(rng.lognormvariate(math.log(18_000), 0.9)) + 2_500)
            for town in [place, *names.place_names(rng, rng.randint(1, 7), taken=taken)]
        ]
        region = regions[(index - 1) % len(regions)]
        state = ["Försäkringskassan", "Arbetsförmedlingen"]
        individual = max(1, round(count * 0.7))
        interventions: list[InterventionPlan] = []
        used: set[str] = set()
        for number in range(count):
            kind = Kind.INDIVIDUAL if number < individual else Kind.STRUCTURAL
            base = rng.choice(
                names.INDIVIDUAL_NAMES if kind == Kind.INDIVIDUAL else names.STRUCTURAL_NAMES
            )
            town = rng.choice(municipalities)[0].removesuffix(" kommun").removesuffix("s")
            name = f"{base} {town}"
            suffix = 2
            while name in used:
                name = f"{base} {town} {suffix}"
                suffix += 1
            used.add(name)
            owner = rng.choice([m for m, _pop in municipalities] + state + [region])
            others = [m for m, _pop in municipalities] + state + [region]
            members = sorted({owner, *rng.sample(others, k=min(len(others), rng.randint(2, 4)))})
            start, end, status = _intervention_dates(rng, today)
            focus = rng.choice(
                names.INDIVIDUAL_FOCUS if kind == Kind.INDIVIDUAL else names.STRUCTURAL_FOCUS
            )
            interventions.append(
                InterventionPlan(name, kind, owner, members, start, end, status, focus)
            )
        plans.append(AssociationPlan(index, place, region, municipalities, interventions, weight))
    # Participants: by förbund in proportion to its size, then by insats in proportion
    # to a weight of its own and the years it takes participants.
    per_association = _split(scale.participants, [plan.weight for plan in plans])
    for plan, total in zip(plans, per_association, strict=True):
        individual_plans = [p for p in plan.interventions if p.kind == Kind.INDIVIDUAL]
        spans = []
        for intervention in individual_plans:
            first, last, closes = window(intervention, today)
            years = max(0.25, (last - first).days / 365)
            # An insats that has ended was usually a smaller project.
            spans.append(years * rng.lognormvariate(0, 0.5) * (0.4 if closes else 1.0))
        for intervention, count in zip(individual_plans, _split(total, spans), strict=True):
            intervention.participants = count
    return plans
