"""The money sections of a plan file: contributions, rules, revenue and cost lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from stegvis.finance import budget
from stegvis.plans.document import DocContributions, DocLine, DocMember, DocRules
from stegvis.plans.validate.values import (
    MAX_AMOUNT,
    UNITS,
    ValueChecker,
    choices_text,
    decimal_places,
    describe,
    index,
    join,
    quote,
    scale_to_integers,
)

SHARE_PLACES = 6  # a municipal share such as 37.5 or 0.3333; more is noise


class MoneyRules(ValueChecker):
    """Contributions, rules and lines: the parts of the plan the budget is made of."""

    def contributions(self, value: Any) -> DocContributions | None:
        """`contributions.total` split 50/25/25 (spec): the split needs a state member,
        a region and a municipality, and the municipal key needs its data —
        populations for `population`, a share for every municipality for `shares`."""
        path = "contributions"
        section = self.mapping(
            value, path, required=("total",), optional=("municipal_key", "shares")
        )
        if section is None:
            return None
        total = (
            self.amounts(section["total"], join(path, "total"), self.unit, what="summan")
            if "total" in section
            else {}
        )
        if section.get("total") == {}:
            self.error(join(path, "total"), "ska ange summan för minst ett år, t.ex. {2024: 8000}")
        key = "population"
        if "municipal_key" in section:
            key = (
                self.choice(
                    section["municipal_key"],
                    join(path, "municipal_key"),
                    budget.MUNICIPAL_KEYS,
                    "okänd fördelningsnyckel",
                )
                or ""
            )
        kinds = {member.kind for member in self.members.values()}
        missing = [
            label
            for kind, label in [
                (budget.STATE, "en statlig medlem (kind: state)"),
                (budget.REGION, "en region (kind: region)"),
                (budget.MUNICIPALITY, "minst en kommun (kind: municipality)"),
            ]
            if kind not in kinds
        ]
        if missing and self.members and not self.broken_members:
            self.error(
                path,
                "fördelningen 50/25/25 kräver " + choices_text(missing).replace(" eller ", " och "),
            )
        municipalities = [m for m in self.members.values() if m.kind == budget.MUNICIPALITY]
        if key == "population":
            for member in municipalities:
                if member.population is None:
                    self.error(
                        join(self.member_paths[member.name], "population"),
                        f"folkmängd saknas för {quote(member.name)} – behövs för "
                        "municipal_key: population",
                    )
            if municipalities and all(m.population == 0 for m in municipalities):
                self.error(
                    join(path, "municipal_key"), "kommunernas folkmängd är 0 – går inte att fördela"
                )
        shares: dict[str, int] | None = None
        if "shares" in section:
            if key and key != "shares":
                self.error(
                    join(path, "shares"),
                    f"andelar används bara med municipal_key: shares (här {quote(key)})",
                )
            elif key:
                shares = self.shares(section["shares"], join(path, "shares"), municipalities)
        elif key == "shares":
            self.error(join(path, "shares"), "saknas – behövs för municipal_key: shares")
        if not key:
            return None
        return DocContributions(total=total, municipal_key=key, shares=shares)

    def shares(
        self, value: Any, path: str, municipalities: list[DocMember]
    ) -> dict[str, int] | None:
        if not isinstance(value, dict):
            self.error(
                path,
                f"ska vara en andel per kommun, t.ex. {{Grums kommun: 3}}, inte {describe(value)}",
            )
            return None
        given: dict[str, Decimal] = {}
        for key, item in value.items():
            item_path = join(path, key)
            name = self.member_ref(key, item_path, kind=budget.MUNICIPALITY)
            number = self.number(item, item_path)
            if number is not None and number < 0:
                self.error(item_path, f"en andel kan inte vara negativ: {quote(item)}")
                number = None
            if number is not None and (
                abs(number) > MAX_AMOUNT or decimal_places(number.normalize()) > SHARE_PLACES
            ):
                self.error(
                    item_path,
                    f"en andel är ett tal under {MAX_AMOUNT} med högst {SHARE_PLACES} "
                    f"decimaler: {quote(item)}",
                )
                number = None
            if name is not None and number is not None:
                given[name] = number
        for member in municipalities:
            if member.name not in given and member.name not in value:
                self.error(path, f"andel saknas för {quote(member.name)}")
        if given and not any(given.values()):
            self.error(path, "andelarna är alla 0 – går inte att fördela")
        names = list(given)
        return dict(zip(names, scale_to_integers([given[n] for n in names]), strict=True))

    def rules(self, value: Any) -> DocRules:
        """The förbund's rules; every one has the national recommendation as its
        default (see `budget`), the default tiers in kronor whatever the file's unit."""
        path = "rules"
        rules = DocRules()
        section = self.mapping(
            value,
            path,
            optional=("equity_cap", "equity_min", "admin_share_max", "admin_categories"),
        )
        if section is None:
            return rules
        if "equity_cap" in section:
            cap_path = join(path, "equity_cap")
            cap = self.mapping(section["equity_cap"], cap_path, optional=("base", "tiers"))
            if cap is not None and "base" in cap:
                rules.equity_cap_base = (
                    self.choice(
                        cap["base"],
                        join(cap_path, "base"),
                        budget.EQUITY_CAP_BASES,
                        "okänt underlag",
                    )
                    or rules.equity_cap_base
                )
            if cap is not None and "tiers" in cap:
                rules.tiers = self.tiers(cap["tiers"], join(cap_path, "tiers"))
        if "equity_min" in section:
            minimum = self.amount(section["equity_min"], join(path, "equity_min"), self.unit)
            if minimum is not None and minimum < 0:
                self.error(
                    join(path, "equity_min"),
                    f"lägsta eget kapital kan inte vara negativt: {quote(section['equity_min'])}",
                )
            elif minimum is not None:
                rules.equity_min = minimum
        if "admin_share_max" in section:
            share = self.share(section["admin_share_max"], join(path, "admin_share_max"), places=4)
            if share is not None:
                rules.admin_share_max = share
        if "admin_categories" in section:
            categories_path = join(path, "admin_categories")
            categories: list[str] = []
            for i, item in enumerate(self.sequence(section["admin_categories"], categories_path)):
                category = self.choice(
                    item, index(categories_path, i), budget.COST_CATEGORIES, "okänd kategori"
                )
                if category in categories:
                    self.error(index(categories_path, i), f"{quote(category)} står två gånger")
                elif category is not None:
                    categories.append(category)
            rules.admin_categories = categories
        return rules

    def tiers(self, value: Any, path: str) -> list[budget.Tier]:
        """Rate on the part of the base inside each tier; `up_to` in the file's unit,
        rising; only the last tier may leave it out (it then goes on without end)."""
        items = self.sequence(value, path)
        if isinstance(value, list) and not items:
            self.error(path, "minst ett trappsteg behövs, t.ex. [{rate: 0.20}]")
        tiers: list[budget.Tier] = []
        previous = 0
        for i, item in enumerate(items):
            tier_path = index(path, i)
            tier = self.mapping(item, tier_path, required=("rate",), optional=("up_to",))
            if tier is None:
                continue
            rate = self.share(tier["rate"], join(tier_path, "rate")) if "rate" in tier else None
            up_to = None
            if "up_to" in tier:
                up_to = self.amount(tier["up_to"], join(tier_path, "up_to"), self.unit)
                if up_to is not None and up_to <= previous:
                    self.error(
                        join(tier_path, "up_to"),
                        f"ska vara större än föregående trappstegs gräns: {quote(tier['up_to'])}",
                    )
                    up_to = None
                elif up_to is not None:
                    previous = up_to
            elif i < len(items) - 1:
                self.error(
                    join(tier_path, "up_to"), "saknas – bara sista trappsteget får sakna up_to"
                )
            if rate is not None:
                tiers.append(budget.Tier(rate=rate, up_to=up_to))
        return tiers

    def lines(self, value: Any, path: str, *, cost: bool) -> list[DocLine]:
        """Revenue or cost lines. Names are keys: unique within their side."""
        lines: list[DocLine] = []
        seen: dict[str, str] = {}
        for i, item in enumerate(self.sequence(value, path)):
            line_path = index(path, i)
            line = self.cost_line(item, line_path) if cost else self.revenue_line(item, line_path)
            name = item.get("name") if isinstance(item, dict) else None
            if not isinstance(name, str) or not name.strip():
                continue
            # Names are compared as the database's plan store does: case aside.
            key = name.strip().casefold()
            if key in seen:
                self.error(
                    join(line_path, "name"), f"{quote(name.strip())} finns redan ({seen[key]})"
                )
                continue
            seen[key] = line_path
            if line is not None:
                lines.append(line)
        return lines

    def line_unit(self, line: dict[str, Any], path: str) -> tuple[str, str | None]:
        """The unit the line's amounts are in, and what to keep of it: nothing when it
        is the file's own."""
        if "unit" not in line:
            return self.unit, None
        unit = self.choice(line["unit"], join(path, "unit"), UNITS, "okänd enhet")
        if unit is None:
            return self.unit, None
        return unit, (None if unit == self.unit else unit)

    def revenue_line(self, value: Any, path: str) -> DocLine | None:
        line = self.mapping(
            value, path, required=("name", "kind", "amounts"), optional=("member", "unit")
        )
        if line is None:
            return None
        name = self.name(line["name"], join(path, "name")) if "name" in line else None
        kind = (
            self.choice(line["kind"], join(path, "kind"), budget.REVENUE_KINDS, "okänt slag")
            if "kind" in line
            else None
        )
        member = self.member_ref(line["member"], join(path, "member")) if "member" in line else None
        if kind == "contribution" and "member" not in line:
            self.error(
                join(path, "member"),
                "saknas – en medlemsavgift (kind: contribution) ska ange medlemmen som betalar",
            )
        unit, own_unit = self.line_unit(line, path)
        amounts = (
            self.amounts(line["amounts"], join(path, "amounts"), unit, what="en intäkt")
            if "amounts" in line
            else {}
        )
        if name is None or kind is None:
            return None
        return DocLine(name=name, kind=kind, amounts=amounts, unit=own_unit, member=member)

    def cost_line(self, value: Any, path: str) -> DocLine | None:
        line = self.mapping(
            value,
            path,
            required=("name", "category", "amounts"),
            optional=("intervention", "unit"),
        )
        if line is None:
            return None
        name = self.name(line["name"], join(path, "name")) if "name" in line else None
        category = (
            self.choice(
                line["category"], join(path, "category"), budget.COST_CATEGORIES, "okänd kategori"
            )
            if "category" in line
            else None
        )
        intervention = None
        if "intervention" in line:
            intervention = self.name(line["intervention"], join(path, "intervention"))
            if intervention is not None and intervention not in self.intervention_names:
                self.error(
                    join(path, "intervention"),
                    f"ingen insats heter {quote(intervention)} (insatserna står under interventions)",
                )
                intervention = None
        unit, own_unit = self.line_unit(line, path)
        amounts = (
            self.amounts(line["amounts"], join(path, "amounts"), unit, what="en kostnad")
            if "amounts" in line
            else {}
        )
        if name is None or category is None:
            return None
        return DocLine(
            name=name, kind=category, amounts=amounts, unit=own_unit, intervention=intervention
        )
