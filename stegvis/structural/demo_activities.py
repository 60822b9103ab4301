"""Demo activities at Samspelet (the Värmland plan, seeds/003): a year of kunskapsdialoger,
frukostmöten, seminarier, utbildningar and BIP-nätverkets träffar, with the attendance
of each member's staff (kön where the list of participants gave it) and the
participants' evaluation; the ones still to come are planned without attendance, and
a few always fall in the coming weeks, so the Samverkan start page has a calendar.

Samspelet adds a kind of its own, "Samverkansutbildning", which its goal map names
("En genomförd samverkansutbildning inom Samspelet"), and the plan year gets the
samverkansutbildning and Tillitsbyrån's training of new tillitsagenter its goal map and
the insats's mätpunkt count.

Made once: nothing is added to a förbund that has activities. The numbers come from a
fixed seed, so every demo looks the same on the same day.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope

from stegvis.associations.models import Association, Member
from stegvis.interventions.models import Intervention
from stegvis.structural import services_activities as services
from stegvis.structural.models.activities import Activity, ActivityKind
from stegvis.structural.services_activities import AttendanceRow

SEED = 2024
PLAN_YEAR = 2024
OWN_KIND = "Samverkansutbildning"
KANSLI = "Samordningsförbundet Samspelet"
KARLSTAD = "Karlstad, Samspelets lokaler på Drottninggatan"

# How many of an activity's participants come from each member, roughly (Karlstad is
# the largest municipality; FK and AF staff come to most activities).
WEIGHTS = {
    "Försäkringskassan": 12,
    "Arbetsförmedlingen": 12,
    "Region Värmland": 20,
    "Karlstads kommun": 30,
    "Kristinehamns kommun": 12,
    "Grums kommun": 7,
    "Hammarö kommun": 7,
}
STATE_AND_REGION = ("Försäkringskassan", "Arbetsförmedlingen", "Region Värmland")
MUNICIPALITIES = ("Karlstads kommun", "Kristinehamns kommun", "Grums kommun", "Hammarö kommun")


@dataclass(frozen=True)
class DemoActivity:
    kind: str  # the kind's code
    title: str
    month: int
    day: int
    starts: tuple[int, int] | None
    ends: tuple[int, int] | None
    place: str
    organiser: str = KANSLI
    description: str = ""
    size: int = 30  # about how many come
    invited: tuple[str, ...] = tuple(WEIGHTS)
    days: int = 1
    intervention: str = ""
    others: int = 0
    others_note: str = ""
    by_gender: bool = True
    evaluated: bool = True
    cancelled: bool = False


@dataclass(frozen=True)
class ComingActivity:
    """An activity a number of days from today: the calendar always has some."""

    in_days: int
    kind: str
    title: str
    starts: tuple[int, int]
    ends: tuple[int, int]
    place: str
    organiser: str = KANSLI
    description: str = ""


YEAR = [
    DemoActivity(
        "natverkstraff",
        "BIP-nätverket: uppstart för året",
        1,
        23,
        (9, 0),
        (12, 0),
        KARLSTAD,
        description="Implementeringsansvariga för BIP i kommunerna planerar årets arbete.",
        size=11,
        invited=MUNICIPALITIES,
        evaluated=False,
    ),
    DemoActivity(
        "kunskapsdialog",
        "Kunskapsdialog: Psykisk ohälsa och vägen till arbete",
        2,
        6,
        (13, 0),
        (16, 0),
        "Karlstad, Stadshuset",
        description=(
            "Föreläsning av en specialist i psykiatri och samtal i blandade grupper om hur "
            "parterna tillsammans stöttar vägen till arbete."
        ),
        size=48,
        others=3,
        others_note="Brukarorganisationer",
    ),
    DemoActivity(
        "frukostmote",
        "Frukostmöte: Nya regler för sjukpenning",
        2,
        20,
        (7, 45),
        (9, 0),
        KARLSTAD,
        organiser="Försäkringskassan och Samordningsförbundet Samspelet",
        size=26,
        by_gender=False,
    ),
    DemoActivity(
        "utbildning",
        "BIP – förhållningssätt och verktyg, grundutbildning",
        3,
        12,
        (9, 0),
        (16, 0),
        "Kristinehamn, Folkets hus",
        description="Två dagar med Samspelets certifierade BIP-utbildare.",
        size=18,
        invited=(*MUNICIPALITIES, "Arbetsförmedlingen"),
        days=2,
    ),
    DemoActivity(
        "seminarium",
        "Våld i nära relationer – att fråga och att lyssna",
        3,
        26,
        (13, 0),
        (15, 30),
        "Kristinehamn, Kristinehamns bibliotek",
        description="Del av regeringsuppdraget att öka upptäckten av våld i nära relationer.",
        size=34,
    ),
    DemoActivity(
        "kunskapsdialog",
        "Kunskapsdialog: Neuropsykiatriska funktionsnedsättningar i arbetslivet",
        4,
        16,
        (13, 0),
        (16, 0),
        "Karlstad, Stadshuset",
        size=52,
        others=4,
        others_note="Arbetsgivare och brukarorganisationer",
    ),
    DemoActivity(
        "frukostmote",
        "Frukostmöte: Arbetsförmedlingens rustande insatser",
        4,
        24,
        (7, 45),
        (9, 0),
        KARLSTAD,
        organiser="Arbetsförmedlingen",
        size=22,
        by_gender=False,
        evaluated=False,
    ),
    DemoActivity(
        "workshop",
        "Tjänstedesign: unga vuxnas väg in i Tillitsbyrån",
        5,
        21,
        (9, 0),
        (15, 0),
        "Grums, Tillitsbyrån",
        organiser="Grums kommun och Region Värmland",
        size=14,
        invited=("Grums kommun", "Region Värmland", "Försäkringskassan", "Arbetsförmedlingen"),
        intervention="Tillitsbyrån Grums",
        others=5,
        others_note="Unga vuxna i målgruppen",
    ),
    DemoActivity(
        "samverkansutbildning",
        "Samverkansutbildning för medarbetare hos parterna",
        6,
        4,
        (9, 0),
        (16, 0),
        KARLSTAD,
        description="Den årliga samverkansutbildningen, två dagar.",
        size=24,
        days=2,
    ),
    DemoActivity(
        "natverkstraff",
        "BIP-nätverket: erfarenheter från våren",
        6,
        12,
        (9, 0),
        (12, 0),
        KARLSTAD,
        size=10,
        invited=MUNICIPALITIES,
        evaluated=False,
    ),
    DemoActivity(
        "kunskapsdialog",
        "Kunskapsdialog: Unga vuxna med aktivitetsersättning",
        8,
        27,
        (13, 0),
        (16, 0),
        "Karlstad, Stadshuset",
        size=45,
    ),
    DemoActivity(
        "frukostmote",
        "Frukostmöte: Stegen – erfarenheter från första halvåret",
        9,
        10,
        (7, 45),
        (9, 0),
        KARLSTAD,
        organiser="Karlstads kommun",
        size=20,
        intervention="Stegen Karlstad",
        by_gender=False,
    ),
    DemoActivity(
        "konferens",
        "Finsamkonferens Värmland",
        9,
        24,
        (9, 30),
        (16, 0),
        "Karlstad, Karlstad CCC",
        organiser="Samordningsförbunden i Värmland",
        size=70,
        days=2,
        others=22,
        others_note="Andra samordningsförbund, arbetsgivare och föreningar",
    ),
    DemoActivity(
        "seminarium",
        "Jämställd rehabilitering med Genuskompassen",
        10,
        8,
        (13, 0),
        (15, 0),
        "Hammarö, kommunhuset",
        description="Inställt: för få anmälda. Görs om under våren.",
        cancelled=True,
    ),
    DemoActivity(
        "kunskapsdialog",
        "Kunskapsdialog: Skuld och ekonomisk utsatthet",
        10,
        22,
        (13, 0),
        (16, 0),
        "Karlstad, Stadshuset",
        size=41,
        others=2,
        others_note="Budget- och skuldrådgivare",
    ),
    DemoActivity(
        "utbildning",
        "Utbildning för nya styrgruppsmedlemmar",
        11,
        12,
        (13, 0),
        (16, 0),
        KARLSTAD,
        description="Styrgruppsarbete och förbundsarbete för nya ledamöter i styrgrupperna.",
        size=9,
    ),
    DemoActivity(
        "frukostmote",
        "Frukostmöte: Lärlingsutbildningen på Komvux",
        11,
        19,
        (7, 45),
        (9, 0),
        "Karlstad, Komvux",
        organiser="Karlstads kommun",
        size=18,
        intervention="LärvuxLärling",
        by_gender=False,
    ),
    DemoActivity(
        "natverkstraff",
        "BIP-nätverket: planering inför nästa år",
        12,
        3,
        (9, 0),
        (12, 0),
        KARLSTAD,
        size=10,
        invited=MUNICIPALITIES,
        evaluated=False,
    ),
]

COMING = [
    ComingActivity(
        9,
        "kunskapsdialog",
        "Kunskapsdialog: Samsjuklighet och beroende",
        (13, 0),
        (16, 0),
        "Karlstad, Stadshuset",
        description="Beroendecentrum och socialtjänsten om samordnat stöd.",
    ),
    ComingActivity(
        16,
        "frukostmote",
        "Frukostmöte: Försäkringskassans samordningsuppdrag",
        (7, 45),
        (9, 0),
        KARLSTAD,
        organiser="Försäkringskassan",
    ),
    ComingActivity(
        30,
        "natverkstraff",
        "Nätverksträff för processledare i Värmland",
        (9, 0),
        (12, 0),
        "Digitalt",
    ),
    ComingActivity(
        44,
        "seminarium",
        "Seminarium: Individual Placement and Support (IPS)",
        (13, 0),
        (15, 30),
        "Kristinehamn, Folkets hus",
        organiser="Region Värmland och Samordningsförbundet Samspelet",
    ),
]

PLAN_YEAR_ACTIVITIES = [
    DemoActivity(
        "samverkansutbildning",
        "Samverkansutbildning inom Samspelet",
        5,
        15,
        (9, 0),
        (16, 0),
        KARLSTAD,
        size=22,
        days=2,
    ),
    DemoActivity(
        "utbildning",
        "Innovationsguiden för nya tillitsagenter",
        3,
        20,
        (9, 0),
        (15, 0),
        "Grums, Tillitsbyrån",
        organiser="Grums kommun",
        size=8,
        invited=("Grums kommun", "Region Värmland"),
        intervention="Tillitsbyrån Grums",
    ),
]


@dataclass
class _Context:
    association: Association
    kinds: dict[str, ActivityKind]
    members: dict[str, Member]
    interventions: dict[str, Intervention]
    rng: random.Random
    made: list[Activity] = field(default_factory=list)


def _time(value: tuple[int, int] | None) -> datetime.time | None:
    return datetime.time(*value) if value else None


def _attendance(context: _Context, item: DemoActivity) -> list[AttendanceRow]:
    """About `size` participants spread over the invited members by their weight."""
    invited = [name for name in item.invited if name in context.members]
    weight = sum(WEIGHTS[name] for name in invited)
    rows = []
    for name in invited:
        expected = item.size * WEIGHTS[name] / weight
        n = max(0, round(expected * context.rng.uniform(0.6, 1.4)))
        if n == 0:
            continue
        women = men = None
        if item.by_gender:
            women = min(n, round(n * context.rng.uniform(0.65, 0.9)))
            men = n - women
        rows.append(AttendanceRow(context.members[name], n, women, men))
    return rows


def _add(context: _Context, item: DemoActivity, year: int, today: datetime.date) -> None:
    on = datetime.date(year, item.month, item.day)
    held = on <= today and not item.cancelled
    score = None
    responses = None
    rows = _attendance(context, item) if held else []
    if held and item.evaluated and rows:
        score = Decimal(context.rng.randint(39, 48)) / 10
        responses = max(1, round(sum(row.participants for row in rows) * 0.6))
    context.made.append(
        services.activity_create(
            actor=None,
            association=context.association,
            kind=context.kinds[item.kind],
            title=item.title,
            date=on,
            end_date=on + datetime.timedelta(days=item.days - 1) if item.days > 1 else None,
            starts_at=_time(item.starts),
            ends_at=_time(item.ends),
            place=item.place,
            organiser=item.organiser,
            intervention=context.interventions.get(item.intervention),
            description=item.description,
            other_participants=item.others if held else 0,
            other_participants_note=item.others_note,
            evaluation_score=score,
            evaluation_scale=Activity.Scale.FIVE if score is not None else None,
            evaluation_responses=responses,
            cancelled=item.cancelled,
            attendance=rows,
        )
    )


def demo_activities_load(
    association: Association, *, today: datetime.date | None = None
) -> list[str]:
    """The demo year of activities at the förbund (Samspelet's members and insatser are
    used where they exist); nothing when it has activities already."""
    today = today or timezone.localdate()
    with scope(association=association):
        if Activity.objects.filter(association=association).exists():
            return []
        services.install_default_kinds(association)
        if not ActivityKind.objects.filter(association=association, name=OWN_KIND).exists():
            services.kind_create(actor=None, association=association, name=OWN_KIND)
        context = _Context(
            association=association,
            kinds={
                kind.code: kind for kind in ActivityKind.objects.filter(association=association)
            },
            members={m.name: m for m in Member.objects.filter(association=association)},
            interventions={i.name: i for i in Intervention.objects.filter(association=association)},
            rng=random.Random(SEED),  # noqa: S311 - demo numbers, not secrets
        )
        for item in YEAR:
            _add(context, item, today.year, today)
        if today.year != PLAN_YEAR:
            for item in PLAN_YEAR_ACTIVITIES:
                _add(context, item, PLAN_YEAR, today)
        for coming in COMING:
            on = today + datetime.timedelta(days=coming.in_days)
            context.made.append(
                services.activity_create(
                    actor=None,
                    association=association,
                    kind=context.kinds[coming.kind],
                    title=coming.title,
                    date=on,
                    starts_at=_time(coming.starts),
                    ends_at=_time(coming.ends),
                    place=coming.place,
                    organiser=coming.organiser,
                    description=coming.description,
                )
            )
    held = sum(1 for a in context.made if a.date <= today and not a.cancelled)
    planned = sum(1 for a in context.made if a.date > today)
    return [
        f"{association.name}: {held} genomförda aktiviteter med närvaro per medlem "
        f"och {planned} planerade"
    ]
