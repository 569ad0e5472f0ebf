# The lab's exercises, performed through the command line on one fresh
# contoso lab, one after the other as a class would: for each, every step
# but one is done and `lab check` must fail on exactly that step, with its
# reason; then the step is done and every step must pass. The web server
# exercise ends with a real TLS handshake with the bound certificate, which
# openssl must accept as well. Also: lab list, the ASCII fallback, and
# exercise files that are wrong.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
LABDIR=$SCRATCH
PW="Contoso-Lab-1"
printf '%s\n' "$PW" >"$SCRATCH/pw"
printf 'not-the-password\n' >"$SCRATCH/wrongpw"

# check_fails_only EXERCISE STEP REASON-REGEX: lab check fails, on that step alone.
check_fails_only() {
    local ex=$1 step=$2 why=$3
    run --tsv lab check "$ex"
    is "$RC" 1 "$ex: lab check exits 1 while a step is undone"
    is "$(printf '%s\n' "$OUT" | awk -F'\t' '$3 == "fail" { print $2 }' | tr '\n' ' ')" "$step " \
        "$ex: only step $step fails"
    like "$(printf '%s\n' "$OUT" | awk -F'\t' -v s="$step" '$2 == s { print $5 }')" "$why" \
        "$ex: step $step says why"
}

# check_all_done EXERCISE: every step passes, exit 0, and lab list says N/N.
check_all_done() {
    local ex=$1
    run --tsv lab check "$ex"
    is "$RC" 0 "$ex: lab check exits 0"
    local n
    n=$(printf '%s\n' "$OUT" | awk -F'\t' -v e="$ex" '$1 == e' | wc -l | tr -d ' ')
    is "$(printf '%s\n' "$OUT" | awk -F'\t' -v e="$ex" '$1 == e && $3 != "ok"' | wc -l | tr -d ' ')" 0 \
        "$ex: every step passes"
    is "$(printf '%s\n' "$OUT" | awk -F'\t' '$1 == "coach" { print $4 }')" "" \
        "$ex: done as the guide does it, no coaching note applies"
    run --tsv lab list
    is "$(printf '%s\n' "$OUT" | awk -F'\t' -v e="$ex" '$1 == e { print $2 }')" "$n/$n" \
        "$ex: lab list shows it done"
}

# --- lab list on a fresh lab -----------------------------------------------
run_ok "lab list" --tsv lab list
is "$(printf '%s\n' "$OUT" | cut -f1 | tr '\n' ' ')" \
    "web-server cloud-dp client distribution-point mobile-device amt mac-client " \
    "seven exercises, in the guide's order"
like "$OUT" "web-server	0/8	Web server certificate" "nothing done yet"
run_fails 1 "lab check fails on a fresh lab" lab check web-server
like "$OUT" "✗ 1. Group the IIS servers" "a cross for an undone step (UTF-8)"
like "$OUT" "there is no group named 'ConfigMgr IIS Servers' yet" "with its reason"
OUT=$(LC_ALL=C "$CERTCON" --db "$DB" lab check web-server 2>&1)
like "$OUT" "FAIL 1. Group the IIS servers" "ASCII fallback outside UTF-8"
unlike "$OUT" "✗" "no UTF-8 marks in the C locale"
run_fails 1 "an unknown exercise" lab check no-such-exercise
like "$ERR" "no exercise 'no-such-exercise'" "named in the message"

# --- web-server --------------------------------------------------------------
T="ConfigMgr Web Server Certificate"
cc dir add-group "ConfigMgr IIS Servers" >/dev/null
cc dir add-member "ConfigMgr IIS Servers" SERVER1 >/dev/null
cc template duplicate "Web Server" "$T" --compat 2003 >/dev/null
cc template set "$T" subject supply >/dev/null
# left undone: Domain Admins keep Enroll
cc template acl "$T" --remove "Enterprise Admins:Enroll" --allow "ConfigMgr IIS Servers:Read,Enroll" >/dev/null
cc ca enable "$T" >/dev/null
run --tsv lab check web-server
like "$(printf '%s\n' "$OUT" | awk -F'\t' '$2 == 6 { print $3 "|" $5 }')" \
    "^fail\\|SERVER1 has not restarted since it joined ConfigMgr IIS Servers" \
    "before the restart, the restart step fails"
