"""The headers every page carries: a Content-Security-Policy that lets only the app's
own scripts and styles run, and a Permissions-Policy that turns off the devices.
The policy holds only if no page needs inline script or style: the templates are
scanned for them, and pages with charts and the overview's status bar are checked
as rendered."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from stegvis.conftest import World
from stegvis.finance.tests.factories import samspelet_document, store

pytestmark = pytest.mark.django_db

STEGVIS = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(STEGVIS.glob("*/templates/**/*.html"))
# Laid out by WeasyPrint into PDF, never sent to a browser as a page.
PDF_TEMPLATES = {path for path in TEMPLATES if "/pdf/" in path.as_posix()}

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)


def policy(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def inline_code(html: str) -> list[str]:
    """Everything in a page that a strict policy would block."""
    found = []
    for name, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("on…= handler", EVENT_HANDLER),
        ("style= attribute", STYLE_ATTRIBUTE),
        ("<style> element", STYLE_ELEMENT),
    ):
        found += [f"{name}: {match.group(0)!r}" for match in pattern.finditer(html)]
    return found


def test_templates_hold_no_inline_script_handler_or_style() -> None:
    assert len(TEMPLATES) > 100  # the scan looks where the templates are
    problems = [
        f"{path.relative_to(STEGVIS)}: {problem}"
        for path in TEMPLATES
        if path not in PDF_TEMPLATES
        for problem in inline_code(path.read_text(encoding="utf-8"))
    ]
    assert problems == []


def test_the_scan_finds_what_it_looks_for() -> None:
    page = (
        '<script>alert(1)</script><script src="/static/x.js" defer></script>'
        '<button onclick="go()">x</button><div style="color: red"></div><style>p{}</style>'
    )
    assert [problem.split(":")[0] for problem in inline_code(page)] == [
        "inline <script>",
        "on…= handler",
        "style= attribute",
        "<style> element",
    ]


def test_every_page_has_a_strict_content_security_policy(client: Any) -> None:
    response = client.get("/konto/logga-in/")
    assert response.status_code == 200
    assert policy(response) == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
    assert inline_code(response.content.decode()) == []


def test_every_response_turns_off_devices_with_a_permissions_policy(client: Any) -> None:
    for path in ("/konto/logga-in/", "/finns-inte/", "/static/stegvis/app.css"):
        response = client.get(path)
        features = dict(
            part.strip().split("=", 1) for part in response["Permissions-Policy"].split(",")
        )
        assert features["camera"] == "()" and features["microphone"] == "()", path
        assert features["geolocation"] == "()" and features["payment"] == "()", path
        assert "interest-cohort" not in features  # withdrawn with FLoC


def test_a_page_with_a_chart_needs_no_inline_style(world: World, client_as: Any) -> None:
    store(world.own, samspelet_document(name=world.own.name))
    response = client_as("reader").get(f"/f/{world.own.slug}/ekonomi/")
    html = response.content.decode()
    assert '<svg role="img"' in html
    # The chart's colours are there, as presentation attributes.
    assert 'fill="#1d4f73"' in html
    assert inline_code(html) == []
    assert "Content-Security-Policy" in response


def test_the_overview_status_bar_is_drawn_without_style_attributes(
    world: World, client_as: Any
) -> None:
    from stegvis.core.templatetags.stegvis import stacked_bar

    class Part:
        def __init__(self, status: str, count: int) -> None:
            self.status, self.count = status, count

    bar = stacked_bar([Part("achieved", 3), Part("partly", 0), Part("not_achieved", 1)], "bar")
    assert bar == (
        '<svg class="bar" viewBox="0 0 4 1" preserveAspectRatio="none" aria-hidden="true"'
        ' focusable="false"><rect class="status-achieved" x="0" width="3" height="1"></rect>'
        '<rect class="status-not_achieved" x="3" width="1" height="1"></rect></svg>'
    )
    response = client_as("chief").get(f"/f/{world.own.slug}/")
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []
