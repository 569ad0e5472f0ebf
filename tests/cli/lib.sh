# Shared helpers for the command-line tests: TAP output, a scratch
# directory, a fresh lab database, and checks that a refused command left
# the database exactly as it was.
#
# A test script sources this file, calls plan N (or done_testing at the
# end), and uses ok/is/like/run_ok/run_fails.

set -u
: "${CERTCON:?CERTCON must name the certcon binary}"
: "${TESTS_BUILDDIR:=$(pwd)/tests}"
export TZ=UTC LC_ALL=C.UTF-8
unset CERTCON_DB XDG_DATA_HOME XDG_CONFIG_HOME

# Every lab a test makes is created and used at this pinned time, never at
# today's date: the suite must pass on any day (quickstart check also runs it
# with the system clock years ahead). A script may pin another time before
# it sources this file.
: "${LAB_NOW:=2026-11-25T09:00:00Z}"
export CERTCON_NOW="$LAB_NOW"
# The system time tools should check certificates at: a day after the lab clock.
LAB_CHECK_TIME=$(($(date -u -d "$LAB_NOW" +%s) + 86400))

# ssl_verify CA-FILE CERT-FILE [openssl verify options]: openssl verify at
# the lab's time rather than the machine's.
ssl_verify() {
    local ca=$1 cert=$2
    shift 2
    openssl verify -attime "$LAB_CHECK_TIME" "$@" -CAfile "$ca" "$cert" >/dev/null 2>&1
}

# at_lab_time COMMAND...: runs a tool that cannot be told the time (certtool)
# with the system clock moved to the lab's time (outside any faketime the
# whole test may run under: nested, libfaketime would add both offsets).
# libfaketime is preloaded directly where it is found: the faketime
# wrapper makes a semaphore per pid and fails ("sem_open: File exists")
# when a pid comes round whose semaphore a killed process left behind.
# Preloaded so, libfaketime makes shared memory named by the pid it runs
# as, which is removed here once the tool ends: left behind, a later
# faketime wrapper with that pid would fail the same way.
at_lab_time() {
    local when lib pid rc
    when=$(date -u -d "@$LAB_CHECK_TIME" "+%Y-%m-%d %H:%M:%S")
    for lib in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1; do
        if [ -f "$lib" ]; then
            env -u FAKETIME_SHARED LD_PRELOAD="$lib" FAKETIME="@$when" "$@" <&0 &
            pid=$!
            wait "$pid" && rc=0 || rc=$?
            rm -f "/dev/shm/sem.faketime_sem_$pid" "/dev/shm/faketime_shm_$pid"
            return $rc
        fi
    done
    env -u LD_PRELOAD -u FAKETIME -u FAKETIME_SHARED faketime "$when" "$@"
}

_tap_n=0
_tap_failed=0
_tap_planned=

plan() { _tap_planned=$1; echo "1..$1"; }

