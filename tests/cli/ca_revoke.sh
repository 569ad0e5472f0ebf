# Revocation and CRLs, and the certificate manager's pending requests:
# revoked serials appear with their reasons in a CRL that OpenSSL verifies;
# only a certificate on hold can be unrevoked; a template that needs
# approval leaves requests pending until approved (installed in the
# requester's store) or denied (0x80094014). Last, `ca set`: the CDP and
# AIA URLs of issued certificates and the CRL period, Manage CA only.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
run_ok "CA certificate" ca cert --out "$SCRATCH/ca.pem"
for i in 1 2 3; do
    openssl req -new -newkey rsa:2048 -nodes -keyout "$SCRATCH/k$i.pem" \
        -subj "/CN=www$i.contoso.com" -out "$SCRATCH/r$i.csr" 2>/dev/null
done
run_ok "three Web Server requests from openssl req" --tsv submit --for Administrator \
    --template "Web Server" "$SCRATCH/r1.csr" "$SCRATCH/r2.csr" "$SCRATCH/r3.csr" --out-dir "$SCRATCH"
is "$(printf '%s\n' "$OUT" | grep -c '	issued	')" "3" "all three issued"
S1=$(printf '%s\n' "$OUT" | sed -n 1p | cut -f3)
S2=$(printf '%s\n' "$OUT" | sed -n 2p | cut -f3)
S3=$(printf '%s\n' "$OUT" | sed -n 3p | cut -f3)
for i in 1 2 3; do
    ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/r$i.pem"
    ok $? "certificate $i verifies"
done
run_ok "revoke 1: keyCompromise" ca revoke "$S1" --reason keyCompromise
run_ok "revoke 2: certificateHold" ca revoke "$S2" --reason certificateHold
run_ok "revoke 3: cessationOfOperation" ca revoke "$S3" --reason cessationOfOperation
run_fails 1 "revoking twice is refused" ca revoke "$S1" --reason superseded
like "$ERR" "0x80094003" "CERTSRV_E_BAD_REQUESTSTATUS"
run_fails 2 "an unknown reason is a usage error" ca revoke "$S1" --reason because
run_ok "revoked view" --tsv ca list revoked
like "$OUT" "keyCompromise	.*$S1" "reason shown in Revoked Certificates"
run_ok "publish the CRL" ca crl --out "$SCRATCH/crl.pem"
openssl crl -in "$SCRATCH/crl.pem" -CAfile "$SCRATCH/ca.pem" -noout 2>/dev/null
ok $? "openssl crl -CAfile verifies the CRL"
CRL=$(openssl crl -in "$SCRATCH/crl.pem" -noout -text)
U1=$(printf '%s' "$S1" | tr a-f A-F)
like "$(printf '%s\n' "$CRL" | grep -A4 "$U1")" "Key Compromise" "serial 1 with reason Key Compromise"
like "$CRL" "Certificate Hold" "the held certificate"
like "$CRL" "Cessation Of Operation" "cessationOfOperation"
is "$(printf '%s\n' "$CRL" | grep -A1 'CRL Number' | tr -d ' \n')" "X509v3CRLNumber:1" "CRL number 1"
like "$CRL" "Next Update" "next update"
openssl verify -attime "$LAB_CHECK_TIME" -crl_check -CRLfile "$SCRATCH/crl.pem" -CAfile "$SCRATCH/ca.pem" "$SCRATCH/r1.pem" \
    >"$SCRATCH/v.out" 2>&1
like "$(cat "$SCRATCH/v.out")" "certificate revoked" "openssl sees certificate 1 revoked"
certtool --crl-info --infile "$SCRATCH/crl.pem" >/dev/null 2>&1
ok $? "certtool reads the CRL"

run_fails 1 "keyCompromise cannot be unrevoked" ca unrevoke "$S1"
run_ok "the held one can" ca unrevoke "$S2"
run_ok "publish again" ca crl --out "$SCRATCH/crl2.pem" --der
CRL=$(openssl crl -inform DER -in "$SCRATCH/crl2.pem" -noout -text)
unlike "$CRL" "$(printf '%s' "$S2" | tr a-f A-F)" "released serial left the CRL"
is "$(printf '%s\n' "$CRL" | grep -A1 'CRL Number' | tr -d ' \n')" "X509v3CRLNumber:2" "CRL number 2"
run_ok "issued view has it back" --tsv ca list issued --filter "$S2"
like "$OUT" "$S2" "certificate 2 issued again"
run_fails 1 "Administrator's colleague without rights cannot revoke" --as CLIENT1 ca revoke "$S3"