cc dir restart SERVER1 >/dev/null
run_ok "SERVER1 enrolls" enroll --for SERVER1 --template "$T" --dns server1.internal.contoso.com \
    --dns server.contoso.com
run_ok "bind the certificate to SERVER1's web server" lab bind --for SERVER1 "$T"
check_fails_only web-server 4 "^Domain Admins still has Enroll on ConfigMgr Web Server Certificate$"
cc template acl "$T" --remove "Domain Admins:Enroll" >/dev/null
check_all_done web-server
# what the handshake used, seen by openssl
is "$(stat -c %a "$LABDIR/server1-key.pem")" 600 "the key file is 0600"
ssl_verify "$LABDIR/server1-chain.pem" "$LABDIR/server1-cert.pem" -purpose sslserver \
    -verify_hostname server1.internal.contoso.com
ok $? "openssl verifies the bound certificate for server1.internal.contoso.com"
cc ca cert --out "$SCRATCH/root.pem" >/dev/null
cmp -s "$SCRATCH/root.pem" "$LABDIR/server1-chain.pem"
ok $? "the chain is the lab root"
is "$(openssl pkey -in "$LABDIR/server1-key.pem" -pubout | sha256sum)" \
    "$(openssl x509 -in "$LABDIR/server1-cert.pem" -noout -pubkey | sha256sum)" \
    "the key file holds the certificate's key"
# a server with the wrong key cannot complete the handshake
cp "$LABDIR/server1-key.pem" "$SCRATCH/good-key.pem"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$LABDIR/server1-key.pem" 2>/dev/null
check_fails_only web-server 8 "TLS handshake with server1.internal.contoso.com failed"
cp "$SCRATCH/good-key.pem" "$LABDIR/server1-key.pem"
# a certificate that does not name the host is refused by the client
cc enroll --for SERVER1 --template "$T" --dns other.contoso.com >/dev/null
run_ok "bind a certificate for another name" lab bind --for SERVER1 "$(cc --tsv store list --for SERVER1 | awk -F'\t' -v t="$T" '$0 ~ t { print $NF; exit }')"
check_fails_only web-server 8 "TLS handshake .*failed.*(name|host)"
cc lab bind --for SERVER1 "$(cc --tsv store list --for SERVER1 | awk -F'\t' -v t="$T" '$0 ~ t { print $NF }' | tail -1)" >/dev/null
check_all_done web-server

# --- cloud-dp ---------------------------------------------------------------
T="ConfigMgr Cloud-Based Distribution Point Certificate"
cc dir add-group "ConfigMgr Site Servers" >/dev/null
cc dir add-member "ConfigMgr Site Servers" SERVER1 >/dev/null
cc template duplicate "Web Server" "$T" --compat 2003 >/dev/null
cc template set "$T" exportable yes >/dev/null
cc template acl "$T" --remove "Enterprise Admins:Enroll" --allow "ConfigMgr Site Servers:Read,Enroll" >/dev/null
cc ca enable "$T" >/dev/null
cc dir restart SERVER1 >/dev/null
run_ok "SERVER1 enrolls with its service name" enroll --for SERVER1 --template "$T" --cn clouddp1.contoso.com
# left undone: the PFX is protected with another password
(cd "$LABDIR" && "$CERTCON" --db "$DB" export --for SERVER1 "$T" --pfx clouddp1.pfx --password-file wrongpw >/dev/null)
check_fails_only cloud-dp 8 "^clouddp1.pfx does not open with the password the step gives$"
(cd "$LABDIR" && "$CERTCON" --db "$DB" export --for SERVER1 "$T" --pfx clouddp1.pfx --password-file pw --force >/dev/null)
check_all_done cloud-dp
openssl pkcs12 -in "$LABDIR/clouddp1.pfx" -passin "pass:$PW" -noout 2>/dev/null
ok $? "openssl opens the PFX with the password"

