# The CA service (certcon serve) and its clients (--connect). A lab database
# is served on a socket; through it a verb prints and exits exactly as in
# embedded mode, files land in the client's directory owned by the client,
# the service opens no path a client names (a client without the rights gets
# "Permission denied" although the service, root here, would not), what a
# client may not choose (--db, the clock of a production CA, an @include in
# its certcon.conf) is refused, and the console draws the same screens, resizes and restores the
# terminal. The service refuses to start on a database others can read.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
if [ "$(id -u)" -ne 0 ]; then
    # a second Unix user proves where files are opened; only root can make one
    echo "1..0 # SKIP serve.sh creates a Unix user for the client, which needs root"
    exit 0
fi
scratch
new_lab
chmod 700 "$SCRATCH"
plan 61

# The client user's side lives outside the (private) scratch directory.
client_area
mkdir -p "$T/alice" "$T/rootonly"
chmod 700 "$T/rootonly"
SOCK="$T/run/s.sock"
U="ccserve$$"
client_user "$U" "$T/alice"
chown "$U:" "$T/alice"
chmod 700 "$T/alice"
SERVE_PID=
SERVE2_PID=
TMUX_L="certcon-serve-$$"
serve_cleanup() {
    [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null
    [ -n "$SERVE2_PID" ] && kill "$SERVE2_PID" 2>/dev/null
    tmux -L "$TMUX_L" kill-server 2>/dev/null
}
CLIENT_EXTRA_CLEANUP=serve_cleanup

# as_alice COMMAND...: run in her directory as her, with only her rights. Under
# `make check-future` her processes keep the clock's offset but not the
# faketime wrapper's shared memory, which is root's and closed to her
# (FAKETIME_DISABLE_SHM).
as_alice() {
    (cd "$T/alice" && env FAKETIME_DISABLE_SHM=1 setpriv --reuid="$U" --regid="$(id -g "$U")" --clear-groups \
        env HOME="$T/alice" "$@")
}

# srun ARGS...: certcon through the socket, like run (OUT, ERR, RC)
srun() {
    OUT=$("$BIN" --connect "$SOCK" "$@" 2>"$SCRATCH/.err") && RC=0 || RC=$?
    ERR=$(cat "$SCRATCH/.err")
}

# --- the service refuses files that others can read --------------------
new_lab open
chmod 644 "$DB"
# (timeout: a service that wrongly starts must not hang the test)
timeout 10 "$CERTCON" --db "$DB" serve --socket "$T/run/open.sock" >"$SCRATCH/open.out" 2>&1 &&
    RC=0 || RC=$?
is "$RC" 1 "a database of mode 0644: the service does not start"
like "$(cat "$SCRATCH/open.out")" "open\\.db is open to group or others \\(mode 0644\\)" \
    "the message names the file and its mode"
ok "$([ ! -e "$T/run/open.sock" ] && echo 0 || echo 1)" "no socket was made"
chmod 600 "$DB"
chmod 755 "$SCRATCH"
timeout 10 "$CERTCON" --db "$DB" serve --socket "$T/run/open.sock" >"$SCRATCH/open.out" 2>&1 &&
    RC=0 || RC=$?
is "$RC" 1 "a database directory others can read: the service does not start"
like "$(cat "$SCRATCH/open.out")" "$SCRATCH is open to group or others" "the message names the directory"
chmod 700 "$SCRATCH"

# --- start the service --------------------------------------------------
new_lab
"$CERTCON" --db "$DB" serve --socket "$SOCK" 2>"$SCRATCH/serve.log" &
SERVE_PID=$!
wait_socket "$SOCK"
ok $? "the service listens"
is "$(stat -c %a "$SOCK")" 666 "any local user may connect (the kernel says who)"
timeout 10 "$CERTCON" --db "$DB" serve --socket "$SOCK" >"$SCRATCH/second.out" 2>&1 &&
    RC=0 || RC=$?
is "$RC" 1 "a second service on the same socket is refused"
like "$(cat "$SCRATCH/second.out")" "another CA service answers at" "and says why"

# --- verbs: the same output and status as embedded -----------------------
run --tsv template list
LIST=$OUT LIST_RC=$RC
srun --tsv template list
is "$RC" "$LIST_RC" "template list: the same status through the socket"
is "$OUT" "$LIST" "template list --tsv: the same output through the socket"
OUT=$(CERTCON_CONNECT="$SOCK" "$BIN" --tsv template list 2>&1) && RC=0 || RC=$?
is "$OUT" "$LIST" "CERTCON_CONNECT makes a client too"
run template show "No Such Template"
E_OUT=$OUT E_ERR=$ERR E_RC=$RC
srun template show "No Such Template"
is "$RC:$ERR" "$E_RC:$E_ERR" "a failing verb: the same status and message"
is "$RC" 1 "which is 1"
run template show
E_ERR=$ERR E_RC=$RC
srun template show
is "$RC:$ERR" "$E_RC:$E_ERR" "a usage error: the same status and message"
is "$RC" 2 "which is 2"
mkdir -p "$HOME/.config/certcon"
printf 'connect = "%s";\n' "$SOCK" >"$HOME/.config/certcon/certcon.conf"
OUT=$("$BIN" --tsv template list 2>&1) && RC=0 || RC=$?
is "$OUT" "$LIST" "connect in certcon.conf makes a client"
rm "$HOME/.config/certcon/certcon.conf"

# --- what a client may not choose ---------------------------------------
srun --db "$SCRATCH/other.db" template list
is "$RC" 2 "--db through the socket is refused"
like "$ERR" "--db cannot be given to the CA service" "saying the service has its own database"
: >"$SCRATCH/included.conf"
printf '@include "%s"\n' "$SCRATCH/included.conf" >"$SCRATCH/include.conf"
srun --config "$SCRATCH/include.conf" template list
like "$RC:$ERR" "^1:.*@include cannot be used in a certcon.conf given to the CA service" \
    "a client's certcon.conf may not make the service open another file"
printf 'keys = { quit = "<F99>"; };\n' >"$SCRATCH/keys.conf"
printf '' >"$SCRATCH/empty.keys"
srun --config "$SCRATCH/keys.conf" --script "$SCRATCH/empty.keys"
like "$RC:$ERR" "^1:.*keys: quit: '<F99>'" "a client's certcon.conf sets its console's keys"
srun --now 2027-10-26 --tsv ca show
is "$RC" 0 "a lab database takes --now through the socket"
OUT=$("$BIN" --connect "$T/run/nobody.sock" template list 2>&1) && RC=0 || RC=$?
is "$RC" 1 "no service at the socket"
like "$OUT" "cannot reach the CA service at $T/run/nobody\\.sock: No such file" \
    "the message names the socket and why"

new_lab prod
sqlite3 "$DB" "DELETE FROM meta WHERE key = 'lab';"
"$CERTCON" --db "$DB" serve --socket "$T/run/prod.sock" 2>"$SCRATCH/prod.log" &
SERVE2_PID=$!
wait_socket "$T/run/prod.sock"
OUT=$("$BIN" --connect "$T/run/prod.sock" --now 2030-01-01 template list 2>&1) && RC=0 || RC=$?
is "$RC" 2 "--now on a production database is refused"
like "$OUT" "--now: the clock of a production CA does not move" "with the reason"
OUT=$(CERTCON_NOW=2030-01-01 "$BIN" --connect "$T/run/prod.sock" template list 2>&1) && RC=0 || RC=$?
like "$RC:$OUT" "^2:.*CERTCON_NOW: the clock of a production CA does not move" \
    "so is CERTCON_NOW"
OUT=$(env -u CERTCON_NOW "$BIN" --connect "$T/run/prod.sock" --tsv template list 2>&1) && RC=0 || RC=$?
is "$RC:$OUT" "0:$LIST" "without a clock the production CA serves"
kill "$SERVE2_PID"
wait "$SERVE2_PID" && RC=0 || RC=$?
SERVE2_PID=
is "$RC" 0 "SIGTERM stops the service with status 0"
ok "$([ ! -e "$T/run/prod.sock" ] && echo 0 || echo 1)" "and removes its socket"
DB="$SCRATCH/lab.db"

# --- files are the client's: her directory, her rights ------------------
TPL="Serve Web"
run_ok "an exportable Web Server duplicate" template duplicate "Web Server" "$TPL" --compat 2003
run_ok "exportable" template set "$TPL" exportable yes
run_ok "the CA issues it" ca enable "$TPL"
run_ok "CA certificate" ca cert --out "$SCRATCH/ca.pem"
OUT=$(as_alice "$BIN" --connect "$SOCK" --as Administrator --tsv enroll --for Administrator \
    --template "$TPL" --cn srv1.contoso.com --out dp.pem 2>&1) && RC=0 || RC=$?
is "$RC" 0 "she enrolls through the socket with --out dp.pem" || diag "$OUT"
is "$(stat -c %U "$T/alice/dp.pem" 2>&1)" "$U" "dp.pem is in her directory, hers"
ssl_verify "$SCRATCH/ca.pem" "$T/alice/dp.pem"
ok $? "and verifies under the CA"
ok "$([ ! -e dp.pem ] && [ ! -e "$SCRATCH/dp.pem" ] && echo 0 || echo 1)" \
    "nothing was written where the service runs"
printf 'Pa55w0rd!\n' >"$T/alice/pw"
chown "$U:" "$T/alice/pw"
chmod 600 "$T/alice/pw"
OUT=$(as_alice "$BIN" --connect "$SOCK" --as Administrator export --for Administrator "$TPL" \
    --pfx dp.pfx --password-file pw 2>&1) && RC=0 || RC=$?
is "$RC" 0 "she exports a PFX, the password read from her file"
is "$(stat -c '%U %a' "$T/alice/dp.pfx" 2>&1)" "$U 600" "dp.pfx is hers, mode 0600"
openssl pkcs12 -in "$T/alice/dp.pfx" -nodes -passin file:"$T/alice/pw" 2>/dev/null |
    grep -q "BEGIN PRIVATE KEY"
ok $? "openssl opens the PFX and finds the key"

# a request only she can read, under a name that means another file to the service
openssl req -new -newkey rsa:2048 -nodes -keyout "$T/alice/r.key" -subj "/CN=srv2.contoso.com" \
    -out "$T/alice/r.csr" 2>/dev/null
chown "$U:" "$T/alice/r.csr"
chmod 600 "$T/alice/r.csr"
printf 'not a request\n' >r.csr
OUT=$(as_alice "$BIN" --connect "$SOCK" --as Administrator --tsv submit --for Administrator \
    --template "$TPL" --out r.pem r.csr 2>&1) && RC=0 || RC=$?
rm -f r.csr
is "$RC:$(printf '%s' "$OUT" | cut -f2)" "0:issued" "submit reads her r.csr, not the service's"
like "$(openssl x509 -in "$T/alice/r.pem" -noout -subject 2>&1)" "CN ?= ?srv2\\.contoso\\.com" \
    "the certificate is for her request"
printf 'secret\n' >"$T/rootonly/data"

# submit checks every file first, with her rights and in one question per
# batch: when one fails nothing is issued
mkdir "$T/alice/out"
cp "$T/alice/r.csr" "$T/alice/r2.csr"
: >"$T/alice/out/r2.pem"
chown -R "$U:" "$T/alice/out" "$T/alice/r2.csr"
N0=$("$CERTCON" --db "$DB" --tsv ca list issued | wc -l)
OUT=$(as_alice "$BIN" --connect "$SOCK" --as Administrator submit --for Administrator \
    --template "$TPL" --out-dir out r.csr r2.csr 2>&1) && RC=0 || RC=$?
like "$RC:$OUT" "^1:.*out/r2\\.pem already exists: give --force" \
    "a certificate file already in --out-dir is found before anything is issued"
OUT=$(as_alice "$BIN" --connect "$SOCK" --as Administrator submit --for Administrator \
    --template "$TPL" --out-dir out r.csr "$T/rootonly/data" 2>&1) && RC=0 || RC=$?
like "$RC:$OUT" "^1:.*cannot read $T/rootonly/data: Permission denied" \
    "a request she cannot read is found before anything is issued"
is "$("$CERTCON" --db "$DB" --tsv ca list issued | wc -l)" "$N0" "neither batch issued anything"
OUT=$(as_alice "$BIN" --connect "$SOCK" --as Administrator ca cert --out "$T/rootonly/ca.pem" 2>&1) &&
    RC=0 || RC=$?
is "$RC" 1 "she cannot have the service write where she may not"
like "$OUT" "Permission denied" "the refusal is her own permission's"
ok "$([ ! -e "$T/rootonly/ca.pem" ] && echo 0 || echo 1)" "nothing was written there"
OUT=$(as_alice "$BIN" --connect "$SOCK" lint "$T/rootonly/data" 2>&1) && RC=0 || RC=$?
like "$RC:$OUT" "^1:.*cannot read $T/rootonly/data: Permission denied" \
    "she cannot have the service read what she may not"

# --- the console in script mode: the script and its dumps are the client's
printf '<Down>\n<Down>\n:dump screen.txt\n' >"$T/alice/s.keys"
chown "$U:" "$T/alice/s.keys"
printf '<Down>\n<Down>\n:dump %s\n' "$SCRATCH/screen-embedded.txt" >"$SCRATCH/e.keys"
COLUMNS=80 LINES=24 "$CERTCON" --db "$DB" --as Administrator --script "$SCRATCH/e.keys" \
    >/dev/null 2>&1
OUT=$(as_alice env COLUMNS=80 LINES=24 "$BIN" --connect "$SOCK" --as Administrator \
    --script s.keys 2>&1) && RC=0 || RC=$?
is "$RC:$(stat -c %U "$T/alice/screen.txt" 2>&1)" "0:$U" "a served --script dumps into her directory"
cmp -s "$T/alice/screen.txt" "$SCRATCH/screen-embedded.txt"
ok $? "the served screen is the embedded one"

# --- the console: the same screens, resizes, the terminal restored --------
# console NAME ARGS...: the console in a detached 80x24 tmux window; the
# terminal's settings before and after, and the exit status, go to files.
console() {
    local name=$1
    shift
    tmux -L "$TMUX_L" new-session -d -s "$name" -x 80 -y 24 \
        "stty -g >'$SCRATCH/$name.stty0'; TERM=xterm-256color $* --as Administrator; \
         echo \$? >'$SCRATCH/$name.rc'; stty -g >'$SCRATCH/$name.stty1'; sleep 60"
}
capture() { tmux -L "$TMUX_L" capture-pane -p -t "$1"; }
# settle NAME TEXT: until the window shows TEXT (10 s at most)
settle() {
    local i=0
    while ! capture "$1" | grep -q -- "$2" && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
}
# width NAME: the widest line on the window's screen
width() { capture "$1" | wc -L; }
console emb "$CERTCON" --db "$DB"
console srv "$BIN" --connect "$SOCK"
settle emb "Console Root"
settle srv "Console Root"
is "$(capture srv)" "$(capture emb)" "the console's first screen is the same through the socket"
for s in emb srv; do tmux -L "$TMUX_L" send-keys -t $s Down Down Tab; done
settle emb "Certification Authority"
settle srv "Certification Authority"
is "$(capture srv)" "$(capture emb)" "the same after keys"
for s in emb srv; do tmux -L "$TMUX_L" resize-window -t $s -x 100 -y 30; done
i=0
while { [ "$(width emb)" != 100 ] || [ "$(width srv)" != 100 ]; } && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
is "$(width srv)" 100 "a resize reaches the served console" || diag "$(capture srv)" "$(capture emb)"
is "$(capture srv)" "$(capture emb)" "the same screen after the resize"
for s in emb srv; do tmux -L "$TMUX_L" send-keys -t $s F10; done
i=0
while [ ! -s "$SCRATCH/srv.stty1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
is "$(cat "$SCRATCH/srv.rc" 2>&1)" 0 "F10 ends the served console with status 0"
is "$(cat "$SCRATCH/srv.stty1" 2>&1)" "$(cat "$SCRATCH/srv.stty0")" "the terminal is as it was"

# the child serving a console dies: the client ends and puts the terminal back
console dies "$BIN" --connect "$SOCK"
settle dies "Console Root"
CHILD=$(pgrep -P "$SERVE_PID" | head -1)
ok "$([ -n "$CHILD" ] && echo 0 || echo 1)" "the console runs in a child of the service"
[ -n "$CHILD" ] && kill -KILL "$CHILD"
i=0
while [ ! -s "$SCRATCH/dies.stty1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
is "$(cat "$SCRATCH/dies.rc" 2>&1)" 1 "the client ends with status 1"
is "$(cat "$SCRATCH/dies.stty1" 2>&1)" "$(cat "$SCRATCH/dies.stty0")" \
    "the terminal is as it was, though the console never ended it"

done_testing
