"""The load test's journeys: what each demo role does in Stegvis, as locust users.

Run through `bench/load.sh`, which loads the demo, makes the accounts
(`bench/load_accounts.py`) and serves Stegvis with gunicorn. By hand, against a
server at 127.0.0.1:8000 and an accounts file made by load_accounts.py:

    LOAD_ACCOUNTS=test-artifacts/load/accounts.json .venv/bin/locust -f bench/locustfile.py \\
        --headless -u 50 -r 5 --run-time 2m --host http://127.0.0.1:8000

Four kinds of people in Samordningsförbundet Samspelet (the demo's förbund with
participants), each logging in once with their own account and, where the role
needs it, a TOTP code computed here from the account's key (see load_accounts.py):

* förbundschef: Översikt, the budget, Insatser and an insats, the goal map and an
  indicator, the reports, now and then a report's PDF;
* styrelse: Översikt, the budget, the goal map, the reports;
* deltagaransvarig: the participants of Stegen Karlstad, a participant, the due
  list, the participant report;
* insatsansvarig: their insats (Stegen Karlstad), the reports.

Every request is named by its kind, so the results separate them: `[page] …` the
ordinary pages (goal: p95 ≤ 300 ms), `[report] …` the report pages and PDFs
(p95 ≤ 1 s), `[login] …` the login (password hashing is slow on purpose; not part
of either goal). At the end the file prints each kind's p50/p95/max, once for the
steady state (all users logged in) and once for the whole run, the errors and the
slowest requests, and writes them to `<--csv prefix>_summary.txt` and `_groups.csv`.
The process exits 1 when any request failed; the goals are printed, not enforced
(the machine may be shared).

Only loopback: the host must be 127.0.0.1 or localhost.
"""

# ruff: noqa: S311 - random picks which page a simulated person opens next; nothing secret

from __future__ import annotations

import csv
import itertools
import json
import math
import os
import random
import re
import sys
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django_otp.oath import TOTP
from locust import HttpUser, between, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdb import percentile

ACCOUNTS_FILE = Path(os.environ.get("LOAD_ACCOUNTS", "test-artifacts/load/accounts.json"))
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PAGE_P95_MS = 300
REPORT_P95_MS = 1000
GOALS = {"page": PAGE_P95_MS, "report": REPORT_P95_MS}
YEAR = time.localtime().tm_year
# Delårsrapport tertial 1 exists from May, tertial 2 from September.
TERTIAL = 2 if time.localtime().tm_mon >= 9 else 1


