"""The follow-up sections of a plan file: insatser with their targets, and the goal
map with its indicators."""

from __future__ import annotations

from typing import Any

from stegvis.finance import budget
from stegvis.plans.validate.values import (
    MAX_AMOUNT,
    ValueChecker,
    index,
    join,
    quote,
)
from stegvis.plans.vocabulary import CODE_KEYS, EXTRA_KEYS, METRICS, OPS, RESPONDENT_GROUPS

INTERVENTION_KINDS = ("individual", "structural")


class GoalRules(ValueChecker):
    """Insatser and the goal map: what the plan promises to follow up."""

    def interventions(self, value: Any) -> list[dict[str, Any]]:
        """Insatser: name, kind, owner and members (references to members), period and
        targets. Kept as plain JSON-ready data until the interventions app holds them."""
        result: list[dict[str, Any]] = []
        seen: dict[str, str] = {}
        for i, item in enumerate(self.sequence(value, "interventions")):
            path = index("interventions", i)
            section = self.mapping(
                item,
                path,
                required=("name", "kind"),
                optional=("owner", "members", "start", "end", "targets"),
            )
            if section is None:
                continue
            out: dict[str, Any] = {}
            name = self.name(section["name"], join(path, "name")) if "name" in section else None
            if name is not None and name.casefold() in seen:
                self.error(
                    join(path, "name"), f"{quote(name)} finns redan ({seen[name.casefold()]})"
                )
            elif name is not None:
                seen[name.casefold()] = path
            out["name"] = name
            if "kind" in section:
                out["kind"] = self.choice(
                    section["kind"], join(path, "kind"), INTERVENTION_KINDS, "okänt slag"
                )
            if "owner" in section:
                out["owner"] = self.member_ref(section["owner"], join(path, "owner"))
            if "members" in section:
                members: list[str] = []
                members_path = join(path, "members")
                for j, ref in enumerate(self.sequence(section["members"], members_path)):
                    member = self.member_ref(ref, index(members_path, j))
                    if member in members:
                        self.error(index(members_path, j), f"{quote(member)} står två gånger")
                    elif member is not None:
                        members.append(member)
                if members:
                    out["members"] = members
            for key in ("start", "end"):
                if key in section:
                    out[key] = self.date(section[key], join(path, key))
            if out.get("start") and out.get("end") and out["end"] < out["start"]:
                self.error(join(path, "end"), f"slutar före start: {quote(section['end'])}")
            if "targets" in section:
                targets_path = join(path, "targets")
                targets = [
                    self.target(target, index(targets_path, j))
                    for j, target in enumerate(self.sequence(section["targets"], targets_path))
                ]
                if targets:
                    out["targets"] = targets
            result.append({key: item for key, item in out.items() if item is not None})
        return result

    def groups(self, value: Any, path: str) -> str | None:
        """The respondent groups of a collaboration survey target: "styrelse", or
        several separated by commas. An unknown group is a warning, as an unknown code
        is: the target is stored but cannot be measured until it is corrected."""
        text = self.text(value, path)
        if text is None:
            return None
        unknown = [
            word.strip()
            for word in text.split(",")
            if word.strip() and word.strip() not in RESPONDENT_GROUPS
        ]
        if unknown:
            self.warn(
                path,
                f"svarsgruppen {quote(unknown[0])} finns inte – välj "
                + ", ".join(RESPONDENT_GROUPS)
                + " (flera med kommatecken); målet sparas men kan inte mätas förrän "
                "gruppen är rättad",
            )
        return text

    def target(self, value: Any, path: str) -> dict[str, Any]:
        """A target (mätpunkt) or an indicator: a metric of the spec's table with its
        extra keys, and optionally `op` and `value` (together) and `year`. A code the
        installation does not know yet is a warning: the target is stored and shown as
        "kan inte mätas ännu" until it can be."""
        section = self.mapping(
            value,
            path,
            required=("text", "metric"),
            optional=("op", "value", "year", *EXTRA_KEYS),
        )
        if section is None:
            return {}
        out: dict[str, Any] = {}
        if "text" in section:
            out["text"] = self.text(section["text"], join(path, "text"), multiline=True)
        metric = None
        if "metric" in section:
            code = self.choice(section["metric"], join(path, "metric"), METRICS, "okänt mått")
            metric = METRICS.get(code or "")
            out["metric"] = code
        for key in EXTRA_KEYS:
            key_path = join(path, key)
            if metric is not None and key in section and key not in metric.extra_keys:
                self.error(
                    key_path,
                    f'nyckeln "{key}" hör inte till måttet {metric.code}'
                    + (
                        f" (det har {', '.join(metric.extra_keys)})"
                        if metric.extra_keys
                        else " (det har inga extra nycklar)"
                    ),
                )
                continue
            if metric is not None and key in metric.required and key not in section:
                self.error(key_path, f"saknas – måttet {metric.code} kräver {key}")
                continue
            if key not in section:
                continue
            if key == "municipality":
                out[key] = self.member_ref(section[key], key_path, kind=budget.MUNICIPALITY)
                continue
            if key == "group":
                out[key] = self.groups(section[key], key_path)
                continue
            text = self.text(section[key], key_path)
            out[key] = text
            if text is not None and key in CODE_KEYS and text not in self.codes.get(key, ()):
                self.warn(
                    key_path,
                    f"koden {quote(text)} finns inte ännu i den här installationen – målet "
                    "sparas men kan inte mätas förrän koden finns",
                )
        if "op" in section:
            out["op"] = self.choice(section["op"], join(path, "op"), OPS, "okänd jämförelse")
        if "value" in section:
            number = (
                self.share(section["value"], join(path, "value"))
                if metric is not None and metric.share
                else self.number(section["value"], join(path, "value"))
            )
            if number is not None and abs(number) > MAX_AMOUNT:
                self.error(join(path, "value"), f"orimligt stort värde: {quote(section['value'])}")
                number = None
            if number is not None:
                out["value"] = (
                    int(number) if number == number.to_integral_value() else float(number)
                )
        if ("op" in section) != ("value" in section):
            missing = "value" if "op" in section else "op"
            self.error(join(path, missing), "saknas – op och value anges tillsammans")
        if "year" in section:
            year = self.year(section["year"], join(path, "year"))
            if year is not None and self.years is not None and year not in self.years:
                self.warn(
                    join(path, "year"),
                    f"året {quote(section['year'])} ligger utanför planens år ({self.years_text()})",
                )
            out["year"] = year
        return {key: item for key, item in out.items() if item is not None}

    def goals(self, value: Any) -> list[dict[str, Any]]:
        """The goal map: per goal its perspective, text, activities, who is responsible
        and the indicators (targets, see `target`)."""
        result: list[dict[str, Any]] = []
        for i, item in enumerate(self.sequence(value, "goals")):
            path = index("goals", i)
            section = self.mapping(
                item,
                path,
                required=("text",),
                optional=("perspective", "activities", "responsible", "indicators"),
            )
            if section is None:
                continue
            out: dict[str, Any] = {}
            for key in ("perspective", "text", "activities", "responsible"):
                if key in section:
                    out[key] = self.text(section[key], join(path, key), multiline=True)
            if "indicators" in section:
                indicators_path = join(path, "indicators")
                indicators = [
                    self.target(indicator, index(indicators_path, j))
                    for j, indicator in enumerate(
                        self.sequence(section["indicators"], indicators_path)
                    )
                ]
                if indicators:
                    out["indicators"] = indicators
            result.append({key: item for key, item in out.items() if item is not None})
        return result
