"""How long the förbund's overview (Översikt, the start page) takes on the national data set.

Run from the project directory:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stegvis_bench_ov \\
        .venv/bin/python bench/overview.py --share 0.05
    .venv/bin/python bench/overview.py --share 0.05          # SQLite, a twentieth

It generates the synthetic national data set (`synthetic_build(scale="national")`, or
with `--share` that share of the förbund, the largest first), gives the largest
förbund a budget for this year and a goal map of this year with ~20 indicators
(participant metrics with and without filters, economy, not yet measurable and
manual ones, each with a target), then renders the overview through the Django test
client as the förbund's chief (force_login; no second factor in the benchmark):
first a few loads with the cache emptied before each (everything computed), then one
cold load and p50/p95 over `--runs` warm loads (the förbund's data unchanged, so the
computed parts come from the cache keyed on its data version, goals/overview.py). Beside it, ONE hand-written SQL
query computing the same participant indicators (participants by kön, started,
exited, stegförflyttning) for the year, timed the same way, and the ratio.
The goal: the overview p95 ≤ 150 ms on PostgreSQL and ≤ 1.5 × the SQL.
The database is the benchmark's own (see bench/benchdb.py).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdb import bench_database, percentile

GOAL_P95_MS = 150.0
GOAL_RATIO = 1.5
PLAIN_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--share", type=float, default=0.05, help="andel av förbunden (0–1]")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="behåll PostgreSQL-databasen")
    args = parser.parse_args()

    # The test client speaks plain http to "testserver", with no second factor.
    os.environ["STEGVIS_REQUIRE_2FA"] = "0"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    with bench_database(keep=args.keep) as vendor:
        run(args.share, args.runs, args.seed, vendor)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


# Participant indicators of the goal map: (text, metric, params, op, target value).
INDICATORS: list[tuple[str, str, dict[str, str], str, str]] = [
    ("Minst 500 deltagare", "participants", {}, ">=", "500"),
    ("Minst 250 kvinnor", "participants", {"gender": "kvinna"}, ">=", "250"),
    ("Minst 200 män", "participants", {"gender": "man"}, ">=", "200"),
    ("Minst 150 påbörjar", "participants_started", {}, ">=", "150"),
    ("Minst 150 avslutar", "participants_exited", {}, ">=", "150"),
    ("80 % stegförflyttning", "step_progress_share", {}, ">=", "0.8"),
    ("70 % stegförflyttning, kvinnor", "step_progress_share", {"gender": "kvinna"}, ">=", "0.7"),
    ("70 % stegförflyttning, män", "step_progress_share", {"gender": "man"}, ">=", "0.7"),
    ("25 % till arbete", "exit_outcome_share", {"outcome": "arbete"}, ">=", "0.25"),
    ("10 % till studier", "exit_outcome_share", {"outcome": "studier"}, ">=", "0.1"),
    ("60 % planerad överlämning", "handover_share", {}, ">=", "0.6"),
    ("Minst 4 aktiviteter per år", "activities", {}, ">=", "4"),
    ("Inga avvikelser", "deviations", {}, "<=", "0"),
    ("Eget kapital högst 20 %", "equity_ratio", {}, "<=", "0.2"),
    ("Administration högst 30 %", "admin_share", {}, "<=", "0.3"),
    ("Kostnader enligt budget", "budget_adherence", {}, "<=", "1"),
    ("Chefer upplever bättre samverkan", "manual", {"source": "Gruppdialog"}, ">=", "4"),
    ("Helårsekvivalenter minskar", "full_year_equivalents", {}, "<=", "0.2"),
]


def _setup(association: object, year: int) -> object:
    """A chief, a budget for the year and a goal map of ~20 indicators."""
    from django_scopes import scope

    from stegvis.accounts.models import User
    from stegvis.associations.models import Member, Membership
    from stegvis.associations.roles import Role
    from stegvis.finance import services as finance_services
    from stegvis.finance.models import BudgetLine
    from stegvis.goals import services as goal_services
    from stegvis.interventions.models import Intervention

    chief = User.objects.create_user(username="bench-chief", password="bench-only")  # noqa: S106
    Membership.objects.create(association=association, user=chief, role=Role.CHIEF)
    with scope(association=association):
        members = list(Member.objects.filter(association=association))
        plan = finance_services.plan_create(
            actor=chief,
            association=association,
            first_year=year,
            last_year=year + 2,
            opening_equity=4_000_000,
        )
        years = range(year, year + 3)
        for member in members:
            finance_services.budget_line_create(
                actor=chief,
                plan=plan,
                side=BudgetLine.Side.REVENUE,
                name=f"Avgift {member.name}",
                category="contribution",
                member=member,
                amounts=dict.fromkeys(years, 8_000_000 // len(members)),
            )
        for name, category, amount in (
            ("Kansli", "administration", 2_000_000),
            ("Styrelse", "board", 200_000),
            ("Individinsatser", "individual", 5_000_000),
            ("Strukturinsatser", "structural", 1_500_000),
        ):
            finance_services.budget_line_create(
                actor=chief,
                plan=plan,
                side=BudgetLine.Side.COST,
                name=name,
                category=category,
                amounts=dict.fromkeys(years, amount),
            )

        goal_map = goal_services.goal_map_ensure(actor=chief, association=association, year=year)
        goal = None
        for number, (text, metric, params, op, value) in enumerate(INDICATORS):
            if number % 5 == 0:
                goal = goal_services.goal_create(
                    actor=chief,
                    goal_map=goal_map,
                    perspective=["Individ", "Utveckling", "Arbetssätt", "Ekonomi"][number // 5],
                    text=f"Mål {number // 5 + 1}",
                )
            assert goal is not None
            indicator = goal_services.indicator_create(
                actor=chief, goal=goal, text=text, metric=metric, params=params
            )
            goal_services.target_set(
                actor=chief, indicator=indicator, year=None, op=op, value=value
            )
        # Two indicators filtered on the largest insatser.
        for intervention in Intervention.objects.filter(association=association).order_by("pk")[:2]:
            indicator = goal_services.indicator_create(
                actor=chief,
                goal=goal,
                text=f"80 % stegförflyttning i {intervention.name}",
                metric="step_progress_share",
                params={"intervention": intervention.name},
            )
            goal_services.target_set(
                actor=chief, indicator=indicator, year=None, op=">=", value="0.8"
            )
    return chief


SQL = """
SELECT p.gender,
       COUNT(*) FILTER (WHERE p.start <= %(last)s AND (p.exit IS NULL OR p.exit >= %(first)s)),
       COUNT(*) FILTER (WHERE p.start >= %(first)s AND p.start <= %(last)s),
       COUNT(*) FILTER (WHERE p.exit >= %(first)s AND p.exit <= %(last)s),
       COUNT(*) FILTER (WHERE p.exit >= %(first)s AND p.exit <= %(last)s
                        AND p.outcome IN ({outcomes}))