class Links(HTMLParser):
    """The page's links as (href, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def links(html: str, pattern: str) -> list[tuple[str, str]]:
    """The links whose path matches the pattern, once each, in page order."""
    parser = Links()
    parser.feed(html)
    seen: dict[str, str] = {}
    for href, text in parser.links:
        if re.fullmatch(pattern, href) and href not in seen:
            seen[href] = text
    return list(seen.items())


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def totp_code(device: dict[str, Any], at: float) -> tuple[str, int]:
    """The code of a TOTP device at a time, and its time step (django-otp's own TOTP)."""
    totp = TOTP(bytes.fromhex(device["key"]), device["step"], device["t0"], device["digits"])
    totp.time = at
    return f"{totp.token():0{device['digits']}d}", totp.t()


def load_accounts() -> dict[str, Any]:
    try:
        return json.loads(ACCOUNTS_FILE.read_text())
    except FileNotFoundError:
        raise SystemExit(
            f"{ACCOUNTS_FILE} saknas: kör bench/load.sh, eller bench/load_accounts.py "
            "och ange filen i LOAD_ACCOUNTS."
        ) from None


ACCOUNTS = load_accounts()
ASSOCIATION = ACCOUNTS["association"]
BASE = f"/f/{ASSOCIATION}"
# Each simulated person takes the next account of their role.
_next_account = {role: itertools.count() for role in ACCOUNTS["accounts"]}


class Person(HttpUser):
    """Someone who logs in once and then reads pages, 5–15 s on each."""

    abstract = True
    role = ""
    wait_time = between(5, 15)

    def on_start(self) -> None:
        self.account = ACCOUNTS["accounts"][self.role][next(_next_account[self.role])]
        self.last_step = -1
        self.login()
        self.discover()
        RESULTS.arrive(self.environment)

    # -- requests -------------------------------------------------------------

    def fetch(
        self, path: str, name: str, *, expect: str = "text/html", public: bool = False
    ) -> str:
        """GET a page; a failure unless it answers 200 with the expected content type
        and, unless public, without sending the person to the login page."""
        with self.client.get(path, name=name, catch_response=True) as response:
            content_type = response.headers.get("Content-Type", "")
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif not public and "/konto/" in urlsplit(response.url or "").path:
                response.failure(f"skickades till {urlsplit(response.url or '').path}")
            elif not content_type.startswith(expect):
                response.failure(f"fick {content_type}, väntade {expect}")
            else:
                response.success()
                return response.text if expect == "text/html" else ""
        return ""

    def page(self, path: str, title: str) -> str:
        return self.fetch(path, f"[page] {title}")

    def report(self, path: str, title: str) -> str:
        return self.fetch(path, f"[report] {title}")

    def report_pdf(self, path: str, title: str) -> None:
        self.fetch(path, f"[report] {title} PDF", expect="application/pdf")

    def give_up(self, name: str, reason: str) -> None:
        """Count a journey that cannot go on as a failed request, and stop this user."""
        self.environment.events.request.fire(
            request_type="GET",
            name=name,
            response_time=0,
            response_length=0,
            response=None,
            context={},
            exception=RuntimeError(reason),
        )
        raise StopUser()

    # -- login ----------------------------------------------------------------

    def login(self) -> None:
        page = self.fetch("/konto/logga-in/", "[login] inloggningssidan", public=True)
        if not csrf_token(page):
            self.give_up("[login] inloggningssidan", "inget inloggningsformulär")
        with self.client.post(
            "/konto/logga-in/",
            name="[login] lösenord",
            data={
                "username": self.account["username"],
                "password": ACCOUNTS["password"],
                "csrfmiddlewaretoken": csrf_token(page),
            },
            catch_response=True,
        ) as response:
            path = urlsplit(response.url or "").path
            if response.status_code != 200 or path == "/konto/logga-in/":
                response.failure(f"inloggningen misslyckades (HTTP {response.status_code})")
                raise StopUser()
            verify = response
        if "totp" not in self.account:
            return
        device = self.account["totp"]
        code, step = totp_code(device, time.time())
        if step <= self.last_step:
            # django-otp takes a code once per device: wait for the next one.
            time.sleep(device["step"] - time.time() % device["step"] + 0.5)
            code, step = totp_code(device, time.time())
        with self.client.post(
            verify.url,
            name="[login] tvåfaktorskod",
            data={"token": code, "csrfmiddlewaretoken": csrf_token(verify.text)},
            catch_response=True,
        ) as response:
            if not urlsplit(verify.url or "").path.startswith("/konto/tvafaktor/"):
                response.failure("ingen fråga om tvåfaktorskod efter lösenordet")
                raise StopUser()
            if response.status_code != 200 or "/konto/" in urlsplit(response.url or "").path:
                response.failure("tvåfaktorskoden godtogs inte")
                raise StopUser()
        self.last_step = step

    def discover(self) -> None:
        """Find the ids the journeys need by following links, as a person would."""

    # -- journeys shared by several roles --------------------------------------

    def overview(self) -> None:
        self.page(f"{BASE}/", "Översikt")

    def budget(self) -> None:
        html = self.page(f"{BASE}/ekonomi/", "Ekonomi")
        years = links(html, rf"{BASE}/ekonomi/\d{{4}}/")
        if years:
            path, _text = random.choice(years)
            self.page(path, "Ekonomi: budget")

    def goal_map(self) -> None:
        html = self.page(f"{BASE}/mal/", "Mål: målkartan")
        indicators = links(html, rf"{BASE}/mal/indikator/\d+/\?period=\d+")
        if indicators and random.random() < 0.3:
            self.page(random.choice(indicators)[0], "Mål: indikator")

    def reports(self) -> None:
        """Rapporter, then one report's page: this year's delårsrapport or
        verksamhetsplan, last year's verksamhetsberättelse, a SUS report, the
        Uppföljning Finsam page."""
        self.page(f"{BASE}/rapporter/", "Rapporter")
        path, title = random.choice(REPORT_PAGES)
        self.report(path, title)

    def report_with_pdf(self) -> None:
        path, title = random.choice([item for item in REPORT_PAGES if item[1] in REPORT_PDFS])
        html = self.report(path, title)
        pdfs = links(html, r"/f/.+\.pdf(\?.*)?")
        if pdfs:
            self.report_pdf(pdfs[0][0], title)


REPORT_PAGES = [
    (f"{BASE}/rapporter/delarsrapport/{YEAR}/{TERTIAL}/", "Delårsrapport"),
    (f"{BASE}/rapporter/verksamhetsberattelse/{YEAR - 1}/", "Verksamhetsberättelse"),
    (f"{BASE}/rapporter/verksamhetsplan/{YEAR}/", "Verksamhetsplan"),
    (f"{BASE}/rapporter/deltagarrapport/?year={YEAR - 1}", "Deltagarrapport (SUS)"),
    (f"{BASE}/rapporter/insatsrapport/?year={YEAR - 1}", "Insatsrapport (SUS)"),
    (f"{BASE}/rapporter/kostnadsrapport/?year={YEAR - 1}", "Kostnadsrapport (SUS)"),
    (f"{BASE}/rapporter/uppfoljning-finsam/{YEAR - 1}/", "Uppföljning Finsam"),
]
REPORT_PDFS = {
    "Delårsrapport",
    "Verksamhetsberättelse",
    "Verksamhetsplan",
    "Deltagarrapport (SUS)",
    "Insatsrapport (SUS)",
    "Kostnadsrapport (SUS)",
}


class Chef(Person):
    """Förbundschef: everything, now and then a PDF for the board."""

    role = "chef"
    weight = 3

    def discover(self) -> None:
        self.interventions = [
            path for path, _text in links(self.insatser_list(), rf"{BASE}/insatser/\d+/")
        ]

    def insatser_list(self) -> str:
        return self.page(f"{BASE}/insatser/", "Insatser")

    @task(8)
    def task_overview(self) -> None:
        self.overview()

    @task(6)
    def task_budget(self) -> None:
        self.budget()

    @task(6)
    def task_interventions(self) -> None:
        self.insatser_list()
        if self.interventions:
            self.page(random.choice(self.interventions), "Insatser: en insats")

    @task(4)
    def task_goal_map(self) -> None:
        self.goal_map()

    @task(4)
    def task_reports(self) -> None:
        self.reports()

    @task(1)
    def task_report_pdf(self) -> None:
        self.report_with_pdf()


class Board(Person):
    """Styrelse: reads before a meeting."""

    role = "styrelse"
    weight = 2

    @task(4)
    def task_overview(self) -> None:
        self.overview()

    @task(3)
    def task_budget(self) -> None:
        self.budget()

    @task(3)
    def task_goal_map(self) -> None:
        self.goal_map()

    @task(4)
    def task_reports(self) -> None:
        self.reports()


class Registrar(Person):
    """Deltagaransvarig on Stegen Karlstad: the participants, the due list."""

    role = "deltagare"
    weight = 3

    def discover(self) -> None:
        html = self.page(f"{BASE}/deltagare/", "Deltagare")
        own = [path for path, text in links(html, rf"{BASE}/deltagare/insats/\d+/") if text]
        if not own:
            self.give_up("[page] Deltagare", "ingen insats att registrera deltagare i")
        self.intervention = own[0]
        self.participants = self.participant_list()
        due = links(html, rf"{BASE}/instrument/insats/\d+/att-gora/")
        self.due = due[0][0] if due else ""

    def participant_list(self) -> list[str]:
        html = self.page(self.intervention, "Deltagare: insatsens deltagare")
        return [path for path, _text in links(html, rf"{BASE}/deltagare/\d+/")]

    @task(1)
    def task_overview(self) -> None:
        self.overview()

    @task(4)
    def task_participants(self) -> None:
        self.participant_list()

    @task(4)
    def task_participant(self) -> None:
        if self.participants:
            self.page(random.choice(self.participants), "Deltagare: en deltagare")

    @task(3)
    def task_due(self) -> None:
        if self.due:
            self.page(self.due, "Deltagare: att göra")

    @task(1)
    def task_report(self) -> None:
        self.report(f"{BASE}/deltagare/rapport/", "Deltagarrapport (insatsen)")


class InterventionOwner(Person):
    """Insatsansvarig for Stegen Karlstad: the insats and the reports."""

    role = "insats"
    weight = 2

    def discover(self) -> None:
        html = self.page(f"{BASE}/insatser/", "Insatser")
        own = [path for path, text in links(html, rf"{BASE}/insatser/\d+/") if "Karlstad" in text]
        if not own:
            self.give_up("[page] Insatser", "ingen länk till Stegen Karlstad")
        self.intervention = own[0]

    @task(1)
    def task_overview(self) -> None:
        self.overview()

    @task(4)
    def task_intervention(self) -> None:
        self.page(self.intervention, "Insatser: en insats")

    @task(2)
    def task_reports(self) -> None:
        self.reports()


@events.init.add_listener
def _check(environment: Any, **_kwargs: Any) -> None:
    """Only loopback, and an account for every simulated person."""
    host = urlsplit(environment.host or "").hostname
    if host not in LOOPBACK:
        raise SystemExit(f"Lasttestet körs bara mot 127.0.0.1, inte mot {environment.host!r}.")
    options = environment.parsed_options
    users = options.num_users if options and options.num_users else 1
    total = sum(user_class.weight for user_class in environment.user_classes)
    for user_class in environment.user_classes:
        have = len(ACCOUNTS["accounts"][user_class.role])
        if have < math.ceil(users * user_class.weight / total):
            raise SystemExit(
                f"{ACCOUNTS_FILE} har {have} konton för rollen {user_class.role}, "
                f"för få för {users} användare: kör load_accounts.py med fler --per-role."
            )


# -- the summary ---------------------------------------------------------------
#
# Response times are kept here too, by name and by phase: "ramp" while the users are
# still arriving (every one of them logs in then, and password hashing is slow on
# purpose), "steady" once all have logged in and opened their first page. The goals
# are about the steady state; the errors count over the whole run. locust's own CSV
# files hold the whole run.


class Results:
    def __init__(self) -> None:
        self.steady = False
        self.arrived = 0
        self.times: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.failures: dict[tuple[str, str], int] = defaultdict(int)

    def arrive(self, environment: Any) -> None:
        """One more user has logged in and found their way; the steady state begins
        when all have."""
        self.arrived += 1
        options = environment.parsed_options
        if options and self.arrived >= (options.num_users or 1):
            self.steady = True

    def record(self, name: str, milliseconds: float, failed: bool) -> None:
        phase = "steady" if self.steady else "ramp"
        self.times[(phase, name)].append(milliseconds)
        if failed:
            self.failures[(phase, name)] += 1

    def values(
        self, *, phase: str | None, kind: str | None = None, name: str | None = None
    ) -> list[float]:
        return [
            value
            for (entry_phase, entry_name), values in self.times.items()
            if phase in (None, entry_phase)
            and (kind is None or kind_of(entry_name) == kind)
            and (name is None or entry_name == name)
            for value in values
        ]

    def failed(self, *, kind: str | None = None) -> int:
        return sum(
            count
            for (_phase, name), count in self.failures.items()
            if kind is None or kind_of(name) == kind
        )


RESULTS = Results()


def kind_of(name: str) -> str:
    match = re.match(r"\[(\w+)\]", name)
    return match.group(1) if match else "other"


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, **_kwargs: Any) -> None:
    RESULTS.record(name, response_time, exception is not None)


