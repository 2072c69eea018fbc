#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on loopback and REFERAT_TEST_PG_URL set.
#
#   scripts/with-postgres.sh cargo test --release
#
# Needs Debian's postgresql package (apt-get install -y postgresql). The cluster lives in a
# temporary directory owned by the postgres user (initdb refuses to run as root) and is stopped
# and removed when the command ends, whatever its exit status.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
    echo "with-postgres: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install -y postgresql)" >&2
    exit 3
fi

# A free loopback port: a random one that nothing answers on (pg_ctl fails cleanly if taken).
port=""
for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        port=$candidate
        break
    fi
done
[[ -n "$port" ]] || { echo "with-postgres: no free loopback port found" >&2; exit 3; }
dir=$(mktemp -d /tmp/referat-pg.XXXXXX)
chmod 755 "$dir"

as_pg() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$dir"
fi

cleanup() {
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT

user=$(if [[ $(id -u) -eq 0 ]]; then echo postgres; else id -un; fi)
as_pg "$bindir/initdb" -D "$dir/data" -U "$user" -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 3; }
as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 3; }
as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$user" referat_test

export REFERAT_TEST_PG_URL="postgres://$user@127.0.0.1:$port/referat_test"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') at $REFERAT_TEST_PG_URL" >&2
"$@"
