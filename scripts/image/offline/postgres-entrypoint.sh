#!/bin/bash
# PostgreSQL from Debian's postgresql-15, with the official image's contract:
# POSTGRES_PASSWORD for the superuser, data in $PGDATA, *.sql files in
# /docker-entrypoint-initdb.d run once on a fresh data directory.
set -euo pipefail
export PGDATA=${PGDATA:-/var/lib/postgresql/data}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  [ -n "${POSTGRES_PASSWORD:-}" ] || { echo "postgres: POSTGRES_PASSWORD is required on first start" >&2; exit 1; }
  mkdir -p "$PGDATA"; chmod 700 "$PGDATA"
  pwfile=$(mktemp); printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" -U postgres --auth-host=md5 --auth-local=trust --pwfile="$pwfile" -E UTF8 --locale=C >/dev/null
  rm -f "$pwfile"
  echo "host all all all md5" >>"$PGDATA/pg_hba.conf"
  # Init scripts run against a server listening on the socket only.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=/tmp" -w start >/dev/null
  for f in /docker-entrypoint-initdb.d/*.sql; do
    [ -e "$f" ] || continue
    echo "postgres: running $f"
    psql -v ON_ERROR_STOP=1 -q -h /tmp -U postgres -d postgres -f "$f"
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/tmp "$@"
