"""What the reports hold of their own: the förbundschef's texts of the verksamhetsplan.

Everything else a report shows comes from the other apps' selectors. The free-text
sections (inledning, uppdrag, organisation, målgrupp, vision, övrigt) are written in
Stegvis per förbund and year, and django-simple-history keeps every earlier version
with who saved it and when.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from stegvis.associations.models import Association


class PlanSection(models.TextChoices):
    """The verksamhetsplan's text sections, in the order the document prints them."""

    INTRODUCTION = "introduction", _("Inledning")
    MISSION = "mission", _("Uppdrag")
    ORGANISATION = "organisation", _("Organisation")
    TARGET_GROUP = "target_group", _("Målgrupp")
    VISION = "vision", _("Vision")
    OTHER = "other", _("Övrigt")


class PlanText(models.Model):
    """One section's text of a year's verksamhetsplan: plain text, paragraphs
    separated by a blank line, lines starting with "- " as a bulleted list."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    section = models.CharField(_("avsnitt"), max_length=20, choices=PlanSection.choices)
    text = models.TextField(_("text"))
    updated = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("text i verksamhetsplanen")
        verbose_name_plural = _("texter i verksamhetsplanen")
        ordering = ["year", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year", "section"], name="plan_text_once_per_section"
            ),
            models.CheckConstraint(
                condition=Q(section__in=PlanSection.values), name="plan_text_known_section"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_section_display()} {self.year}"
