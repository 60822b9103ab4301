"""The whole demo installation: the förbund and their people (associations.demo), then
each förbund's plan from the seed plans, as the plan files in stegvis/plans/examples,
then the follow-up: the default instruments in each förbund, and at Samspelet two
individual insatser with synthetic participants and their responses (codes
`SYN-…`, no names), where the demo deltagaransvarig works on Stegen Karlstad; and
the goal maps from the plan files, also for the current year, with a goal on the
participants at Samspelet and values entered by hand.

Loading twice changes nothing: a plan, an insats or participants already there are
left as they are.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django_scopes import scope

from stegvis.accounts.models import User
from stegvis.associations.demo import DemoLogin, demo_load
from stegvis.associations.models import Association
from stegvis.core.synthetic import participants_populate
from stegvis.finance.models import Plan
from stegvis.finance.services import contribution_total_update, plan_create, plan_store
from stegvis.goals import services as goal_services
from stegvis.goals.models import GoalMap, Indicator
from stegvis.instruments.defaults import attach_defaults, install_defaults
from stegvis.interventions import services as intervention_services
from stegvis.interventions.models import ApplicationRound, Intervention, InterventionStaff
from stegvis.plans.reader import read_plan
from stegvis.structural.demo_activities import demo_activities_load
from stegvis.structural.demo_deviations import demo_deviations_load
from stegvis.structural.demo_surveys import demo_surveys_load
from stegvis.structural.demo_teams import demo_teams_load

EXAMPLES = Path(__file__).resolve().parent.parent / "plans" / "examples"
DEMO_PLANS = {"samspelet": "samspelet-2024.yaml", "blekinge": "blekinge-2024.yaml"}


def demo_plans_load() -> list[str]:
    """Import each demo förbund's plan unless it has one for that year already."""
    loaded = []
    for slug, filename in DEMO_PLANS.items():
        association = Association.objects.get(slug=slug)
        path = EXAMPLES / filename
        document, _warnings = read_plan(path.read_bytes(), filename=filename)
        with scope(association=association):
            if Plan.objects.filter(association=association, first_year=document.years[0]).exists():
                continue
            plan = plan_store(actor=None, association=association, document=document)
            if plan.decided_on is None:
                # The seed plans were adopted by their boards in late November.
                plan.decided_on = datetime.date(document.years[0] - 1, 11, 24)
                plan.save(update_fields=["decided_on"])
        loaded.append(f"{association.name}: {filename}")
    return loaded


def demo_round_load(*, today: datetime.date | None = None) -> list[str]:
    """An open application round at Samspelet with one application from Karlstads
    kommun, and a draft budget for the years it applies for, so the whole way from
    ansökan to beslut can be tried. Made once."""
    today = today or datetime.date.today()
    association = Association.objects.get(slug="samspelet")
    with scope(association=association):
        if ApplicationRound.objects.filter(association=association).exists():
            return []
        closes = max(today + datetime.timedelta(days=21), datetime.date(today.year, 12, 15))
        first_year = closes.year + 1
        round = intervention_services.round_create(
            actor=None,
            association=association,
            name=f"Ansökningsomgång {first_year}–{first_year + 2}",
            opens=today - datetime.timedelta(days=14),
            closes=closes,
            amount_available=3_000_000,
            description="Medel för insatser där minst två parter delar behovet.",
        )
        if not Plan.objects.filter(association=association, first_year=first_year).exists():
            plan = plan_create(
                actor=None,
                association=association,
                first_year=first_year,
                last_year=first_year + 2,
                opening_equity=3_988_000,
            )
            contribution_total_update(
                actor=None,
                plan=plan,
                total=dict.fromkeys(plan.years, 10_028_000),
                municipal_key="population",
            )
        members = {member.name: member for member in association.members.all()}
        applicant = User.objects.get(username="insats.samspelet")
        intervention_services.target_groups_ensure(association=association)
        intervention_services.application_submit(
            actor=applicant,
            association=association,
            round=round,
            title="Vägen vidare Karlstad",
            kind="individual",
            applicant=members["Karlstads kommun"],
            sharing_members=[members["Försäkringskassan"], members["Region Värmland"]],
            need=(
                "Unga vuxna i Karlstad med psykisk ohälsa och långvarigt försörjningsstöd "
                "behöver samordnat stöd från kommun, region och Försäkringskassan."
            ),
            goals="Hälften av deltagarna går vidare till arbete, studier eller aktivt arbetssökande.",
            years={
                first_year: (900_000, 40),
                first_year + 1: (900_000, 40),
                first_year + 2: (800_000, 35),
            },
            on=today,
        )
    return [f"{association.name}: {round.name} med en ansökan, budget {first_year}"]


