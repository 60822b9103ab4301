"""STEGVIS_DEMO=1: a demo on one's own machine over plain http, without DEBUG — so a
visitor sees Stegvis's own Swedish error pages, never Django's technical ones — and
the production settings keep every header and protection."""

from __future__ import annotations

import json
from pathlib import Path

from stegvis.core.tests.test_settings import run

SETTINGS = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "print(json.dumps({'debug': s.DEBUG, 'demo': s.STEGVIS_DEMO, 'hosts': s.ALLOWED_HOSTS, "
    "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, "
    "'secure_cookies': [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE], "
    "'static': s.STORAGES['staticfiles']['BACKEND'], 'finders': s.WHITENOISE_USE_FINDERS, "
    "'csp': 'csp.middleware.CSPMiddleware' in s.MIDDLEWARE, "
    "'script_src': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src']}))"
)

# A visit in the demo installation's own process: a missing page and a stylesheet.
VISIT = (
    "import django; django.setup(); from django.test import Client; "
    "c = Client(headers={'host': '127.0.0.1'}); "
    "missing = c.get('/finns-inte/'); css = c.get('/static/stegvis/app.css'); "
    "print(missing.status_code, 'Sidan finns inte' in missing.content.decode(), "
    "'URLconf' in missing.content.decode(), css.status_code, css['Content-Type'].split(';')[0])"
)


def settings_of(tmp_path: Path, **env: str) -> dict[str, object]:
    result = run(SETTINGS, tmp_path, **env)
    assert result.returncode == 0, result.stderr
    shown: dict[str, object] = json.loads(result.stdout)
    return shown


def test_a_demo_installation_runs_over_plain_http_on_this_machine_without_debug(
    tmp_path: Path,
) -> None:
    demo = settings_of(tmp_path, STEGVIS_DEMO="1")
    assert demo["debug"] is False and demo["demo"] is True
    assert demo["hosts"] == ["127.0.0.1", "localhost"]
    assert demo["ssl_redirect"] is False and demo["hsts"] == 0
    assert demo["secure_cookies"] == [False, False]
    # Static files straight from the app folders, no collectstatic step.
    assert demo["static"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert demo["finders"] is True
    assert demo["csp"] is True and demo["script_src"] == ["'self'"]
    assert (tmp_path / "secret_key").exists()


def test_debug_is_still_a_demo_installation(tmp_path: Path) -> None:
    debug = settings_of(tmp_path, DEBUG="1")
    assert debug["debug"] is True and debug["demo"] is True
    assert debug["hosts"] == ["127.0.0.1", "localhost"]


def test_production_keeps_https_secure_cookies_manifest_static_files_and_the_policy(
    tmp_path: Path,
) -> None:
    production = settings_of(tmp_path, SECRET_KEY="x" * 60, ALLOWED_HOSTS="stegvis.example.se")
    assert production["debug"] is False and production["demo"] is False
    assert production["ssl_redirect"] is True and production["hsts"] == 31536000
    assert production["secure_cookies"] == [True, True]
    assert production["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert production["finders"] is False
    assert production["csp"] is True
    assert not (tmp_path / "secret_key").exists()


def test_the_demo_shows_the_swedish_404_page_and_serves_the_apps_stylesheets(
    tmp_path: Path,
) -> None:
    result = run(VISIT, tmp_path, STEGVIS_DEMO="1")
    assert result.returncode == 0, result.stderr
    status, swedish, url_list, css_status, css_type = result.stdout.split()
    assert (status, swedish, url_list) == ("404", "True", "False")
    assert (css_status, css_type) == ("200", "text/css")


def test_demo_commands_refuse_outside_a_demo_and_say_how_to_get_one(tmp_path: Path) -> None:
    for command in ("demo", "demo-data"):
        result = run(
            f"import sys; sys.argv = ['stegvis', '{command}']; "
            "from stegvis.__main__ import main; main()",
            tmp_path,
            SECRET_KEY="x" * 60,
        )
        assert result.returncode != 0, command
        assert "STEGVIS_DEMO=1" in result.stderr, result.stderr