# --- client -----------------------------------------------------------------
T="ConfigMgr Client Certificate"
cc template duplicate "Workstation Authentication" "$T" --compat 2003 >/dev/null
cc template acl "$T" --allow "Domain Computers:Read,Enroll,Autoenroll" >/dev/null
cc ca enable "$T" >/dev/null
cc gpo create "Autoenroll Certificates" >/dev/null
cc gpo link "Autoenroll Certificates" contoso.com >/dev/null
cc gpo autoenroll "Autoenroll Certificates" --enable --renew --update >/dev/null
cc dir restart CLIENT1 >/dev/null
# left undone: SERVER1 was not restarted since the policy
check_fails_only client 6 "^SERVER1's Personal store holds no certificate from ConfigMgr Client Certificate$"
cc dir restart SERVER1 >/dev/null
check_all_done client

# --- distribution-point ---------------------------------------------------------
T="ConfigMgr Client Distribution Point Certificate"
cc template duplicate "Workstation Authentication" "$T" --compat 2003 >/dev/null
cc template set "$T" exportable yes >/dev/null
# left undone: Enterprise Admins keep Enroll
cc template acl "$T" --allow "ConfigMgr IIS Servers:Read,Enroll" >/dev/null
cc ca enable "$T" >/dev/null
run_ok "SERVER1 enrolls for the distribution point" enroll --for SERVER1 --template "$T"
(cd "$LABDIR" && "$CERTCON" --db "$DB" export --for SERVER1 "$T" --pfx dp-client.pfx --password-file pw >/dev/null)
check_fails_only distribution-point 4 "^Enterprise Admins still has Enroll on $T$"
cc template acl "$T" --remove "Enterprise Admins:Enroll" >/dev/null
check_all_done distribution-point

# --- mobile-device ---------------------------------------------------------------
T="ConfigMgr Mobile Device Enrollment Certificate"
cc dir add-group "ConfigMgr Mobile Device Users" >/dev/null
cc template duplicate "Authenticated Session" "$T" --compat 2003 >/dev/null
cc template set "$T" subject build >/dev/null
cc template set "$T" subject-format cn >/dev/null
# left undone: the UPN stays
cc template acl "$T" --allow "ConfigMgr Mobile Device Users:Read,Enroll" >/dev/null
cc ca enable "$T" >/dev/null
check_fails_only mobile-device 3 "^$T: san-upn is yes; the guide wants no$"
cc template set "$T" san-upn no >/dev/null
check_all_done mobile-device

# --- amt ------------------------------------------------------------------------
P="ConfigMgr AMT Provisioning"
W="ConfigMgr AMT Web Server Certificate"
X="ConfigMgr AMT 802.1X Client Authentication Certificate"
cc dir add-group "ConfigMgr Out of Band Service Points" >/dev/null
cc dir add-member "ConfigMgr Out of Band Service Points" SERVER1 >/dev/null
cc oid add "AMT Provisioning" 2.16.840.1.113741.1.2.3 >/dev/null
cc template duplicate "Web Server" "$P" --compat 2003 >/dev/null
cc template set "$P" subject build >/dev/null
cc template set "$P" subject-format cn >/dev/null
cc template set "$P" app-policies "Server Authentication,AMT Provisioning" >/dev/null
cc template acl "$P" --remove "Domain Admins:Enroll" --remove "Enterprise Admins:Enroll" \
    --allow "ConfigMgr Out of Band Service Points:Read,Enroll" >/dev/null
cc ca enable "$P" >/dev/null
cc dir restart SERVER1 >/dev/null
run_ok "SERVER1 enrolls for AMT provisioning" enroll --for SERVER1 --template "$P"
cc dir add-group "ConfigMgr AMT Computers" >/dev/null
cc template duplicate "Web Server" "$W" --compat 2003 >/dev/null
cc template set "$W" subject build >/dev/null
cc template set "$W" subject-format cn >/dev/null
cc template set "$W" san-upn no >/dev/null
cc template acl "$W" --remove "Domain Admins:Enroll" --remove "Enterprise Admins:Enroll" \
    --allow "ConfigMgr AMT Computers:Read,Enroll" >/dev/null
