"""The codes of the participant file (../shared/spec/participant-file.md).

The stored value of each choice is the spec's own code, so a file, the database
and the report's JSON spell it the same way; the label is what the pages show.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    WOMAN = "kvinna", _("Kvinna")
    MAN = "man", _("Man")
    UNSPECIFIED = "ej angivet", _("Ej angivet")


class Support(models.TextChoices):
    """Försörjning: a participant may have several at once."""

    SICKNESS_BENEFIT = "sjukpenning", _("Sjukpenning")
    ACTIVITY_COMPENSATION = "aktivitetsersättning", _("Aktivitetsersättning")
    SICKNESS_COMPENSATION = "sjukersättning", _("Sjukersättning")
    UNEMPLOYMENT_BENEFIT = "arbetslöshetsersättning", _("Arbetslöshetsersättning")
    ACTIVITY_GRANT = "aktivitetsstöd", _("Aktivitetsstöd")
    SOCIAL_ASSISTANCE = "ekonomiskt bistånd", _("Ekonomiskt bistånd")
    ESTABLISHMENT_ALLOWANCE = "etableringsersättning", _("Etableringsersättning")
    SALARY = "lön", _("Lön")
    STUDENT_AID = "studiemedel", _("Studiemedel")
    NONE = "ingen ersättning", _("Ingen ersättning")
    OTHER = "annan", _("Annan")


class Employment(models.TextChoices):
    """Sysselsättning: one at a time."""

    WORK = "arbete", _("Arbete")
    SUBSIDISED_WORK = "subventionerat arbete", _("Subventionerat arbete")
    STUDIES = "studier", _("Studier")
    JOB_SEEKING = "arbetssökande", _("Arbetssökande")
    NONE = "ingen sysselsättning", _("Ingen sysselsättning")
    OTHER = "annan", _("Annan")


class Education(models.TextChoices):
    COMPULSORY = "förgymnasial", _("Förgymnasial")
    UPPER_SECONDARY = "gymnasial", _("Gymnasial")
    POST_SECONDARY = "eftergymnasial", _("Eftergymnasial")
    UNKNOWN = "okänd", _("Okänd")


class Outcome(models.TextChoices):
    """Avslutsorsak."""

    WORK = "arbete", _("Arbete")
    STUDIES = "studier", _("Studier")
    JOB_SEEKING = "arbetssökande", _("Arbetssökande")
    OTHER_REHABILITATION = "annan rehabilitering", _("Annan rehabilitering")
    DROPOUT = "avbrott", _("Avbrott")
    MOVED = "flytt", _("Flytt")
    OTHER = "annat", _("Annat")


# Stegförflyttning: an exit to work, studies, job seeking or further rehabilitation.
STEP_PROGRESS_OUTCOMES = frozenset(
    {
        Outcome.WORK.value,
        Outcome.STUDIES.value,
        Outcome.JOB_SEEKING.value,
        Outcome.OTHER_REHABILITATION.value,
    }
)


class Referrer(models.TextChoices):
    """Remitterande part when it is not a member."""

    SELF = "egen anmälan", _("Egen anmälan")
    OTHER = "annan", _("Annan")


GENDERS = [gender.value for gender in Gender]
OUTCOMES = [outcome.value for outcome in Outcome]


def is_step_progress(outcome: str) -> bool:
    return outcome in STEP_PROGRESS_OUTCOMES
