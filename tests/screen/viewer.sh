#!/bin/sh
# Screen tests of the certificate viewer wherever a certificate is shown:
# a computer's Personal store -> Open: General (issued to and by, validity,
# purposes, template), Details (the Microsoft template information and
# application policies by name) with Copy to File... in Base-64 and in
# DER, which openssl must read as the very certificate `certcon ca get`
# prints, and Certification Path with each link's status; then the same
# certificate from Revoked Certificates, its path saying it is revoked.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup viewer

{
    cc ca enable "Workstation Authentication"
    cc enroll --for CA1 --template "Workstation Authentication"
} >"$T/data.log" 2>&1
cc --tsv ca list issued >"$T/issued.tsv" 2>&1
SERIAL=$(awk -F '\t' 'NR == 1 { print $4 }' "$T/issued.tsv")
cc ca get "$SERIAL" >"$T/want.pem" 2>"$T/get.log"
openssl x509 -in "$T/want.pem" -outform DER -out "$T/want.der" 2>>"$T/get.log"

# file names are relative: nothing of the machine reaches a golden
cd "$T" || exit 1
run_keys personal <<EOF2
Certificates
<Right>
<Down>
<Tab>
<Enter>
:dump $T/viewer-menu.txt
<Enter>
:dump $T/viewer-general.txt
<F8>
<Tab>
Certificate Template I
:dump $T/viewer-details-template.txt
<Home>
Application
:dump $T/viewer-details-policies.txt
<Tab>
<Enter>
<Down>
<Tab>
ws.pem
:dump $T/viewer-copy.txt
<Enter>
:dump $T/viewer-copied.txt
<Enter>
<Tab>
ws.cer
<Enter>
<F8>
:dump $T/viewer-path.txt
EOF2
for d in menu general details-template details-policies copy copied path; do
    check_dump viewer-$d
done
check "Copy to File wrote Base-64: the certificate ca get prints" cmp -s ws.pem want.pem
check "and DER, which openssl reads as the same certificate" \
    sh -c "openssl x509 -inform DER -in ws.cer -outform DER 2>/dev/null | cmp -s - want.der"

cc ca revoke "$SERIAL" --reason keyCompromise >"$T/revoke.log" 2>&1
run_keys revoked <<EOF2
<Down><Down><Down><Down>
<Tab>
<Enter>
<Enter>
<F8><F8>
:dump $T/viewer-revoked-path.txt
<Tab>
<Up>
:dump $T/viewer-revoked-root.txt
EOF2
for d in revoked-path revoked-root; do
    check_dump viewer-$d
done
screen_done