# pending requests
A="Approved Web Server"
run_ok "duplicate Web Server" template duplicate "Web Server" "$A" --compat 2003
run_ok "CA certificate manager approval" template set "$A" approval yes
run_ok "CA issues it" ca enable "$A"
run_ok "request goes pending" --tsv enroll --for Administrator --template "$A" --cn pend1.contoso.com
like "$OUT" "^[0-9]+	pending		Taken Under Submission$" "pending with its request ID"
P1=$(printf '%s' "$OUT" | cut -f1)
run_ok "second request" --tsv enroll --for Administrator --template "$A" --cn pend2.contoso.com
P2=$(printf '%s' "$OUT" | cut -f1)
run_ok "pending view" --tsv ca list pending
is "$(printf '%s\n' "$OUT" | wc -l)" "2" "two pending requests"
run_ok "approve the first" --tsv ca approve "$P1"
like "$OUT" "^$P1	issued	[0-9a-f]{32}" "issued on approval"
run_ok "installed in the requester's store" --tsv store list --for Administrator
like "$OUT" "CN=pend1.contoso.com" "pending certificate installed with its key"
run_ok "deny the second" ca deny "$P2"
run_ok "failed view" --tsv ca list failed --filter "$P2"
like "$OUT" "^$P2	0x80094014	denied	Denied by" "denied: CERTSRV_E_ADMIN_DENIED_REQUEST"
run_fails 1 "approving an issued request is refused" ca approve "$P1"
like "$ERR" "0x80094003" "CERTSRV_E_BAD_REQUESTSTATUS"
run_fails 1 "an unknown request" ca approve 9999
like "$ERR" "0x80094002" "CERTSRV_E_NO_REQUEST"

# CA settings: ca set
CDP=http://pki.contoso.com/crl/contoso-CA1-CA.crl
run_ok "ca set cdp-url" ca set cdp-url "$CDP"
run_ok "ca set aia-url to nothing" ca set aia-url ""
run_ok "ca set crl-period" ca set crl-period 2d
run_ok "ca show" --tsv ca show
like "$OUT" "$CDP" "ca show gives the new CDP"
run_ok "audited" --tsv audit
like "$OUT" "configuration	cdp-url	.*$CDP" "the CDP change is in the audit log"
run_ok "a certificate after the change" submit --for Administrator --template "Web Server" \
    "$SCRATCH/r1.csr" --out "$SCRATCH/set.pem"
EXT=$(openssl x509 -in "$SCRATCH/set.pem" -noout -text)
like "$EXT" "URI:$CDP" "it carries the new CDP"
unlike "$EXT" "Authority Information Access" "and no AIA"
# a day after the lab was made, so that the skew is not cut at the CA's start
run_ok "a CRL after the change" --now 2026-11-26T09:00:00Z ca crl --out "$SCRATCH/crl3.pem"
LAST=$(openssl crl -in "$SCRATCH/crl3.pem" -noout -lastupdate | cut -d= -f2)
NEXT=$(openssl crl -in "$SCRATCH/crl3.pem" -noout -nextupdate | cut -d= -f2)
# two days, the overlap of a tenth of the period, and thisUpdate's ten minutes of clock skew
is "$(($(date -u -d "$NEXT" +%s) - $(date -u -d "$LAST" +%s)))" "$((172800 + 17280 + 600))" \
    "next update two days on (with overlap and skew)"
unchanged_after "an unknown setting is refused" ca set colour red
like "$ERR" "not a CA setting" "it says so"
unchanged_after "an ftp URL is refused" ca set cdp-url ftp://pki.contoso.com/x.crl
unchanged_after "a period under an hour is refused" ca set crl-period 0h
unchanged_after "CLIENT1 has no Manage CA" --as CLIENT1 ca set cdp-url http://evil.example/x.crl
run_fails 2 "a setting without a value is a usage error" ca set cdp-url
done_testing
