"""Three instruments a förbund can start from (DOMAIN.md §4), in Stegvis's own words:
a progression assessment in the style of the Danish BIP indicators, a screening for
violence in close relationships, and a participant survey in the style of the
FINSAM-indikatorer. They are demo data and a starting point; the förbund changes
them as it likes. Attached to nothing until an insats takes them up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from stegvis.associations.models import Association
from stegvis.instruments import services
from stegvis.instruments.models import Instrument
from stegvis.interventions.models import Intervention

Kind = Instrument.Kind


@dataclass(frozen=True)
class Default:
    name: str
    settings: dict[str, Any]
    questions: list[tuple[str, str]] = field(default_factory=list)  # (short label, text)


ASSESSMENT = Default(
    name="Stegvis progressionsbedömning",
    settings={
        "kind": Kind.ASSESSMENT,
        "description": (
            "Deltagarens egen bild av var hen står, på en skala från 1 till 10. "
            "Görs tillsammans med deltagaren vid start och sedan var tredje månad, "
            "så att deltagaren och handledaren ser förflyttningen."
        ),
        "scale_min": 1,
        "scale_max": 10,
        "scale_min_label": "Inte alls",
        "scale_max_label": "Helt och fullt",
        "agree_from": 7,
        "at_start": True,
        "every_months": 3,
    },
    questions=[
        ("Hälsa", "Hur ser du på din hälsa just nu?"),
        ("Vardagen", "Hur väl fungerar din vardag, med rutiner och struktur?"),
        ("Tro på arbete", "Hur stark är din tro på att du kommer att få ett arbete?"),
        ("Söka arbete", "Hur väl klarar du att söka arbete eller praktik på egen hand?"),
        ("Samarbete", "Hur väl fungerar det för dig att samarbeta med andra?"),
        ("Nätverk", "Hur mycket stöd har du av människor omkring dig?"),
        ("Motgångar", "Hur väl klarar du att hantera motgångar och gå vidare?"),
        ("Egna förmågor", "Hur väl känner du till vad du är bra på och vad du behöver stöd i?"),
        ("Redo för arbete", "Hur redo känner du dig att börja arbeta eller studera?"),
    ],
)

SCREENING = Default(
    name="Screening våld i nära relationer",
    settings={
        "kind": Kind.SCREENING,
        "description": (
            "Frågor om våld i nära relationer ställs till alla deltagare enligt "
            "parternas egna rutiner. Här registreras bara att frågorna ställdes och "
            "när; svaren dokumenteras hos den part som ställde dem."
        ),
        "records_answers": False,
        "at_start": True,
        "every_months": 3,
        "coverage_target": 90,
    },
)

SURVEY = Default(
    name="Deltagarenkät",
    settings={
        "kind": Kind.SURVEY,
        "description": (
            "Deltagarens syn på stödet i insatsen. Deltagaren svarar själv, efter tre "
            "månader och när insatsen avslutas. Svar 4 och 5 räknas som att "
            "deltagaren instämmer."
        ),
        "scale_min": 1,
        "scale_max": 5,
        "scale_min_label": "Stämmer inte alls",
        "scale_max_label": "Stämmer helt",
        "agree_from": 4,
        "at_start": False,
        "first_after_months": 3,
        "at_exit": True,
    },
    questions=[
        ("Stöd", "Jag får det stöd jag behöver för att komma vidare."),
        ("Inflytande", "Jag kan påverka vad som händer i min insats."),
        ("Myndigheter", "Jag får hjälp i mina kontakter med myndigheter och vården."),
        ("Bemötande", "Jag blir bemött med respekt."),
        ("Redo", "Jag är mer redo att arbeta eller studera nu än när jag började."),
    ],
)

DEFAULTS = [ASSESSMENT, SCREENING, SURVEY]


@transaction.atomic
def install_defaults(*, association: Association, actor: Any = None) -> list[Instrument]:
    """The three default instruments in the förbund, made once: one that already
    exists by name is left as the förbund has it."""
    instruments = []
    for default in DEFAULTS:
        existing = Instrument.objects.filter(
            association=association, name__iexact=default.name
        ).first()
        if existing is not None:
            instruments.append(existing)
            continue
        instrument = services.instrument_create(
            actor=actor, association=association, name=default.name, **default.settings
        )
        for short_label, text in default.questions:
            services.question_add(
                actor=actor, instrument=instrument, text=text, short_label=short_label
            )
        instruments.append(instrument)
    return instruments


@transaction.atomic
def attach_defaults(*, intervention: Intervention, actor: Any = None) -> list[Instrument]:
    """The default instruments, installed if need be, used by the insats."""
    instruments = install_defaults(association=intervention.association, actor=actor)
    for instrument in instruments:
        services.instrument_attach(actor=actor, instrument=instrument, intervention=intervention)
    return instruments
