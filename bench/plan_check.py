"""How long `stegvis plan check` takes on a large plan: 500 lines × 10 years.

Run from the project directory: `.venv/bin/python bench/plan_check.py [--runs 7]`.
Prints the time of the whole process (`.venv/bin/stegvis plan check FILE`, as a
person runs it: Python start, Django setup, reading, checking, printing) and of the
reading and checking alone, in process. The goal is under one second for the whole
process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings_test")

import django  # noqa: E402

django.setup()

from stegvis.plans.check import check_report, check_summary  # noqa: E402
from stegvis.plans.reader import read_plan  # noqa: E402
from stegvis.plans.synthetic import synthetic_document  # noqa: E402
from stegvis.plans.writer import write_plan  # noqa: E402


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--format", default="yaml", choices=["yaml", "json", "xlsx"])
    args = parser.parse_args()

    document = synthetic_document(lines=args.lines, years=args.years)
    data = write_plan(document, fmt=args.format)
    stegvis = Path(sys.executable).with_name("stegvis")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stegvis.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-a-secret"),
    }
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"plan.{args.format}"
        path.write_bytes(data)
        print(
            f"plan: {args.lines} rader × {args.years} år, {args.format}, {len(data) / 1024:.0f} kB"
        )

        in_process = []
        for _ in range(args.runs):
            start = time.perf_counter()
            checked, warnings = read_plan(path.read_bytes(), filename=path.name)
            check_report(checked)
            check_summary(checked, warnings=warnings)
            in_process.append(time.perf_counter() - start)

        whole = {}
        for flag in ([], ["--json"]):
            timings = []
            for _ in range(args.runs):
                start = time.perf_counter()
                result = subprocess.run(  # noqa: S603 - our own command
                    [str(stegvis), "plan", "check", *flag, str(path)],
                    capture_output=True,
                    env=env,
                    check=False,
                )
                timings.append(time.perf_counter() - start)
                if result.returncode != 0:
                    sys.exit(
                        f"stegvis plan check gav {result.returncode}: {result.stderr.decode()}"
                    )
            whole[" ".join(["plan check", *flag])] = timings

        startup = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(  # noqa: S603 - our own command
                [str(stegvis), "plan", "--help"], capture_output=True, env=env, check=False
            )
            startup.append(time.perf_counter() - start)

    print(f"{'':34}{'min':>10}{'median':>10}")
    rows = [("läsa + kontrollera (i processen)", in_process)]
    rows += [(f"hela processen: {name}", timings) for name, timings in whole.items()]
    rows.append(("hela processen: plan --help (start)", startup))
    for label, timings in rows:
        print(f"{label:34}{_ms(min(timings)):>10}{_ms(statistics.median(timings)):>10}")
    slowest = max(statistics.median(t) for t in whole.values())
    print("mål: under 1 s för hela processen –", "uppnått" if slowest < 1 else "INTE uppnått")


if __name__ == "__main__":
    main()
