"""Settings come from the environment; production refuses to start half-configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}
    }
    clean.update(DJANGO_SETTINGS_MODULE="stegvis.settings", STEGVIS_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=clean,
        cwd=ROOT,
        timeout=60,
    )


SHOW = (
    "import django; from django.conf import settings as s; django.setup(); "
    "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.DATABASES['default'].get('NAME'), "
    "s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
)


def test_production_without_secret_key_refuses_to_start(tmp_path: Path) -> None:
    result = run(SHOW, tmp_path, DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_demo_generates_a_secret_key_once_and_keeps_it(tmp_path: Path) -> None:
    code = "from django.conf import settings as s; print(s.SECRET_KEY)"
    first = run(code, tmp_path, DEBUG="1")
    second = run(code, tmp_path, DEBUG="1")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert (tmp_path / "secret_key").read_text().strip() == first.stdout.strip()
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_default_database_is_sqlite_under_var(tmp_path: Path) -> None:
    result = run(SHOW, tmp_path, DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.sqlite3" in result.stdout
    assert str(tmp_path / "stegvis.sqlite3") in result.stdout


def test_database_url_selects_postgresql_and_hosts_and_security_follow_the_environment(
    tmp_path: Path,
) -> None:
    result = run(
        SHOW,
        tmp_path,
        DEBUG="0",
        SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://stegvis:pw@db.example:5432/stegvis",
        ALLOWED_HOSTS="stegvis.example.se,www.stegvis.example.se",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "django.db.backends.postgresql stegvis" in out
    assert "['stegvis.example.se', 'www.stegvis.example.se']" in out
    assert out.strip().endswith("True 31536000")  # secure cookies and a year of HSTS


@pytest.mark.parametrize("debug", ["0", "false", ""])
def test_debug_is_off_unless_asked_for(debug: str, tmp_path: Path) -> None:
    result = run(SHOW, tmp_path, DEBUG=debug, SECRET_KEY="x" * 60)
    assert result.stdout.startswith("False")


def test_check_deploy_passes_with_production_settings(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env.update(
        DEBUG="0",
        SECRET_KEY="a-long-production-like-secret-key-for-the-deploy-check-0123456789",
        ALLOWED_HOSTS="stegvis.example.se",
        STEGVIS_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="stegvis.settings",
    )
    result = subprocess.run(
        [sys.executable, "-m", "stegvis", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


SQLITE_LOCKS = """
import sqlite3
import django
from django.db import connection, transaction
django.setup()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print("journal_mode", cursor.fetchone()[0])
    cursor.execute("PRAGMA busy_timeout")
    print("busy_timeout", cursor.fetchone()[0])
    cursor.execute("CREATE TABLE t (n integer)")
    cursor.execute("INSERT INTO t VALUES (1)")
other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
with transaction.atomic():
    # IMMEDIATE: the transaction holds the write lock from its first statement, so
    # another writer waits (here: fails at once) before this one has written anything.
    connection.cursor().execute("SELECT n FROM t")
    try:
        other.execute("BEGIN IMMEDIATE")
        print("second writer got the lock")
    except sqlite3.OperationalError as error:
        print("second writer waits:", error)
    connection.cursor().execute("UPDATE t SET n = 2")
    # WAL: a reader still reads, and sees the last committed value.
    print("reader sees", other.execute("SELECT n FROM t").fetchone()[0])
"""


def test_the_embedded_sqlite_database_bears_several_people_at_once(tmp_path: Path) -> None:
    result = run(SQLITE_LOCKS, tmp_path, SECRET_KEY="x" * 60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "journal_mode wal" in lines
    assert "busy_timeout 20000" in lines  # a writer waits 20 s for another
    assert "second writer waits: database is locked" in lines
    assert "reader sees 1" in lines
