#!/bin/sh
# Who the caller is and what they may do, in a production database: the
# account map decides the acting account (not --as, not certcon.conf), the
# CA's roles and role separation, and acting for another principal. The
# second half runs certcon as a real Unix user (created here; needs root).
. "$(dirname "$0")/lib.sh"
scratch

DB="$SCRATCH/prod.db"
run_ok "init a production CA" init --domain contoso.com --ca-name contoso-CA
run_ok "account list" --tsv account list
like "$OUT" "^root	CONTOSO\\\\\\\\Administrator" "root acts as the domain's Administrator"
run_fails 1 "--as is refused in a production database, even for root" --as Administrator template list
like "$ERR" "only in a lab database" "--as: says where it works"
mkdir -p "$SCRATCH/conf/certcon"
printf 'account = "Guest";\n' >"$SCRATCH/conf/certcon/certcon.conf"
OUT=$(XDG_CONFIG_HOME="$SCRATCH/conf" "$CERTCON" --db "$DB" --tsv account list 2>"$SCRATCH/.err") && RC=0 || RC=$?
ok "$RC" "certcon.conf's account does not stop root"
like "$(cat "$SCRATCH/.err")" "certcon.conf's account is ignored" "a note says certcon.conf's account is ignored"

run_ok "add alice" dir add-user alice --mail alice@contoso.com
run_ok "add bob" dir add-user bob --mail bob@contoso.com
run_ok "add a web server" dir add-computer WEB1 --dns web1.contoso.com

# --- roles ---
run_ok "ca roles" --tsv ca roles
like "$OUT" "CONTOSO\\\\\\\\Domain Admins	Read, Issue and Manage Certificates, Manage CA" "Domain Admins hold the two admin roles"
run_ok "grant alice the Auditor role" ca roles --grant alice:Auditor
run --tsv ca roles
like "$OUT" "CONTOSO\\\\\\\\alice	Auditor	" "alice is an Auditor"
unchanged_after "an unknown role changes nothing" ca roles --grant bob:Auditor --grant alice:Superuser
like "$ERR" "'Superuser' is not a CA role" "an unknown role: says which"
run_ok "revoke it" ca roles --revoke alice:Auditor
run --tsv ca roles
unlike "$OUT" "alice" "alice holds no role"

# --- role separation ---
run_ok "turn role separation on (the database's owner)" ca set role-separation on
run_fails 1 "Administrator holds two roles: refused" template list
like "$ERR" "role separation is on and CONTOSO\\\\Administrator holds more than one CA role" \
    "role separation: names the account and its roles"
run_ok "the owner turns it off again" ca set role-separation off
run_ok "Administrator acts again" template list
run_fails 2 "role-separation takes on or off" ca set role-separation maybe
run --tsv audit --object CA
like "$OUT" "role separation	off	on" "turning role separation on is audited"

# --- the account map ---
unchanged_after "mapping to a group is refused" account map someone "Domain Users"
like "$ERR" "is a group" "a group: says why"
unchanged_after "a bad Unix name is refused" account map "-rf" alice
unchanged_after "unmapping an unmapped user fails" account unmap nobody-here

# --- a real Unix user ---
if [ "$(id -u)" -ne 0 ] || ! command -v useradd >/dev/null || ! command -v runuser >/dev/null; then
    skip "a real Unix user" "needs root, useradd and runuser to create one"
    done_testing
    exit 0
