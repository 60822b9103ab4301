"""Secure cookies can be turned off for a production-like run over plain http on
127.0.0.1 (the load test, bench/load.sh), and the deployment check says so when
someone does it in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from stegvis.core.tests.test_settings import ROOT, run

COOKIES = (
    "from django.conf import settings as s; "
    "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
)
PRODUCTION = {"DEBUG": "0", "STEGVIS_DEMO": "0", "SECRET_KEY": "x" * 60}


def test_production_cookies_are_secure_unless_turned_off(tmp_path: Path) -> None:
    secure = run(COOKIES, tmp_path, **PRODUCTION)
    plain = run(
        COOKIES,
        tmp_path,
        **PRODUCTION,
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_SSL_REDIRECT="0",
    )
    assert secure.returncode == 0, secure.stderr
    assert secure.stdout.split() == ["True", "True", "True"]
    assert plain.stdout.split() == ["False", "False", "False"]


def test_deploy_check_warns_when_cookies_are_not_secure(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env.update(
        PRODUCTION,
        SECRET_KEY="a-long-production-like-secret-key-for-the-deploy-check-0123456789",
        ALLOWED_HOSTS="stegvis.example.se",
        STEGVIS_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="stegvis.settings",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
    )
    result = subprocess.run(
        [sys.executable, "-m", "stegvis", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W012" in result.stderr + result.stdout  # SESSION_COOKIE_SECURE
    assert "security.W016" in result.stderr + result.stdout  # CSRF_COOKIE_SECURE
