# Starts a throwaway PostgreSQL cluster for this process and stops it on exit.
# Sourced by scripts/test and scripts/bench. After `start_throwaway_postgres [extra -c options]`,
# PG_URL holds an admin URL (postgres://postgres@127.0.0.1:PORT/postgres) and PG_BIN the binaries.

find_pg_bin() {
    if [[ -n "${LEDGER_PG_BIN:-}" ]]; then
        echo "$LEDGER_PG_BIN"
        return
    fi
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V | tail -n 1 || true)
    if [[ -z "$dir" ]] && command -v pg_ctl >/dev/null; then
        dir=$(dirname "$(command -v pg_ctl)")
    fi
    echo "$dir"
}

start_throwaway_postgres() {
    PG_BIN=$(find_pg_bin)
    if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" || ! -x "$PG_BIN/pg_ctl" ]]; then
        echo "$(basename "$0"): no PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin and PATH)." >&2
        echo "Install them, e.g. \`apt-get install postgresql-15\` (Debian/Ubuntu), or set LEDGER_PG_BIN to a" >&2
        echo "directory holding initdb and pg_ctl, or skip PostgreSQL with LEDGER_SKIP_POSTGRES=1." >&2
        exit 1
    fi

    # initdb refuses to run as root: run the server as `postgres` then.
    as_pg() { "$@"; }
    if [[ "$(id -u)" == "0" ]]; then
        if ! id postgres >/dev/null 2>&1; then
            echo "$(basename "$0"): running as root needs a 'postgres' user to own the test cluster" >&2
            exit 1
        fi
        as_pg() { runuser -u postgres -- "$@"; }
    fi

    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/channel-ledger-pgtest.XXXXXX")
    chmod 755 "$PG_DIR"
    [[ "$(id -u)" == "0" ]] && chown postgres: "$PG_DIR"

    cleanup() {
        local status=$?
        if [[ -f "$PG_DIR/data/postmaster.pid" ]]; then
            as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        fi
        rm -rf "$PG_DIR"
        exit "$status"
    }
    trap cleanup EXIT
    trap 'exit 130' INT TERM

    free_port() {
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
            || echo $(( 20000 + RANDOM % 20000 ))
    }
    PORT=$(free_port)

    as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
        || as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; exit 1; }

    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 start -o \
        "-c listen_addresses=127.0.0.1 -p $PORT -k $PG_DIR -c max_connections=300 -c shared_buffers=128MB $*" >/dev/null \
        || { cat "$PG_DIR/server.log" >&2; exit 1; }

    for _ in $(seq 1 60); do
        "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" && break
        sleep 0.5
    done
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" \
        || { echo "$(basename "$0"): PostgreSQL did not become ready" >&2; cat "$PG_DIR/server.log" >&2; exit 1; }
    PG_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
}