def summary_rows() -> list[dict[str, Any]]:
    rows = []
    for kind in ("page", "report", "login"):
        for phase in ("steady", None):
            values = RESULTS.values(phase=phase, kind=kind)
            if not values:
                continue
            goal = GOALS.get(kind) if phase == "steady" else None
            p95 = percentile(values, 0.95)
            rows.append(
                {
                    "kind": kind,
                    "phase": phase or "all",
                    "requests": len(values),
                    "failures": RESULTS.failed(kind=kind) if phase is None else "",
                    "p50_ms": round(percentile(values, 0.50)),
                    "p95_ms": round(p95),
                    "max_ms": round(max(values)),
                    "goal_p95_ms": goal or "",
                    "met": "" if goal is None else ("ja" if p95 <= goal else "nej"),
                }
            )
    return rows


def summary_text(rows: list[dict[str, Any]]) -> str:
    phases = {"steady": "alla inne", "all": "hela körningen"}
    lines = [
        f"{'slag':<7} {'del':<15} {'anrop':>6} {'fel':>4} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'max ms':>7}  mål p95"
    ]
    for row in rows:
        verdict = f"≤ {row['goal_p95_ms']} ms: {row['met']}" if row["goal_p95_ms"] else ""
        lines.append(
            f"{row['kind']:<7} {phases[row['phase']]:<15} {row['requests']:>6} "
            f"{row['failures']!s:>4} {row['p50_ms']:>7} {row['p95_ms']:>7} {row['max_ms']:>7}  "
            f"{verdict}"
        )
    names = {name for (_phase, name) in RESULTS.times}
    slowest = sorted(
        (
            (percentile(values, 0.95), name, values)
            for name in names
            if (values := RESULTS.values(phase="steady", name=name))
        ),
        reverse=True,
    )
    lines += ["", "Långsammast när alla är inne (p95):"]
    if not slowest:
        lines.append("  (alla användare kom aldrig in)")
    for p95, name, values in slowest[:12]:
        lines.append(
            f"  {p95:>7.0f} ms  {name}  ({len(values)} anrop, p50 "
            f"{percentile(values, 0.5):.0f} ms, max {max(values):.0f} ms)"
        )
    if RESULTS.failed():
        lines += ["", f"{RESULTS.failed()} anrop misslyckades: se *_failures.csv."]
    return "\n".join(lines)


@events.quitting.add_listener
def _summary(environment: Any, **_kwargs: Any) -> None:
    rows = summary_rows()
    text = summary_text(rows)
    prefix = environment.parsed_options and environment.parsed_options.csv_prefix
    if prefix:
        with open(f"{prefix}_groups.csv", "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=list(rows[0]) if rows else ["kind"])
            writer.writeheader()
            writer.writerows(rows)
        Path(f"{prefix}_summary.txt").write_text(text + "\n")
    print("\n" + text)
    if RESULTS.failed():
        environment.process_exit_code = 1