FROM participants_participant p
WHERE p.association_id = %(association)s
GROUP BY p.gender
"""
SQLITE_SQL = """
SELECT p.gender,
       SUM(CASE WHEN p.start <= %(last)s AND (p.exit IS NULL OR p.exit >= %(first)s)
           THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.start >= %(first)s AND p.start <= %(last)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.exit >= %(first)s AND p.exit <= %(last)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.exit >= %(first)s AND p.exit <= %(last)s
                 AND p.outcome IN ({outcomes}) THEN 1 ELSE 0 END)
FROM participants_participant p
WHERE p.association_id = %(association)s
GROUP BY p.gender
"""


def run(share: float, runs: int, seed: int, vendor: str) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django_scopes import scopes_disabled

    from stegvis.associations.models import Association
    from stegvis.core.synthetic import synthetic_build
    from stegvis.participants.models import Participant
    from stegvis.participants.vocabulary import STEP_PROGRESS_OUTCOMES

    print(f"databas: {vendor}; genererar nationell skala, andel {share:g} av förbunden …")
    summary = synthetic_build(
        scale="national",
        seed=seed,
        share=share,
        progress=lambda message: (
            print(f"  {message}", flush=True)
            if message.startswith(("1/", "10/", "25/", "50/", "75/"))
            else None
        ),
    )
    today = datetime.date.today()
    year = today.year
    with scopes_disabled():
        association = Association.objects.get(slug=summary.largest)
        chief = _setup(association, year)
        people = Participant.objects.filter(association=association).count()
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"data: {summary.associations} förbund, {summary.participants} deltagare, "
        f"{summary.responses} uppföljningar; största förbundet {association.name}: "
        f"{people} deltagare, målkarta med {len(INDICATORS) + 2} indikatorer"
    )

    client = Client()
    client.force_login(chief)
    url = f"/f/{association.slug}/"

    def load(address: str = url) -> float:
        start = time.perf_counter()
        response = client.get(address)
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            sys.exit(f"översikten svarade {response.status_code}")
        return elapsed

    # Static files are not collected for the benchmark: plain storage, no manifest.
    with override_settings(STORAGES=PLAIN_STORAGES):
        # Every load computing everything (the cache emptied before each, untimed)…
        uncached = []
        for _ in range(max(5, runs // 5)):
            cache.clear()
            uncached.append(load())
        # …then the page as it is used: the förbund's data unchanged between loads,
        # so the computed parts come from the cache (goals/overview.py).
        cache.clear()
        timings = [load() for _ in range(runs + 1)]
        # For scale: a simple page of the same förbund (the members), what every page
        # costs (session, login, förbund and role, the layout).
        simple = [load(f"{url}installningar/medlemmar/") for _ in range(runs + 1)][1:]
    page_cold, page_warm = timings[0], timings[1:]
    outcomes = ", ".join(f"'{code}'" for code in sorted(STEP_PROGRESS_OUTCOMES))
    sql = (SQL if vendor == "postgresql" else SQLITE_SQL).format(outcomes=outcomes)
    params = {
        "first": datetime.date(year, 1, 1),
        "last": datetime.date(year, 12, 31),
        "association": association.pk,
    }
    timings = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        timings.append(time.perf_counter() - start)
    sql_cold, sql_warm = timings[0], timings[1:]
    totals = [sum(row[i] or 0 for row in rows) for i in range(1, 5)]
    print(
        f"SQL {year}: {totals[0]} deltagare, {totals[1]} påbörjade, {totals[2]} avslutade, "
        f"{totals[3]} med stegförflyttning"
    )

    page_p95, sql_p95 = percentile(page_warm, 0.95), percentile(sql_warm, 0.95)
    print(f"{'':36}{'kall':>11}{'p50':>11}{'p95':>11}")
    print(
        f"{'översikten utan cache':36}{'':>11}"
        f"{_ms(statistics.median(uncached)):>11}{_ms(percentile(uncached, 0.95)):>11}"
    )
    print(
        f"{'översikten (hela sidan)':36}{_ms(page_cold):>11}"
        f"{_ms(statistics.median(page_warm)):>11}{_ms(page_p95):>11}"
    )
    print(
        f"{'enkel sida (medlemmar), jämförelse':36}{'':>11}"
        f"{_ms(statistics.median(simple)):>11}{_ms(percentile(simple, 0.95)):>11}"
    )
    print(
        f"{'en handskriven SQL-fråga':36}{_ms(sql_cold):>11}"
        f"{_ms(statistics.median(sql_warm)):>11}{_ms(sql_p95):>11}"
    )
    ratio = page_p95 / sql_p95 if sql_p95 else float("inf")
    print(f"kvot p95 översikten / SQL: {ratio:.1f}")
    reached = page_p95 * 1000 <= GOAL_P95_MS
    print(
        f"mål: p95 ≤ {GOAL_P95_MS:.0f} ms – {'uppnått' if reached else 'INTE uppnått'}; "
        f"≤ {GOAL_RATIO:g} × SQL – {'uppnått' if ratio <= GOAL_RATIO else 'INTE uppnått'}"
        + ("" if vendor == "postgresql" else " (mätt på SQLite)")
    )


if __name__ == "__main__":
    main()
