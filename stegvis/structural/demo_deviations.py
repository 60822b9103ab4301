"""Demo avvikelser and guldkorn at Samspelet (the Värmland plan, seeds/003: "Används när
samverkan inte fungerar optimalt … Här finns även Guldkorn i samverkan"): a handful of
cases on its two Stegen insatser and one without an insats, most handled through the
styrgrupp with measures and learning, one still open, dated back from today so the
goal map's `deviations` indicator and the learning overview have figures. Made
through the services, so the texts pass the personal data check. Made once: a case
whose title exists is left alone."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_scopes import scope

from stegvis.associations.models import Association, WorkingGroup
from stegvis.interventions.models import Intervention
from stegvis.structural import services_deviations as services
from stegvis.structural.models import Deviation, DeviationCategory


@dataclass(frozen=True)
class DemoCase:
    title: str
    kind: str
    description: str
    category: str
    reported_days_ago: int
    occurred_days_before: int
    reporter: str
    intervention: str = ""
    members: list[str] = field(default_factory=list)
    status: str = Deviation.Status.REPORTED
    handled_by: str = ""
    measures: str = ""
    learning: str = ""
    closed_days_ago: int | None = None


DEVIATION = Deviation.Kind.DEVIATION
GOOD = Deviation.Kind.GOOD_EXAMPLE
STYRGRUPP = "Styrgrupp Stegen Karlstad"

DEMO_CASES = [
    DemoCase(
        title="Sekretess hindrade informationsutbyte vid start",
        kind=DEVIATION,
        description=(
            "Kommunen och regionen kunde inte dela uppgifter inför trepartssamtalet eftersom "
            "samtycke saknades. Samtalet sköts upp två gånger."
        ),
        category="Regelverk",
        reported_days_ago=400,
        occurred_days_before=6,
        reporter="deltagare.samspelet",
        intervention="Stegen Karlstad",
        members=["Region Värmland", "Karlstads kommun"],
        status=Deviation.Status.CLOSED,
        handled_by=STYRGRUPP,
        measures="En gemensam samtyckesblankett för alla parter används vid start i Stegen.",
        learning=(
            "Samtycke till informationsutbyte ska finnas från första dagen. Med en gemensam "
            "blankett slipper deltagaren ge samtycke flera gånger."
        ),
        closed_days_ago=370,
    ),
    DemoCase(
        title="Remiss till psykiatrin kom inte fram",
        kind=DEVIATION,
        description=(
            "En remiss från Stegen till vuxenpsykiatrin skickades på papper och registrerades "
            "aldrig. Deltagaren väntade sju veckor innan det upptäcktes."
        ),
        category="Remiss och överlämning",
        reported_days_ago=150,
        occurred_days_before=10,
        reporter="deltagare.samspelet",
        intervention="Stegen Karlstad",
        members=["Region Värmland", "Karlstads kommun"],
        status=Deviation.Status.CLOSED,
        handled_by=STYRGRUPP,
        measures=(
            "Remisser från Stegen skickas elektroniskt med kopia till regionens samordnare. "
            "Coachen följer upp att remissen tagits emot inom två veckor."
        ),
        learning=(
            "Pappersremisser mellan parterna saknar kvittens. Med elektronisk remiss och en "
            "utsedd mottagarfunktion hos regionen syns det direkt när något fastnar."
        ),
        closed_days_ago=100,
    ),
    DemoCase(
        title="Olika besked om aktivitetsersättning",
        kind=DEVIATION,
        description=(
            "Försäkringskassan och kommunens handläggare gav olika besked om vad en praktik "
            "skulle betyda för deltagarens aktivitetsersättning. Planeringen fick göras om."
        ),
        category="Information/kommunikation",
        reported_days_ago=90,
        occurred_days_before=3,
        reporter="insats.samspelet",
        intervention="Stegen Karlstad",
        members=["Försäkringskassan", "Karlstads kommun"],
        status=Deviation.Status.CLOSED,
        handled_by=STYRGRUPP,
        measures=(
            "Trepartsmöte med Försäkringskassan innan en praktik börjar när deltagaren har "
            "ersättning därifrån."
        ),
        learning=(
            "När ersättningen påverkas ska Försäkringskassan vara med från början, inte få "
            "veta det i efterhand."
        ),
        closed_days_ago=45,
    ),
    DemoCase(
        title="Smidig överlämning till Arbetsförmedlingen",
        kind=GOOD,
        description=(
            "Coachen och arbetsförmedlaren hade ett gemensamt avslutande samtal med "
            "deltagaren, som började en arbetsmarknadsutbildning veckan efter – utan glapp."
        ),
        category="Remiss och överlämning",
        reported_days_ago=70,
        occurred_days_before=2,
        reporter="deltagare.samspelet",
        intervention="Stegen Karlstad",
        members=["Arbetsförmedlingen", "Karlstads kommun"],
        status=Deviation.Status.CLOSED,
        handled_by=STYRGRUPP,
        learning="Ett gemensamt avslutande samtal gör överlämningen trygg. Det blir arbetssätt i Stegen.",
        closed_days_ago=60,
    ),
    DemoCase(
        title="Oklart vem som kallar till SIP",
        kind=DEVIATION,
        description=(
            "Både kommunen och regionen väntade på att den andra parten skulle kalla till "
            "samordnad individuell plan. Mötet blev av först efter en månad."
        ),
        category="Roller och ansvar",
        reported_days_ago=40,
        occurred_days_before=5,
        reporter="chef.samspelet",
        intervention="Stegen Kristinehamn",
        members=["Region Värmland", "Kristinehamns kommun"],
        status=Deviation.Status.IN_PROGRESS,
        handled_by="Beredningsgrupp",
        measures="Frågan om vem som kallar till SIP tas upp i beredningsgruppen.",
    ),
    DemoCase(
        title="Gemensam introduktion för nya handläggare",
        kind=GOOD,
        description=(
            "Nya handläggare från alla fyra parter fick en gemensam halvdag om hur Stegen "
            "fungerar. Flera har sedan dess tagit kontakt med varandra direkt."
        ),
        category="Information/kommunikation",
        reported_days_ago=25,
        occurred_days_before=7,
        reporter="chef.samspelet",
        intervention="Stegen Kristinehamn",
        members=[
            "Försäkringskassan",
            "Arbetsförmedlingen",
            "Region Värmland",
            "Kristinehamns kommun",
        ],
    ),
    DemoCase(
        title="Lokalen för kunskapsdialogen saknade hörslinga",
        kind=DEVIATION,
        description=(
            "Kunskapsdialogen hölls i en lokal utan hörslinga. Två deltagare från parterna "
            "kunde inte följa samtalet och fick gå tidigare."
        ),
        category="Tillgänglighet",
        reported_days_ago=6,
        occurred_days_before=1,
        reporter="insats.samspelet",
        members=["Region Värmland"],
    ),
]


def demo_deviations_load(
    association: Association, *, today: datetime.date | None = None
) -> list[str]:
    """Samspelet's demo cases (see the module's docstring); what was made, for the log."""
    today = today or timezone.localdate()
    users = {user.get_username(): user for user in get_user_model().objects.all()}
    made = 0
    with scope(association=association):
        services.categories_ensure(association=association)
        existing = set(
            Deviation.objects.filter(association=association).values_list("title", flat=True)
        )
        members = {member.name: member for member in association.members.all()}
        interventions = {i.name: i for i in Intervention.objects.filter(association=association)}
        groups = {g.name: g for g in WorkingGroup.objects.filter(association=association)}
        categories = {c.name: c for c in DeviationCategory.objects.filter(association=association)}
        for demo in DEMO_CASES:
            if demo.title in existing:
                continue
            if demo.intervention and demo.intervention not in interventions:
                continue  # the insatser come with the follow-up demo
            reported_on = today - datetime.timedelta(days=demo.reported_days_ago)
            reporter = users.get(demo.reporter)
            deviation = services.deviation_report(
                actor=reporter,
                association=association,
                kind=demo.kind,
                title=demo.title,
                description=demo.description,
                occurred_on=reported_on - datetime.timedelta(days=demo.occurred_days_before),
                reported_on=reported_on,
                category=categories[demo.category],
                members=[members[name] for name in demo.members if name in members],
                intervention=interventions.get(demo.intervention),
            )
            if demo.status != Deviation.Status.REPORTED:
                services.deviation_handle(
                    actor=users.get("chef.samspelet"),
                    deviation=deviation,
                    status=demo.status,
                    handled_by=groups.get(demo.handled_by),
                    measures=demo.measures,
                    learning=demo.learning,
                    closed_on=(
                        today - datetime.timedelta(days=demo.closed_days_ago)
                        if demo.closed_days_ago is not None
                        else None
                    ),
                )
            made += 1
    if not made:
        return []
    return [f"{association.name}: {made} avvikelser och guldkorn"]
