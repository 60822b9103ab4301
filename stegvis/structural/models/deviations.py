"""Avvikelser and guldkorn (DOMAIN.md §6; the Värmland plan, seeds/003: "Används när
samverkan inte fungerar optimalt. Här uppmärksammas brister, via styrgrupperna, med
uppföljning för lärande och kvalitetssäkring. Här finns även Guldkorn i samverkan för
att visa goda exempel att ta efter.").

Staff of an insats report what happened, which members were involved and a category;
the kansli handles it through a group (usually the insats's styrgrupp): status,
measures, learning, closing. Handling is a decision trail, so a deviation is
versioned. The texts never hold personal data: `structural.personal_data` refuses a
personnummer and asks the reporter to confirm text that looks like a name.

The categories are the förbund's own list: `DEFAULT_CATEGORIES` are added the first
time a förbund uses deviations; a category in use is retired (`active`), never
removed, so old cases keep theirs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from stegvis.associations.models import Association, Member, WorkingGroup
from stegvis.interventions.models import Intervention

DEFAULT_CATEGORIES = [
    "Information/kommunikation",
    "Remiss och överlämning",
    "Roller och ansvar",
    "Tillgänglighet",
    "Regelverk",
    "Övrigt",
]


class DeviationCategory(models.Model):
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="deviation_categories"
    )
    name = models.CharField(_("namn"), max_length=100)
    position = models.PositiveSmallIntegerField(_("ordning"), default=100)
    active = models.BooleanField(
        _("används"),
        default=True,
        help_text=_("En kategori som inte används längre kan inte väljas för nya ärenden."),
    )

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("kategori för avvikelser")
        verbose_name_plural = _("kategorier för avvikelser")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"], name="deviation_category_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Deviation(models.Model):
    class Kind(models.TextChoices):
        DEVIATION = "deviation", _("Avvikelse")
        GOOD_EXAMPLE = "good_example", _("Guldkorn")

    class Status(models.TextChoices):
        REPORTED = "reported", _("Rapporterad")
        IN_PROGRESS = "in_progress", _("Under hantering")
        CLOSED = "closed", _("Avslutad")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="deviations"
    )
    kind = models.CharField(_("slag"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REPORTED
    )
    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deviations",
        verbose_name=_("insats"),
    )
    occurred_on = models.DateField(_("inträffade"))
    reported_on = models.DateField(_("rapporterad"))
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("vad hände"))
    members = models.ManyToManyField(
        Member, blank=True, related_name="deviations", verbose_name=_("berörda parter")
    )
    category = models.ForeignKey(
        DeviationCategory,
        on_delete=models.PROTECT,
        related_name="deviations",
        verbose_name=_("kategori"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rapporterad av"),
    )
    handled_by = models.ForeignKey(
        WorkingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deviations",
        verbose_name=_("hanteras av"),
    )
    measures = models.TextField(_("åtgärder"), blank=True)
    learning = models.TextField(_("lärdom"), blank=True)
    closed_on = models.DateField(_("avslutad"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("avvikelse eller guldkorn")
        verbose_name_plural = _("avvikelser och guldkorn")
        ordering = ["-reported_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(occurred_on__lte=F("reported_on")),
                name="deviation_occurred_before_reported",
            ),
            # Closed exactly when it has a closing date, never before it was reported.
            models.CheckConstraint(
                condition=(Q(status="closed") & Q(closed_on__gte=F("reported_on")))
                | (~Q(status="closed") & Q(closed_on__isnull=True)),
                name="deviation_closed_on_when_closed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["association", "kind", "reported_on"], name="deviation_kind_reported"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED
