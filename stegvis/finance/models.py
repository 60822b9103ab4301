"""The förbund's money: a plan (budget year + plan years), its lines, rules and actuals.

Amounts are whole kronor. A plan is identified by its förbund and first year;
importing the same years again replaces it, and django-simple-history keeps
every earlier version of the plan, its rules and its lines.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from stegvis.associations.models import Association, Member


class Unit(models.TextChoices):
    TKR = "tkr", _("tkr")
    KR = "kr", _("kr")


class Plan(models.Model):
    """A verksamhetsplan's budget: "Budget 2024, plan 2025–2026"."""

    class MunicipalKey(models.TextChoices):
        POPULATION = "population", _("Folkmängd")
        EQUAL = "equal", _("Lika delar")
        SHARES = "shares", _("Egna andelar")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="plans")
    first_year = models.PositiveSmallIntegerField(_("budgetår"))
    last_year = models.PositiveSmallIntegerField(_("sista planår"))
    unit = models.CharField(_("enhet"), max_length=3, choices=Unit.choices, default=Unit.TKR)
    opening_equity = models.BigIntegerField(_("ingående eget kapital"), default=0)
    # When contributions come from a yearly total (plan file `contributions.total`),
    # the total per year {"2024": kronor}, the municipal key and its shares. The
    # generated contribution lines are marked `generated` and follow the total.
    contribution_total = models.JSONField(default=dict, blank=True)
    municipal_key = models.CharField(
        _("kommunal fördelningsnyckel"),
        max_length=12,
        choices=MunicipalKey.choices,
        default=MunicipalKey.POPULATION,
    )
    municipal_shares = models.JSONField(default=dict, blank=True)
    # The förbund's members this plan covers, as member ids in the plan's order: the
    # order decides who is booked the state's half (the first state member) and how
    # the plan file lists them. Empty: all the förbund's members, staten first.
    member_ids = models.JSONField(_("medlemmar i planen"), default=list, blank=True)
    # The plan file's insatser with their targets, kept as validated and exported
    # unchanged. (Its goal map is the goals app's: finance.selectors.register_goals_store.)
    interventions = models.JSONField(default=list, blank=True)
    decided_on = models.DateField(_("beslutad"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgetar")
        ordering = ["-first_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "first_year"], name="plan_one_per_first_year"
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="plan_years_in_order"
            ),
        ]

    def __str__(self) -> str:
        if self.last_year > self.first_year:
            return f"Budget {self.first_year}, plan {self.first_year + 1}–{self.last_year}"
        return f"Budget {self.first_year}"

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


class PlanRules(models.Model):
    """The rules a plan is checked against (spec `rules`); defaults from national
    recommendations."""

    class Base(models.TextChoices):
        REVENUES = "revenues", _("Intäkter")
        CONTRIBUTIONS = "contributions", _("Medlemsavgifter")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="rules")
    equity_cap_base = models.CharField(
        _("underlag för tak på eget kapital"),
        max_length=13,
        choices=Base.choices,
        default=Base.REVENUES,
    )
    # [{"up_to": kronor or null, "rate": "0.20"}, …]: rate on the part of the base in each tier.
    equity_cap_tiers = models.JSONField(_("trappsteg"), default=list)
    equity_min = models.BigIntegerField(_("lägsta eget kapital (buffert)"), default=0)
    admin_share_max = models.DecimalField(
        _("högsta andel administration"), max_digits=5, decimal_places=4, default="0.15"
    )
    admin_categories = models.JSONField(
        _("kategorier som räknas som administration"),
        default=list,
    )

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regler")
        verbose_name_plural = _("regler")
        constraints = [
            models.CheckConstraint(
                condition=Q(equity_min__gte=0), name="rules_equity_min_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(admin_share_max__gte=0) & Q(admin_share_max__lte=1),
                name="rules_admin_share_is_a_share",
            ),
        ]

    def __str__(self) -> str:
        return f"Regler för {self.plan}"


