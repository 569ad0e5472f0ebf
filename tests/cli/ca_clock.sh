# The CA's clock: nothing is signed outside the CA certificate's validity,
# a certificate that would outlive the CA ends with it (and its request says
# so), CRLs stay inside the CA's validity, a revocation never takes effect
# before its certificate, and --now 1970-01-01 is a time like any other.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
W="Web Server"
epoch() { date -u -d "$1" +%s; }
field() { # FILE x509|crl OPTION: a date field of a certificate or CRL, as epoch seconds
    epoch "$(openssl "$2" -in "$1" -noout "$3" | cut -d= -f2)"
}
count() { sqlite3 "$DB" "SELECT count(*) FROM $1"; }

cc ca cert --out "$SCRATCH/ca.pem" >/dev/null
CA_START=$(field "$SCRATCH/ca.pem" x509 -startdate)
CA_END=$(field "$SCRATCH/ca.pem" x509 -enddate)
is "$CA_START" "$(epoch "$LAB_NOW")" "the CA certificate starts at the lab clock"
openssl req -new -newkey rsa:2048 -nodes -keyout "$SCRATCH/k.pem" -subj "/CN=www.contoso.com" \
    -addext "subjectAltName=DNS:www.contoso.com" -out "$SCRATCH/web.csr" 2>/dev/null

# before the CA certificate starts: refused, recorded as failed, nothing issued
run_fails 1 "submit before the CA starts is refused" --tsv --now 2020-01-01 \
    submit --for Administrator --template "$W" "$SCRATCH/web.csr" --out "$SCRATCH/early.pem"
like "$OUT" "^[0-9]+	denied		.*0x800b0101" "CERT_E_EXPIRED, recorded"
like "$OUT" "not yet valid at 2020-01-01T00:00:00Z" "one sentence says when the CA is valid"
test ! -e "$SCRATCH/early.pem"
ok $? "no certificate written"
is "$(count certificate)" "0" "no certificate issued"
run_fails 1 "enroll before the CA starts is refused" --tsv --now 2020-01-01 \
    enroll --for SERVER1 --template "$W" --cn server1.contoso.com --dns server1.contoso.com
like "$OUT" "0x800b0101" "enroll: CERT_E_EXPIRED"
run_ok "the failed view" --tsv ca list failed
is "$(printf '%s\n' "$OUT" | grep -c 'not yet valid')" "2" "both are Failed Requests rows"
is "$(count certificate)" "0" "still no certificate"

# after it ends
run_fails 1 "submit after the CA expired is refused" --tsv --now 2032-01-01 \
    submit --for Administrator --template "$W" "$SCRATCH/web.csr"
like "$OUT" "0x800b0101.*expired at 2032-01-01" "expired, said so"
is "$(count certificate)" "0" "nothing issued after the end"

# at the lab clock: starts with the CA, not ten minutes before it
run_ok "issued at the lab clock" --tsv submit --for Administrator --template "$W" \
    "$SCRATCH/web.csr" --out "$SCRATCH/now.pem"
like "$OUT" "	issued	[0-9a-f]+	$" "issued, with nothing more to say"
is "$(field "$SCRATCH/now.pem" x509 -startdate)" "$CA_START" "notBefore is not before the CA's"
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/now.pem"
ok $? "openssl verifies it"
SERIAL=$(openssl x509 -in "$SCRATCH/now.pem" -noout -serial | cut -d= -f2)

# 60 days before the CA ends: a two-year certificate ends with the CA, and says so
NEAR=$(date -u -d "@$((CA_END - 60 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
run_ok "issued near the CA's end" --tsv --now "$NEAR" submit --for Administrator \
    --template "$W" "$SCRATCH/web.csr" --out "$SCRATCH/near.pem"
END_TEXT=$(date -u -d "@$CA_END" +%Y-%m-%dT%H:%M:%SZ)
like "$OUT" "Issued. The certificate ends on $END_TEXT, with the CA certificate, before the template's validity period of 2 years." \
    "the disposition message says it was shortened"
is "$(field "$SCRATCH/near.pem" x509 -enddate)" "$CA_END" "notAfter is the CA's notAfter"
openssl verify -attime "$((CA_END - 86400))" -CAfile "$SCRATCH/ca.pem" "$SCRATCH/near.pem" \
    >/dev/null 2>&1
ok $? "openssl verifies it the day before the CA ends"
like "$(sqlite3 "$DB" "SELECT message FROM request ORDER BY id DESC LIMIT 1")" \
    "^Issued. The certificate ends on $END_TEXT" "the request's disposition message keeps it"

# CRLs: never before the CA's start, never past its end, never by an expired CA
run_ok "a CRL at the lab clock" ca crl --out "$SCRATCH/crl.pem"
is "$(field "$SCRATCH/crl.pem" crl -lastupdate)" "$CA_START" "thisUpdate is not before the CA's start"
run_ok "a CRL three days before the CA ends" --now "$(date -u -d "@$((CA_END - 3 * 86400))" +%Y-%m-%d)" \
    ca crl --out "$SCRATCH/late.pem"
is "$(field "$SCRATCH/late.pem" crl -nextupdate)" "$CA_END" "nextUpdate is cut at the CA's end"
openssl crl -in "$SCRATCH/late.pem" -CAfile "$SCRATCH/ca.pem" -noout 2>/dev/null
ok $? "openssl verifies that CRL"
unchanged_after "no CRL from an expired CA" --now 2032-01-01 ca crl --out "$SCRATCH/x.crl"
like "$ERR" "expired.*0x800B0101 CERT_E_EXPIRED" "it says the CA expired"
unchanged_after "no CRL before the CA starts" --now 2020-01-01 ca crl --out "$SCRATCH/x.crl"
like "$ERR" "not yet valid" "it says the CA is not yet valid"

# --now 1970-01-01 is honoured, not taken for "no clock"
unchanged_after "--now 1970-01-01 is honoured" --now 1970-01-01 ca crl --out "$SCRATCH/x.crl"
like "$ERR" "not yet valid at 1970-01-01T00:00:00Z" "the epoch is the time asked for"
test ! -e "$SCRATCH/x.crl"
ok $? "no CRL file from refused publications"

# a revocation never takes effect before its certificate
unchanged_after "revocation effective before notBefore" ca revoke "$SERIAL" \
    --effective 2026-11-01 --reason keyCompromise
like "$ERR" "cannot take effect on 2026-11-01T00:00:00Z.*valid only from" "it says why"
unchanged_after "revocation effective at the epoch" ca revoke "$SERIAL" --effective 1970-01-01
like "$ERR" "1970-01-01T00:00:00Z" "the epoch is not taken for now"
run_ok "revocation effective at notBefore" ca revoke "$SERIAL" --effective "$LAB_NOW"
done_testing
