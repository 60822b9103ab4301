"""Strukturövergripande activities (DOMAIN.md §6): utbildningar, seminarier,
kunskapsdialoger, frukostmöten, nätverksträffar … that the förbund arranges or funds
for the members' staff, with who came from which member.

The kinds are the förbund's own list: the built-in ones (`DEFAULT_KINDS`) come with
the förbund (`associations.services.STARTING_POINT`), and it adds its own
("Samverkansutbildning").
A kind's `code` is what a goal indicator or an insats's mätpunkt names in the plan
file (`metric: activities, kind: kunskapsdialog`).

Counting: an activity counts in the period its (first) day falls in; a cancelled one
never counts. Its participants are the staff per member (`ActivityAttendance`, with
kvinnor/män where known) plus those not from a member (`other_participants`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from stegvis.associations.models import Association, Member

# (code, name) of the kinds every förbund starts with, in their order.
DEFAULT_KINDS: list[tuple[str, str]] = [
    ("utbildning", "Utbildning"),
    ("seminarium", "Seminarium"),
    ("kunskapsdialog", "Kunskapsdialog"),
    ("frukostmote", "Frukostmöte"),
    ("natverkstraff", "Nätverksträff"),
    ("konferens", "Konferens"),
    ("workshop", "Workshop"),
    ("ovrigt", "Övrigt"),
]


class ActivityKind(models.Model):
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="activity_kinds"
    )
    name = models.CharField(_("namn"), max_length=80)
    code = models.SlugField(_("kod"), max_length=80, allow_unicode=False)
    builtin = models.BooleanField(_("inbyggt"), default=False)
    position = models.PositiveSmallIntegerField(_("ordning"), default=100)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("slag av aktivitet")
        verbose_name_plural = _("slag av aktiviteter")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"], name="activity_kind_unique_name"
            ),
            models.UniqueConstraint(
                fields=["association", "code"], name="activity_kind_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    class Scale(models.IntegerChoices):
        """The scale an evaluation's mean is on: 1 to the value."""

        FOUR = 4, _("1–4")
        FIVE = 5, _("1–5")
        SIX = 6, _("1–6")
        SEVEN = 7, _("1–7")
        TEN = 10, _("1–10")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.PROTECT, related_name="activities", verbose_name=_("slag")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    date = models.DateField(_("datum"))
    starts_at = models.TimeField(_("börjar"), null=True, blank=True)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    ends_at = models.TimeField(_("slutar"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    organiser = models.CharField(_("arrangör"), max_length=200)
    intervention = models.ForeignKey(
        "interventions.Intervention",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("insats"),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    other_participants = models.PositiveIntegerField(_("övriga deltagare"), default=0)
    other_participants_note = models.CharField(
        _("vilka övriga deltagare"), max_length=200, blank=True
    )
    evaluation_score = models.DecimalField(
        _("utvärdering, medelvärde"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    evaluation_scale = models.PositiveSmallIntegerField(
        _("utvärderingens skala"), choices=Scale.choices, null=True, blank=True
    )
    evaluation_responses = models.PositiveIntegerField(
        _("antal svar på utvärderingen"), null=True, blank=True
    )
    cancelled = models.BooleanField(_("inställd"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["-date", "-starts_at", "-pk"]
        indexes = [models.Index(fields=["association", "date"], name="activity_by_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(
                    Q(evaluation_score__isnull=True)
                    | (
                        Q(evaluation_scale__isnull=False)
                        & Q(evaluation_score__gte=1)
                        & Q(evaluation_score__lte=F("evaluation_scale"))
                    )
                ),
                name="activity_score_on_its_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.title}"

    @property
    def last_day(self) -> datetime.date:
        return self.end_date or self.date

    @property
    def is_multi_day(self) -> bool:
        return self.end_date is not None and self.end_date != self.date

    @property
    def evaluation_mean(self) -> Decimal | None:
        """The mean without trailing zeros (4.30 → 4.3), for showing."""
        score = self.evaluation_score
        if score is None:
            return None
        score = Decimal(score)
        return score.quantize(Decimal(1)) if score == score.to_integral() else score.normalize()

    @property
    def duration_hours(self) -> Decimal | None:
        """Hours from start to end on a one-day activity with both times."""
        if self.is_multi_day or self.starts_at is None or self.ends_at is None:
            return None
        start = datetime.datetime.combine(self.date, self.starts_at)
        end = datetime.datetime.combine(self.date, self.ends_at)
        if end <= start:
            return None
        return (Decimal((end - start).seconds) / 3600).quantize(Decimal("0.1"))


class ActivityAttendance(models.Model):
    """Who came from one member: the number, and kvinnor and män where known (they
    need not add up to the number: some are not recorded by kön)."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("medlem")
    )
    participants = models.PositiveIntegerField(_("deltagare"))
    women = models.PositiveIntegerField(_("kvinnor"), null=True, blank=True)
    men = models.PositiveIntegerField(_("män"), null=True, blank=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("närvaro per medlem")
        verbose_name_plural = _("närvaro per medlem")
        # Pages order by member (`Member.kind_order`); an expression here would add a
        # join to every query on attendance, also in subqueries.
        ordering = ["activity", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "member"], name="activity_attendance_one_per_member"
            ),
            models.CheckConstraint(
                condition=Q(participants__gte=Coalesce(F("women"), 0) + Coalesce(F("men"), 0)),
                name="activity_attendance_by_gender_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.participants}"
