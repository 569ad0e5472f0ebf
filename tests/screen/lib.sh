# Helpers for the screen tests: each test drives the real certcon in
# script mode (keys from a file, drawing off-screen at LINES x COLUMNS),
# dumps screens with :dump and compares them with the goldens in
# tests/screen/golden/. Output is TAP.
#
#   CERTCON_UPDATE_GOLDENS=1 make check TESTS=tests/screen/x.sh   rewrites the goldens
#
# The environment comes from the Makefile: CERTCON, CERTCON_DATADIR,
# TESTS_SRCDIR, TESTS_BUILDDIR, TZ=UTC.
#
# With CERTCON_SCREEN_SERVED=1 (make check-served) the lab is served by
# `certcon serve` and every console and command of the test is a client of
# it over its Unix socket: the same scripts must give the same screens.
# Tests reach the lab through $LAB ("--db PATH" or "--connect SOCKET").

set -u
: "${CERTCON:?}" "${TESTS_SRCDIR:?}" "${TESTS_BUILDDIR:?}"
export TZ=UTC LC_ALL=C.UTF-8 CERTCON_NOW=2026-11-25
unset NO_COLOR CERTCON_DB XDG_CONFIG_HOME

GOLDEN="$TESTS_SRCDIR/screen/golden"
screen_n=0
screen_failed=0

# screen_setup NAME: a scratch directory with a fresh contoso lab.
screen_setup() {
    T="$TESTS_BUILDDIR/tmp/screen-$1"
    rm -rf "$T"
    mkdir -p "$T/home"
    export HOME="$T/home" XDG_DATA_HOME="$T/home/data"
    DB="$T/lab.db"
    if ! "$CERTCON" --db "$DB" init --lab contoso >"$T/init.log" 2>&1; then
        echo "Bail out! cannot create the lab: $(cat "$T/init.log")"
        exit 1
    fi
    LAB="--db $DB" SERVE_SOCK=
    if [ "${CERTCON_SCREEN_SERVED:-}" = 1 ]; then
        screen_serve
    fi
}

# screen_serve: `certcon serve` on the lab, stopped when the test ends.
# The service refuses files open to others, so the scratch directory is
# private.
screen_serve() {
    local sock="$T/certcon.sock" i=0
    chmod 700 "$T"
    # a test that sets up a second lab ends the first lab's service
    [ -n "${SERVE_PID:-}" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
    # not on the test's output: the TAP reader would wait for the service
    "$CERTCON" --db "$DB" serve --socket "$sock" >"$T/serve.log" 2>&1 &
    SERVE_PID=$!
    trap 'kill $SERVE_PID 2>/dev/null; wait $SERVE_PID 2>/dev/null' EXIT
    while [ ! -S "$sock" ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    if [ ! -S "$sock" ]; then
        echo "Bail out! certcon serve did not start: $(cat "$T/serve.log")"
        exit 1
    fi
    LAB="--connect $sock"
    SERVE_SOCK=$sock SERVE_DB=$DB
}

# screen_unserve: ends the lab's service (in a served run) and reaches the
# database directly from then on, for what is done on the lab's own machine
# only (restoring a snapshot replaces the files a service would hold open).
screen_unserve() {
    [ -n "${SERVE_PID:-}" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
    SERVE_PID= SERVE_SOCK= LAB="--db $DB"
}

# lab_args: how to reach the test's database now. A test may point DB at
# another database, which is then used directly, served or not.
lab_args() {
    if [ -n "${SERVE_SOCK:-}" ] && [ "$DB" = "$SERVE_DB" ]; then
        echo "--connect $SERVE_SOCK"
    else
        echo "--db $DB"
    fi
}

# cc ARGS...: the command line on the test database.
cc() {
    "$CERTCON" $(lab_args) "$@"
}

# run_keys NAME [COLSxROWS]: runs the key script on stdin at 80x24 (or the size given),
# as the account $AS when it is set (a lab lets the console play any account).
run_keys() {
    local name=$1 size=${2:-80x24}
    cat >"$T/$name.keys"
    if ! COLUMNS=${size%x*} LINES=${size#*x} "$CERTCON" $(lab_args) ${AS:+--as "$AS"} --script "$T/$name.keys" \
        >"$T/$name.out" 2>&1; then
        echo "# certcon --script $name.keys failed:"
        sed 's/^/#   /' "$T/$name.out"
        return 1
    fi
}

# The OIDs of duplicates and new policies and certificate serial numbers
# are random; goldens show stand-ins.
screen_mask() {
    sed -E -e 's/1\.3\.6\.1\.4\.1\.311\.21\.8\.[0-9.]+ */<forest-oid> /g' \
        -e 's/[0-9a-f]{12,40}/<serial>/g' "$1"
}

ok() {
    screen_n=$((screen_n + 1))
    echo "ok $screen_n - $1"
}

not_ok() {
    screen_n=$((screen_n + 1))
    screen_failed=1
    echo "not ok $screen_n - $1"
}

# check_dump NAME: compares the dump $T/NAME.txt with golden/NAME.txt. A
# screen that a client of the service sees otherwise, because only there
# is something offered (the CA's Stop Service), has golden/NAME.served.txt,
# which served runs compare with instead.
check_dump() {
    local name=$1 dump="$T/$1.txt" want="$GOLDEN/$1.txt"
    if [ "${CERTCON_SCREEN_SERVED:-}" = 1 ] && [ -f "$GOLDEN/$1.served.txt" ]; then
        want="$GOLDEN/$1.served.txt"
    fi
    if [ ! -f "$dump" ]; then
        not_ok "$name (no dump written)"
        return
    fi
    screen_mask "$dump" >"$dump.masked"
    if [ "${CERTCON_UPDATE_GOLDENS:-}" = 1 ]; then
        cp "$dump.masked" "$want"
    fi
    if [ -f "$want" ] && cmp -s "$dump.masked" "$want"; then
        ok "$name"
    else
        not_ok "$name"
        if [ -f "$want" ]; then
            diff -u "$want" "$dump.masked" | sed 's/^/# /'
        else
            echo "# no golden $want; the screen was:"
            sed 's/^/# /' "$dump.masked"
        fi
    fi
}

# check NAME COMMAND...: a TAP line for a shell condition.
check() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else not_ok "$name"; fi
}

screen_done() {
    echo "1..$screen_n"
    exit $screen_failed
}
