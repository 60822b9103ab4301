"""How long importing a large participant file takes: 50 000 rows.

Run from the project directory:

    .venv/bin/python bench/participants_import.py [--rows 50000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stegvis_bench .venv/bin/python bench/participants_import.py

The rows are drawn by the synthetic generator (`stegvis.core.synthetic`), as a CSV
(semicolon, like Swedish Excel) and as an XLSX file. The script imports the CSV into
an empty insats, the same CSV again (every row found by its code, nothing changed),
and then an XLSX where every row has changed, each with
`participants_import(dry_run=False)` as the command and the page call it, and a dry
run of the XLSX. It prints rows, seconds and rows per second next to the goal
(≤ 10 s for 50 000 rows). The database is the benchmark's own (see bench/benchdb.py).
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdb import bench_database, bench_intervention, bench_places

GOAL_SECONDS = 10.0
GOAL_ROWS = 50_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=GOAL_ROWS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="behåll PostgreSQL-databasen")
    args = parser.parse_args()

    with bench_database(keep=args.keep) as vendor:
        run(args.rows, args.seed, vendor)


def run(count: int, seed: int, vendor: str) -> None:
    from django_scopes import scopes_disabled

    from stegvis.core.exporters import Table, table_to_csv, table_to_xlsx
    from stegvis.core.synthetic import FILE_COLUMNS, participant_file_rows
    from stegvis.participants.importing import participants_import
    from stegvis.participants.models import Participant

    today = datetime.date.today()
    places = bench_places()
    intervention = bench_intervention(
        association_name="Samordningsförbundet Benchmark", intervention_name="Steget Björkvik"
    )

    started = time.perf_counter()
    rows = participant_file_rows(count=count, seed=seed, places=places, today=today)
    csv_data = table_to_csv(Table("Deltagare", FILE_COLUMNS, rows))
    months = FILE_COLUMNS.index("månader utan arbete")
    changed = [[*row[:months], str(int(row[months] or 0) + 1), *row[months + 1 :]] for row in rows]
    xlsx_data = table_to_xlsx([Table("Deltagare", FILE_COLUMNS, changed)])
    print(
        f"fil: {count} rader × {len(FILE_COLUMNS)} kolumner, CSV {len(csv_data) / 1e6:.1f} MB, "
        f"XLSX {len(xlsx_data) / 1e6:.1f} MB (skapade på {time.perf_counter() - started:.1f} s); "
        f"databas: {vendor}"
    )

    runs = [
        ("CSV till tom insats", csv_data, "deltagare.csv", False),
        ("samma CSV igen (oförändrade)", csv_data, "deltagare.csv", False),
        ("XLSX, alla rader ändrade, provkörning", xlsx_data, "deltagare.xlsx", True),
        ("XLSX, alla rader ändrade", xlsx_data, "deltagare.xlsx", False),
    ]
    print(f"{'':40}{'rader':>8}{'nya':>8}{'ändrade':>9}{'s':>8}{'rader/s':>10}")
    slowest = 0.0
    for label, data, filename, dry_run in runs:
        start = time.perf_counter()
        result = participants_import(
            actor=None, intervention=intervention, data=data, filename=filename, dry_run=dry_run
        )
        seconds = time.perf_counter() - start
        if not result.ok:
            for problem in result.problems[:10]:
                print(f"  {problem}")
            sys.exit(f"{label}: {len(result.problems)} fel, inget sparat")
        if not dry_run:
            slowest = max(slowest, seconds)
        print(
            f"{label:40}{count:>8}{result.created:>8}{result.updated:>9}"
            f"{seconds:>8.2f}{count / seconds:>10.0f}"
        )
    with scopes_disabled():
        stored = Participant.objects.filter(intervention=intervention).count()
    print(f"lagrade deltagare: {stored}")
    scaled = slowest * GOAL_ROWS / count
    print(
        f"mål: import av {GOAL_ROWS} rader ≤ {GOAL_SECONDS:.0f} s – "
        f"långsammast {scaled:.1f} s (omräknat till {GOAL_ROWS} rader) –",
        "uppnått" if scaled <= GOAL_SECONDS else "INTE uppnått",
    )


if __name__ == "__main__":
    main()