# Individual insatser at Samspelet with synthetic participants (from the Värmland plan):
# name, owner, other members, participants, start.
DEMO_INTERVENTIONS = [
    (
        "Stegen Karlstad",
        "Karlstads kommun",
        [
            "Hammarö kommun",
            "Grums kommun",
            "Försäkringskassan",
            "Arbetsförmedlingen",
            "Region Värmland",
        ],
        130,
        datetime.date(2022, 1, 1),
    ),
    (
        "Stegen Kristinehamn",
        "Kristinehamns kommun",
        ["Försäkringskassan", "Arbetsförmedlingen", "Region Värmland"],
        70,
        datetime.date(2023, 1, 1),
    ),
]
DEMO_REGISTRAR = ("deltagare.samspelet", "Stegen Karlstad")
DEMO_SEED = 2024


def _demo_intervention(
    association: Association,
    name: str,
    owner: str,
    others: list[str],
    start: datetime.date,
) -> Intervention:
    intervention = Intervention.objects.filter(association=association, name=name).first()
    if intervention is not None:
        return intervention
    members = {member.name: member for member in association.members.all()}
    intervention_services.target_groups_ensure(association=association)
    intervention = intervention_services.intervention_create(
        actor=None,
        association=association,
        name=name,
        kind="individual",
        owner=members[owner],
        members=[members[other] for other in others],
        focus=(
            "Samordnat stöd till kvinnor och män som står långt från arbete, "
            "med coach från kommunen och stöd från parterna."
        ),
        start=start,
    )
    for status in ("prepared", "granted", "ongoing"):
        intervention_services.intervention_set_status(
            actor=None, intervention=intervention, status=status
        )
    return intervention


def demo_follow_up_load(*, today: datetime.date | None = None) -> list[str]:
    """The default instruments in every demo förbund; Samspelet's individual insatser
    with synthetic participants and responses; the demo deltagaransvarig on Stegen
    Karlstad. Participants are added only to an insats that has none."""
    loaded = []
    for slug in DEMO_PLANS:
        association = Association.objects.get(slug=slug)
        with scope(association=association):
            install_defaults(association=association)
    association = Association.objects.get(slug="samspelet")
    with scope(association=association):
        for name, owner, others, count, start in DEMO_INTERVENTIONS:
            intervention = _demo_intervention(association, name, owner, others, start)
            attach_defaults(intervention=intervention)
            if intervention.participants.exists():
                continue
            summary = participants_populate(
                intervention=intervention, count=count, seed=DEMO_SEED, today=today
            )
            loaded.append(
                f"{association.name}: {name} med {summary.participants} syntetiska deltagare "
                f"och {summary.responses} uppföljningar"
            )
        username, name = DEMO_REGISTRAR
        registrar = User.objects.get(username=username)
        intervention = Intervention.objects.get(association=association, name=name)
        if not InterventionStaff.objects.filter(intervention=intervention, user=registrar).exists():
            intervention_services.staff_add(actor=None, intervention=intervention, user=registrar)
    return loaded


# The goal map from the plan files has no goal on the participants, so Samspelet's gets
# one whose indicators are computed from its synthetic participants and responses,
# and a manual one with its source (goals.services).
DEMO_INDIVIDUAL_GOAL = {
    "perspective": "Individ",
    "text": "Deltagarna i Stegen tar steg mot arbete eller studier",
    "activities": "Individuppföljning, deltagarenkät och screening i Stegen",
    "responsible": "Förbundschef",
}
DEMO_INDIVIDUAL_INDICATORS = [
    # text, metric, params, (op, value) of the target for every year
    ("Minst 150 kvinnor och män deltar", "participants", {}, (">=", 150)),
    ("70 % av de avslutade har gjort stegförflyttning", "step_progress_share", {}, (">=", "0.70")),
    (
        "90 % upplever att de får det stöd de behöver",
        "survey_agree_share",
        {"question": "support"},
        (">=", "0.90"),
    ),
    (
        "Frågor om våld i nära relationer ställs till 90 % av dem som börjat",
        "screening_coverage",
        {"instrument": "screening_vnr"},
        (">=", "0.90"),
    ),
    (
        "Chefer upplever att samverkan kring deltagarna utvecklats",
        "manual",
        {"source": "Gruppdialog på chefsmöte"},
        (">=", 4),
    ),
]