cc ca enable "$W" >/dev/null
cc template duplicate "Workstation Authentication" "$X" --compat 2003 >/dev/null
cc template set "$X" subject-format cn >/dev/null
cc template set "$X" san-dns no >/dev/null
# left undone: no UPN in the 802.1X certificates
cc template acl "$X" --remove "Domain Admins:Enroll" --remove "Enterprise Admins:Enroll" \
    --allow "ConfigMgr AMT Computers:Read,Enroll" >/dev/null
cc ca enable "$X" >/dev/null
check_fails_only amt 9 "^$X: san-upn is no; the guide wants yes$"
cc template set "$X" san-upn yes >/dev/null
check_all_done amt

# --- mac-client ---------------------------------------------------------------------
T="ConfigMgr Mac Client Certificate"
cc dir add-group "ConfigMgr Mac Client Users" >/dev/null
cc template duplicate "Authenticated Session" "$T" --compat 2003 >/dev/null
cc template set "$T" subject build >/dev/null
cc template set "$T" subject-format cn >/dev/null
cc template set "$T" san-upn no >/dev/null
# left undone: Domain Admins keep Enroll
cc template acl "$T" --remove "Enterprise Admins:Enroll" --allow "ConfigMgr Mac Client Users:Read,Enroll" >/dev/null
cc ca enable "$T" >/dev/null
check_fails_only mac-client 4 "^Domain Admins still has Enroll on $T$"
cc template acl "$T" --remove "Domain Admins:Enroll" >/dev/null
check_all_done mac-client

run_ok "the whole lab is done" lab check
run --tsv lab list
is "$(printf '%s\n' "$OUT" | awk -F'\t' '{ split($2, f, "/"); if (f[1] != f[2]) print }' | wc -l | tr -d ' ')" \
    0 "lab list: every exercise done"

# --- checking changes nothing --------------------------------------------------------
before=$(db_dump)
cc lab check >/dev/null
cc lab list >/dev/null
is "$(db_dump)" "$before" "lab check and lab list leave the database as it was"

# --- exercise files that are wrong ------------------------------------------------------
mkdir -p "$SCRATCH/data/labs/contoso"
cp -r "$CERTCON_DATADIR/templates" "$SCRATCH/data/"
cp "$CERTCON_DATADIR/labs/contoso.conf" "$SCRATCH/data/labs/"
bad_exercise() { # description file-text expected-regex
    rm -rf "$SCRATCH/data/labs/contoso/exercises"
    mkdir -p "$SCRATCH/data/labs/contoso/exercises"
    printf '%s\n' "$2" >"$SCRATCH/data/labs/contoso/exercises/bad.conf"
    OUT=$(CERTCON_DATADIR="$SCRATCH/data" "$CERTCON" --db "$DB" lab list 2>&1) && RC=0 || RC=$?
    is "$RC" 1 "$1: refused"
    like "$OUT" "$3" "$1: the message names file and line"
}
bad_exercise "syntax error" 'exercise: { id = "x";
title = ; steps = ( ); };' \
    "bad.conf:2: syntax error"
bad_exercise "unknown check kind" 'exercise: { id = "x"; title = "t";
steps = ( { title = "a"; do = "b";
checks = ( { kind = "magic"; group = "G"; } ); } ); };' \
    "bad.conf:3: unknown check kind 'magic'"
bad_exercise "a key the check does not take" 'exercise: { id = "x"; title = "t";
steps = ( { title = "a"; do = "b";
checks = ( { kind = "group"; group = "G"; template = "T"; } ); } ); };' \
    "bad.conf:3: a group check takes no 'template'"
bad_exercise "a check missing a key" 'exercise: { id = "x"; title = "t";
steps = ( { title = "a"; do = "b";
checks = ( { kind = "acl"; template = "T"; allow = "Enroll"; } ); } ); };' \
    "bad.conf:3: this check needs 'principal'"
bad_exercise "rights that are not rights" 'exercise: { id = "x"; title = "t";
steps = ( { title = "a"; do = "b";
checks = ( { kind = "acl"; template = "T"; principal = "P";
  allow = "Fly"; } ); } ); };' \
    "bad.conf:3: .*Fly"
bad_exercise "a step without checks" 'exercise: { id = "x"; title = "t";
steps = ( { title = "a"; do = "b"; } ); };' \
    "bad.conf:2: a step needs checks"

done_testing
