#!/usr/bin/env bash
# Runs a command with MATCHWERK_DATABASE_URL naming a real PostgreSQL server:
#  1. the server named by MATCHWERK_DATABASE_URL, when set;
#  2. else one answering on 127.0.0.1:5432 (as user postgres, trust or PGPASSWORD);
#  3. else a throw-away cluster started here with initdb/pg_ctl (as user postgres when
#     run as root, since PostgreSQL refuses to run as root), removed afterwards.
set -euo pipefail

if [ -n "${MATCHWERK_DATABASE_URL:-}" ]; then
  exec "$@"
fi

if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432 -t 2 \
   && psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
  export MATCHWERK_DATABASE_URL="postgres://postgres${PGPASSWORD:+:$PGPASSWORD}@127.0.0.1:5432/matchwerk"
  exec "$@"
fi

PGBIN=""
for dir in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")" /usr/lib/postgresql/*/bin; do
  if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then PGBIN=$dir; break; fi
done
if [ -z "$PGBIN" ]; then
  echo "error: no PostgreSQL server for the tests: set MATCHWERK_DATABASE_URL, start a server on" >&2
  echo "127.0.0.1:5432, or install PostgreSQL's server binaries (initdb, pg_ctl; Debian: postgresql)." >&2
  exit 1
fi

as_pg=()
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi
  as_pg=(runuser -u postgres --)
fi

cluster=$(mktemp -d /tmp/matchwerk-pg.XXXXXX)
chmod 755 "$cluster"
[ "$(id -u)" = 0 ] && chown postgres "$cluster"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

cleanup() {
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap cleanup EXIT

"${as_pg[@]}" "$PGBIN/initdb" -D "$cluster/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$cluster/initdb.log" 2>&1 \
  || { cat "$cluster/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $port -k $cluster -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
  || { cat "$cluster/server.log" >&2; exit 1; }
echo "PostgreSQL throw-away cluster on 127.0.0.1:$port" >&2
export MATCHWERK_DATABASE_URL="postgres://postgres@127.0.0.1:$port/matchwerk"
"$@"
