# A production CA behind `certcon serve`, and an enrollee on the same host:
# a Unix user created here, mapped to a Domain Users member. The kernel names
# her to the service; nothing she sends (--as, her certcon.conf) changes who
# she is; she cannot act for Administrator, read or export another's store,
# approve, revoke or read the audit log; the database and the CA key are
# unreadable to her; every refusal is audited and the chain verifies until a
# record is altered.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
if [ "$(id -u)" -ne 0 ]; then
    echo "1..0 # SKIP serve_roles.sh creates a Unix user for the client, which needs root"
    exit 0
fi
scratch
chmod 700 "$SCRATCH"

client_area
mkdir -p "$T/her" "$T/ca"
chmod 700 "$T/ca"
SOCK="$T/run/s.sock"
U="ccroles$$"
U2="ccnobody$$"
client_user "$U" "$T/her"
client_user "$U2" "$T/her"
chown "$U:" "$T/her"

# as USER ARGS...: certcon through the socket as USER, in her directory (OUT, ERR, RC)
as() {
    local who=$1
    shift
    OUT=$(cd "$T/her" && env FAKETIME_DISABLE_SHM=1 setpriv --reuid="$who" --regid="$(id -g "$who")" --clear-groups \
        env -u CERTCON_NOW HOME="$T/her" XDG_CONFIG_HOME="$T/her/.config" \
        "$BIN" --connect "$SOCK" "$@" 2>"$SCRATCH/.err") && RC=0 || RC=$?
    ERR=$(cat "$SCRATCH/.err")
}

# The CA: a production database, owned by root, served on the socket. Its
# clock is pinned when it is made and when the service starts, never by a client.
DB="$T/ca/prod.db"
run_ok "init a production CA" init --domain contoso.com --ca-name contoso-CA
run_ok "add alice (Domain Users)" dir add-user alice --mail alice@contoso.com
run_ok "map the Unix user to alice" account map "$U" alice
run_ok "enable SubCA" ca enable SubCA
client_serve "$SOCK"
ok $? "the service listens"

as "$U" --tsv store list
is "$RC" 0 "she reaches the service"
as "$U2" template list
is "$RC" 1 "an unmapped Unix user is refused"
like "$ERR" "the Unix user '$U2' is not mapped" "unmapped: the message names the user"

mkdir -p "$T/her/.config/certcon"
printf 'account = "Administrator";\n' >"$T/her/.config/certcon/certcon.conf"
chown -R "$U:" "$T/her/.config"
as "$U" enroll --for alice --template User --out mine.pem
is "$RC" 0 "she enrolls for herself"
ok "$([ "$(stat -c %U "$T/her/mine.pem")" = "$U" ] && echo 0 || echo 1)" "her certificate is her file"
like "$(openssl x509 -in "$T/her/mine.pem" -noout -subject 2>/dev/null)" "CN *= *alice" \
    "her certcon.conf's Administrator changes nothing: the certificate is alice's"
as "$U" --as Administrator template list
is "$RC" 1 "--as does not change who she is"
as "$U" enroll --for Administrator --template User
is "$RC" 1 "she cannot enroll for Administrator"
like "$ERR" "may not request certificates for CONTOSO\\\\Administrator" "enroll --for: names whom"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/her/k.pem" \
    -subj "/CN=evil" -out "$T/her/subca.csr" 2>/dev/null
chown "$U:" "$T/her/k.pem" "$T/her/subca.csr"
as "$U" submit --for Administrator --template SubCA subca.csr
is "$RC" 1 "she cannot submit to SubCA for Administrator"
as "$U" submit --for alice --template SubCA subca.csr
is "$RC" 1 "SubCA does not issue to her"
run --tsv ca list issued
unlike "$OUT" "SubCA" "no SubCA certificate was issued"
run_ok "Administrator has a mail address" dir set Administrator mail administrator@contoso.com
run_ok "Administrator has a certificate" enroll --for Administrator --template User
as "$U" store list --for Administrator
is "$RC" 1 "she cannot read Administrator's store"
as "$U" export --for Administrator User --pfx adm.pfx --password-file /dev/null
is "$RC" 1 "she cannot export Administrator's key"
ok "$([ ! -e "$T/her/adm.pfx" ] && echo 0 || echo 1)" "no PFX was written"
as "$U" ca approve 1
is "$RC" 1 "she cannot approve"
as "$U" ca revoke 01
is "$RC" 1 "she cannot revoke"
as "$U" audit
is "$RC" 1 "she cannot read the audit log"
ok "$(env FAKETIME_DISABLE_SHM=1 setpriv --reuid="$U" --regid="$(id -g "$U")" --clear-groups cat "$DB" >/dev/null 2>&1 && echo 1 || echo 0)" \
    "the database is unreadable to her"
ok "$(env FAKETIME_DISABLE_SHM=1 setpriv --reuid="$U" --regid="$(id -g "$U")" --clear-groups cat "$DB.ca-key.pem" >/dev/null 2>&1 && echo 1 || echo 0)" \
    "the CA key is unreadable to her"

run --tsv audit --refused --limit 0
like "$OUT" "alice	request	CONTOSO" "her request for Administrator is audited"
like "$OUT" "alice	store	CONTOSO" "her reading Administrator's store is audited"
like "$OUT" "alice	ca	CA	revoke a certificate" "her revoke is audited"
like "$OUT" "alice	audit	" "her reading the audit log is audited"
run_ok "the audit log verifies" audit verify
for p in $CLIENT_PIDS; do kill "$p"; wait "$p" 2>/dev/null; done
CLIENT_PIDS=
sqlite3 "$DB" "UPDATE audit SET new_value = 'nothing happened' WHERE id = (SELECT min(id) FROM audit WHERE result = 'refused')"
run_fails 1 "an altered record breaks the chain" audit verify
like "$OUT$ERR" "record" "verify names the broken record"
done_testing
