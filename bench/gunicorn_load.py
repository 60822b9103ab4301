"""gunicorn settings for the load test: each request's wall-clock and CPU time.

`bench/load.sh` serves Stegvis with `gunicorn -c bench/gunicorn_load.py`. Beside the
access log, every request's server time is written to $LOAD_TIMINGS as
`start;pid;status;wall_ms;cpu_ms;path` (start in seconds since the epoch, pid of the
worker process): the CPU time is the worker thread's own
(time.thread_time, Python and the C libraries it calls: templates, WeasyPrint,
psycopg), so it does not grow when other programs share the machine, while the
wall-clock time also holds the waits: the database, the GIL shared by a worker's
threads, the CPU's run queue. Wall much above CPU means waiting; CPU near wall means
the page itself is expensive.

    .venv/bin/python bench/gunicorn_load.py test-artifacts/load/timings.csv

prints the requests by kind of path (numbers as <n>) with count, p50/p95 of wall and
CPU time and the share of all CPU time spent on them.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

_TIMINGS = os.environ.get("LOAD_TIMINGS", "")
_lock = threading.Lock()
_started = threading.local()


def pre_request(worker: Any, req: Any) -> None:
    _started.epoch = time.time()
    _started.wall = time.perf_counter()
    _started.cpu = time.thread_time()


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    if not _TIMINGS or not hasattr(_started, "wall"):
        return
    wall = (time.perf_counter() - _started.wall) * 1000
    cpu = (time.thread_time() - _started.cpu) * 1000
    status = str(getattr(resp, "status", "") or "").split(" ")[0]
    line = f"{_started.epoch:.3f};{os.getpid()};{status};{wall:.1f};{cpu:.1f};{req.path}\n"
    with _lock, open(_TIMINGS, "a") as file:
        file.write(line)


def kind_of(path: str) -> str:
    return re.sub(r"\d+", "<n>", path)


def summary(path: Path, *, top: int = 15) -> str:
    from benchdb import percentile

    walls: dict[str, list[float]] = defaultdict(list)
    cpus: dict[str, list[float]] = defaultdict(list)
    for line in path.read_text().splitlines():
        _start, _pid, _status, wall, cpu, request_path = line.split(";", 5)
        walls[kind_of(request_path)].append(float(wall))
        cpus[kind_of(request_path)].append(float(cpu))
    total_cpu = sum(sum(values) for values in cpus.values()) or 1.0
    rows = sorted(walls, key=lambda kind: percentile(walls[kind], 0.95), reverse=True)
    lines = [
        f"{'anrop':>6} {'vägg p50':>9} {'vägg p95':>9} {'CPU p50':>8} {'CPU p95':>8} "
        f"{'CPU-andel':>9}  sökväg (ms, i servern)"
    ]
    for kind in rows[:top]:
        lines.append(
            f"{len(walls[kind]):>6} {percentile(walls[kind], 0.5):>9.0f} "
            f"{percentile(walls[kind], 0.95):>9.0f} {percentile(cpus[kind], 0.5):>8.0f} "
            f"{percentile(cpus[kind], 0.95):>8.0f} {sum(cpus[kind]) / total_cpu:>9.0%}  {kind}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(Path(sys.argv[1])))
