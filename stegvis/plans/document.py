"""The plan file (`stegvis-plan/1`) as checked data: what the reader produces, what
`finance.services.plan_store` stores, what `finance.selectors.plan_document` gives
back from the database, and what the writer turns into YAML, JSON or Excel.

Amounts here are whole kronor; `unit` records how the file wrote them so that an
export writes them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from stegvis.finance import budget

FORMAT = "stegvis-plan/1"


@dataclass
class DocMember:
    name: str
    kind: str  # state | region | municipality
    population: int | None = None


@dataclass
class DocLine:
    name: str
    kind: str  # revenue: contribution | grant | other; cost: a category of budget.COST_CATEGORIES
    amounts: dict[int, int]  # year → kronor
    unit: str | None = None  # the line's own unit when it differs from the file's
    member: str | None = None
    intervention: str | None = None


@dataclass
class DocContributions:
    total: dict[int, int]  # year → kronor
    municipal_key: str = "population"  # population | equal | shares
    shares: dict[str, int] | None = None


@dataclass
class DocRules:
    equity_cap_base: str = "revenues"
    tiers: list[budget.Tier] = field(default_factory=lambda: list(budget.DEFAULT_TIERS))
    equity_min: int = 0
    admin_share_max: Decimal = budget.DEFAULT_ADMIN_SHARE_MAX
    admin_categories: list[str] = field(
        default_factory=lambda: sorted(budget.DEFAULT_ADMIN_CATEGORIES)
    )

    def to_rules(self) -> budget.Rules:
        return budget.Rules(
            equity_cap_base=self.equity_cap_base,
            tiers=tuple(self.tiers),
            equity_min=self.equity_min,
            admin_share_max=self.admin_share_max,
            admin_categories=frozenset(self.admin_categories),
        )


@dataclass
class PlanDocument:
    association: str
    members: list[DocMember]
    years: list[int]
    unit: str = "tkr"
    opening_equity: int = 0
    contributions: DocContributions | None = None
    rules: DocRules = field(default_factory=DocRules)
    revenues: list[DocLine] = field(default_factory=list)  # as written; no generated lines
    costs: list[DocLine] = field(default_factory=list)
    # Validated, normalised sections kept as plain data until their apps hold them.
    interventions: list[dict[str, Any]] = field(default_factory=list)
    goals: list[dict[str, Any]] = field(default_factory=list)

    def generated_contributions(self) -> list[DocLine]:
        """Contribution lines made from `contributions.total`, one per paying member."""
        if self.contributions is None:
            return []
        members = [budget.Member(m.name, m.kind, m.population) for m in self.members]
        per_member: dict[str, dict[int, int]] = {}
        for year, total in sorted(self.contributions.total.items()):
            split = budget.split_contributions(
                total=total,
                members=members,
                municipal_key=self.contributions.municipal_key,
                shares=self.contributions.shares,
            )
            for name, amount in split.items():
                per_member.setdefault(name, {})[year] = amount
        return [
            DocLine(name=f"Medlemsavgift {name}", kind="contribution", amounts=amounts, member=name)
            for name, amounts in per_member.items()
        ]

    def to_budget(self) -> budget.Budget:
        def line(doc: DocLine) -> budget.Line:
            return budget.Line(doc.name, doc.kind, dict(doc.amounts), doc.member, doc.intervention)

        return budget.Budget(
            years=tuple(self.years),
            opening_equity=self.opening_equity,
            members=tuple(budget.Member(m.name, m.kind, m.population) for m in self.members),
            revenues=tuple(line(d) for d in [*self.generated_contributions(), *self.revenues]),
            costs=tuple(line(d) for d in self.costs),
            rules=self.rules.to_rules(),
        )


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: `path: message`, path as in the spec
    (`costs[3].amounts.2025`), the message in Swedish quoting what the file wrote."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class PlanFileError(Exception):
    """The file cannot be used. `problems` lists every one found, not just the first."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
