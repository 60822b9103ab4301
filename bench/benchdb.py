"""A database of its own for a benchmark, made before Django starts and removed after.

With no DATABASE_URL the benchmark runs on a temporary SQLite file. With
`DATABASE_URL=postgres://user@host:5432/NAME` it creates the database NAME (it must
not exist: a benchmark never writes into an installation's database) and drops it
at the end, unless `keep=True`. The installation's own `var/stegvis.sqlite3` is never
opened.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def _postgres_admin(url: str) -> tuple[str, str]:
    """The database name and a URL for the server's maintenance database."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        sys.exit("DATABASE_URL saknar databasens namn.")
    return name, urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))


@contextlib.contextmanager
def bench_database(*, keep: bool = False) -> Iterator[str]:
    """Set up Django on a new, migrated database; yield its vendor name."""
    url = os.environ.get("DATABASE_URL", "")
    directory = None
    created_postgres: tuple[str, str] | None = None
    if not url:
        directory = tempfile.TemporaryDirectory(prefix="stegvis-bench-")
        url = f"sqlite:///{Path(directory.name) / 'bench.sqlite3'}"
    elif url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name, admin = _postgres_admin(url)
        with psycopg.connect(admin, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if exists:
                sys.exit(
                    f"Databasen {name} finns redan. Benchmarken skapar en egen databas: "
                    f"välj ett annat namn eller ta bort den (dropdb {name})."
                )
            connection.execute(f'CREATE DATABASE "{name}"')
        created_postgres = (name, admin)
    else:
        sys.exit("DATABASE_URL ska vara postgres://… (eller utelämnas för SQLite).")

    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "stegvis.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("STEGVIS_VAR_DIR", tempfile.gettempdir())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    try:
        call_command("migrate", verbosity=0)
        yield connection.vendor
    finally:
        connections.close_all()
        if created_postgres and not keep:
            import psycopg

            name, admin = created_postgres
            with psycopg.connect(admin, autocommit=True) as server:
                server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        elif created_postgres:
            print(f"Databasen {created_postgres[0]} finns kvar (--keep).")
        if directory is not None:
            directory.cleanup()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


# The förbund the import benchmarks fill: its members, and the places of the synthetic
# participant rows (participant_file_rows) that match them.
BENCH_MEMBERS = [
    ("Försäkringskassan", "state"),
    ("Arbetsförmedlingen", "state"),
    ("Region Tallnäs", "region"),
    ("Björkviks kommun", "municipality"),
    ("Sjöhults kommun", "municipality"),
]


def bench_places() -> Any:
    from stegvis.core.synthetic import Places

    return Places(
        municipalities=[("Björkviks kommun", 60_000), ("Sjöhults kommun", 15_000)],
        state=["Försäkringskassan", "Arbetsförmedlingen"],
        region="Region Tallnäs",
    )


def bench_intervention(*, association_name: str, intervention_name: str) -> Any:
    """A förbund `syn-bench` with its five members and one individual insats, the
    target of the participant import benchmarks."""
    from django_scopes import scopes_disabled

    from stegvis.associations import services as association_services
    from stegvis.interventions import services as intervention_services

    with scopes_disabled():
        association = association_services.association_create(
            actor=None,
            name=association_name,
            slug="syn-bench",
            organisation_number="229099-9990",
        )
        members = [
            association_services.member_create(
                actor=None, association=association, name=name, kind=kind
            )
            for name, kind in BENCH_MEMBERS
        ]
        return intervention_services.intervention_create(
            actor=None,
            association=association,
            name=intervention_name,
            kind="individual",
            owner=members[3],
            members=members,
        )
