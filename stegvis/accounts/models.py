from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from stegvis.associations.roles import Role


class User(AbstractUser):
    """A person who logs in. Roles inside a förbund live on `associations.Membership`;
    the installation-wide roles (systemadministratör, nationell läsare) live here."""

    class SiteRole(models.TextChoices):
        NONE = "", _("Ingen")
        SYSTEM_ADMIN = Role.SYSTEM_ADMIN.value, Role.SYSTEM_ADMIN.label
        NATIONAL_READER = Role.NATIONAL_READER.value, Role.NATIONAL_READER.label

    site_role = models.CharField(
        _("roll i installationen"), max_length=32, choices=SiteRole.choices, blank=True
    )

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self) -> str:
        return self.get_full_name() or self.username
