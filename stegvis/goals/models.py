"""The goal map (målkarta) and its indicators (DOMAIN.md §5, plan-format.md `goals`).

A förbund has one goal map per year: goals by perspective (Individ, Utveckling,
Arbetssätt, Ekonomi by default), each with its activities, who is responsible and the
source. A goal's indicators are either computed from the data Stegvis holds (a
`metric` of the plan file's vocabulary with its extra keys in `params`) or entered by
hand per period (`metric = "manual"`, `ManualValue`). Each indicator has targets
(operator and value), for every year or for one.

An indicator's definition is versioned: changing its metric or params raises
`version`, and the values recorded for past periods (`IndicatorValue`) keep the
version that produced them, so a change never rewrites what was reported.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from stegvis.associations.models import Association

DEFAULT_PERSPECTIVES = ["Individ", "Utveckling", "Arbetssätt", "Ekonomi"]


def default_perspectives() -> list[str]:
    return list(DEFAULT_PERSPECTIVES)


class Op(models.TextChoices):
    GE = ">=", "≥"
    LE = "<=", "≤"
    GT = ">", ">"
    LT = "<", "<"
    EQ = "==", "="


class GoalMap(models.Model):
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="goal_maps")
    year = models.PositiveSmallIntegerField(_("år"))
    perspectives = models.JSONField(_("perspektiv"), default=default_perspectives)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("målkarta")
        verbose_name_plural = _("målkartor")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["association", "year"], name="goal_map_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.association} {self.year}"


class Goal(models.Model):
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    goal_map = models.ForeignKey(GoalMap, on_delete=models.CASCADE, related_name="goals")
    perspective = models.CharField(_("perspektiv"), max_length=60)
    text = models.TextField(_("mål"))
    activities = models.TextField(_("aktiviteter"), blank=True)
    responsible = models.CharField(_("ansvarig"), max_length=120, blank=True)
    source = models.CharField(_("källa"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["goal_map", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Indicator(models.Model):
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    text = models.CharField(_("indikator"), max_length=300)
    # A code of plan-format.md's metric table; "manual" for a value entered by hand.
    metric = models.CharField(_("mått"), max_length=40)
    # The metric's extra keys (question, instrument, outcome, kind, source, municipality)
    # and filters (intervention: an insats's name, gender: a kön code).
    params = models.JSONField(_("villkor"), default=dict, blank=True)
    responsible = models.CharField(_("ansvarig"), max_length=120, blank=True)
    source = models.CharField(_("källa"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    # Raised by the services whenever metric or params change.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["goal", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class IndicatorTarget(models.Model):
    """Målvärde: for one year, or for every year when `year` is empty."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("år"), null=True, blank=True)
    op = models.CharField(_("villkor"), max_length=2, choices=Op.choices, default=Op.GE)
    # A share as a decimal (0.8 for 80 %), a count or an amount as it is.
    value = models.DecimalField(_("målvärde"), max_digits=14, decimal_places=4)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("målvärde")
        verbose_name_plural = _("målvärden")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"], name="indicator_target_one_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.op} {self.value}"


class ManualValue(models.Model):
    """A value entered by hand for a period, with its source ("gruppdialog på
    chefsmöte") and a comment."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="manual_values")
    period_start = models.DateField(_("från"))
    period_end = models.DateField(_("till"))
    value = models.DecimalField(_("värde"), max_digits=14, decimal_places=4)
    source = models.CharField(_("källa"), max_length=200)
    comment = models.TextField(_("kommentar"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inmatat värde")
        verbose_name_plural = _("inmatade värden")
        ordering = ["indicator", "period_start", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"], name="manual_value_once"
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")), name="manual_value_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_start}–{self.period_end}: {self.value}"


class IndicatorValue(models.Model):
    """A value as it was reported for a closed period: kept with the definition
    version that produced it, so a later change of the definition does not rewrite
    it. Open periods are computed when shown."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    numerator = models.IntegerField(null=True, blank=True)
    denominator = models.IntegerField(null=True, blank=True)
    measurable = models.BooleanField(default=True)
    # What else the page shows of the value: {"unit", "reason", "breakdown": [[label, n]]}.
    detail = models.JSONField(default=dict, blank=True)
    definition_version = models.PositiveIntegerField()
    computed_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["indicator", "period_start", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"], name="indicator_value_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_start}–{self.period_end}: {self.value}"
