"""De-identified participants of an insats (DOMAIN.md §4, spec/participant-file.md).

A participant is never a name or a personnummer: the insats chooses a local code.
Where the förbund wants to count unique individuals across its insatser, the form
takes a personnummer and keeps only a keyed hash of it (`person_key`, see
`participants.identity`). Anonymous participants are counts, never rows.

Participant rows are visible only to the insats's deltagaransvariga (and, pseudonymous,
to the kansli when the förbund turns that on: `Policy.kansli_sees_rows`); everyone else
sees suppressed aggregates (`participants.report`). Rows removed by retention leave
their counts behind in `RetainedCount`, so a past year's report does not change.
"""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from stegvis.associations.models import Association, Member
from stegvis.interventions.models import Intervention
from stegvis.participants.vocabulary import (
    Education,
    Employment,
    Gender,
    Outcome,
    Referrer,
    is_step_progress,
)

DEFAULT_MIN_CELL = 5


def new_key_secret() -> str:
    return secrets.token_hex(32)


class Policy(models.Model):
    """The förbund's rules for participant data."""

    association = models.OneToOneField(
        Association, on_delete=models.CASCADE, related_name="participant_policy"
    )
    min_cell = models.PositiveSmallIntegerField(
        _("minsta cellstorlek"),
        default=DEFAULT_MIN_CELL,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
        help_text=_("Antal under detta visas inte när siffror lämnar insatsen (brukligt är 5)."),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("gallring efter (år)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_(
            "Deltagare som avslutades för längre sedan än så tas bort; "
            "antalen i rapporterna finns kvar. Tomt: ingen gallring."
        ),
    )
    kansli_sees_rows = models.BooleanField(
        _("kansliet ser deltagarrader"),
        default=False,
        help_text=_(
            "Förbundschef och kansli får se insatsernas deltagare med kod, utan att registrera."
        ),
    )
    recognise_persons = models.BooleanField(
        _("känn igen samma person mellan insatser"),
        default=False,
        help_text=_(
            "Formuläret tar emot ett personnummer och sparar bara en nyckelad kontrollsumma, "
            "så att förbundet kan räkna unika individer. Numret sparas aldrig."
        ),
    )
    # The förbund's own part of the key for person_key (never shown, never exported).
    key_secret = models.CharField(max_length=64, default=new_key_secret, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("regler för deltagaruppgifter")
        verbose_name_plural = _("regler för deltagaruppgifter")

    def __str__(self) -> str:
        return str(self.association)


class Participant(models.Model):
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("insats"),
    )
    code = models.CharField(_("kod"), max_length=40)
    gender = models.CharField(_("kön"), max_length=12, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("födelseår"))
    municipality = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommun"),
    )
    referring_member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("remitterande part"),
    )
    referrer_other = models.CharField(
        _("remitterande, annan än part"), max_length=20, choices=Referrer.choices, blank=True
    )
    start = models.DateField(_("startdatum"))
    support_at_start = models.JSONField(_("försörjning vid start"), default=list, blank=True)
    employment_at_start = models.CharField(
        _("sysselsättning vid start"), max_length=30, choices=Employment.choices, blank=True
    )
    education = models.CharField(
        _("utbildningsnivå"), max_length=20, choices=Education.choices, blank=True
    )
    months_without_work = models.PositiveSmallIntegerField(
        _("månader utan arbete"), null=True, blank=True
    )
    exit = models.DateField(_("slutdatum"), null=True, blank=True)
    outcome = models.CharField(
        _("avslutsorsak"), max_length=30, choices=Outcome.choices, blank=True
    )
    support_at_exit = models.JSONField(_("försörjning vid slut"), default=list, blank=True)
    employment_at_exit = models.CharField(
        _("sysselsättning vid slut"), max_length=30, choices=Employment.choices, blank=True
    )
    handover_to = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("överlämning till"),
    )
    consent = models.DateField(_("samtycke"), null=True, blank=True)
    # HMAC of a personnummer (participants.identity); never the number itself.
    person_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("deltagare")
        verbose_name_plural = _("deltagare")
        ordering = ["intervention", "code"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "code"], name="participant_code_once"),
            models.CheckConstraint(
                condition=Q(exit__isnull=True) | Q(exit__gte=F("start")),
                name="participant_exit_after_start",
            ),
            models.CheckConstraint(
                condition=Q(exit__isnull=False) | Q(outcome=""),
                name="participant_outcome_needs_exit",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "start"], name="participant_start"),
            models.Index(fields=["association", "exit"], name="participant_exit"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def step_progress(self) -> bool:
        return self.exit is not None and is_step_progress(self.outcome)


class AnonymousCount(models.Model):
    """Anonymous participants (no consent, protected identity): a count per insats,
    kön and year, never rows."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="anonymous_counts"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    gender = models.CharField(_("kön"), max_length=12, choices=Gender.choices)
    count = models.PositiveIntegerField(_("antal"))

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("anonyma deltagare")
        verbose_name_plural = _("anonyma deltagare")
        ordering = ["intervention", "year", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "year", "gender"], name="anonymous_count_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intervention} {self.year} {self.gender}: {self.count}"


class RetainedCount(models.Model):
    """What retention (gallring) keeps of removed participants: how many, by kön,
    start year, exit year and outcome — enough for every yearly count of the report."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="retained_counts"
    )
    gender = models.CharField(max_length=12, choices=Gender.choices)
    start_year = models.PositiveSmallIntegerField()
    exit_year = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    count = models.PositiveIntegerField()

    objects = ScopedManager(association="association")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "gender", "start_year", "exit_year", "outcome"],
                name="retained_count_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intervention} {self.start_year}–{self.exit_year}: {self.count}"


class Question(models.Model):
    """A kompletterande fråga the förbund asks in its insatser."""

    class AnswerType(models.TextChoices):
        TEXT = "text", _("Fritext")
        NUMBER = "number", _("Tal")
        YES_NO = "yes_no", _("Ja/nej")
        CHOICE = "choice", _("Val ur lista")

    class Occasion(models.TextChoices):
        START = "start", _("Vid start")
        EXIT = "exit", _("Vid avslut")
        FOLLOW_UP = "follow_up", _("Vid uppföljning")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="participant_questions"
    )
    text = models.CharField(_("fråga"), max_length=300)
    answer_type = models.CharField(
        _("svarstyp"), max_length=10, choices=AnswerType.choices, default=AnswerType.TEXT
    )
    choices = models.TextField(
        _("svarsalternativ"), blank=True, help_text=_("Ett alternativ per rad (för val ur lista).")
    )
    occasion = models.CharField(
        _("när frågan ställs"), max_length=10, choices=Occasion.choices, default=Occasion.START
    )
    interventions = models.ManyToManyField(
        Intervention,
        blank=True,
        related_name="participant_questions",
        verbose_name=_("insatser"),
        help_text=_("Tomt: alla individinriktade insatser."),
    )
    active = models.BooleanField(_("används"), default=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("kompletterande fråga")
        verbose_name_plural = _("kompletterande frågor")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Answer(models.Model):
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    occasion = models.CharField(max_length=10, choices=Question.Occasion.choices)
    date = models.DateField(_("datum"))
    value = models.CharField(_("svar"), max_length=500)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["date", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "question", "occasion", "date"], name="answer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.question}"
