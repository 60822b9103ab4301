from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from stegvis.associations.roles import ASSOCIATION_ROLES, Role
from stegvis.associations.validators import validate_organisation_number


class Association(models.Model):
    """A samordningsförbund: the tenant. Everything else belongs to one."""

    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn i adressen"), max_length=60, unique=True)
    organisation_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        unique=True,
        validators=[validate_organisation_number],
        help_text=_("Tio siffror, till exempel 222000-1234."),
    )
    founded = models.DateField(_("bildat"), null=True, blank=True)
    seat = models.CharField(_("säte"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("förbund")
        verbose_name_plural = _("förbund")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def ordered_by(field: str, values: list[str]) -> Case:
    """An expression that sorts `field` in the domain's order rather than the alphabet's."""
    return Case(
        *[When(**{field: value}, then=Value(index)) for index, value in enumerate(values)],
        default=Value(len(values)),
    )


class Member(models.Model):
    """A member (part) of the förbund: the state, a region or a municipality."""

    class Kind(models.TextChoices):
        STATE = "state", _("Staten")
        REGION = "region", _("Region")
        MUNICIPALITY = "municipality", _("Kommun")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="members", verbose_name=_("förbund")
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)
    organisation_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        blank=True,
        validators=[validate_organisation_number],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmar")
        ordering = [ordered_by("kind", ["state", "region", "municipality"]), "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"], name="member_unique_name_per_association"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def kind_order(prefix: str = "") -> Case:
        """Staten, region, kommuner: the order the plans list their members in."""
        return ordered_by(f"{prefix}kind", [kind.value for kind in Member.Kind])


class Population(models.Model):
    """Population of a member municipality in a year (the municipal key of contributions)."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="populations"
    )
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="populations", verbose_name=_("kommun")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    population = models.PositiveIntegerField(_("folkmängd"))

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("folkmängd")
        verbose_name_plural = _("folkmängd")
        ordering = ["member__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="population_unique_year"),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2200), name="population_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year}: {self.population}"


class Membership(models.Model):
    """A person's role in one förbund. One role per person and förbund."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("roll"),
        max_length=32,
        choices=[(role.value, role.label) for role in ASSOCIATION_ROLES],
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("företräder medlem"),
        help_text=_("Den medlem personen arbetar hos, om någon."),
    )
    title = models.CharField(_("befattning"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("roll i förbundet")
        verbose_name_plural = _("roller i förbundet")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "user"], name="membership_one_role_per_association"
            ),
            models.CheckConstraint(
                condition=Q(role__in=[role.value for role in ASSOCIATION_ROLES]),
                name="membership_role_is_association_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {Role(self.role).label}"


class WorkingGroup(models.Model):
    """Styrelse, beredningsgrupp, styrgrupp, samverkansgrupp: who sits where."""

    class Kind(models.TextChoices):
        BOARD = "board", _("Styrelse")
        PREPARATORY = "preparatory", _("Beredningsgrupp")
        STEERING = "steering", _("Styrgrupp")
        LOCAL = "local", _("Lokal samverkansgrupp")
        CONSULTATION = "consultation", _("Konsultationsteam")
        OTHER = "other", _("Annan arbetsgrupp")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="working_groups"
    )
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("arbetsgrupp")
        verbose_name_plural = _("arbetsgrupper")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"], name="working_group_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    """A person's seat in a working group. Board members are public office holders,
    so their names are kept; participants never appear here."""

    class Function(models.TextChoices):
        CHAIR = "chair", _("Ordförande")
        VICE_CHAIR = "vice_chair", _("Vice ordförande")
        ORDINARY = "ordinary", _("Ledamot")
        DEPUTY = "deputy", _("Ersättare")
        CONVENER = "convener", _("Sammankallande")
        PARTICIPANT = "participant", _("Deltagare i gruppen")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="seats")
    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="seats", verbose_name=_("grupp")
    )
    person_name = models.CharField(_("namn"), max_length=200)
    function = models.CharField(_("funktion"), max_length=20, choices=Function.choices)
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seats",
        verbose_name=_("utsedd av medlem"),
    )
    start = models.DateField(_("från"), null=True, blank=True)
    end = models.DateField(_("till"), null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("plats i arbetsgrupp")
        verbose_name_plural = _("platser i arbetsgrupp")
        ordering = ["group", "member__name", "person_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(start__lte=F("end")),
                name="seat_start_before_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.get_function_display()})"

    @staticmethod
    def function_order() -> Case:
        """Ordförande first, ersättare last, as a board list is read."""
        return ordered_by("function", [function.value for function in Seat.Function])
