#!/usr/bin/env bash
# The load test: Stegvis on PostgreSQL served by gunicorn with production settings,
# and locust walking each demo role's journeys (bench/locustfile.py) against it.
#
#   bench/load.sh                               # 50 users for 10 minutes
#   RUN_TIME=2m bench/load.sh                   # shorter
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/other bench/load.sh
#
# Steps: create the database if it is missing and migrate it, load the demo and the
# load accounts (bench/load_accounts.py), collect static files, start gunicorn on
# 127.0.0.1, run locust headless for RUN_TIME, stop gunicorn, print the summary.
# Everything it writes goes to test-artifacts/load/: stegvis_summary.txt and
# stegvis_groups.csv (p50/p95/max and errors per kind: page, report, login), locust's
# CSV files and locust.log, gunicorn's access.log, error.log and timings.csv (each
# request's wall-clock and CPU time in the server, bench/gunicorn_load.py). Exit
# status 1 when any request failed or gunicorn logged an error, 2 when the set-up
# failed. Other settings: PORT (8077), USERS (50), SPAWN_RATE (5), WORKERS (2),
# THREADS (4), and gunicorn's own GUNICORN_CMD_ARGS.
#
# Needs the bench extra: .venv/bin/pip install -e '.[bench]'. See bench/README.md.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=.venv/bin
OUT=test-artifacts/load

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/stegvis_load}"
PORT="${PORT:-8077}"
USERS="${USERS:-50}"
SPAWN_RATE="${SPAWN_RATE:-5}"
RUN_TIME="${RUN_TIME:-10m}"
WORKERS="${WORKERS:-2}"
THREADS="${THREADS:-4}"

fail() {
    echo "load.sh: $*" >&2
    exit 2
}

# RUN_TIME in seconds (locust's forms: 90s, 10m, 1h30m), for the outer time limit.
seconds_of() {
    local rest="$1" total=0 number unit
    [[ "$rest" =~ ^([0-9]+[hms]?)+$ ]] || fail "RUN_TIME=$1 ska skrivas som 90s, 10m eller 1h30m"
    while [[ "$rest" =~ ^([0-9]+)([hms]?)(.*)$ ]]; do
        number="${BASH_REMATCH[1]}" unit="${BASH_REMATCH[2]:-s}" rest="${BASH_REMATCH[3]}"
        case "$unit" in
            h) total=$((total + number * 3600)) ;;
            m) total=$((total + number * 60)) ;;
            s) total=$((total + number)) ;;
        esac
    done
    echo "$total"
}

run_seconds="$(seconds_of "$RUN_TIME")"
for setting in PORT USERS SPAWN_RATE WORKERS THREADS; do
    [[ "${!setting}" =~ ^[1-9][0-9]*$ ]] || fail "$setting=${!setting} ska vara ett positivt heltal"
done
[[ -x "$BIN/locust" ]] || fail "locust saknas: .venv/bin/pip install -e '.[bench]'"
[[ -x "$BIN/gunicorn" ]] || fail "gunicorn saknas: .venv/bin/pip install -e ."
case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) fail "DATABASE_URL ska vara en PostgreSQL-databas (postgres://…), inte $DATABASE_URL" ;;
esac
if "$BIN/python" -c "import socket, sys; sys.exit(socket.socket().connect_ex(('127.0.0.1', $PORT)) != 0)"; then
    fail "porten $PORT på 127.0.0.1 används redan: välj en annan med PORT=…"
fi

mkdir -p "$OUT"
rm -f "$OUT"/stegvis_* "$OUT"/access.log "$OUT"/error.log "$OUT"/locust.log "$OUT"/timings.csv

# Production settings, except that there is no TLS on 127.0.0.1: no redirect to
# https, and cookies that a client sends back over http (settings.py). The key is new
# for each run; the sessions live only as long as the run.
export DEBUG=0 STEGVIS_DEMO=0
export SECRET_KEY="load-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
export STEGVIS_VAR_DIR="$PWD/$OUT/var"
export STATIC_ROOT="$PWD/$OUT/var/static"

echo "== Databasen: ${DATABASE_URL##*@}"
"$BIN/python" - <<'EOF' || fail "kunde inte skapa databasen"
import os
from urllib.parse import urlsplit, urlunsplit

