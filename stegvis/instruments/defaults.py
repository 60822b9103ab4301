"""Three instruments a förbund can start from (DOMAIN.md §4), in Stegvis's own words:
a progression assessment in the style of the Danish BIP indicators, a screening for
violence in close relationships, and a participant survey in the style of the
FINSAM-indikatorer. They are demo data and a starting point; the förbund changes
them as it likes. Attached to nothing until an insats takes them up.

Apart from them, a collaboration survey (samverkansenkät, DOMAIN.md §6) for staff,
managers, board and referrers, installed with the förbund
(`install_collaboration_defaults`, in `associations.services.STARTING_POINT`), never
with the participant instruments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, transaction
from django_scopes import scopes_disabled

from stegvis.associations.models import Association
from stegvis.audit.services import audit_log
from stegvis.instruments import services
from stegvis.instruments.models import Instrument, InstrumentQuestion
from stegvis.interventions.models import Intervention

Kind = Instrument.Kind


@dataclass(frozen=True)
class Default:
    name: str
    # The code a plan file's target names (`instrument: screening_vnr`, plan-format.md).
    code: str
    settings: dict[str, Any]
    questions: list[tuple[str, str]] = field(default_factory=list)  # (short label, text)
    # The code of each question by its short label (`question: support`).
    question_codes: dict[str, str] = field(default_factory=dict)


ASSESSMENT = Default(
    name="Stegvis progressionsbedömning",
    code="progression",
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
    question_codes={
        "Hälsa": "health",
        "Vardagen": "daily_life",
        "Tro på arbete": "belief_in_work",
        "Söka arbete": "job_search",
        "Samarbete": "cooperation",
        "Nätverk": "network",
        "Motgångar": "setbacks",
        "Egna förmågor": "strengths",
        "Redo för arbete": "work_readiness",
    },
)

SCREENING = Default(
    name="Screening våld i nära relationer",
    code="screening_vnr",
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
    code="deltagarenkat",
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
    question_codes={
        "Stöd": "support",
        "Inflytande": "influence",
        "Myndigheter": "authorities",
        "Bemötande": "respect",
        "Redo": "readiness",
    },
)

COLLABORATION = Default(
    name="Samverkansenkät",
    code="samverkansenkat",
    settings={
        "kind": Kind.COLLABORATION,
        "description": (
            "Hur samverkan mellan parterna fungerar, sett av personal i insatserna, "
            "chefer hos medlemmarna, styrelse och beredningsgrupp och remittenter. "
            "Samma påståenden till alla grupper, så att grupperna kan jämföras. "
            "Besvaras anonymt genom länkar; svar 4 och 5 räknas som att man instämmer."
        ),
        "scale_min": 1,
        "scale_max": 5,
        "scale_min_label": "Stämmer inte alls",
        "scale_max_label": "Stämmer helt",
        "agree_from": 4,
    },
    questions=[
        ("Parternas uppdrag", "Jag känner till de andra parternas uppdrag och hur de arbetar."),
        (
            "Kontaktvägar",
            "Jag vet vem jag ska vända mig till hos de andra parterna när en person "
            "behöver stöd från flera håll.",
        ),
        ("Förtroende", "Det finns ett ömsesidigt förtroende mellan parterna."),
        (
            "Förutsättningar",
            "Min organisation ger mig tid och mandat att delta i samverkan.",
        ),
        (
            "Nytta för individen",
            "Samverkan gör att personer som behöver stöd från flera parter får bättre hjälp.",
        ),
        (
            "Insatsernas bidrag",
            "De insatser som förbundet finansierar bidrar till bättre samverkan mellan parterna.",
        ),
        ("Utveckling", "Samverkan mellan parterna har blivit bättre det senaste året."),
        ("Nöjd", "Sammantaget är jag nöjd med hur samverkan fungerar."),
    ],
    question_codes={
        "Parternas uppdrag": "collab_knowledge",
        "Kontaktvägar": "collab_contacts",
        "Förtroende": "collab_trust",
        "Förutsättningar": "collab_mandate",
        "Nytta för individen": "collab_benefit",
        # The word the plans use (seeds/003: "upplever att finansierade insatser bidrar
        # till bättre samverkan"; plans/examples/samspelet-2024.yaml).
        "Insatsernas bidrag": "better_collaboration",
        "Utveckling": "collab_development",
        "Nöjd": "collab_satisfied",
    },
)

DEFAULTS = [ASSESSMENT, SCREENING, SURVEY]
COLLABORATION_DEFAULTS = [COLLABORATION]


def default_codes() -> dict[str, set[str]]:
    """The codes of the default instruments and their questions, collaboration survey
    included, for the plan reader (`plans.vocabulary.register_code_provider`)."""
    every = [*DEFAULTS, *COLLABORATION_DEFAULTS]
    return {
        "instrument": {default.code for default in every},
        "question": {code for default in every for code in default.question_codes.values()},
    }


def known_codes() -> dict[str, set[str]]:
    """The codes the installation knows: the defaults' and every code a förbund has
    given an instrument or a question. Without a database at hand (before `migrate`,
    or a file checked where no database may be used), the defaults' only: an unknown
    code is a warning, never an error, so a short list errs on the safe side."""
    codes = default_codes()
    try:
        with scopes_disabled():
            codes["instrument"] |= set(
                Instrument.objects.exclude(code="").values_list("code", flat=True).distinct()
            )
            codes["question"] |= set(
                InstrumentQuestion.objects.exclude(code="")
                .values_list("code", flat=True)
                .distinct()
            )
    except (DatabaseError, RuntimeError):
        pass
    return codes


def _codes_set(*, default: Default, instrument: Instrument, actor: Any) -> None:
    """Give the default instrument and its questions their codes where they have none,
    so that a förbund that installed the defaults before codes existed gets them too;
    a code the förbund has set is left as it is."""
    changes: dict[str, Any] = {}
    if not instrument.code:
        instrument.code = default.code
        instrument.save(update_fields=["code"])
        changes["code"] = default.code
    for question in instrument.questions.filter(code=""):
        code = default.question_codes.get(question.short_label)
        if code:
            question.code = code
            question.save(update_fields=["code"])
            changes[f"question {question.short_label}"] = code
    if changes:
        audit_log(
            action="instrument.codes_set",
            actor=actor,
            association=instrument.association,
            obj=instrument,
            changes=changes,
        )


@transaction.atomic
def install_defaults(*, association: Association, actor: Any = None) -> list[Instrument]:
    """The three default instruments in the förbund, made once: one that already
    exists by name is left as the förbund has it, except that it gets the default's
    codes where it has none (idempotent)."""
    return _install(DEFAULTS, association=association, actor=actor)


@transaction.atomic
def install_collaboration_defaults(
    *, association: Association, actor: Any = None
) -> list[Instrument]:
    """The default collaboration survey in the förbund, made once as the participant
    instruments are (idempotent); a new förbund gets it when it is created
    (`associations.services.STARTING_POINT`)."""
    return _install(COLLABORATION_DEFAULTS, association=association, actor=actor)


def _install(defaults: list[Default], *, association: Association, actor: Any) -> list[Instrument]:
    instruments = []
    for default in defaults:
        existing = Instrument.objects.filter(
            association=association, name__iexact=default.name
        ).first()
        if existing is not None:
            _codes_set(default=default, instrument=existing, actor=actor)
            instruments.append(existing)
            continue
        instrument = services.instrument_create(
            actor=actor, association=association, name=default.name, **default.settings
        )
        for short_label, text in default.questions:
            services.question_add(
                actor=actor, instrument=instrument, text=text, short_label=short_label
            )
        _codes_set(default=default, instrument=instrument, actor=actor)
        instruments.append(instrument)
    return instruments


@transaction.atomic
def attach_defaults(*, intervention: Intervention, actor: Any = None) -> list[Instrument]:
    """The default instruments, installed if need be, used by the insats."""
    instruments = install_defaults(association=intervention.association, actor=actor)
    for instrument in instruments:
        services.instrument_attach(actor=actor, instrument=instrument, intervention=intervention)
    return instruments
