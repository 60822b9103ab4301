"""The walking test's walker: a person logs in and opens every page they can reach.

`Walker.walk` starts at the pages everyone starts from and follows every link in
every page (GET only, inside the installation), each link at most a few times per
kind of page and förbund, so a list of 130 participants does not mean 130 visits.
`Walker.visit_named` then opens the pages the URL configuration names that no link
led to, with the arguments of a sibling page that was reached (the edit form of an
object whose detail page was reached, say).

Every response is judged against the rules a person would notice
(`Walker.problems`):

* no 500, and no status other than what the view's declared permission allows the
  person's role (403 without it, 404 outside one's förbund);
* a page linked from another page opens (a link to a 403 is a broken promise);
* a GET writes nothing but its session and its read entries in the log;
* a response that shows participant codes has a read entry in the log and is not
  kept by caches (`Cache-Control: no-store`).
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from unittest import mock
from urllib.parse import urljoin, urlsplit

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django_scopes import scopes_disabled

from stegvis.associations.models import Association
from stegvis.associations.roles import permissions_for
from stegvis.associations.tenancy import role_in_association
from stegvis.audit.models import AuditEntry
from stegvis.core.tests.writes import writes_during

# How many different addresses of one kind of page (URL name) are opened per förbund:
# two of a page (say, two years of a report), one of a file (PDF, Excel, CSV), whose
# data is the page's.
PER_KIND = 2
PER_FILE_KIND = 1
# Addresses a walker never follows: they end the session or change the language.
NEVER_FOLLOW = ("/konto/logga-ut/", "/i18n/", "/static/", "/media/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_in(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        absolute = urljoin(base, href)
        parts = urlsplit(absolute)
        if parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith(NEVER_FOLLOW):
            continue
        found.append(path)
    return found


def url_patterns(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """Every (namespaced name, whole route, pattern) of the URL configuration."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern), pattern


def route_keys(route: str) -> set[str]:
    """The arguments a route takes: `<slug:association_slug>/<int:pk>/` → both names."""
    return set(re.findall(r"<(?:\w+:)?(\w+)>", route)) | set(re.findall(r"\(\?P<(\w+)>", route))


