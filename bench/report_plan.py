"""How long the verksamhetsplan PDF of the demo förbund takes, the whole process.

Run from the project directory:

    .venv/bin/python bench/report_plan.py                     # SQLite, temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stegvis_bench_plan \\
        .venv/bin/python bench/report_plan.py                 # PostgreSQL

It loads the demo (`core.demo.demo_everything`: Samordningsförbundet Samspelet with
the Värmland seed plan, its goal maps, insatser with synthetic participants and
mätpunkter), writes the plan's texts (inledning … vision, as long as the seed's), and
then times what `stegvis report plan samspelet 2024` and the PDF link do: gathering
the document from the selectors (`reports.plan.plan_report`) and laying it out as PDF
(`plan_pdf`, WeasyPrint with the budget chart). First one cold run (templates, fonts
and matplotlib loaded), then p50/p95 over `--runs` runs, as wall-clock time and as
the process's CPU time (what the machine's other work does not inflate).
The goal: the whole process ≤ 2 s. The database is the benchmark's own (bench/benchdb.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdb import bench_database, percentile

GOAL_SECONDS = 2.0
YEAR = 2024

# The Värmland seed plan's own sections (shared/seeds/003_…), shortened a little.
TEXTS = {
    "introduction": (
        "För att möta behoven av samverkan och samordning för personer som har behov av "
        "arbetslivsinriktad rehabilitering ger Lagen om finansiell samordning av "
        "rehabiliteringsinsatser (2003:1210) möjlighet att bilda samordningsförbund. Ett "
        "förbund ska vara en gemensam arena där myndigheter och hälso- och sjukvården kan "
        "verka tillsammans lokalt och ta ett samlat ansvar utifrån ett helhetsperspektiv.\n\n"
        "Målet med samverkan är att undvika gråzoner och överbrygga glapp mellan "
        "myndigheter.\n\n"
        "Varje parts ordinarie uppdrag är följande:\n"
        "- Försäkringskassan – samordningsuppdrag för sjukpenning och aktivitetsersättning\n"
        "- Arbetsförmedlingen – arbetslivsinriktad rehabilitering\n"
        "- Region Värmland – medicinsk rehabilitering\n"
        "- Kommun – social rehabilitering"
    ),
    "mission": (
        "Förbundets uppdrag är att genom lokala behovsanalyser upptäcka organisatoriska "
        "mellanrum mellan de olika parterna där målet är att stödja kvinnor och män i behov "
        "av samordnat stöd för att de ska närma sig arbetsmarknaden, börja arbeta eller "
        "studera.\n\n"
        "Samspelet har, enligt lagen om finansiell samordning, till uppgift att:\n"
        "- besluta om mål och riktlinjer för den finansiella samordningen\n"
        "- stödja samverkan mellan samverkansparterna\n"
        "- finansiera insatser inom parternas samlade ansvarsområde\n"
        "- upprätta verksamhetsplan, budget och årsredovisning\n"
        "- svara för uppföljning och utvärdering av finansierade insatser"
    ),
    "organisation": (
        "Samspelet är organiserat genom en styrelse med en förbundschef. Styrelsen är "
        "förbundets högsta beslutande och förvaltande organ.\n\n"
        "En beredningsgrupp stödjer förbundschefen i att bereda ärenden till styrelsen. "
        "Styrgrupper till varje insats stödjer projektägare och projektledare att nå satta mål."
    ),
    "target_group": (
        "Den gemensamma målgruppen är kvinnor och män, 16–64 år, som befinner sig i en "
        "komplex situation, ofta med en kombination av psykisk, fysisk och social ohälsa."
    ),
    "vision": "Alla får rätt stöd från rätt part i rätt tid, på väg mot arbete eller studier.",
}


def _s(seconds: float) -> str:
    return f"{seconds:6.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="behåll PostgreSQL-databasen")
    parser.add_argument("--output", help="spara PDF:en här (för att titta på den)")
    args = parser.parse_args()
    with bench_database(keep=args.keep) as vendor:
        run(args.runs, vendor, args.output)


def run(runs: int, vendor: str, output: str | None) -> None:
    from stegvis.associations.models import Association
    from stegvis.core.demo import demo_everything
    from stegvis.reports.pdf import pdf_text
    from stegvis.reports.plan import plan_pdf, plan_report
    from stegvis.reports.services import plan_texts_save

    print(f"databas: {vendor}; laddar demon …", flush=True)
    demo_everything()
    association = Association.objects.get(slug="samspelet")
    plan_texts_save(actor=None, association=association, year=YEAR, texts=TEXTS)

    def once() -> tuple[float, float, float, bytes]:
        wall, cpu = time.perf_counter(), time.process_time()
        report = plan_report(association=association, year=YEAR)
        gathered = time.perf_counter() - wall
        pdf = plan_pdf(report)
        return time.perf_counter() - wall, time.process_time() - cpu, gathered, pdf

    cold, cold_cpu, _gathered, pdf = once()
    timings = [once() for _ in range(runs)]
    walls = [each[0] for each in timings]
    cpus = [each[1] for each in timings]
    gathering = [each[2] for each in timings]
    report = plan_report(association=association, year=YEAR)
    pages = pdf_text(pdf).count("\f")
    print(
        f"{association.name}, verksamhetsplan {YEAR}: {pages} sidor, {len(pdf) // 1024} kB; "
        f"{report.insatser.count} insatser, {report.indicator_count} indikatorer, "
        f"{len(report.budget.years) if report.budget else 0} budgetår"
    )
    if output:
        Path(output).write_bytes(pdf)
        print(f"PDF:en sparad i {output}")
    print(f"{'':34}{'kall':>9}{'p50':>9}{'p95':>9}")
    print(
        f"{'hela processen (väggklocka)':34}{_s(cold):>9}"
        f"{_s(statistics.median(walls)):>9}{_s(percentile(walls, 0.95)):>9}"
    )
    print(
        f"{'hela processen (processorns tid)':34}{_s(cold_cpu):>9}"
        f"{_s(statistics.median(cpus)):>9}{_s(percentile(cpus, 0.95)):>9}"
    )
    print(
        f"{'  varav urvalet (plan_report)':34}{'':>9}"
        f"{_s(statistics.median(gathering)):>9}{_s(percentile(gathering, 0.95)):>9}"
    )
    reached = percentile(walls, 0.95) <= GOAL_SECONDS
    print(
        f"mål: hela processen ≤ {GOAL_SECONDS:g} s (p95) – "
        + ("uppnått" if reached else "INTE uppnått")
        + ("" if vendor == "postgresql" else " (mätt på SQLite)")
    )


if __name__ == "__main__":
    main()
