"""Insatser, how they are applied for, prepared and decided (DOMAIN.md §3).

Money becomes an insats like this: a member applies in an application round
(at least two members must share the need), the kansli prepares the
application and recommends, the board decides, and what is granted becomes the
insats and its cost lines in the budget. The link to the budget goes one way:
`InterventionLine` points at finance's lines; finance knows nothing of this app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from stegvis.associations.models import Association, Member, WorkingGroup


class Kind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individinriktad")
    STRUCTURAL = "structural", _("Strukturövergripande")


class TargetGroup(models.Model):
    """Målgrupp: a list each förbund extends with its own."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="target_groups"
    )
    name = models.CharField(_("målgrupp"), max_length=200)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("målgrupp")
        verbose_name_plural = _("målgrupper")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"], name="target_group_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


DEFAULT_TARGET_GROUPS = [
    "Unga vuxna 16–29 år",
    "Personer med psykisk ohälsa",
    "Personer med långvarigt försörjningsstöd",
    "Personer med sjukpenning eller aktivitetsersättning",
    "Utrikes födda",
    "Personer med neuropsykiatrisk funktionsnedsättning",
]


class Intervention(models.Model):
    """An insats the förbund funds. Kind and ESF co-funding are fixed once it is
    granted (as in Uppföljning Finsam): a change makes a new insats."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Ansökt")
        PREPARED = "prepared", _("Beredd")
        GRANTED = "granted", _("Beviljad")
        ONGOING = "ongoing", _("Pågående")
        CLOSED = "closed", _("Avslutad")
        REJECTED = "rejected", _("Avslagen")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="interventions"
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag"), max_length=12, choices=Kind.choices)
    focus = models.TextField(_("preciserad inriktning"), blank=True)
    target_group = models.ForeignKey(
        TargetGroup, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("målgrupp")
    )
    owner = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="owned_interventions",
        verbose_name=_("projektägare"),
    )
    members = models.ManyToManyField(
        Member, related_name="interventions", verbose_name=_("samverkande medlemmar")
    )
    start = models.DateField(_("startdatum"), null=True, blank=True)
    end = models.DateField(_("slutdatum"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    esf_funded = models.BooleanField(_("ESF-medfinansierad"), default=False)
    reference = models.CharField(_("diarienummer"), max_length=60, blank=True)
    steering_group = models.OneToOneField(
        WorkingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intervention",
        verbose_name=_("styrgrupp"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"], name="intervention_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(start__lte=F("end")),
                name="intervention_start_before_end",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_granted(self) -> bool:
        return self.status in {self.Status.GRANTED, self.Status.ONGOING, self.Status.CLOSED}


class InterventionStaff(models.Model):
    """Who works with an insats: its insatsansvarig (sees and edits it, no rows) and
    its deltagaransvariga (register its participants). Their role in the förbund
    says what they may do; this says on which insats."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="intervention_assignments",
        verbose_name=_("person"),
    )

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("insatsens personal")
        verbose_name_plural = _("insatsens personal")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "user"], name="intervention_staff_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.intervention}"


