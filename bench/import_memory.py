"""How much memory importing a large participant file takes: 50 000 rows.

Run from the project directory:

    .venv/bin/python bench/import_memory.py [--rows 50000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stegvis_bench .venv/bin/python bench/import_memory.py

The rows are drawn by the synthetic generator (`stegvis.core.synthetic`) and written
to files, as a CSV (semicolon, like Swedish Excel) and as an XLSX where every row
has changed. Each import then runs as `stegvis participants import` in a process of
its own, so that the peak resident memory is that import's alone: the CSV into an
empty insats, a dry run of the XLSX, the XLSX stored, and an XLSX zip bomb of the
same size as the real one (refused before it is unpacked). It prints the process's
resident memory after Django started, its peak (VmHWM, Django's start included),
the time and the command's answer, next to the goal (peak ≤ 300 MB for 50 000
rows). The database is the benchmark's own (see bench/benchdb.py).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdb import ROOT, bench_database, bench_intervention, bench_places

GOAL_MB = 300
MIB = 1 << 20
GOAL_ROWS = 50_000
ADDRESS_LIMIT = 3 << 30  # bytes of address space a child may take
ASSOCIATION = "Samordningsförbundet Benchmark"
INTERVENTION = "Steget Björkvik"


def status_mb(field: str) -> float:
    """VmRSS (resident now) or VmHWM (the peak) of this process, from Linux's
    /proc/self/status. Not ru_maxrss: Linux counts in it the memory of the process
    that started this one, as it was when it did (here the parent, with 50 000 rows
    generated), and it would hide the import's own peak."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # kB
    raise LookupError(field)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=GOAL_ROWS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="behåll PostgreSQL-databasen")
    parser.add_argument("--child", nargs=2, metavar=("FILE", "DRY_RUN"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), dry_run=args.child[1] == "1")
        return
    with bench_database(keep=args.keep) as vendor, tempfile.TemporaryDirectory() as directory:
        run(args.rows, args.seed, vendor, Path(directory))


def run(count: int, seed: int, vendor: str, directory: Path) -> None:
    from django.db import connections

    from stegvis.core.exporters import Table, table_to_csv
    from stegvis.core.synthetic import FILE_COLUMNS, participant_file_rows

    places = bench_places()
    bench_intervention(association_name=ASSOCIATION, intervention_name=INTERVENTION)
    connections.close_all()  # the children write; SQLite wants no reader holding on

    rows = participant_file_rows(count=count, seed=seed, places=places, today=datetime.date.today())
    months = FILE_COLUMNS.index("månader utan arbete")
    changed = [[*row[:months], str(int(row[months] or 0) + 1), *row[months + 1 :]] for row in rows]
    csv_path = directory / "deltagare.csv"
    csv_path.write_bytes(table_to_csv(Table("Deltagare", FILE_COLUMNS, rows)))
    xlsx_path = directory / "deltagare.xlsx"
    write_xlsx(xlsx_path, FILE_COLUMNS, changed)
    del rows, changed
    bomb_path = directory / "bomb.xlsx"
    zip_bomb(xlsx_path, bomb_path)
    print(
        f"filer: {count} rader × {len(FILE_COLUMNS)} kolumner, CSV {mib(csv_path)}, "
        f"XLSX {mib(xlsx_path)} (uppackad {unpacked(xlsx_path) / MIB:.0f} MB), "
        f"zipbomb {mib(bomb_path)} (uppackad {unpacked(bomb_path) / MIB:.0f} MB); "
        f"databas: {vendor}"
    )
    runs = [
        ("CSV till tom insats", csv_path, False),
        ("XLSX, alla rader ändrade, provkörning", xlsx_path, True),
        ("XLSX, alla rader ändrade", xlsx_path, False),
        ("XLSX-zipbomb", bomb_path, False),
    ]
    print(f"{'':40}{'start MB':>10}{'topp MB':>10}{'s':>8}  svar")
    worst = 0.0
    for label, path, dry_run in runs:
        process = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, __file__, "--child", str(path), "1" if dry_run else "0"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=os.environ,
            check=False,
        )
        if process.returncode != 0:
            sys.exit(f"{label}: barnprocessen slutade med {process.returncode}\n{process.stderr}")
        figures = json.loads(process.stdout.strip().splitlines()[-1])
        worst = max(worst, figures["peak_mb"])
        answer = figures["answer"]
        print(
            f"{label:40}{figures['start_mb']:>10.0f}{figures['peak_mb']:>10.0f}"
            f"{figures['seconds']:>8.2f}  {answer[:90]}"
        )
    print(
        f"mål: topp ≤ {GOAL_MB} MB för {GOAL_ROWS} rader – högst {worst:.0f} MB –",
        "uppnått" if worst <= GOAL_MB else "INTE uppnått",
    )


def write_xlsx(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    """The rows as Excel keeps them: dates as date cells, years and months as numbers.
    Written with openpyxl's streaming writer: the exporter (`table_to_xlsx`) takes time
    that grows with the square of the rows, minutes for 50 000."""
    from openpyxl import Workbook

    dates = {columns.index(name) for name in ("startdatum", "slutdatum", "samtycke")}
    numbers = {columns.index(name) for name in ("födelseår", "månader utan arbete")}

    def cell(index: int, value: str) -> object:
        if not value:
            return None
        if index in dates:
            return datetime.date.fromisoformat(value)
        if index in numbers:
            return int(value)
        return value

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Deltagare")
    sheet.append(columns)
    for row in rows:
        sheet.append([cell(index, value) for index, value in enumerate(row)])
    workbook.save(path)


def mib(path: Path) -> str:
    return f"{path.stat().st_size / MIB:.1f} MB"


def unpacked(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist())


def zip_bomb(real: Path, bomb: Path) -> None:
    """The real workbook with its sheet padded by whitespace to about 1 GB before its
    closing tag: a valid workbook about as large as the real one that unpacks to a
    size no import should try to read."""
    with zipfile.ZipFile(real) as source, zipfile.ZipFile(bomb, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with target.open(entry, "w", force_zip64=True) as stream:
                    end = data.rindex(b"</worksheet>")
                    stream.write(data[:end])
                    block = b" " * MIB
                    for _ in range(1024):
                        stream.write(block)
                    stream.write(data[end:])
                continue
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def child(path: Path, *, dry_run: bool) -> None:
    """One import in this process: the command as a person runs it."""
    import io

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    sys.path.insert(0, str(ROOT))
    # A runaway import fails here instead of pushing the machine into swap.
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_LIMIT, ADDRESS_LIMIT))
    import django

    django.setup()
    from django.core.management import call_command

    start_mb = status_mb("VmRSS")
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    try:
        call_command(
            "participants",
            "import",
            ASSOCIATION,
            INTERVENTION,
            str(path),
            *(["--dry-run"] if dry_run else []),
            stdout=out,
            stderr=err,
        )
    except SystemExit:
        pass  # exit 2: the answer is on stderr
    except MemoryError:
        err.write(f"slut på minne (gränsen för processen är {ADDRESS_LIMIT >> 30} GB)\n")
    seconds = time.perf_counter() - started
    answer = (out.getvalue() or err.getvalue()).strip().splitlines()
    print(
        json.dumps(
            {
                "start_mb": start_mb,
                "peak_mb": status_mb("VmHWM"),
                "seconds": seconds,
                "answer": answer[0] if answer else "",
            }
        )
    )


if __name__ == "__main__":
    main()
