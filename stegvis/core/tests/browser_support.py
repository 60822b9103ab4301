"""Helpers for the browser tests: launching Chromium, keeping it on 127.0.0.1,
and checking every page (screenshot, axe, requests).

Used by test_browser.py. Everything a journey finds wrong is collected and
reported at the end, so one run shows all pages that need attention.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Request,
    Route,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"

# Debian's Chromium; never a browser downloaded by `playwright install`.
CHROMIUM = os.environ.get("STEGVIS_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Belt and braces: the browser itself cannot resolve any other host.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
# Schemes that never leave the browser.
INERT_SCHEMES = frozenset({"data", "blob", "about"})
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

# Timeouts for one step, in milliseconds: generous for a loaded CI machine, but a
# broken page fails in seconds rather than hanging the suite.
STEP_TIMEOUT_MS = 15_000


def require_chromium() -> str:
    """The Chromium to drive: skip without it, except in CI where that is a failure."""
    if Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; browser tests must run in CI", pytrace=False)
    pytest.skip(reason)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in INERT_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname in LOCAL_HOSTS


@dataclass
class Journey:
    """One browser context walking through the app, checking each page it shows."""

    context: BrowserContext
    page: Page
    axe: Any = field(default_factory=Axe)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    policy_violations: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)
    closed: bool = False

    @classmethod
    def start(cls, browser: Browser) -> Journey:
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            service_workers="block",
        )
        context.set_default_timeout(STEP_TIMEOUT_MS)
        context.set_default_navigation_timeout(STEP_TIMEOUT_MS)
        page = context.new_page()
        journey = cls(context=context, page=page)
        context.route("**/*", journey._guard)
        context.on("request", journey._record)
        context.on("response", journey._check_response)
        page.on("pageerror", lambda error: journey.page_errors.append(f"{page.url}: {error}"))
        page.on("console", journey._console)
        return journey

    # Network -----------------------------------------------------------------

    def _guard(self, route: Route, request: Request) -> None:
        if is_local(request.url):
            route.continue_()
        else:
            self.blocked.append(f"{request.method} {request.url} (from {self.page.url})")
            route.abort("blockedbyclient")

    def _record(self, request: Request) -> None:
        self.requests.append(request.url)

    def _check_response(self, response: Any) -> None:
        if response.status >= 400:
            self.failed_responses.append(f"{response.status} {response.url}")

    def _console(self, message: ConsoleMessage) -> None:
        # Chromium reports what the Content-Security-Policy blocked (an inline style or
        # script) and a Permissions-Policy feature it does not know on the console.
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            self.policy_violations.append(f"{self.page.url}: {text}")

    # Steps -------------------------------------------------------------------

    def goto(self, url: str) -> None:
        response = self.page.goto(url, wait_until="load")
        assert response is not None, f"no response for {url}"

    @contextmanager
    def navigation(self, url: str | re.Pattern[str]) -> Iterator[None]:
        """Wait for the navigation started inside the block to load `url`.

        Works for links, form posts with redirects and a post that comes back to
        the same address (the language switch), where wait_for_url would not wait.
        """
        with self.page.expect_navigation(url=url, wait_until="load"):
            yield

    def follow(self, target: Locator, url: str | re.Pattern[str]) -> None:
        with self.navigation(url):
            target.click()

    def check(self, name: str) -> None:
        """Screenshot the page, run axe on it and keep the report next to the image."""
        page = self.page
        page.wait_for_load_state("load")
        self.visited.append(name)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
        response = self.axe.run(page).response
        report = {
            "page": name,
            "url": page.url,
            "title": page.title(),
            "violations": response.get("violations", []),
            "incomplete": response.get("incomplete", []),
            "passes": sorted(rule["id"] for rule in response.get("passes", [])),
            "testEngine": response.get("testEngine"),
            "testRunner": response.get("testRunner"),
            "toolOptions": response.get("toolOptions"),
        }
        (ARTIFACTS / f"{name}.axe.json").write_text(
            json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        for violation in response.get("violations", []):
            if violation.get("impact") not in BLOCKING_IMPACTS:
                continue
            targets = "; ".join(
                " ".join(str(part) for part in node.get("target", []))
                for node in violation.get("nodes", [])
            )
            self.accessibility.append(
                f"{name} ({page.url}): {violation['id']} [{violation['impact']}] "
                f"{violation.get('help', '')} → {targets}"
            )

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.context.close()

    def finish(self) -> None:
        """Close the context and fail with everything found along the way."""
        self.close()
        foreign = [url for url in self.requests if not is_local(url)]
        problems: list[str] = []
        if self.blocked or foreign:
            problems.append("Requests to other hosts (aborted):")
            problems += [f"  {line}" for line in self.blocked + foreign]
        if self.accessibility:
            problems.append("Serious or critical axe violations:")
            problems += [f"  {line}" for line in self.accessibility]
        if self.failed_responses:
            problems.append("Responses with an error status:")
            problems += [f"  {line}" for line in self.failed_responses]
        if self.page_errors:
            problems.append("JavaScript errors:")
            problems += [f"  {line}" for line in self.page_errors]
        if self.policy_violations:
            problems.append("Content-Security-Policy or Permissions-Policy violations:")
            problems += [f"  {line}" for line in self.policy_violations]
        assert not problems, "\n".join(problems)
        assert self.requests, "the journey made no requests at all"
