"""Follow-up instruments as data (DOMAIN.md §4): questions, answer scale, what counts
as "agree", and when each is due.

Four kinds:
* progression assessments (BIP-style: the participant's own view on a 1–10 scale,
  at start and every third month; progress = first against latest score),
* screenings (e.g. violence in close relationships: only *that* it was done and
  when; the answers stay in the member's own records, so `records_answers` is off),
* participant surveys (FINSAM-indikatorer style: agree shares, after three months
  and at exit),
* collaboration surveys (samverkansenkät, DOMAIN.md §6): the same questions, scale
  and "agree" value, but asked of staff, managers, board and referrers through
  anonymous links in a survey round (`structural.SurveyRound`), never of a
  participant. They have no schedule, are never attached to an insats and never
  appear on a participant's due list or in the participant report.

An insats uses the instruments the förbund attaches to it (`InterventionInstrument`);
the due list (`instruments.due`) follows their schedules.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from stegvis.associations.models import Association
from stegvis.interventions.models import Intervention
from stegvis.participants.models import Participant


class Instrument(models.Model):
    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("Progressionsbedömning")
        SCREENING = "screening", _("Screening")
        SURVEY = "survey", _("Deltagarenkät")
        COLLABORATION = "collaboration", _("Samverkansenkät")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="instruments"
    )
    name = models.CharField(_("namn"), max_length=200)
    # The code a plan file's target names (`instrument: screening_vnr`, plan-format.md).
    code = models.SlugField(
        _("kod"),
        max_length=40,
        blank=True,
        help_text=_("Koden som planens mål och mätpunkter använder, t.ex. screening_vnr."),
    )
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("beskrivning"), blank=True)
    # The answer scale; a screening that records no answers has none.
    scale_min = models.SmallIntegerField(_("skalans lägsta värde"), null=True, blank=True)
    scale_max = models.SmallIntegerField(_("skalans högsta värde"), null=True, blank=True)
    scale_min_label = models.CharField(_("text vid lägsta värdet"), max_length=80, blank=True)
    scale_max_label = models.CharField(_("text vid högsta värdet"), max_length=80, blank=True)
    agree_from = models.SmallIntegerField(
        _("instämmer från och med"),
        null=True,
        blank=True,
        help_text=_("Svar från och med detta värde räknas som att deltagaren instämmer."),
    )
    records_answers = models.BooleanField(
        _("svaren sparas"),
        default=True,
        help_text=_("Av för screening där bara datum registreras och svaren stannar hos parten."),
    )
    # Schedule
    at_start = models.BooleanField(_("vid start"), default=True)
    first_after_months = models.PositiveSmallIntegerField(
        _("första gången efter (månader)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    every_months = models.PositiveSmallIntegerField(
        _("därefter var (månader)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    at_exit = models.BooleanField(_("vid avslut"), default=False)
    coverage_target = models.PositiveSmallIntegerField(
        _("mål för täckning (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    active = models.BooleanField(_("används"), default=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instrument")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="instrument_unique_name"),
            models.CheckConstraint(
                condition=Q(scale_min__isnull=True)
                | Q(scale_max__isnull=True)
                | Q(scale_min__lt=F("scale_max")),
                name="instrument_scale_order",
            ),
            models.CheckConstraint(
                condition=Q(agree_from__isnull=True)
                | (Q(agree_from__gte=F("scale_min")) & Q(agree_from__lte=F("scale_max"))),
                name="instrument_agree_within_scale",
            ),
            models.CheckConstraint(
                condition=Q(coverage_target__isnull=True) | Q(coverage_target__lte=100),
                name="instrument_coverage_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_collaboration(self) -> bool:
        return self.kind == self.Kind.COLLABORATION

    @property
    def scale(self) -> list[int]:
        if self.scale_min is None or self.scale_max is None:
            return []
        return list(range(self.scale_min, self.scale_max + 1))


class InstrumentQuestion(models.Model):
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    text = models.CharField(_("fråga"), max_length=300)
    short_label = models.CharField(_("kort namn"), max_length=60, blank=True)
    # The code a plan file's target names (`question: support`, plan-format.md).
    code = models.SlugField(
        _("kod"),
        max_length=40,
        blank=True,
        help_text=_("Koden som planens mål och mätpunkter använder, t.ex. support."),
    )

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fråga")
        verbose_name_plural = _("frågor")
        ordering = ["instrument", "order", "pk"]

    def __str__(self) -> str:
        return self.short_label or self.text


class InterventionInstrument(models.Model):
    """An instrument an insats uses, so it appears on the insats's due list."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="instrument_uses"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="uses")

    objects = ScopedManager(association="association")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "instrument"], name="intervention_instrument_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intervention}: {self.instrument}"


class Response(models.Model):
    """One occasion an instrument was used with a participant."""

    class Occasion(models.TextChoices):
        START = "start", _("Vid start")
        FOLLOW_UP = "follow_up", _("Uppföljning")
        EXIT = "exit", _("Vid avslut")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="responses")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    date = models.DateField(_("datum"))
    occasion = models.CharField(_("tillfälle"), max_length=10, choices=Occasion.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        ordering = ["participant", "instrument", "date"]
        constraints = [
            # One occasion per day: a second form for the same day is a mistake.
            models.UniqueConstraint(
                fields=["participant", "instrument", "date"], name="response_once_a_day"
            ),
        ]
        indexes = [
            models.Index(fields=["instrument", "date"], name="response_instrument_date"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.instrument} {self.date}"


class ResponseAnswer(models.Model):
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        InstrumentQuestion, on_delete=models.PROTECT, related_name="answers"
    )
    value = models.SmallIntegerField(_("svar"))

    objects = ScopedManager(association="association")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="response_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"
