"""What a block of code writes to the database, for tests of the rule that a GET
never writes (issue 13).

Two writes are what a read must do and are not counted: Django's session row
(`django_session`, saved on every request) and the audit log's read entries
(`audit_read`, kind "read"). Every other INSERT, UPDATE or DELETE is returned::

    with writes_during() as writes:
        response = client.get(url)
    assert writes == []

The audit log's inserts are judged by the entries they leave (their kind), not by
parsing the SQL, so the check is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

WRITE = re.compile(
    r"""^\s*(?P<verb>INSERT|UPDATE|DELETE|REPLACE)\b   # the statement
        (?:\s+OR\s+\w+)?(?:\s+(?:INTO|FROM))?\s+         # INSERT OR IGNORE INTO, DELETE FROM
        [`"]?(?P<table>[\w.]+)""",
    re.IGNORECASE | re.VERBOSE,
)
SESSION_TABLE = "django_session"
READ = "read"


def write_of(sql: str) -> tuple[str, str] | None:
    """(verb, table) when the statement writes, else None."""
    match = WRITE.match(sql)
    if match is None:
        return None
    return match["verb"].upper(), match["table"].strip('`"').lower()


@contextmanager
def writes_during(using: str = DEFAULT_DB_ALIAS) -> Iterator[list[str]]:
    """Collect the write statements run inside the block; the list is filled when
    the block ends. Audit entries other than reads are listed as one line each with
    their kind and action."""
    entry_model = apps.get_model("audit", "AuditEntry")
    audit_table = entry_model._meta.db_table.lower()
    with scopes_disabled():
        last = entry_model.objects.using(using).aggregate(last=Max("pk"))["last"] or 0
    writes: list[str] = []
    with CaptureQueriesContext(connections[using]) as captured:
        yield writes
    for query in captured.captured_queries:
        write = write_of(query["sql"])
        if write is None:
            continue
        verb, table = write
        if table == SESSION_TABLE or (table == audit_table and verb == "INSERT"):
            continue
        writes.append(query["sql"])
    with scopes_disabled():
        entries = (
            entry_model.objects.using(using)
            .filter(pk__gt=last)
            .exclude(kind=READ)
            .order_by("pk")
            .values_list("kind", "action")
        )
        writes.extend(
            f"INSERT INTO {audit_table} (kind={kind!r}, action={action!r})"
            for kind, action in entries
        )
