#!/usr/bin/env bash
# Make sure PostgreSQL answers on 127.0.0.1:5432 with a database `test` (trust auth for local tests).
# Starts an installed cluster, or installs one from Debian's packages. Fails loudly; never skips.
set -euo pipefail
host=127.0.0.1 port=5432
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

answers() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }

if ! command -v pg_isready >/dev/null || ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  echo "PostgreSQL is not installed: installing it"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
fi

if ! answers; then
  version=$(ls /etc/postgresql | sort -n | tail -1)
  conf=/etc/postgresql/$version/main
  # Local test databases only: trust connections from this machine.
  if ! $sudo grep -q "certify-tests" "$conf/pg_hba.conf"; then
    printf '# certify-tests\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n' \
      | $sudo tee "$conf/pg_hba.conf.certify" >/dev/null
    $sudo bash -c "cat '$conf/pg_hba.conf' >> '$conf/pg_hba.conf.certify' && mv '$conf/pg_hba.conf.certify' '$conf/pg_hba.conf'"
  fi
  echo "starting PostgreSQL $version"
  $sudo pg_ctlcluster --skip-systemctl-redirect "$version" main start || $sudo pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do answers && break; sleep 1; done
fi

answers || { echo "PostgreSQL does not answer on $host:$port" >&2; exit 1; }
if ! psql -h "$host" -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" | grep -q 1; then
  psql -h "$host" -p "$port" -U postgres -c "CREATE DATABASE test" >/dev/null
fi
echo "PostgreSQL is ready on $host:$port (database test)"