fi
U=certcon-t$$
client_area
HOMEDIR="$T/home"
mkdir -p "$HOMEDIR"
chmod 755 "$HOMEDIR"
client_user "$U" "$HOMEDIR"
# her own copy of the CA, so that embedded mode can open it; the identity
# rules are the same as the service's (tests/cli/serve.sh)
cp "$DB" "$DB".ca-key.pem "$HOMEDIR"/ 2>/dev/null
for f in "$DB"*; do cp "$f" "$HOMEDIR/"; done
chown -R "$U" "$HOMEDIR"
as_her() {
    OUT=$(cd "$HOMEDIR" && HOME="$HOMEDIR" XDG_CONFIG_HOME="$HOMEDIR/.config" \
        env FAKETIME_DISABLE_SHM=1 runuser -u "$U" -- "$CERTCON" --db "$HOMEDIR/prod.db" "$@" 2>"$HOMEDIR/.err") && RC=0 || RC=$?
    ERR=$(cat "$HOMEDIR/.err")
}
as_her template list
is "$RC" 1 "an unmapped Unix user is refused"
like "$ERR" "the Unix user '$U' is not mapped" "unmapped: names the user"
like "$ERR" "certcon account map $U" "unmapped: says how to map"
as_her account map "$U" Administrator
is "$RC" 1 "she cannot map herself"
DB="$HOMEDIR/prod.db"
run_ok "the CA Administrator maps her to alice" account map "$U" alice
chown -R "$U" "$HOMEDIR"
mkdir -p "$HOMEDIR/.config/certcon"
printf 'account = "Administrator";\n' >"$HOMEDIR/.config/certcon/certcon.conf"
chown -R "$U" "$HOMEDIR/.config"
as_her --tsv store list
is "$RC" 0 "she acts as alice"
like "$ERR" "you act as CONTOSO\\\\alice" "her certcon.conf's Administrator changes nothing"
as_her --as Administrator template list
is "$RC" 1 "she cannot choose --as"
as_her enroll --for alice --template User
is "$RC" 0 "she enrolls for herself"
like "$OUT" "issued, serial" "her own certificate is issued"
as_her enroll --for Administrator --template User
is "$RC" 1 "she cannot enroll for Administrator"
like "$ERR" "may not request certificates for CONTOSO\\\\Administrator" "enroll --for: names whom"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$HOMEDIR/k.pem" \
    -subj "/CN=evil" -out "$HOMEDIR/subca.csr" 2>/dev/null
chown "$U" "$HOMEDIR"/*.csr "$HOMEDIR"/k.pem
as_her submit --for Administrator --template SubCA "$HOMEDIR/subca.csr"
is "$RC" 1 "she cannot submit to SubCA for Administrator"
# an enrollment agent requests for others on a template that asks for its signature
run_ok "enable Enrollment Agent" ca enable EnrollmentAgent
run_ok "alice may enroll for an agent certificate" template acl EnrollmentAgent --allow "alice:Read,Enroll"
run_ok "duplicate User for agents" template duplicate User "Agent User"
run_ok "by a Certificate Request Agent" template set "Agent User" signature-app-policy "Certificate Request Agent"
run_ok "it asks for one signature" template set "Agent User" signatures 1
run_ok "enable it" ca enable "Agent User"
chown -R "$U" "$HOMEDIR"
as_her enroll --for bob --template "Agent User"
is "$RC" 1 "without an agent certificate she cannot request for bob"
as_her enroll --for alice --template EnrollmentAgent
is "$RC" 0 "she enrolls for an enrollment agent certificate"
AGENT_SERIAL=$(printf '%s\n' "$OUT" | sed -n 's/.*issued, serial \([0-9a-f]*\).*/\1/p')
as_her enroll --for bob --template "Agent User" --out "$HOMEDIR/bob.cer"
is "$RC" 0 "as an enrollment agent she requests for bob"
like "$OUT" "issued, serial" "bob's certificate is issued"
ok "$(openssl x509 -in "$HOMEDIR/bob.cer" -noout -subject 2>/dev/null | grep -q "CN *= *bob"; echo $?)" \
    "the certificate names bob"
as_her enroll --for bob --template User
is "$RC" 1 "an agent certificate does not open a template that asks for no agent signature"
run_ok "the CA revokes her agent certificate" ca revoke "$AGENT_SERIAL" --reason keyCompromise
chown -R "$U" "$HOMEDIR"
as_her enroll --for bob --template "Agent User"
is "$RC" 1 "a revoked agent certificate no longer lets her request for bob"
as_her store list --for Administrator
is "$RC" 1 "she cannot read Administrator's store"
like "$ERR" "may not read the certificate stores of CONTOSO\\\\Administrator" "store list --for: says why"
as_her pulse --for WEB1
is "$RC" 1 "she cannot run a computer's pulse"
as_her dir logon bob
is "$RC" 1 "she cannot log bob on"
as_her ca revoke 01
is "$RC" 1 "she cannot revoke"
like "$ERR" "needs the CA permission 'Issue and Manage Certificates'" "revoke: names the missing role"
as_her audit
is "$RC" 1 "she may not read the audit log"
like "$ERR" "needs the Auditor or CA Administrator role" "audit: names the roles"
as_her ca set role-separation on
is "$RC" 0 "the owner of a database may set role separation (her copy)"
as_her ca set role-separation off
run --tsv audit --refused --limit 0
like "$OUT" "alice	request	CONTOSO" "her request for Administrator is audited as refused"
like "$OUT" "alice	store	CONTOSO" "her reading Administrator's store is audited as refused"
like "$OUT" "alice	audit	" "her reading the audit log is audited as refused"
run_ok "the audit log verifies" audit verify
done_testing
