"""Konsultationsteam and their attendance-based financing (DOMAIN.md §6).

In a konsultationsteam the members' staff (handläggare from Försäkringskassan,
Arbetsförmedlingen, the region and the kommuner) consult each other on cases. Each
member appoints representatives; a representative can be replaced mid-year, so a
representative is valid from one date to another. The förbund funds the members'
staff per attended meeting or per hour ("en närvarobaserad modell för finansiering",
seeds/000_… B2): `FinancingRate` holds the rate, `MeetingAttendance` who came, and
`stegvis.structural.financing` computes what each member's staff have earned.

Case counts are anonymous (`MeetingCases`: how many new and follow-up cases each
member brought to a meeting); nothing about the person behind a case is ever stored.
Representatives are staff, not participants, so their names are kept.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from stegvis.associations.models import Association, Member, WorkingGroup


class ConsultationTeam(models.Model):
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="consultation_teams"
    )
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("uppdrag"), blank=True)
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_teams",
        verbose_name=_("arbetsgrupp"),
        limit_choices_to={"kind": WorkingGroup.Kind.CONSULTATION},
    )
    intervention = models.ForeignKey(
        "interventions.Intervention",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_teams",
        verbose_name=_("insats"),
    )
    active = models.BooleanField(_("aktivt"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("konsultationsteam")
        verbose_name_plural = _("konsultationsteam")
        ordering = ["-active", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"], name="consultation_team_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "structural:team_detail",
            kwargs={"association_slug": self.association.slug, "pk": self.pk},
        )


class TeamRepresentative(models.Model):
    """A member's representative in a team from `valid_from` to `valid_to` (open when
    empty). A replacement ends one representative the day before the next begins."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        ConsultationTeam,
        on_delete=models.CASCADE,
        related_name="representatives",
        verbose_name=_("konsultationsteam"),
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("medlem")
    )
    name = models.CharField(_("namn"), max_length=200)
    title = models.CharField(_("befattning"), max_length=120, blank=True)
    valid_from = models.DateField(_("från"))
    valid_to = models.DateField(_("till"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("ersätter"),
    )

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("representant")
        verbose_name_plural = _("representanter")
        ordering = ["team__name", Member.kind_order("member__"), "member__name", "valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__lte=F("valid_to")),
                name="team_representative_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.member})"

    def valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class TeamMeeting(models.Model):
    """One meeting of a team. A cancelled meeting stays in the list and earns nothing.
    Notes are about the meeting, never about a person."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        ConsultationTeam,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("konsultationsteam"),
    )
    date = models.DateField(_("datum"))
    starts_at = models.TimeField(_("starttid"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("längd i minuter"), default=120)
    cancelled = models.BooleanField(_("inställt"), default=False)
    cancel_reason = models.CharField(
        _("orsak till att mötet ställdes in"), max_length=300, blank=True
    )
    notes = models.TextField(_("anteckningar"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        ordering = ["-date", "-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0) & Q(duration_minutes__lte=24 * 60),
                name="team_meeting_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.date.isoformat()}"

    def get_absolute_url(self) -> str:
        return reverse(
            "structural:meeting_detail",
            kwargs={"association_slug": self.association.slug, "pk": self.pk},
        )

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.duration_minutes) / 60).quantize(Decimal("0.01"))


class MeetingAttendance(models.Model):
    """Whether a representative came to a meeting, and for how many hours when that
    differs from the meeting's length (for a rate per hour)."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        TeamMeeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("möte")
    )
    representative = models.ForeignKey(
        TeamRepresentative,
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("representant"),
    )
    attended = models.BooleanField(_("närvarande"), default=True)
    hours = models.DecimalField(_("timmar"), max_digits=4, decimal_places=2, null=True, blank=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        ordering = ["meeting_id", "representative_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "representative"], name="meeting_attendance_once"
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | (Q(hours__gt=0) & Q(hours__lte=24)),
                name="meeting_attendance_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.representative}"


class MeetingCases(models.Model):
    """How many cases a member brought to a meeting: counts only, never about a person."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        TeamMeeting, on_delete=models.CASCADE, related_name="cases", verbose_name=_("möte")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("remitterande medlem")
    )
    new_cases = models.PositiveSmallIntegerField(_("nya ärenden"), default=0)
    follow_up_cases = models.PositiveSmallIntegerField(_("uppföljningsärenden"), default=0)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ärenden")
        verbose_name_plural = _("ärenden")
        ordering = ["meeting", Member.kind_order("member__"), "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="meeting_cases_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.member} {self.new_cases}+{self.follow_up_cases}"


class FinancingRate(models.Model):
    """What the förbund pays a member for its staff's attendance: an amount in whole
    kronor per attended meeting or per hour, valid from one date to another. A rate
    for one team and one member wins over one for all teams or all members."""

    class Unit(models.TextChoices):
        MEETING = "meeting", _("per möte")
        HOUR = "hour", _("per timme")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        ConsultationTeam,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rates",
        verbose_name=_("konsultationsteam"),
        help_text=_("Tomt: alla förbundets konsultationsteam."),
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("medlem"),
        help_text=_("Tomt: alla medlemmar."),
    )
    unit = models.CharField(_("enhet"), max_length=10, choices=Unit.choices, default=Unit.MEETING)
    amount = models.PositiveIntegerField(_("belopp i kronor"))
    valid_from = models.DateField(_("från"))
    valid_to = models.DateField(_("till"), null=True, blank=True)
    note = models.CharField(_("beslut eller kommentar"), max_length=300, blank=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ersättning")
        verbose_name_plural = _("ersättningar")
        ordering = ["team__name", Member.kind_order("member__"), "member__name", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__lte=F("valid_to")),
                name="financing_rate_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} kr {self.get_unit_display()}"
