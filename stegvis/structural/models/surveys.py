"""Collaboration surveys (samverkansenkät, DOMAIN.md §6): how staff, managers, board
and referrers see the collaboration between the members, asked in rounds through
anonymous response links.

* `SurveyRound`: one round of a collaboration instrument (`instruments.Instrument`
  of kind "collaboration": its questions, scale and "agree" value), the respondent
  groups asked, and when it is open.
* `SurveyToken`: one response link. Only the SHA-256 of the link's secret is kept,
  so nobody — not the kansli, not a database dump — can show a link again or tell
  which link went to whom; the token knows its group and *whether* it was used,
  never when.
* `SurveyResponse` and `SurveyAnswer`: what came in. A response knows its round,
  group and the day it was submitted, nothing else: no user, no IP address, no
  session, no link to the token and no time of day. Their keys are random (UUID),
  so the order of the rows does not tell the order of the answers either.

Neither responses nor tokens keep a change history (a history row would carry the
exact time and the request's user).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from stegvis.associations.models import Association
from stegvis.instruments.models import Instrument, InstrumentQuestion


class RespondentGroup(models.TextChoices):
    STAFF = "personal", _("Personal i insatser")
    MANAGERS = "chefer", _("Chefer hos medlemmarna")
    BOARD = "styrelse", _("Styrelse och beredningsgrupp")
    REFERRERS = "remittenter", _("Remittenter")


def default_groups() -> list[str]:
    return list(RespondentGroup.values)


class SurveyRound(models.Model):
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="survey_rounds"
    )
    title = models.CharField(_("namn"), max_length=200)
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="survey_rounds",
        verbose_name=_("enkät"),
    )
    # The respondent groups asked, as RespondentGroup values in their order.
    groups = models.JSONField(_("grupper"), default=default_groups)
    opens_on = models.DateField(_("öppnar"))
    closes_on = models.DateField(_("stänger"))
    introduction = models.TextField(
        _("inledning till de svarande"),
        blank=True,
        help_text=_("Visas överst på svarssidan, t.ex. varför enkäten görs och vem som svarar."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enkätomgång")
        verbose_name_plural = _("enkätomgångar")
        ordering = ["-opens_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "title"], name="survey_round_unique_title"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="survey_round_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def asks_every_group(self) -> bool:
        return set(RespondentGroup.values) <= set(self.groups or [])

    def group_labels(self) -> list[tuple[str, str]]:
        """(code, label) of the groups asked, in RespondentGroup's order."""
        return [
            (value, str(label))
            for value, label in RespondentGroup.choices
            if value in (self.groups or [])
        ]


class SurveyToken(models.Model):
    """One anonymous response link of a round, for one respondent group."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="tokens")
    group = models.CharField(_("grupp"), max_length=20, choices=RespondentGroup.choices)
    # sha256 of the secret in the link, hex; the secret itself is never stored.
    token_hash = models.CharField(max_length=64, unique=True)
    # Whether the link has been answered; deliberately not when (see the module).
    used = models.BooleanField(_("använd"), default=False)
    created_on = models.DateField(_("skapad"))

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("svarslänk")
        verbose_name_plural = _("svarslänkar")
        indexes = [models.Index(fields=["round", "group"], name="survey_token_round_group")]

    def __str__(self) -> str:
        return f"{self.round} {self.get_group_display()}"


class SurveyResponse(models.Model):
    """One answered link: its round, group and day, nothing that points to a person
    or to the link it came through."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    group = models.CharField(_("grupp"), max_length=20, choices=RespondentGroup.choices)
    submitted_on = models.DateField(_("inkommet"))

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("enkätsvar")
        verbose_name_plural = _("enkätsvar")
        indexes = [
            models.Index(fields=["round", "group"], name="survey_response_round_group"),
            models.Index(fields=["submitted_on"], name="survey_response_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.get_group_display()} {self.submitted_on}"


class SurveyAnswer(models.Model):
    """The value given to one question; a question answered "vet ej" has no row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        InstrumentQuestion, on_delete=models.PROTECT, related_name="survey_answers"
    )
    value = models.SmallIntegerField(_("svar"))

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("svar på fråga")
        verbose_name_plural = _("svar på frågor")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"