class BudgetLine(models.Model):
    """A revenue or cost line of the plan, with an amount per year (`BudgetAmount`)."""

    class Side(models.TextChoices):
        REVENUE = "revenue", _("Intäkt")
        COST = "cost", _("Kostnad")

    class RevenueKind(models.TextChoices):
        CONTRIBUTION = "contribution", _("Medlemsavgift")
        GRANT = "grant", _("Bidrag (t.ex. ESF)")
        OTHER = "other", _("Övrig intäkt")

    class Category(models.TextChoices):
        BOARD = "board", _("Styrelse")
        ADMINISTRATION = "administration", _("Kansli/administration")
        PREMISES = "premises", _("Lokaler")
        COMPETENCE = "competence", _("Kompetensutveckling")
        INDIVIDUAL = "individual", _("Individinriktade insatser")
        STRUCTURAL = "structural", _("Strukturövergripande insatser")
        OTHER = "other", _("Övrigt")
        UNALLOCATED = "unallocated", _("Ej fördelat/buffert")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines")
    side = models.CharField(_("slag"), max_length=7, choices=Side.choices)
    name = models.CharField(_("namn"), max_length=200)
    # Revenue lines: a RevenueKind; cost lines: a Category.
    category = models.CharField(_("kategori"), max_length=14)
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("medlem"),
    )
    # The insats a cost line funds, by name until insatser are records of their own;
    # the interventions app points at lines, never the other way round.
    intervention_name = models.CharField(_("insats"), max_length=200, blank=True)
    # The unit the line was written in, when it differs from the plan's (for export).
    unit = models.CharField(_("enhet"), max_length=3, choices=Unit.choices, blank=True)
    generated = models.BooleanField(
        default=False, help_text="Made from the plan's contribution total; follows it."
    )
    position = models.PositiveIntegerField(default=0)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budgetrader")
        ordering = ["side", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "side", "name"], name="budget_line_unique_name"
            ),
            models.CheckConstraint(
                condition=(
                    Q(side="revenue", category__in=["contribution", "grant", "other"])
                    | Q(
                        side="cost",
                        category__in=[
                            "board",
                            "administration",
                            "premises",
                            "competence",
                            "individual",
                            "structural",
                            "other",
                            "unallocated",
                        ],
                    )
                ),
                name="budget_line_category_fits_side",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetAmount(models.Model):
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.BigIntegerField(_("belopp (kr)"))

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetbelopp")
        verbose_name_plural = _("budgetbelopp")
        ordering = ["line", "year"]
        constraints = [
            models.UniqueConstraint(fields=["line", "year"], name="budget_amount_one_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.year}: {self.amount}"


class ReportingPeriod(models.Model):
    """A follow-up period of the year, from January to the end of `end_month`:
    tertial 1 (jan–apr), tertial 2 (jan–aug) and helår by default."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="reporting_periods"
    )
    code = models.SlugField(_("kod"), max_length=20)
    name = models.CharField(_("namn"), max_length=60)
    end_month = models.PositiveSmallIntegerField(_("till och med månad"))

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("uppföljningsperiod")
        verbose_name_plural = _("uppföljningsperioder")
        ordering = ["end_month"]
        constraints = [
            models.UniqueConstraint(fields=["association", "code"], name="period_unique_code"),
            models.UniqueConstraint(fields=["association", "end_month"], name="period_unique_end"),
            models.CheckConstraint(
                condition=Q(end_month__gte=1) & Q(end_month__lte=12), name="period_month_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


DEFAULT_PERIODS = [
    ("t1", "Tertial 1 (jan–apr)", 4),
    ("t2", "Tertial 2 (jan–aug)", 8),
    ("year", "Helår", 12),
]


class Actual(models.Model):
    """Utfall: what a line actually came to from January to the end of a period."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="actuals")
    year = models.PositiveSmallIntegerField(_("år"))
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="actuals", verbose_name=_("period")
    )
    amount = models.BigIntegerField(_("utfall (kr)"))

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")
        constraints = [
            models.UniqueConstraint(
                fields=["line", "year", "period"], name="actual_one_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.year} {self.period}: {self.amount}"


class Forecast(models.Model):
    """Prognos: the expected full-year amount of a line, entered by the kansli.
    Without one, the forecast is the latest actual extrapolated to twelve months."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="forecasts")
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.BigIntegerField(_("prognos (kr)"))
    comment = models.CharField(_("kommentar"), max_length=300, blank=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prognos")
        verbose_name_plural = _("prognoser")
        constraints = [
            models.UniqueConstraint(fields=["line", "year"], name="forecast_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.year}: {self.amount}"