def _demo_goal_map_copy(association: Association, year: int, into: int) -> GoalMap | None:
    """The plan year's goal map also for `into` (the current year), so the overview
    has one; made once."""
    source = GoalMap.objects.filter(association=association, year=year).first()
    if source is None or GoalMap.objects.filter(association=association, year=into).exists():
        return None
    return goal_services.goal_map_from_plan(
        actor=None,
        association=association,
        year=into,
        goals=goal_services.goal_map_to_plan(goal_map=source),
    )


def _demo_individual_goal(association: Association, goal_map: GoalMap) -> None:
    if goal_map.goals.filter(text=DEMO_INDIVIDUAL_GOAL["text"]).exists():
        return
    goal = goal_services.goal_create(actor=None, goal_map=goal_map, **DEMO_INDIVIDUAL_GOAL)
    for text, metric, params, (op, value) in DEMO_INDIVIDUAL_INDICATORS:
        indicator = goal_services.indicator_create(
            actor=None, goal=goal, text=text, metric=metric, params=params
        )
        goal_services.target_set(actor=None, indicator=indicator, year=None, op=op, value=value)


def _demo_manual_values(association: Association, year: int, today: datetime.date) -> None:
    """Values entered by hand for the manual indicators: the plan year's whole year,
    and tertial 1 of the current year once it has passed."""
    values = {
        "Chefer upplever att samverkan kring deltagarna utvecklats": (
            "4,2",
            "Gruppdialog på chefsmöte",
            "Medelvärde på en skala 1–5 bland sju chefer.",
        ),
        "Eget kapital högst 2 800 000 kr och minst en miljon kronor": (
            "2450000",
            "Bokslut",
            "Eget kapital vid årets slut enligt bokslutet.",
        ),
    }
    periods = {year: [(datetime.date(year, 1, 1), datetime.date(year, 12, 31))]}
    if today >= datetime.date(today.year, 5, 1) and today.year != year:
        periods[today.year] = [(datetime.date(today.year, 1, 1), datetime.date(today.year, 4, 30))]
    for indicator in Indicator.objects.filter(
        association=association, metric="manual", text__in=list(values)
    ).select_related("goal__goal_map"):
        value, source, comment = values[indicator.text]
        for start, end in periods.get(indicator.goal.goal_map.year, []):
            if indicator.manual_values.filter(period_start=start, period_end=end).exists():
                continue
            goal_services.manual_value_set(
                actor=None,
                indicator=indicator,
                period_start=start,
                period_end=end,
                value=value,
                source=source,
                comment=comment,
            )


def demo_goals_load(*, today: datetime.date | None = None) -> list[str]:
    """Each demo förbund's goal map comes from its plan file (plan_store). Here: the
    same map for the current year, Samspelet's goal on the participants in both, and
    values entered by hand for the manual indicators. Made once."""
    today = today or datetime.date.today()
    loaded = []
    for slug, filename in DEMO_PLANS.items():
        association = Association.objects.get(slug=slug)
        plan_year = int(filename.split("-")[1].split(".")[0])
        with scope(association=association):
            maps = [GoalMap.objects.filter(association=association, year=plan_year).first()]
            if today.year != plan_year:
                if _demo_goal_map_copy(association, plan_year, today.year) is not None:
                    loaded.append(f"{association.name}: målkarta {today.year}")
                maps.append(
                    GoalMap.objects.filter(association=association, year=today.year).first()
                )
            if slug == "samspelet":
                for goal_map in maps:
                    if goal_map is not None:
                        _demo_individual_goal(association, goal_map)
            _demo_manual_values(association, plan_year, today)
    return loaded


def demo_structural_load(*, today: datetime.date | None = None) -> list[str]:
    """Samspelet's structural work: a year of activities, a konsultationsteam with
    attendance and rates, avvikelser and guldkorn, and collaboration survey rounds.
    Each part is made once."""
    association = Association.objects.get(slug="samspelet")
    return (
        demo_activities_load(association, today=today)
        + demo_teams_load(association, today=today)
        + demo_deviations_load(association, today=today)
        + demo_surveys_load(association, today=today)
    )


def demo_everything() -> tuple[list[DemoLogin], list[str]]:
    logins = demo_load()
    return logins, (
        demo_plans_load()
        + demo_round_load()
        + demo_follow_up_load()
        + demo_goals_load()
        + demo_structural_load()
    )
