"""How long the participant report takes on the national data set.

Run from the project directory:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stegvis_bench .venv/bin/python bench/participants_report.py
    .venv/bin/python bench/participants_report.py --share 0.05      # SQLite, a twentieth

It generates the synthetic national data set (`stegvis demo-data --scale national`:
75 förbund, 1 500 insatser, 400 000 participants, 2.5 million responses) or, with
`--share`, that share of the förbund, the largest first, so the largest förbund is
always the same as in the whole set. Then it times
`participants_report(association=…, year=…)` for the largest förbund and for its
largest insats: one cold run, then warm p50/p95 over `--runs` runs, for last year
and this year. The goal: the national förbund report ≤ 1 s on PostgreSQL.
The database is the benchmark's own (see bench/benchdb.py).
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdb import bench_database, percentile

GOAL_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--share", type=float, default=None, help="andel av förbunden (0–1]")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="behåll PostgreSQL-databasen")
    args = parser.parse_args()

    with bench_database(keep=args.keep) as vendor:
        share = args.share if args.share is not None else (1.0 if vendor == "postgresql" else 0.05)
        run(share, args.runs, args.seed, vendor)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def run(share: float, runs: int, seed: int, vendor: str) -> None:
    from django.db import connection
    from django.db.models import Count
    from django_scopes import scope, scopes_disabled

    from stegvis.associations.models import Association
    from stegvis.core.synthetic import synthetic_build
    from stegvis.instruments.models import Response, ResponseAnswer
    from stegvis.interventions.models import Intervention
    from stegvis.participants.models import Participant
    from stegvis.participants.report import participants_report

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
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"data: {summary.associations} förbund, {summary.interventions} insatser, "
        f"{summary.participants} deltagare, {summary.responses} uppföljningar (svarstillfällen), "
        f"{summary.answers} svar på frågor; genererat på {summary.seconds:.0f} s"
    )
    today = datetime.date.today()
    with scopes_disabled():
        association = Association.objects.get(slug=summary.largest)
        insats = (
            Intervention.objects.filter(association=association)
            .annotate(people=Count("participants"))
            .order_by("-people")
            .first()
        )
        assert insats is not None
        sizes = {
            "deltagare": Participant.objects.filter(association=association).count(),
            "uppföljningar": Response.objects.filter(association=association).count(),
            "svar": ResponseAnswer.objects.filter(association=association).count(),
        }
        insats_people = Participant.objects.filter(intervention=insats).count()
    print(
        f"största förbundet: {association.name}: "
        + ", ".join(f"{count} {label}" for label, count in sizes.items())
    )
    print(f"största insatsen: {insats.name}: {insats_people} deltagare")

    print(f"{'':44}{'kall':>11}{'p50':>11}{'p95':>11}")
    worst_association = 0.0
    for year in (today.year - 1, today.year):
        for label, intervention in (("förbundet", None), ("insatsen", insats)):
            timings = []
            with scope(association=association):
                for _ in range(runs + 1):
                    start = time.perf_counter()
                    participants_report(
                        association=association, year=year, intervention=intervention
                    )
                    timings.append(time.perf_counter() - start)
            cold, warm = timings[0], timings[1:]
            p50 = statistics.median(warm)
            if intervention is None:
                worst_association = max(worst_association, p50)
            print(
                f"{f'rapport {year}, {label}':44}{_ms(cold):>11}{_ms(p50):>11}"
                f"{_ms(percentile(warm, 0.95)):>11}"
            )
    reached = "uppnått" if worst_association <= GOAL_SECONDS else "INTE uppnått"
    where = (
        ""
        if vendor == "postgresql" and share == 1.0
        else " (mätt på annat än hela data på PostgreSQL)"
    )
    print(f"mål: förbundets rapport ≤ {GOAL_SECONDS:.0f} s på PostgreSQL – {reached}{where}")


if __name__ == "__main__":
    main()
