#!/bin/sh
# Screen tests of the Certificates snap-in for user accounts: Add
# Certificates Snap-in asks what Windows asks (My user account / Service
# account / Computer account, then which user or computer); a service
# account is refused with the reason; My user account adds "Certificates -
# Current User" beside the local computer's node, and asking again shows it
# instead of adding a second; its Personal store requests a user template
# (User), lists it and opens it in the viewer. In a lab database another
# user's certificates may be managed and the request is the user's own
# (the CA records the user as requester); in a production database a
# console whose account is not a CA Administrator is refused, with the
# reason, and nothing is added.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup certs-user
# the User template puts the e-mail address in the certificate: both users have one
cc dir add-user trainee --mail trainee@contoso.com >"$T/setup.log" 2>&1 &&
    cc dir set Administrator mail administrator@contoso.com >>"$T/setup.log" 2>&1
check "set up the users' e-mail addresses" test $? -eq 0

run_keys current <<EOF2
Certificates (
<Enter>
<Down>
:dump $T/cu-node-menu.txt
<Enter>
:dump $T/cu-question.txt
<Down>
:dump $T/cu-service.txt
<Up>
<Enter>
:dump $T/cu-select-user.txt
<Tab><Tab><Tab><Tab>
<Enter>
:dump $T/cu-added.txt
# asked again, the snap-in already in the console is shown
<Tab>
<Up>
<Enter>
<Down>
<Enter>
<Enter>
<Tab><Tab><Tab><Tab>
<Enter>
:dump $T/cu-again.txt
# Personal, Request New Certificate, User
<Tab>
<Right>
<Down>
<Enter>
<Right>
<Enter>
<Enter>
:dump $T/cu-offers.txt
<Down><Down><Down>
<Space>
<Enter>
:dump $T/cu-results.txt
<Enter>
<Tab>
<Enter>
:dump $T/cu-cert-menu.txt
<Enter>
:dump $T/cu-viewer.txt
<Esc>
# Connect to another user: the picker lists users only
<Tab>
<Up>
<Enter>
<Enter>
:dump $T/cu-picker.txt
trainee
<Enter>
:dump $T/cu-trainee.txt
<Down>
<Enter>
<Right>
<Enter>
<Enter>
<Down>
<Space>
<Enter>
:dump $T/cu-trainee-results.txt
<Enter>
EOF2
for d in node-menu question service select-user added again offers results cert-menu viewer \
    picker trainee trainee-results; do
    check_dump cu-$d
done
cc --tsv store list --for Administrator >"$T/admin.tsv" 2>&1
check "the Current User's Personal store holds the User certificate" \
    awk -F'\t' '$5 == "User" { found = 1 } END { exit !found }' "$T/admin.tsv"
cc export --for Administrator User --pem "$T/admin.pem" >"$T/export.log" 2>&1
cc ca cert --out "$T/root.pem" >>"$T/export.log" 2>&1
check "it verifies against the lab root (openssl)" \
    openssl verify -attime $(($(date -u -d "$CERTCON_NOW" +%s) + 86400)) -CAfile "$T/root.pem" \
    "$T/admin.pem"
cc --tsv store list --for trainee >"$T/trainee.tsv" 2>&1
check "another user's request in a lab installs in that user's store" \
    awk -F'\t' '$5 == "User" { found = 1 } END { exit !found }' "$T/trainee.tsv"
cc --tsv ca list issued >"$T/issued.tsv" 2>&1
check "and the CA records the user as its requester" grep -q 'CONTOSO\\\\trainee	User' \
    "$T/issued.tsv"

# A request the CA holds pending waits in the user's Certificate Enrollment
# Requests store with its key, and leaves it for Personal when issued.
cc template duplicate User "Pending User" --compat 2003 >"$T/pending.log" 2>&1 &&
    cc template set "Pending User" approval yes >>"$T/pending.log" 2>&1 &&
    cc ca enable "Pending User" >>"$T/pending.log" 2>&1 &&
    cc enroll --for trainee --template "Pending User" >>"$T/pending.log" 2>&1
check "a request for trainee is pending" grep -q 'pending' "$T/pending.log"
# Certificates for trainee, its Certificate Enrollment Requests store, dumped as $1
requests_keys() {
    cat <<EOF2
Certificates (
<Enter>
<Down>
<Enter>
<Enter>
<Down>
<Tab>
trainee
<Tab><Tab><Tab>
<Enter>
<Tab>
<Right>
<Down><Down><Down><Down>
:dump $T/$1.txt
EOF2
}
requests_keys cu-requests | run_keys requests
REQ=$(sed -n 's/^Request \([0-9]*\): pending.*/\1/p' "$T/pending.log")
cc ca approve "$REQ" >>"$T/pending.log" 2>&1
check "the CA issued it" test $? -eq 0
requests_keys cu-requests-issued | run_keys requests-issued
for d in requests requests-issued; do
    check_dump cu-$d
done

# A production database: the console's account (mapped from this Unix user)
# is not a CA Administrator, so another user's certificates are refused.
P="$T/prod"
mkdir -p "$P"
DB="$P/prod.db"
{
    cc init --domain contoso.com --ca-name contoso-CA &&
        cc dir add-user alice && cc dir add-user bob &&
        cc account map "$(id -un)" alice
} >"$P/init.log" 2>&1
check "set up a production database acting as alice" test $? -eq 0
run_keys refused <<EOF2
Certificates (
<Enter>
<Down>
<Enter>
<Enter>
<Down>
<Tab>
bob
<Tab><Tab><Tab>
<Enter>
:dump $T/cu-prod-refused.txt
<Enter>
<Esc>
:dump $T/cu-prod-unchanged.txt
EOF2
for d in prod-refused prod-unchanged; do
    check_dump cu-$d
done
# (alice may not read the audit log: the database itself shows the record)
check "the refusal is in the audit log, naming whom and the right missing" \
    test "$(sqlite3 "$DB" "SELECT actor || ' ' || object || ' ' || right_name FROM audit
                          WHERE result = 'refused' AND kind = 'store'")" = \
    'CONTOSO\alice CONTOSO\bob CA Administrator'

screen_done