_result() { # ok? description
    _tap_n=$((_tap_n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $_tap_n - $2"
    else
        echo "not ok $_tap_n - $2"
        _tap_failed=$((_tap_failed + 1))
    fi
}

diag() { printf '# %s\n' "$@" | sed 's/^# $/#/'; }

ok() { # status description
    _result "$1" "$2"
}

is() { # got expected description
    if [ "$1" = "$2" ]; then
        _result 0 "$3"
    else
        _result 1 "$3"
        diag "got:      '$1'" "expected: '$2'"
    fi
}

like() { # text regex description
    if printf '%s' "$1" | grep -Eq -- "$2"; then
        _result 0 "$3"
    else
        _result 1 "$3"
        diag "'$1'" "does not match /$2/"
    fi
}

unlike() { # text regex description
    if printf '%s' "$1" | grep -Eq -- "$2"; then
        _result 1 "$3"
        diag "'$1'" "matches /$2/"
    else
        _result 0 "$3"
    fi
}

skip() { # description reason
    _tap_n=$((_tap_n + 1))
    echo "ok $_tap_n - $1 # SKIP $2"
}

done_testing() {
    [ -z "$_tap_planned" ] && echo "1..$_tap_n"
    [ "$_tap_failed" -eq 0 ]
}

# A scratch directory for this script, emptied first.
scratch() {
    SCRATCH="$TESTS_BUILDDIR/tmp/$(basename "$0" .sh)"
    rm -rf "$SCRATCH"
    mkdir -p "$SCRATCH"
    export HOME="$SCRATCH/home"
    mkdir -p "$HOME"
}

# cc ARGS...: certcon on the test database, pinned lab clock unless set.
cc() {
    "$CERTCON" --db "$DB" "$@"
}

# Runs certcon, keeping stdout in $OUT, stderr in $ERR and the status in $RC.
run() {
    OUT=$("$CERTCON" --db "$DB" "$@" 2>"$SCRATCH/.err") && RC=0 || RC=$?
    ERR=$(cat "$SCRATCH/.err")
}

run_ok() { # description certcon-args...
    local d=$1
    shift
    run "$@"
    if [ "$RC" -eq 0 ]; then
        _result 0 "$d"
    else
        _result 1 "$d"
        diag "certcon $* exited $RC" "$ERR"
    fi
}

# run_fails EXPECTED-STATUS description args...
run_fails() {
    local want=$1 d=$2
    shift 2
    run "$@"
    if [ "$RC" -eq "$want" ]; then
        _result 0 "$d"
    else
        _result 1 "$d"
        diag "certcon $* exited $RC, expected $want" "$OUT" "$ERR"
    fi
}

# A fresh contoso lab in $SCRATCH/lab.db, built once per script and copied.
new_lab() {
    DB="$SCRATCH/${1:-lab}.db"
    local base="$SCRATCH/.base.db"
    if [ ! -f "$base" ]; then
        "$CERTCON" --db "$base" init --lab contoso >/dev/null || {
            echo "Bail out! certcon init --lab contoso failed"
            exit 1
        }
        sqlite3 "$base" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
    fi
    rm -f "$DB" "$DB-wal" "$DB-shm"
    cp "$base" "$DB"
    chmod 600 "$DB"
}

# A canonical text dump of every table, for "nothing changed" checks.
db_dump() {
    # a refusal is audited (the refused change is not): its record is no
    # change, nor is the step of the change counter for the transaction that
    # wrote it (unchanged_after checks that the counter moved only then)
    sqlite3 "$DB" .dump 2>/dev/null | grep -v '^PRAGMA' |
        grep -v "^INSERT INTO audit VALUES(.*,'refused','[0-9a-f]*','[0-9a-f]*');\$" |
        grep -v "^INSERT INTO meta VALUES('changes','[0-9]*');\$"
}

# "COUNTER REFUSALS": the change counter and the number of audited refusals.
db_counts() {
    sqlite3 "$DB" "SELECT coalesce((SELECT value FROM meta WHERE key = 'changes'), 0) || ' ' ||
                          (SELECT count(*) FROM audit WHERE result = 'refused');" 2>/dev/null
}

# unchanged_after DESCRIPTION certcon-args...: the command fails (status
# 1 or 2) and the database is byte-for-byte the same afterwards, but for
# the audit records of refusals (and at most one counted change for each).
unchanged_after() {
    local d=$1
    shift
    local before after n0 n1 moved refused
    before=$(db_dump)
    read -ra n0 <<<"$(db_counts)"
    run "$@"
    after=$(db_dump)
    read -ra n1 <<<"$(db_counts)"
    moved=$((n1[0] - n0[0])) refused=$((n1[1] - n0[1]))
    if [ "$RC" -ne 0 ] && [ "$before" = "$after" ] && [ "$moved" -le "$refused" ]; then
        _result 0 "$d"
    else
        _result 1 "$d"
        [ "$RC" -eq 0 ] && diag "certcon $* succeeded but should have failed"
        [ "$before" != "$after" ] && diag "the database changed:" \
            "$(diff <(echo "$before") <(echo "$after") | head -10)"
        [ "$moved" -gt "$refused" ] &&
            diag "the change counter moved $moved times for $refused audited refusals"
    fi
}

# setting TEMPLATE NAME: one setting's value from `template show --tsv`.
setting() {
    "$CERTCON" --db "$DB" --tsv template show "$1" | awk -F'\t' -v s="$2" '$2 == s { print $3; exit }'
}

# rights TEMPLATE PRINCIPAL: "allow<TAB>deny" for a principal of the ACL.
rights() {
    "$CERTCON" --db "$DB" --tsv template acl "$1" | awk -F'\t' -v p="$2" '
        { n = $1; sub(/^.*\\/, "", n) } n == p { print $2 "\t" $3; exit }'
}

# --- the CA service's tests: a client area, test users, the socket ------

# client_area: $T, a directory any user may enter (the scratch directory is
# private), with run/ for sockets and $BIN, a copy of certcon anyone may run.
# The users and services a test starts are ended by client_cleanup (trapped).
client_area() {
    T=$(mktemp -d)
    chmod 755 "$T"
    mkdir -p "$T/bin" "$T/run"
    cp "$CERTCON" "$T/bin/certcon"
    chmod 755 "$T/bin/certcon"
    BIN="$T/bin/certcon"
    CLIENT_USERS=
    CLIENT_PIDS=
    trap client_cleanup EXIT
}

# client_user NAME HOME: a system user for the test, removed at the end.
client_user() {
    useradd -M -r -d "$2" -s /bin/sh "$1" >/dev/null 2>&1 || {
        echo "Bail out! useradd $1 failed"
        exit 1
    }
    CLIENT_USERS="$CLIENT_USERS $1"
}

# client_serve SOCKET [certcon args]: certcon serve on $DB in the background,
# stopped at the end; waits until it listens.
client_serve() {
    local sock=$1
    shift
    "$CERTCON" --db "$DB" "$@" serve --socket "$sock" 2>>"$SCRATCH/serve.log" &
    CLIENT_PIDS="$CLIENT_PIDS $!"
    wait_socket "$sock"
}

client_cleanup() {
    local p u
    for p in $CLIENT_PIDS; do kill "$p" 2>/dev/null; done
    [ -n "${CLIENT_EXTRA_CLEANUP:-}" ] && $CLIENT_EXTRA_CLEANUP
    wait 2>/dev/null
    for u in $CLIENT_USERS; do userdel "$u" >/dev/null 2>&1; done
    rm -rf "$T"
}

# wait_socket PATH: until something listens there (10 s at most)
wait_socket() {
    local i=0
    while [ ! -S "$1" ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    [ -S "$1" ]
}

# free_port: a loopback TCP port nothing answers at (a service started on it
# later fails loudly if it was taken meanwhile, never passes by accident).
free_port() {
    local p i
    for i in $(seq 1 50); do
        p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || {
            echo "$p"
            return 0
        }
    done
    return 1
}
