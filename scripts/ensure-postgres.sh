#!/usr/bin/env bash
# Make sure PostgreSQL answers on 127.0.0.1:5432, lets the user postgres in from this machine without a
# password (the tests' TEST_DATABASE_URL), and has a database `test`. Installs PostgreSQL from Debian's
# packages when it is missing, starts the cluster when it is stopped, and when the server asks for a
# password (Debian's default for 127.0.0.1 is scram-sha-256) puts trust lines for this machine at the top
# of its pg_hba.conf and reloads it. Safe to run again; fails loudly, never skips.
set -euo pipefail
host=127.0.0.1 port=5432
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

fail() { echo "ensure-postgres: $*" >&2; exit 1; }
answers() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }
# -w: never prompt; a server that wants a password refuses at once.
trusted() { psql -h "$host" -p "$port" -U postgres -w -tAc "SELECT 1" >/dev/null 2>&1; }
wait_for() { for _ in $(seq 1 30); do "$@" && return 0; sleep 1; done; return 1; }

# "VERSION CLUSTER" of the local cluster configured for $port, as Debian's postgresql-common lists them.
cluster() {
  pg_lsclusters -h 2>/dev/null | awk -v port="$port" '$3 == port { print $1, $2; exit }'
}

# Sets $version, $name and $conf (its configuration folder), or fails.
local_cluster() {
  read -r version name <<<"$(cluster)" || true
  [ -n "${version:-}" ] || fail "no local cluster uses port $port (see pg_lsclusters), so this script cannot" \
    "start or configure the server there: start it yourself and let user postgres in without a password"
  conf=/etc/postgresql/$version/$name
}

if ! answers; then
  if ! command -v pg_lsclusters >/dev/null || [ -z "$(cluster)" ]; then
    echo "no PostgreSQL cluster here for port $port: installing Debian's postgresql"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
    [ -n "$(cluster)" ] || fail "installed PostgreSQL, but no cluster uses port $port (see pg_lsclusters)"
  fi
  local_cluster
  echo "starting PostgreSQL $version/$name"
  $sudo pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start \
    || $sudo pg_ctlcluster "$version" "$name" start
  wait_for answers || fail "PostgreSQL $version/$name was started but does not answer on $host:$port"
fi

if ! trusted; then
  local_cluster
  # Local test databases only: trust connections from this machine. pg_hba.conf is read top down and
  # the first matching line decides, so these go before Debian's scram-sha-256 lines.
  if ! $sudo grep -q "certify-tests" "$conf/pg_hba.conf"; then
    echo "PostgreSQL asks for a password: trusting connections from this machine in $conf/pg_hba.conf"
    # `cat >` keeps the file's owner and mode (postgres, 0640).
    $sudo sh -c "{ printf '%s\n' '# certify-tests: local test databases, no password from this machine' \
      'host all all 127.0.0.1/32 trust' 'host all all ::1/128 trust'; cat '$conf/pg_hba.conf'; } \
      > '$conf/pg_hba.conf.certify' && cat '$conf/pg_hba.conf.certify' > '$conf/pg_hba.conf' \
      && rm '$conf/pg_hba.conf.certify'"
  fi
  $sudo pg_ctlcluster "$version" "$name" reload
  wait_for trusted || fail "PostgreSQL on $host:$port still refuses user postgres without a password;" \
    "see $conf/pg_hba.conf (the certify-tests lines must come first) and the server's log"
fi

# UTF8 whatever the cluster's default: a cluster initialised without a locale defaults to SQL_ASCII, in
# which psycopg returns text as bytes. The tests make their other databases (test_gw0 …) like this one.
query() { psql -h "$host" -p "$port" -U postgres -w -tAc "$1"; }
encoding=$(query "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'test'")
if [ -z "$encoding" ]; then
  query "CREATE DATABASE test TEMPLATE template0 ENCODING 'UTF8'" >/dev/null
elif [ "$encoding" != UTF8 ]; then
  fail "the database test on $host:$port has the encoding $encoding, and the tests need UTF8:" \
    "drop it (dropdb -h $host -p $port -U postgres test) and run this again"
fi
echo "PostgreSQL is ready on $host:$port (database test)"
