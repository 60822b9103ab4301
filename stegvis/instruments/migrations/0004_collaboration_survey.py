"""The collaboration survey (samverkansenkät) every förbund starts with, for the
förbund made before it came with the förbund (associations.services.STARTING_POINT).

The survey round pages used to add it on the first GET; a GET no longer writes. The
survey is copied here as it was (defaults.COLLABORATION), so a later change of the
default does not change what this migration did. A förbund that has a collaboration
survey, or an instrument of that name, is left as it is."""

from django.db import migrations

NAME = "Samverkansenkät"
INSTRUMENT = {
    "code": "samverkansenkat",
    "kind": "collaboration",
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
    "records_answers": True,
    "at_start": True,
    "at_exit": False,
}
# (short label, text, code)
QUESTIONS = [
    (
        "Parternas uppdrag",
        "Jag känner till de andra parternas uppdrag och hur de arbetar.",
        "collab_knowledge",
    ),
    (
        "Kontaktvägar",
        "Jag vet vem jag ska vända mig till hos de andra parterna när en person "
        "behöver stöd från flera håll.",
        "collab_contacts",
    ),
    ("Förtroende", "Det finns ett ömsesidigt förtroende mellan parterna.", "collab_trust"),
    (
        "Förutsättningar",
        "Min organisation ger mig tid och mandat att delta i samverkan.",
        "collab_mandate",
    ),
    (
        "Nytta för individen",
        "Samverkan gör att personer som behöver stöd från flera parter får bättre hjälp.",
        "collab_benefit",
    ),
    (
        "Insatsernas bidrag",
        "De insatser som förbundet finansierar bidrar till bättre samverkan mellan parterna.",
        "better_collaboration",
    ),
    (
        "Utveckling",
        "Samverkan mellan parterna har blivit bättre det senaste året.",
        "collab_development",
    ),
    ("Nöjd", "Sammantaget är jag nöjd med hur samverkan fungerar.", "collab_satisfied"),
]


def survey_add(apps, schema_editor):
    Association = apps.get_model("associations", "Association")
    Instrument = apps.get_model("instruments", "Instrument")
    InstrumentQuestion = apps.get_model("instruments", "InstrumentQuestion")
    for association in Association.objects.all():
        own = Instrument.objects.filter(association=association)
        if own.filter(kind=INSTRUMENT["kind"]).exists() or own.filter(name__iexact=NAME).exists():
            continue
        instrument = Instrument.objects.create(association=association, name=NAME, **INSTRUMENT)
        InstrumentQuestion.objects.bulk_create(
            InstrumentQuestion(
                association=association,
                instrument=instrument,
                order=order,
                text=text,
                short_label=short_label,
                code=code,
            )
            for order, (short_label, text, code) in enumerate(QUESTIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0001_initial"),
        ("instruments", "0003_collaboration_kind"),
    ]

    operations = [
        migrations.RunPython(survey_add, migrations.RunPython.noop),
    ]
