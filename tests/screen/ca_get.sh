#!/bin/sh
# Screen tests of Open and All Tasks -> Export... on the CA's Issued
# Certificates: the Certificate dialog (General and Details) and Export
# Binary Data, whose files must be the very certificate `certcon ca get`
# prints, in Base-64 and in DER; an existing file is refused unless
# "Replace" is checked, and stays as it was.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup ca-get

cc enroll --for Administrator --template "Web Server" --cn www1.contoso.com \
    --dns www1.contoso.com >"$T/data.log" 2>&1
cc --tsv ca list issued >"$T/issued.tsv" 2>&1
SERIAL=$(awk -F '\t' 'NR == 1 { print $4 }' "$T/issued.tsv")
cc ca get "$SERIAL" >"$T/want.pem" 2>"$T/get.log"
openssl x509 -in "$T/want.pem" -outform DER -out "$T/want.der" 2>>"$T/get.log"

# Open: General, Details (moving down the fields shows the value whole), Esc;
# then Export... to cert.pem (Base-64, the default) and to cert.cer (DER).
# Paths are relative so that no machine path reaches a golden.
cd "$T" || exit 1
run_keys open <<EOF
<Down><Down><Down><Down><Down>
<Tab>
<Enter>
:dump $T/ca-get-menu.txt
<Enter>
:dump $T/ca-get-general.txt
<F8>
:dump $T/ca-get-details.txt
<Tab>
<Down><Down><Down><Down><Down><Down><Down><Down><Down><Down><Down>
:dump $T/ca-get-details-value.txt
<Esc>
:dump $T/ca-get-closed.txt
<Enter>
<Down>
<Right>
<Down>
:dump $T/ca-get-tasks.txt
<Enter>
:dump $T/ca-get-export.txt
<Tab>
cert.pem
<Enter>
:dump $T/ca-get-exported.txt
<Enter>
<Down>
<Right>
<Down>
<Enter>
<Up>
<Tab>
cert.cer
<Enter>
EOF
for d in menu general details details-value closed tasks export exported; do
    check_dump ca-get-$d
done
check "the Base-64 export is the certificate 'ca get' prints" cmp -s "$T/cert.pem" "$T/want.pem"
check "the DER export is the same certificate" cmp -s "$T/cert.cer" "$T/want.der"
fp() {
    openssl x509 -noout -fingerprint -sha256 -inform "$1" -in "$2" 2>/dev/null
}
check "the fingerprints agree" sh -c "[ -n \"\$1\" ] && [ \"\$1\" = \"\$2\" ] && [ \"\$1\" = \"\$3\" ]" \
    - "$(fp PEM "$T/want.pem")" "$(fp PEM "$T/cert.pem")" "$(fp DER "$T/cert.cer")"

# An existing file: refused with the message in the dialog, the file unchanged;
# then "Replace an existing file" replaces it.
cp "$T/cert.pem" "$T/before.pem"
run_keys exists <<EOF
<Down><Down><Down><Down><Down>
<Tab>
<Enter>
<Down>
<Right>
<Down>
<Enter>
<Up>
<Tab>
cert.pem
<Enter>
:dump $T/ca-get-exists.txt
<Esc>
:dump $T/ca-get-exists-cancelled.txt
EOF
for d in exists exists-cancelled; do
    check_dump ca-get-$d
done
check "the existing file was left unchanged" cmp -s "$T/cert.pem" "$T/before.pem"
run_keys replace <<EOF
<Down><Down><Down><Down><Down>
<Tab>
<Enter>
<Down>
<Right>
<Down>
<Enter>
<Up>
<Tab>
cert.pem
<Tab>
<Space>
<Enter>
EOF
check "Replace wrote the DER over the existing file" cmp -s "$T/cert.pem" "$T/want.der"
screen_done
