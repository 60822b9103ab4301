"""Forms of the Ekonomi pages. Amounts are typed as the plans write them, in tkr or kr,
with spaces between thousands and a decimal comma ("1 637 273", "12,5"), and reach
the services as whole kronor."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Member
from stegvis.core import uploads
from stegvis.finance import budget
from stegvis.finance.models import BudgetLine, Plan, PlanRules, Unit
from stegvis.finance.selectors import PlanData, known_intervention_names
from stegvis.finance.services import amount_field


class FieldGroup:
    """Some of a form's fields, to render with includes/form_fields.html inside a
    fieldset of their own (the form's own errors go with the first group)."""

    def __init__(self, form: forms.BaseForm, names: list[str], *, first: bool = False) -> None:
        self.form = form
        self.names = [name for name in names if name in form.fields]
        self.first = first

    def non_field_errors(self) -> Any:
        return self.form.non_field_errors() if self.first else []

    def hidden_fields(self) -> list[forms.BoundField]:
        return [field for field in self.form.hidden_fields() if self.first]

    def visible_fields(self) -> list[forms.BoundField]:
        return [self.form[name] for name in self.names]


NUMBER = re.compile(r"^[-−]?\d+(\.\d+)?$")
SPACES = re.compile(r"[\s\u00a0\u202f]")
MAX_AMOUNT = Decimal(10) ** 12  # kronor; more than any förbund will ever budget


def parse_number(text: str) -> Decimal:
    """'1 637 273' → 1637273, '12,5' → 12.5; anything else is refused with the text
    quoted, as the plan file's reader does."""
    cleaned = SPACES.sub("", text.strip()).replace(",", ".")
    if not NUMBER.match(cleaned):
        raise forms.ValidationError(_("Inte ett tal: ”%(value)s”."), params={"value": text})
    try:
        return Decimal(cleaned.replace("−", "-"))
    except InvalidOperation as error:  # pragma: no cover - the pattern already says no
        raise forms.ValidationError(
            _("Inte ett tal: ”%(value)s”."), params={"value": text}
        ) from error


def to_kronor(value: Decimal, unit: str) -> int:
    """An amount in the unit as whole kronor: tkr may have up to three decimals."""
    kronor = value * 1000 if unit == Unit.TKR else value
    if kronor != kronor.to_integral_value():
        if unit == Unit.TKR:
            raise forms.ValidationError(_("Ange högst tre decimaler i tkr."))
        raise forms.ValidationError(_("Ange hela kronor."))
    if abs(kronor) >= MAX_AMOUNT:
        raise forms.ValidationError(_("Beloppet är orimligt stort."))
    return int(kronor)


def show_amount(kronor: int | None, unit: str) -> str:
    """Whole kronor as typed in the unit: 1637273 → '1 637,273' (tkr) or '1 637 273' (kr)."""
    if kronor is None:
        return ""
    if unit == Unit.TKR:
        value = Decimal(kronor) / 1000
        whole = int(value)
        decimals = f"{abs(value - whole):f}".rstrip("0").rstrip(".")[1:].replace(".", ",")
        return f"{whole:,}".replace(",", " ") + decimals
    return f"{kronor:,}".replace(",", " ")


class AmountField(forms.CharField):
    """A number typed the Swedish way; cleans to a Decimal in the unit typed (None
    when left empty)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")
        self.widget.attrs.setdefault("class", "amount")

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if text in (None, ""):
            return None
        return parse_number(text)


class PercentField(AmountField):
    """A share typed as percent ('15', '12,5'); cleans to a share (0.15)."""

    def clean(self, value: Any) -> Decimal | None:
        number = super().clean(value)
        if number is None:
            return None
        if not Decimal(0) <= number <= Decimal(100):
            raise forms.ValidationError(_("Ange en andel mellan 0 och 100 %."))
        share = number / 100
        if share != share.quantize(budget.SHARE_PLACES):
            raise forms.ValidationError(_("Ange högst två decimaler."))
        return share


def show_percent(share: Decimal | str | None) -> str:
    if share is None or share == "":
        return ""
    text = f"{Decimal(str(share)) * 100:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


UNIT_CHOICES = [(Unit.TKR.value, _("tkr (tusental kronor)")), (Unit.KR.value, _("kr"))]


class BudgetLineForm(forms.Form):
    """A revenue or cost line with an amount per year of the plan."""

    name = forms.CharField(label=_("Namn"), max_length=200)
    category = forms.ChoiceField(label=_("Kategori"))
    member: forms.ModelChoiceField[Member] = forms.ModelChoiceField(
        label=_("Medlem som betalar"),
        queryset=None,  # the plan's members, set per form
        required=False,
        help_text=_("Bara för medlemsavgifter."),
    )
    intervention_name = forms.ChoiceField(
        label=_("Insats"),
        required=False,
        help_text=_("Den insats raden finansierar, om någon."),
    )
    unit = forms.ChoiceField(label=_("Beloppen anges i"), choices=UNIT_CHOICES)

    def __init__(
        self,
        *args: Any,
        data_of_plan: PlanData,
        side: str,
        line: BudgetLine | None = None,
        **kwargs: Any,
    ) -> None:
        self.plan_data = data_of_plan
        self.plan: Plan = data_of_plan.plan
        self.side = side
        self.line = line
        if line is not None and "initial" not in kwargs:
            unit = line.unit or self.plan.unit
            amounts = data_of_plan.amounts(line) if line.pk else {}
            kwargs["initial"] = {
                "name": line.name,
                "category": line.category,
                "member": line.member_id,
                "intervention_name": line.intervention_name,
                "unit": unit,
                **{amount_field(y): show_amount(amounts.get(y), unit) for y in self.plan.years},
            }
        super().__init__(*args, **kwargs)
        self.fields["unit"].initial = self.plan.unit
        category = self.fields["category"]
        if side == BudgetLine.Side.COST:
            category.choices = BudgetLine.Category.choices  # type: ignore[attr-defined]
            del self.fields["member"]
            # Only insatser the plan file can name: the plan's own and those Stegvis holds.
            names = known_intervention_names(association=self.plan.association, plan=self.plan)
            if line is not None and line.intervention_name and line.intervention_name not in names:
                names.append(line.intervention_name)
            self.fields["intervention_name"].choices = [  # type: ignore[attr-defined]
                ("", _("Ingen insats")),
                *[(name, name) for name in names],
            ]
        else:
            category.label = _("Slag av intäkt")
            category.choices = BudgetLine.RevenueKind.choices  # type: ignore[attr-defined]
            del self.fields["intervention_name"]
            self.fields["member"].queryset = self.plan.association.members.filter(  # type: ignore[attr-defined]
                pk__in=[pm.member.pk for pm in data_of_plan.members]
            ).order_by(Member.kind_order(), "name")
        for year in self.plan.years:
            label = (
                _("Budget %(year)s") if year == self.plan.first_year else _("Plan %(year)s")
            ) % {"year": year}
            self.fields[amount_field(year)] = AmountField(label=label)

    def details(self) -> FieldGroup:
        return FieldGroup(
            self, ["name", "category", "member", "intervention_name", "unit"], first=True
        )

    def amounts(self) -> FieldGroup:
        return FieldGroup(self, [amount_field(year) for year in self.plan.years])

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = self.plan.lines.filter(side=self.side, name__iexact=name)
        if self.line is not None and self.line.pk:
            clash = clash.exclude(pk=self.line.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("Budgeten har redan en kostnadsrad med det namnet.")
                if self.side == BudgetLine.Side.COST
                else _("Budgeten har redan en intäktsrad med det namnet.")
            )
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unit = cleaned.get("unit") or self.plan.unit
        amounts: dict[int, int] = {}
        for year in self.plan.years:
            name = amount_field(year)
            value = cleaned.get(name)
            if value is None:
                continue
            if value < 0:
                self.add_error(
                    name,
                    _("En kostnad kan inte vara negativ.")
                    if self.side == BudgetLine.Side.COST
                    else _("Beloppet kan inte vara negativt."),
                )
                continue
            try:
                amounts[year] = to_kronor(value, unit)
            except forms.ValidationError as error:
                self.add_error(name, error)
        cleaned["amounts"] = amounts
        if cleaned.get("category") == BudgetLine.RevenueKind.CONTRIBUTION and not cleaned.get(
            "member"
        ):
            self.add_error("member", _("Ange vilken medlem som betalar avgiften."))
        return cleaned

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "category": data["category"],
            "amounts": data["amounts"],
            "member": data.get("member"),
            "intervention_name": data.get("intervention_name", ""),
            "unit": data["unit"],
        }


TIER_ROWS = 3


class RulesForm(forms.Form):
    """The rules the plan is checked against, in tkr and percent."""

    equity_cap_base = forms.ChoiceField(
        label=_("Taket räknas på"), choices=PlanRules.Base.choices, widget=forms.RadioSelect
    )
    equity_min = AmountField(
        label=_("Lägsta eget kapital, buffert (tkr)"),
        help_text=_("Till exempel en likviditetsbuffert på 700 tkr. 0 om ingen."),
    )
    admin_share_max = PercentField(
        label=_("Administrativa kostnader högst (% av kostnaderna)"),
        required=True,
    )
    admin_categories = forms.MultipleChoiceField(
        label=_("Kategorier som räknas som administration"),
        choices=BudgetLine.Category.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, rules: budget.Rules | None = None, **kwargs: Any) -> None:
        rules = rules or budget.Rules()
        initial: dict[str, Any] = {
            "equity_cap_base": rules.equity_cap_base,
            "equity_min": show_amount(rules.equity_min, Unit.TKR),
            "admin_share_max": show_percent(rules.admin_share_max),
            "admin_categories": [c for c in budget.COST_CATEGORIES if c in rules.admin_categories],
        }
        for index, tier in enumerate(rules.tiers[:TIER_ROWS], start=1):
            initial[f"tier{index}_rate"] = show_percent(tier.rate)
            initial[f"tier{index}_up_to"] = show_amount(tier.up_to, Unit.TKR)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for index in range(1, TIER_ROWS + 1):
            self.fields[f"tier{index}_rate"] = PercentField(
                label=_("Steg %(n)s: andel (%%)") % {"n": index}
            )
            self.fields[f"tier{index}_up_to"] = AmountField(
                label=_("Steg %(n)s: upp till (tkr)") % {"n": index}
            )

    def base(self) -> FieldGroup:
        return FieldGroup(self, ["equity_cap_base"], first=True)

    def tiers(self) -> FieldGroup:
        names = []
        for index in range(1, TIER_ROWS + 1):
            names += [f"tier{index}_rate", f"tier{index}_up_to"]
        return FieldGroup(self, names)

    def others(self) -> FieldGroup:
        return FieldGroup(self, ["equity_min", "admin_share_max", "admin_categories"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        tiers: list[budget.Tier] = []
        for index in range(1, TIER_ROWS + 1):
            rate = cleaned.get(f"tier{index}_rate")
            up_to = cleaned.get(f"tier{index}_up_to")
            if rate is None and up_to is None:
                continue
            if rate is None:
                self.add_error(f"tier{index}_rate", _("Ange andelen för steget."))
                continue
            limit = None
            if up_to is not None:
                try:
                    limit = to_kronor(up_to, Unit.TKR)
                except forms.ValidationError as error:
                    self.add_error(f"tier{index}_up_to", error)
                    continue
            tiers.append(budget.Tier(rate=rate, up_to=limit))
        if not tiers:
            self.add_error("tier1_rate", _("Ange minst ett trappsteg."))
        for position, tier in enumerate(tiers[:-1], start=1):
            if tier.up_to is None:
                self.add_error(
                    f"tier{position}_up_to",
                    _("Alla steg utom det sista behöver en övre gräns."),
                )
        limits = [tier.up_to for tier in tiers if tier.up_to is not None]
        if any(b <= a for a, b in itertools.pairwise(limits)):
            self.add_error("tier2_up_to", _("Stegens gränser ska öka uppåt."))
        cleaned["tiers"] = tiers
        minimum = cleaned.get("equity_min")
        if minimum is not None:
            if minimum < 0:
                self.add_error("equity_min", _("Bufferten kan inte vara negativ."))
            else:
                try:
                    cleaned["equity_min_kr"] = to_kronor(minimum, Unit.TKR)
                except forms.ValidationError as error:
                    self.add_error("equity_min", error)
        return cleaned

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "equity_cap_base": data["equity_cap_base"],
            "tiers": data["tiers"],
            "equity_min": data.get("equity_min_kr", 0),
            "admin_share_max": data["admin_share_max"],
            "admin_categories": data["admin_categories"],
        }


class ContributionTotalForm(forms.Form):
    """The yearly totals of the contributions and the key that splits the municipal
    quarter; the lines per member are made from them."""

    municipal_key = forms.ChoiceField(
        label=_("Kommunernas fjärdedel fördelas efter"),
        choices=Plan.MunicipalKey.choices,
        widget=forms.RadioSelect,
    )
    unit = forms.ChoiceField(label=_("Beloppen anges i"), choices=UNIT_CHOICES)

    def __init__(self, *args: Any, data_of_plan: PlanData, **kwargs: Any) -> None:
        self.plan = data_of_plan.plan
        self.municipalities = [
            pm.member for pm in data_of_plan.members if pm.member.kind == Member.Kind.MUNICIPALITY
        ]
        plan = self.plan
        totals = {int(y): int(v) for y, v in plan.contribution_total.items()}
        shares = plan.municipal_shares or {}
        initial: dict[str, Any] = {
            "municipal_key": plan.municipal_key,
            "unit": plan.unit,
            **{f"total_{y}": show_amount(totals.get(y), plan.unit) for y in plan.years},
            **{f"share_{m.pk}": shares.get(m.name) for m in self.municipalities},
        }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for year in plan.years:
            self.fields[f"total_{year}"] = AmountField(label=_("Totalt %(year)s") % {"year": year})
        for member in self.municipalities:
            self.fields[f"share_{member.pk}"] = forms.IntegerField(
                label=member.name, required=False, min_value=0
            )

    def unit_group(self) -> FieldGroup:
        return FieldGroup(self, ["unit"], first=True)

    def totals(self) -> FieldGroup:
        return FieldGroup(self, [f"total_{year}" for year in self.plan.years])

    def key(self) -> FieldGroup:
        return FieldGroup(self, ["municipal_key"])

    def shares(self) -> FieldGroup:
        return FieldGroup(self, [f"share_{member.pk}" for member in self.municipalities])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unit = cleaned.get("unit") or self.plan.unit
        totals: dict[int, int] = {}
        for year in self.plan.years:
            value = cleaned.get(f"total_{year}")
            if value is None:
                continue
            if value < 0:
                self.add_error(f"total_{year}", _("Beloppet kan inte vara negativt."))
                continue
            try:
                totals[year] = to_kronor(value, unit)
            except forms.ValidationError as error:
                self.add_error(f"total_{year}", error)
        cleaned["totals"] = totals
        shares = {
            member.name: cleaned.get(f"share_{member.pk}") or 0 for member in self.municipalities
        }
        wants_shares = cleaned.get("municipal_key") == Plan.MunicipalKey.SHARES
        if wants_shares and totals and not any(shares.values()):
            first = self.municipalities[0] if self.municipalities else None
            self.add_error(
                f"share_{first.pk}" if first else None,
                _("Ange kommunernas andelar; minst en måste vara större än noll."),
            )
        cleaned["shares"] = shares
        return cleaned

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "total": data["totals"],
            "municipal_key": data["municipal_key"],
            "shares": data["shares"] if data["municipal_key"] == Plan.MunicipalKey.SHARES else None,
        }


class PlanCreateForm(forms.Form):
    first_year = forms.IntegerField(label=_("Budgetår"), min_value=2000, max_value=2100)
    last_year = forms.IntegerField(
        label=_("Sista planår"),
        min_value=2000,
        max_value=2100,
        help_text=_("Till exempel 2026 för ”Budget 2024, plan 2025–2026”."),
    )
    opening_equity = AmountField(
        label=_("Ingående eget kapital (tkr)"),
        help_text=_("Eget kapital vid årets början, bufferten inräknad."),
    )
    unit = forms.ChoiceField(label=_("Planens enhet"), choices=UNIT_CHOICES)
    decided_on = forms.DateField(
        label=_("Beslutad av styrelsen"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", _("Sista planåret kan inte vara före budgetåret."))
        equity = cleaned.get("opening_equity")
        try:
            cleaned["opening_equity_kr"] = to_kronor(equity, Unit.TKR) if equity else 0
        except forms.ValidationError as error:
            self.add_error("opening_equity", error)
        return cleaned

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "first_year": data["first_year"],
            "last_year": data["last_year"],
            "opening_equity": data["opening_equity_kr"],
            "unit": data["unit"],
            "decided_on": data.get("decided_on"),
        }


class PlanEditForm(PlanCreateForm):
    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "first_year": plan.first_year,
                "last_year": plan.last_year,
                "opening_equity": show_amount(plan.opening_equity, Unit.TKR),
                "unit": plan.unit,
                "decided_on": plan.decided_on,
            },
        )
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["first_year"].disabled = True
        self.fields["first_year"].help_text = _("Budgetåret kan inte ändras.")

    def service_values(self) -> dict[str, Any]:
        values = super().service_values()
        del values["first_year"]
        return values


ACCEPTED_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Planfil"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "YAML, JSON eller Excel (.yaml, .yml, .json, .xlsx), högst %(size)s."
        ) % {"size": uploads.megabytes(uploads.PLAN_FILE.max_bytes)}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ACCEPTED_SUFFIXES):
            raise forms.ValidationError(
                _("”%(name)s”: filen ska vara .yaml, .yml, .json eller .xlsx."),
                params={"name": upload.name},
            )
        # By its size, before anything reads it (the view reads it whole: a plan is small).
        uploads.validate_upload(upload, uploads.PLAN_FILE)
        return upload
