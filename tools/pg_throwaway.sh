#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the store's tests: its own data directory and Unix socket
# under DIR, no TCP port, trust authentication, superuser "leder".
#
#   tools/pg_throwaway.sh start DIR   # initdb (first time) and start; prints the URL
#   tools/pg_throwaway.sh stop DIR    # stop it (safe to call when it is not running)
#   tools/pg_throwaway.sh url DIR     # print the URL again
#
# Use the URL as LEDER_TEST_POSTGRES_URL:
#   export LEDER_TEST_POSTGRES_URL="$(tools/pg_throwaway.sh start /tmp/leder-pg)"
#
# The server binaries come from PG_BIN when set, else from pg_config --bindir, else the newest
# /usr/lib/postgresql/*/bin (Debian's postgresql package). initdb and postgres refuse to run as
# root: as root the cluster runs as the "postgres" system user when there is one, else "nobody",
# and DIR is handed to that user (every parent of DIR must be searchable by it).
set -euo pipefail

usage() {
  echo "usage: $0 start|stop|url DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
ACTION=$1
DIR=$2

find_bin() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then
    echo "$PG_BIN"
    return
  fi
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  local candidate found=""
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && found=$candidate
  done
  if [ -z "$found" ]; then
    echo "$0: no PostgreSQL server found (set PG_BIN, or apt-get install postgresql)" >&2
    exit 1
  fi
  echo "$found"
}

# as_owner CMD...: run a server command as the cluster's owner (not root).
OWNER=""
if [ "$(id -u)" -eq 0 ]; then
  if id postgres >/dev/null 2>&1; then OWNER=postgres; else OWNER=nobody; fi
fi
as_owner() {
  if [ -n "$OWNER" ]; then
    runuser -u "$OWNER" -- "$@"
  else
    "$@"
  fi
}

url() {
  echo "postgresql://leder@/postgres?host=$DIR"
}

case "$ACTION" in
  start)
    BIN="$(find_bin)"
    mkdir -p "$DIR"
    DIR="$(cd "$DIR" && pwd)"
    if [ ${#DIR} -gt 90 ]; then
      echo "$0: $DIR is too long for a Unix socket path; use a shorter one" >&2
      exit 2
    fi
    if [ -n "$OWNER" ]; then
      chown "$OWNER" "$DIR"
      if ! runuser -u "$OWNER" -- test -w "$DIR"; then
        echo "$0: $OWNER cannot reach $DIR (make its parents searchable: chmod o+x)" >&2
        exit 1
      fi
    fi
    if [ ! -f "$DIR/data/PG_VERSION" ]; then
      as_owner "$BIN/initdb" --pgdata="$DIR/data" --username=leder --auth=trust \
        --encoding=UTF8 --locale=C --no-sync >"$DIR/initdb.log" 2>&1 || {
        cat "$DIR/initdb.log" >&2
        exit 1
      }
    fi
    # Socket only (no TCP), fsync off: the data is thrown away.
    as_owner "$BIN/pg_ctl" --pgdata="$DIR/data" --log="$DIR/server.log" --wait \
      --options="-c listen_addresses='' -c unix_socket_directories='$DIR' -c fsync=off -c max_connections=50" \
      start >/dev/null || {
      cat "$DIR/server.log" >&2
      exit 1
    }
    url
    ;;
  stop)
    if [ -f "$DIR/data/postmaster.pid" ]; then
      BIN="$(find_bin)"
      as_owner "$BIN/pg_ctl" --pgdata="$DIR/data" --mode=fast --wait stop >/dev/null
    fi
    ;;
  url)
    DIR="$(cd "$DIR" && pwd)"
    url
    ;;
  *) usage ;;
esac
