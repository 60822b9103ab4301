"""The rules of the plan file, applied to the parsed data (dicts and lists as YAML,
JSON or the Excel layout give them): data in, `PlanDocument` or every problem out.

The rules are those of `shared/spec/plan-format.md` ("Rules of the format",
"Metrics"); where the spec leaves a choice open, the choice and why is said where it
is made. Every message is Swedish and quotes the value or key as the file wrote it.
A null value counts as absent (an empty cell in Excel is the same thing).
"""

from __future__ import annotations

from typing import Any

from stegvis.finance import budget
from stegvis.plans.document import FORMAT, DocMember, DocRules, PlanDocument
from stegvis.plans.validate.goals import GoalRules
from stegvis.plans.validate.money import MoneyRules
from stegvis.plans.validate.values import (
    MEMBER_KINDS,
    UNITS,
    describe,
    index,
    join,
    quote,
)

TOP_REQUIRED = ("format", "unit", "association", "years")
MAX_PLAN_YEARS = budget.MAX_PLAN_YEARS
TOP_OPTIONAL = (
    "opening_equity",
    "contributions",
    "rules",
    "revenues",
    "costs",
    "interventions",
    "goals",
)


class Validator(MoneyRules, GoalRules):
    """Turns parsed data into a `PlanDocument`, collecting every problem and warning."""

    def document(self, data: Any) -> PlanDocument | None:
        if not isinstance(data, dict):
            self.error(
                "",
                "filen ska innehålla planens nycklar (format, unit, association, years, …), "
                f"inte {describe(data)}",
            )
            return None
        top = self.mapping(data, "", required=TOP_REQUIRED, optional=TOP_OPTIONAL)
        if top is None:
            return None
        written_format = top.get("format")
        if "format" in top and (
            not isinstance(written_format, str) or written_format.strip() != FORMAT
        ):
            self.error("format", f'okänt format {quote(top["format"])} – ska vara "{FORMAT}"')
        if "unit" in top:
            self.unit = self.choice(top["unit"], "unit", UNITS, "okänd enhet") or "tkr"
        if "years" in top:
            self.years = self.plan_years(top["years"])
        association = ""
        if "association" in top:
            association = self.association(top["association"])
        opening = 0
        if "opening_equity" in top:
            opening = self.amount(top["opening_equity"], "opening_equity", self.unit) or 0
        self.intervention_names = self.collect_intervention_names(top.get("interventions"))
        contributions = None
        if "contributions" in top:
            contributions = self.contributions(top["contributions"])
        rules = self.rules(top["rules"]) if "rules" in top else DocRules()
        revenues = self.lines(top.get("revenues", []), "revenues", cost=False)
        costs = self.lines(top.get("costs", []), "costs", cost=True)
        interventions = self.interventions(top.get("interventions", []))
        goals = self.goals(top.get("goals", []))
        if contributions is not None:
            # The plan store makes these lines from the total; a written line may not
            # take one of their names.
            generated = {f"Medlemsavgift {name}".casefold() for name in self.members}
            written = top.get("revenues")
            for i, item in enumerate(written if isinstance(written, list) else []):
                name = item.get("name") if isinstance(item, dict) else None
                if isinstance(name, str) and name.strip().casefold() in generated:
                    self.error(
                        join(index("revenues", i), "name"),
                        f"{quote(name.strip())} är namnet på en rad som görs av contributions.total "
                        "– välj ett annat namn",
                    )
        if self.problems:
            return None
        return PlanDocument(
            association=association,
            members=list(self.members.values()),
            years=self.years or [],
            unit=self.unit,
            opening_equity=opening,
            contributions=contributions,
            rules=rules,
            revenues=revenues,
            costs=costs,
            interventions=interventions,
            goals=goals,
        )

    def plan_years(self, value: Any) -> list[int] | None:
        """The budget year and the plan years: whole years, one after the other."""
        if not isinstance(value, list) or not value:
            self.error(
                "years",
                f"ska vara en lista med år, t.ex. [2024, 2025, 2026], inte {describe(value)}",
            )
            return None
        years = [self.year(item, index("years", i)) for i, item in enumerate(value)]
        if any(year is None for year in years):
            return None
        clean = [year for year in years if year is not None]
        if clean != list(range(clean[0], clean[0] + len(clean))):
            self.error(
                "years",
                f"åren ska följa på varandra, budgetåret först: {quote(value)}",
            )
            return None
        if len(clean) > MAX_PLAN_YEARS:
            self.error(
                "years",
                f"en plan omfattar högst {MAX_PLAN_YEARS} år (ett budgetår och planår), "
                f"filen har {len(clean)}: {quote(value)}",
            )
            return None
        return clean

    def association(self, value: Any) -> str:
        section = self.mapping(value, "association", required=("name", "members"))
        if section is None:
            return ""
        name = self.name(section["name"], "association.name") if "name" in section else None
        if "members" in section:
            items = self.sequence(section["members"], "association.members")
            if isinstance(section["members"], list) and not items:
                self.error("association.members", "förbundet måste ha minst en medlem")
            for i, item in enumerate(items):
                self.member(item, index("association.members", i))
        return name or ""

    def member(self, value: Any, path: str) -> None:
        item = self.mapping(value, path, required=("name", "kind"), optional=("population",))
        if item is None:
            return
        name = self.name(item["name"], join(path, "name")) if "name" in item else None
        kind = (
            self.choice(item["kind"], join(path, "kind"), MEMBER_KINDS, "okänt slag")
            if "kind" in item
            else None
        )
        population = None
        if "population" in item:
            population = self.whole(item["population"], join(path, "population"))
            if population is not None and kind and kind != budget.MUNICIPALITY:
                self.error(
                    join(path, "population"),
                    f"folkmängd anges bara för kommuner (kind: municipality), inte för {kind}",
                )
                population = None
        if name is not None and kind is None:
            self.broken_members.add(name)
        if name is None or kind is None:
            return
        same = next((other for other in self.members if other.casefold() == name.casefold()), None)
        if same is not None:
            self.error(join(path, "name"), f"{quote(name)} finns redan ({self.member_paths[same]})")
            return
        self.members[name] = DocMember(name=name, kind=kind, population=population)
        self.member_paths[name] = path

    def collect_intervention_names(self, value: Any) -> set[str]:
        """Names of the insatser, so that cost lines before them can refer to them."""
        names: set[str] = set()
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and isinstance(item.get("name"), str | int):
                    names.add(str(item["name"]).strip())
        return names
