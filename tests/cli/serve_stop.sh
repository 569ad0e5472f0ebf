# Stop Service from the console of a client of `certcon serve`: the CA
# node's All Tasks offers it only there (a console on the database itself
# has no service to stop). Someone without Manage CA is refused by the
# core, is told so, the refusal is audited and the service keeps serving.
# A CA Administrator's confirmed Stop ends the service cleanly: it takes no
# new client at once (its socket is gone), lets a console it is still
# serving finish, then exits 0; the stop is audited and the stopping
# console says so and ends.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
chmod 700 "$SCRATCH"
plan 20
run_ok "add alice, who is no CA Administrator" dir add-user alice

# a socket path short enough for sun_path, in a directory only we may enter
D=$(mktemp -d)
chmod 700 "$D"
SOCK="$D/s.sock"
SERVE_PID=
OTHER_PID=
stop_cleanup() {
    exec 3>&- 2>/dev/null
    [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null
    [ -n "$OTHER_PID" ] && kill "$OTHER_PID" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$D"
}
trap stop_cleanup EXIT

# console AS KEYS-FILE [--db]: the console by keys at 80x24, through the service
console() {
    local who=$1 keys=$2
    COLUMNS=80 LINES=24 "$CERTCON" --connect "$SOCK" --as "$who" --script "$keys" \
        >"$SCRATCH/console.out" 2>&1
}

# the CA node's menu -> All Tasks, then (keys given) Stop Service -> Stop
cat >"$SCRATCH/menu.keys" <<EOF2
<Down><Down><Down>
<Enter>
<Enter>
<Right>
:dump $SCRATCH/menu.txt
EOF2
COLUMNS=80 LINES=24 "$CERTCON" --db "$DB" --script "$SCRATCH/menu.keys" >"$SCRATCH/console.out" 2>&1
ok $? "the console on the database itself runs"
unlike "$(cat "$SCRATCH/menu.txt")" "Stop Service" "with no service, All Tasks offers no Stop Service"

"$CERTCON" --db "$DB" serve --socket "$SOCK" 2>"$SCRATCH/serve.log" &
SERVE_PID=$!
wait_socket "$SOCK"
ok $? "the service listens"

console Administrator "$SCRATCH/menu.keys"
like "$(cat "$SCRATCH/menu.txt")" "Stop Service" "a client's All Tasks offers Stop Service"

# alice: refused by the core, told why, audited; the service goes on
cat >"$SCRATCH/alice.keys" <<EOF2
<Down><Down><Down>
<Enter>
<Enter>
<Right>
<Down>
<Enter>
# the question defaults to Cancel: Left moves to Stop
<Left>
<Enter>
:dump $SCRATCH/refused.txt
EOF2
console alice "$SCRATCH/alice.keys"
ok $? "alice's console ran"
like "$(cat "$SCRATCH/refused.txt")" "alice needs the CA permission 'Manage CA' to stop the CA" \
    "the refusal is shown, naming whom and the right"
ok "$([ -S "$SOCK" ] && kill -0 "$SERVE_PID" 2>/dev/null && echo 0 || echo 1)" \
    "after the refusal the service still runs and listens"
OUT=$("$CERTCON" --connect "$SOCK" --tsv audit --refused 2>&1)
like "$OUT" "alice	ca	CA	stop the CA service			Manage CA	refused" "the refusal is audited"

# a console the service is serving when it is told to stop: its keys come from a FIFO
mkfifo "$D/keys.fifo"
COLUMNS=80 LINES=24 "$CERTCON" --connect "$SOCK" --script "$D/keys.fifo" \
    >"$SCRATCH/other.out" 2>&1 &
OTHER_PID=$!
exec 3>"$D/keys.fifo"
printf '<Down>\n' >&3

cat >"$SCRATCH/admin.keys" <<EOF2
<Down><Down><Down>
<Enter>
<Enter>
<Right>
<Down>
<Enter>
:dump $SCRATCH/confirm.txt
<Left>
<Enter>
:dump $SCRATCH/stopped.txt
<Enter>
:dump $SCRATCH/after.txt
EOF2
console Administrator "$SCRATCH/admin.keys"
ok $? "the stopping console exits 0"
like "$(cat "$SCRATCH/confirm.txt")" "Stop Active Directory Certificate Services on CA1" \
    "Stop asks first"
like "$(cat "$SCRATCH/stopped.txt")" "The CA service is stopping" "the console says the service stops"
ok "$([ ! -e "$SCRATCH/after.txt" ] && echo 0 || echo 1)" "the console ended on OK (no later dump)"

i=0
while [ -S "$SOCK" ] && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
ok "$([ ! -e "$SOCK" ] && echo 0 || echo 1)" "the socket is gone"
"$CERTCON" --connect "$SOCK" ca show >/dev/null 2>&1
ok "$([ $? -ne 0 ] && echo 0 || echo 1)" "a new client is not taken"
ok "$(kill -0 "$SERVE_PID" 2>/dev/null && echo 0 || echo 1)" \
    "the service waits for the console it still serves"

# that console finishes; then the service exits 0
printf '<Up>\n' >&3
exec 3>&-
wait "$OTHER_PID"
ok $? "the console served during the stop finished normally"
OTHER_PID=
wait "$SERVE_PID"
is "$?" 0 "the service exited 0"
SERVE_PID=
like "$(cat "$SCRATCH/serve.log")" "the CA service stopped" "the service said it stopped"
OUT=$("$CERTCON" --db "$DB" --tsv audit --object service 2>&1)
like "$OUT" "Administrator	ca	service	state	running	stopped		ok" "the stop is audited"