def response_text(response: Any) -> str:
    """The text a person would read in a response: HTML and CSV as they are, the
    cells of an Excel file; PDFs are not read (their rows come from the same pages)."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as book:
                return " ".join(
                    book.read(name).decode("utf-8", "replace")
                    for name in book.namelist()
                    if name.startswith("xl/") and name.endswith(".xml")
                )
        except zipfile.BadZipFile:
            return ""
    if kind.startswith(("text/", "application/json")):
        return content.decode(response.charset or "utf-8", "replace")
    return ""


@dataclass
class Visit:
    person: str
    path: str
    name: str
    status: int
    via: str  # "link from …" or "url configuration"
    seconds: float = 0.0
    queries: int = 0


@dataclass
class Walker:
    """One person's walk. `login` makes the client; `codes` finds participant codes."""

    person: str
    user: Any
    client: Client
    codes: re.Pattern[str]
    visits: list[Visit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    per_kind: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    # url name → kwargs of a page reached (for the pages no link leads to)
    reached_kwargs: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    # -- the rules -----------------------------------------------------------

    def _expected(self, path: str) -> tuple[str, set[int]]:
        """The URL name and the statuses the person may get there."""
        match = resolve(urlsplit(path).path)
        name = match.view_name
        required = getattr(match.func, "required_permission", None)
        slug = match.kwargs.get("association_slug")
        if slug is not None:
            with scopes_disabled():
                association = Association.objects.filter(slug=slug).first()
                role = role_in_association(self.user, association)[0] if association else None
            if role is None:
                return name, {404}
            if required not in permissions_for(role):
                return name, {403}
            # Allowed: the page, a redirect after it, 403 or 404 for an object of the
            # förbund the person does not work with (someone else's insats), 405 for an
            # action that takes only POST. A link to a 403 is still a fault (`open`).
            return name, {200, 302, 403, 404, 405}
        if required in ("public", "authenticated", None):
            return name, {200, 302, 404, 405}
        if required not in permissions_for(self.user.site_role or None):
            return name, {403}
        return name, {200, 302, 404, 405}

    def _read_entries(self) -> int:
        with scopes_disabled():
            return AuditEntry.objects.filter(kind=AuditEntry.Kind.READ).count()

    def open(self, path: str, via: str) -> Any:
        try:
            name, expected = self._expected(path)
        except Resolver404:
            self.problems.append(f"{self.person}: {path} ({via}) finns inte i URL-konfigurationen")
            return None
        reads_before = self._read_entries()
        DRAW_ONCE.visiting((name, path.split("/")[2] if path.startswith("/f/") else ""))
        started = time.perf_counter()
        with writes_during() as writes, CaptureQueriesContext(connection) as queries:
            response = self.client.get(path)
        seconds = time.perf_counter() - started
        self.visits.append(
            Visit(
                self.person,
                path,
                name,
                response.status_code,
                via,
                seconds,
                (queries.final_queries or 0) - queries.initial_queries,
            )
        )
        status = response.status_code
        where = f"{self.person}: GET {path} [{name}] ({via})"
        if status >= 500:
            error = getattr(response, "exc_info", None)
            cause = f": {error[0].__name__}: {error[1]}" if error else ""
            self.problems.append(f"{where} → {status}{cause}")
            return response
        if status not in expected:
            self.problems.append(f"{where} → {status}, väntat {sorted(expected)}")
        elif status == 403 and via.startswith("länk"):
            self.problems.append(f"{where} → 403: sidan länkar till något personen inte får öppna")
        if writes:
            self.problems.append(f"{where} skriver vid GET: {writes[0][:160]}")
        if status == 200:
            text = response_text(response)
            if text and self.codes.search(text):
                if self._read_entries() <= reads_before:
                    self.problems.append(f"{where} visar deltagarrader utan läsning i loggen")
                if "no-store" not in response.get("Cache-Control", ""):
                    self.problems.append(
                        f"{where} visar deltagarrader utan Cache-Control: no-store"
                    )
        return response

    # -- the walk ------------------------------------------------------------

    def _kind(self, path: str) -> tuple[str, str] | None:
        try:
            match = resolve(urlsplit(path).path)
        except Resolver404:
            return None
        return match.view_name, str(match.kwargs.get("association_slug", ""))

    def walk(self, starts: Iterable[str]) -> None:
        queue: list[tuple[str, str]] = [(path, "start") for path in starts]
        while queue:
            path, via = queue.pop(0)
            if path in self.seen:
                continue
            kind = self._kind(urlsplit(path).path)
            if kind is not None:
                if self.per_kind[kind] >= (PER_FILE_KIND if _is_file(kind[0]) else PER_KIND):
                    continue
                self.per_kind[kind] += 1
            self.seen.add(path)
            response = self.open(path, via)
            if response is None:
                continue
            if response.status_code == 200 and kind is not None:
                match = resolve(urlsplit(path).path)
                self.reached_kwargs[kind[0]].append(dict(match.kwargs))
            if response.status_code == 302:
                target = response["Location"]
                if urlsplit(target).netloc in ("", "testserver"):
                    queue.append((urlsplit(target).path, f"omdirigering från {path}"))
                continue
            if response.status_code == 200 and response.get("Content-Type", "").startswith(
                "text/html"
            ):
                for link in links_in(response.content.decode("utf-8", "replace"), path):
                    if link not in self.seen:
                        queue.append((link, f"länk från {path}"))

    def visit_named(self, paths: dict[str, list[str]]) -> None:
        """Open each named page not reached by a link (name → candidate paths)."""
        for name, candidates in paths.items():
            for path in candidates:
                kind = self._kind(path)
                if path in self.seen or (kind is not None and self.per_kind[kind] > 0):
                    continue  # this kind of page was opened on the walk already
                self.seen.add(path)
                self.open(path, f"URL-konfigurationen ({name})")


def _is_file(name: str) -> bool:
    return any(part in name for part in ("pdf", "xlsx", "csv", "export"))


class DrawOnce:
    """Charts (matplotlib) and PDFs (WeasyPrint) are drawn for real on the first
    visit of each kind of page (URL name and förbund) in a walk; later visits of the
    same kind get an empty chart and a one-page PDF. Drawing is what costs seconds,
    and the data and templates behind it are still exercised on every visit."""

    def __init__(self) -> None:
        self.key: tuple[str, str] | None = None
        self.drawn: set[tuple[str, str]] = set()
        self.first = True  # the page being opened is the first of its kind
        self._patches: list[Any] = []

    def __enter__(self) -> DrawOnce:
        from matplotlib.backends.backend_svg import FigureCanvasSVG
        from weasyprint import HTML

        self._patches = [
            mock.patch.object(HTML, "write_pdf", self._once(HTML.write_pdf, self._no_pdf)),
            mock.patch.object(
                FigureCanvasSVG, "print_svg", self._once(FigureCanvasSVG.print_svg, self._no_svg)
            ),
        ]
        for patch in self._patches:
            patch.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for patch in self._patches:
            patch.stop()

    def visiting(self, key: tuple[str, str]) -> None:
        """The page about to be opened; a kind seen before is drawn no more."""
        self.first = key not in self.drawn
        self.drawn.add(key)

    def _once(self, real: Callable[..., Any], stub: Callable[..., Any]) -> Callable[..., Any]:
        def draw(this: Any, *args: Any, **kwargs: Any) -> Any:
            return (real if self.first else stub)(this, *args, **kwargs)

        return draw

    @staticmethod
    def _no_pdf(_html: Any, *args: Any, **kwargs: Any) -> bytes:
        return b"%PDF-1.7\n% walked\n%%EOF\n"

    @staticmethod
    def _no_svg(_canvas: Any, buffer: Any, *args: Any, **kwargs: Any) -> None:
        buffer.write('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>')


DRAW_ONCE = DrawOnce()


def named_paths(
    reached: dict[str, list[dict[str, Any]]],
    slugs: Iterable[str],
    skip: Callable[[str], bool],
) -> tuple[dict[str, list[str]], list[str]]:
    """For every GET page of the URL configuration, the addresses to try: from the
    arguments that reached it, else from a sibling page (same namespace, same
    arguments) that was reached, else from any page with the same arguments.
    Returns the paths per name and the names that no data could fill."""
    paths: dict[str, list[str]] = {}
    unfilled: list[str] = []
    slugs = list(slugs)
    for name, route, _pattern in url_patterns():
        if skip(name):
            continue
        keys = route_keys(route)
        if not keys:
            candidates: list[dict[str, Any]] = [{}]
        elif keys == {"association_slug"}:
            candidates = [{"association_slug": slug} for slug in slugs]
        else:
            namespace = name.rsplit(":", 1)[0]
            candidates = list(reached.get(name, []))
            candidates += [
                kwargs
                for other, found in reached.items()
                if other != name and other.rsplit(":", 1)[0] == namespace
                for kwargs in found
                if set(kwargs) == keys
            ]
            candidates += [
                kwargs for found in reached.values() for kwargs in found if set(kwargs) == keys
            ]
        # One address per förbund is enough for a page no link led to.
        by_slug: dict[str, str] = {}
        for kwargs in candidates:
            slug = str(kwargs.get("association_slug", ""))
            if slug in by_slug:
                continue
            try:
                by_slug[slug] = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
        if by_slug:
            paths[name] = list(by_slug.values())
        else:
            unfilled.append(name)
    return paths, unfilled