class PlannedParticipants(models.Model):
    """Budgeted participants per year (what Uppföljning Finsam asks for)."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="planned_participants"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    count = models.PositiveIntegerField(_("planerade deltagare"))

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "year"], name="planned_participants_one_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intervention} {self.year}: {self.count}"


class Target(models.Model):
    """A mätpunkt: a target in the metric vocabulary of the plan file spec."""

    class Op(models.TextChoices):
        GE = ">=", "≥"
        LE = "<=", "≤"
        GT = ">", ">"
        LT = "<", "<"
        EQ = "==", "="

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="targets")
    text = models.CharField(_("mätpunkt"), max_length=300)
    metric = models.CharField(_("mått"), max_length=40)
    # Extra keys of the metric: question, instrument, outcome, kind, source.
    params = models.JSONField(default=dict, blank=True)
    op = models.CharField(_("jämförelse"), max_length=2, choices=Op.choices, blank=True)
    value = models.DecimalField(
        _("målvärde"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(_("år"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mätpunkt")
        verbose_name_plural = _("mätpunkter")
        ordering = ["position", "id"]
        constraints = [
            # A comparison and its value come together (plan-format.md "Metrics").
            models.CheckConstraint(
                condition=(Q(op="") & Q(value__isnull=True)) | (~Q(op="") & Q(value__isnull=False)),
                name="target_op_with_value",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class DocumentReference(models.Model):
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="documents"
    )
    reference = models.CharField(_("diarienummer"), max_length=60)
    title = models.CharField(_("handling"), max_length=200)
    date = models.DateField(_("datum"), null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("handling")
        verbose_name_plural = _("handlingar")
        ordering = ["-date", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class InterventionLine(models.Model):
    """Which budget line carries an insats's money: written by a granted decision."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="budget_links"
    )
    line = models.OneToOneField("finance.BudgetLine", on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager(association="association")

    def __str__(self) -> str:
        return f"{self.intervention} → {self.line_id}"


class ApplicationRound(models.Model):
    """An application window: members apply between its dates for what is available."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="application_rounds"
    )
    name = models.CharField(_("namn"), max_length=200)
    opens = models.DateField(_("öppnar"))
    closes = models.DateField(_("stänger"))
    amount_available = models.BigIntegerField(_("tillgängligt belopp (kr)"))
    description = models.TextField(_("beskrivning"), blank=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ansökningsomgång")
        verbose_name_plural = _("ansökningsomgångar")
        ordering = ["-opens"]
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="round_unique_name"),
            models.CheckConstraint(
                condition=Q(opens__lte=F("closes")), name="round_opens_before_closing"
            ),
            models.CheckConstraint(
                condition=Q(amount_available__gte=0), name="round_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    """A member's application. Status moves one step at a time:
    inlämnad → beredd → beslutad; a rejected application stays rejected (apply anew)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Inlämnad")
        PREPARED = "prepared", _("Beredd")
        DECIDED = "decided", _("Beslutad")

    class Recommendation(models.TextChoices):
        APPROVE = "approve", _("Bifall")
        PARTIAL = "partial", _("Delvis bifall")
        REJECT = "reject", _("Avslag")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="applications"
    )
    round = models.ForeignKey(
        ApplicationRound,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("ansökningsomgång"),
    )
    title = models.CharField(_("insatsens namn"), max_length=200)
    kind = models.CharField(_("slag"), max_length=12, choices=Kind.choices)
    applicant = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("sökande medlem"),
    )
    sharing_members = models.ManyToManyField(
        Member, related_name="shared_applications", verbose_name=_("medlemmar som delar behovet")
    )
    # Continued funding of an existing insats; empty for a new one.
    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("befintlig insats"),
    )
    need = models.TextField(_("behov"))
    target_group = models.ForeignKey(
        TargetGroup, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("målgrupp")
    )
    goals = models.TextField(_("mål"))
    esf_funded = models.BooleanField(_("ESF-medfinansierad"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    # The day the application came in: the round must be open then. Usually the day
    # it is entered; earlier when the kansli registers one that came by post or mail.
    received_on = models.DateField(_("inkommen"))
    # Beredning by the kansli.
    preparation_notes = models.TextField(_("beredning"), blank=True)
    recommendation = models.CharField(
        _("förslag till beslut"), max_length=8, choices=Recommendation.choices, blank=True
    )

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ansökan")
        verbose_name_plural = _("ansökningar")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.applicant})"


class ApplicationYear(models.Model):
    """Per year of an application: requested, recommended and planned participants."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("år"))
    requested = models.BigIntegerField(_("sökt belopp (kr)"))
    recommended = models.BigIntegerField(_("föreslaget belopp (kr)"), null=True, blank=True)
    planned_participants = models.PositiveIntegerField(_("planerade deltagare"), default=0)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="application_year_once"),
            models.CheckConstraint(
                condition=Q(requested__gte=0), name="application_requested_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(recommended__isnull=True) | Q(recommended__gte=0),
                name="application_recommended_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.year}"


class Decision(models.Model):
    """The board's decision on an application: one per application, kept in history."""

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Bifall")
        PARTIAL = "partial", _("Delvis bifall")
        REJECT = "reject", _("Avslag")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="decisions")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    meeting_date = models.DateField(_("sammanträdesdatum"))
    paragraph = models.CharField(_("paragraf"), max_length=20)
    outcome = models.CharField(_("beslut"), max_length=8, choices=Outcome.choices)
    conditions = models.TextField(_("villkor"), blank=True)
    reference = models.CharField(_("diarienummer"), max_length=60, blank=True)
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["-meeting_date", "paragraph"]

    def __str__(self) -> str:
        return f"{self.meeting_date} {self.paragraph}: {self.get_outcome_display()}"


class DecisionYear(models.Model):
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("år"))
    granted = models.BigIntegerField(_("beviljat belopp (kr)"))

    objects = ScopedManager(association="association")
    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "year"], name="decision_year_once"),
            models.CheckConstraint(
                condition=Q(granted__gte=0), name="decision_granted_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} {self.year}: {self.granted}"