import psycopg

parts = urlsplit(os.environ["DATABASE_URL"])
name = parts.path.lstrip("/")
admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
with psycopg.connect(admin, autocommit=True, connect_timeout=10) as connection:
    if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        connection.execute(f'CREATE DATABASE "{name}"')
        print(f"skapade {name}")
EOF
"$BIN/stegvis" migrate --noinput >/dev/null || fail "migrate misslyckades"

echo "== Demo och lastkonton"
# `stegvis demo` and the load accounts only in a demo installation: DEBUG=1 for the
# Django of before STEGVIS_DEMO, STEGVIS_DEMO=1 for the one after.
DEBUG=1 STEGVIS_DEMO=1 "$BIN/stegvis" demo >/dev/null || fail "stegvis demo misslyckades"
DEBUG=1 STEGVIS_DEMO=1 "$BIN/python" bench/load_accounts.py \
    --per-role "$USERS" --output "$OUT/accounts.json" || fail "lastkontona kunde inte skapas"
# A lock left by an earlier run's wrong passwords (django-axes: the limit is per
# account and per address, and every simulated person comes from 127.0.0.1).
if "$BIN/stegvis" help axes_reset >/dev/null 2>&1; then
    "$BIN/stegvis" axes_reset >/dev/null
fi
"$BIN/stegvis" collectstatic --noinput >/dev/null || fail "collectstatic misslyckades"

echo "== gunicorn på 127.0.0.1:$PORT ($WORKERS processer × $THREADS trådar)"
LOAD_TIMINGS="$OUT/timings.csv" "$BIN/gunicorn" stegvis.wsgi:application \
    --config bench/gunicorn_load.py \
    --workers "$WORKERS" --threads "$THREADS" --bind "127.0.0.1:$PORT" \
    --no-control-socket \
    --access-logfile "$OUT/access.log" \
    --access-logformat '%(t)s "%(r)s" %(s)s %(b)s %(M)sms' \
    --error-logfile "$OUT/error.log" \
    >>"$OUT/error.log" 2>&1 &
server=$!
stop_server() {
    if kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server"
        wait "$server" 2>/dev/null || true
    fi
}
trap stop_server EXIT

ready=""
for _ in $(seq 60); do
    kill -0 "$server" 2>/dev/null || fail "gunicorn startade inte, se $OUT/error.log"
    if "$BIN/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/healthz', timeout=5)" 2>/dev/null; then
        ready=1
        break
    fi
    sleep 1
done
[[ -n "$ready" ]] || fail "gunicorn svarade inte på /healthz inom en minut, se $OUT/error.log"

echo "== locust: $USERS användare, $SPAWN_RATE nya per sekund, $RUN_TIME"
status=0
# locust stops itself after RUN_TIME (and lets each user finish the page it is on
# for up to 30 s); the outer limit is for a locust that does not.
LOAD_ACCOUNTS="$OUT/accounts.json" timeout --kill-after=30 "$((run_seconds + 120))" \
    "$BIN/locust" -f bench/locustfile.py --headless \
    --host "http://127.0.0.1:$PORT" \
    --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$RUN_TIME" --stop-timeout 30 \
    --csv "$OUT/stegvis" --only-summary \
    >"$OUT/locust.log" 2>&1 || status=$?

stop_server
trap - EXIT
echo
if [[ -f "$OUT/stegvis_summary.txt" ]]; then
    cat "$OUT/stegvis_summary.txt"
else
    tail -n 30 "$OUT/locust.log"
fi
if [[ -s "$OUT/timings.csv" ]]; then
    echo
    echo "I servern, hela körningen:"
    "$BIN/python" bench/gunicorn_load.py "$OUT/timings.csv"
fi
errors="$(grep -c -E 'Traceback|\[ERROR\]' "$OUT/error.log" || true)"
echo
echo "Allt i $OUT/: stegvis_summary.txt, stegvis_groups.csv, locusts stegvis_stats.csv och"
echo "stegvis_failures.csv, locust.log, gunicorns access.log, error.log och timings.csv."
if [[ "$errors" != 0 ]]; then
    echo "gunicorn skrev $errors fel i $OUT/error.log."
    [[ "$status" != 0 ]] || status=1
fi
exit "$status"
