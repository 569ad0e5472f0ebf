# OCSP without the network: `openssl ocsp` writes requests, `certcon ocsp
# respond` answers them, and `openssl ocsp -respin` (at the lab's time)
# judges the answers: good, then revoked with the reason after `ca
# revoke`, a hold until released, unknown for a serial never issued (but
# good for one a do-not-store template issued); the nonce round trips; garbage gets malformedRequest and another CA's
# certificate unauthorized; the responder certificate verifies under the
# root with OCSP Signing and OCSP No Check, is listed and audited, and
# processes that meet a database without one issue one between them; `ca
# set ocsp-signer ca` has the CA key sign.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
S=$SCRATCH

# ocsp_check REQ RESP CERT [options]: openssl's verdict on a response, at
# the lab's time. With -cert openssl builds a request of its own (so -reqin
# is not read): -no_nonce is needed but for nonce_check's own requests.
ocsp_check() {
    at_lab_time openssl ocsp -reqin "$1" -respin "$2" -issuer "$S/ca.pem" -CAfile "$S/ca.pem" \
        "${@:4}" -cert "$3" 2>&1
}
# ask NAME CERT [openssl options]: $S/NAME.req answered into $S/NAME.resp
ask() {
    local name=$1 cert=$2
    shift 2
    openssl ocsp -issuer "$S/ca.pem" "$@" -cert "$cert" -reqout "$S/$name.req" >/dev/null 2>&1
    run ocsp respond --in "$S/$name.req" --out "$S/$name.resp"
}

run_ok "CA certificate" ca cert --out "$S/ca.pem"
for i in 1 2 3; do
    openssl req -new -newkey rsa:2048 -nodes -keyout "$S/k$i.pem" \
        -subj "/CN=www$i.contoso.com" -out "$S/r$i.csr" 2>/dev/null
done
run_ok "three Web Server certificates" --tsv submit --for Administrator --template "Web Server" \
    "$S/r1.csr" "$S/r2.csr" "$S/r3.csr" --out-dir "$S"
S1=$(printf '%s\n' "$OUT" | sed -n 1p | cut -f3)
S2=$(printf '%s\n' "$OUT" | sed -n 2p | cut -f3)
S3=$(printf '%s\n' "$OUT" | sed -n 3p | cut -f3)

# good, with a nonce
ask good "$S/r1.pem"
is "$RC" 0 "certcon answers openssl's request"
is "$OUT" "successful: next update 2026-12-02T09:00:00Z" "next update one CRL period (a week) ahead"
V=$(ocsp_check "$S/good.req" "$S/good.resp" "$S/r1.pem" -no_nonce)
like "$V" "Response verify OK" "openssl verifies the response under the root"
like "$V" "r1.pem: good" "the certificate is good"
like "$V" "This Update: Nov 25 09:00:00 2026 GMT" "this update is the lab's now"
# the request itself (no -cert): openssl compares its nonce with the response's
V=$(at_lab_time openssl ocsp -reqin "$S/good.req" -respin "$S/good.resp" -CAfile "$S/ca.pem" \
    -resp_text 2>&1)
like "$V" "Response verify OK" "verified against the request that was sent"
like "$V" "Cert Status: good" "good"
unlike "$V" "Nonce Verify error|WARNING" "the nonce round trips"
NREQ=$(openssl ocsp -reqin "$S/good.req" -req_text | grep -A1 'OCSP Nonce' | tail -1 | tr -d ' ')
NRESP=$(openssl ocsp -respin "$S/good.resp" -resp_text -noverify | grep -A1 'OCSP Nonce' | tail -1 | tr -d ' ')
like "$NREQ" "^0410[0-9A-F]{32}$" "openssl sent a 16-octet nonce"
is "$NRESP" "$NREQ" "the response carries the same nonce"
# a response to another request's nonce is caught by openssl: the echo is real
openssl ocsp -issuer "$S/ca.pem" -cert "$S/r1.pem" -reqout "$S/other.req" >/dev/null 2>&1
like "$(at_lab_time openssl ocsp -reqin "$S/other.req" -respin "$S/good.resp" \
    -CAfile "$S/ca.pem" 2>&1)" "Nonce Verify error" \
    "a response does not pass for another request's nonce"

# good, without a nonce
ask nononce "$S/r2.pem" -no_nonce
is "$RC" 0 "a request without a nonce is answered"
V=$(ocsp_check "$S/nononce.req" "$S/nononce.resp" "$S/r2.pem" -no_nonce)
like "$V" "r2.pem: good" "good without a nonce"
unlike "$(openssl ocsp -respin "$S/nononce.resp" -resp_text -noverify)" "OCSP Nonce" \
    "and no nonce comes back"
ask sha256 "$S/r2.pem" -no_nonce -sha256
like "$(ocsp_check "$S/sha256.req" "$S/sha256.resp" "$S/r2.pem" -no_nonce -sha256)" "r2.pem: good" \
    "a SHA-256 CertID is answered too"

# the responder certificate: carried in the response, issued under the root
openssl ocsp -respin "$S/good.resp" -resp_text -noverify |
    sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' >"$S/responder.pem"
ssl_verify "$S/ca.pem" "$S/responder.pem" -purpose ocsphelper
ok $? "the responder certificate verifies under the root for OCSP signing"
RT=$(openssl x509 -in "$S/responder.pem" -noout -text)
like "$RT" "OCSP Signing" "it has the OCSP Signing purpose"
like "$RT" "OCSP No Check" "and id-pkix-ocsp-nocheck"
like "$RT" "Subject: CN ?= ?ca1.contoso.com" "issued to the CA host"
like "$RT" "Not After : Dec  9 09:00:00 2026 GMT" "for two weeks"
RS=$(openssl x509 -in "$S/responder.pem" -noout -serial | cut -d= -f2 | tr A-F a-f)
run_ok "issued view" --tsv ca list issued --filter OCSPResponseSigning
is "$(printf '%s\n' "$OUT" | grep -c "$RS")" 1 "listed among the issued certificates"
run_ok "audit log" --tsv audit --object "$RS"
like "$OUT" "issue.*OCSPResponseSigning" "its issue is audited"
ask again "$S/r1.pem" -no_nonce
run_ok "issued view again" --tsv ca list issued --filter OCSPResponseSigning
is "$(printf '%s\n' "$OUT" | wc -l)" 1 "later answers reuse the responder"

# revoked, with the reason
run_ok "revoke 3: keyCompromise" ca revoke "$S3" --reason keyCompromise
ask revoked "$S/r3.pem" -no_nonce
V=$(ocsp_check "$S/revoked.req" "$S/revoked.resp" "$S/r3.pem" -no_nonce)
like "$V" "Response verify OK" "the revoked answer verifies"
like "$V" "r3.pem: revoked" "revoked after ca revoke"
like "$V" "Reason: keyCompromise" "with its reason"
like "$V" "Revocation Time: Nov 25 09:00:00 2026 GMT" "and its time"
run_ok "hold 1" ca revoke "$S1" --reason certificateHold
ask hold "$S/r1.pem" -no_nonce
V=$(ocsp_check "$S/hold.req" "$S/hold.resp" "$S/r1.pem" -no_nonce)
like "$V" "r1.pem: revoked" "a certificate on hold is revoked"
like "$V" "Reason: certificateHold" "with certificateHold"
run_ok "release 1" ca unrevoke "$S1"
ask released "$S/r1.pem" -no_nonce
like "$(ocsp_check "$S/released.req" "$S/released.resp" "$S/r1.pem" -no_nonce)" "r1.pem: good" \
    "good again once released"

# unknown: a serial this CA never issued
openssl ocsp -issuer "$S/ca.pem" -serial 0x1234567890abcdef -no_nonce -reqout "$S/unknown.req" \
    >/dev/null 2>&1
run_ok "a serial never issued is answered" ocsp respond --in "$S/unknown.req" --out "$S/unknown.resp"
V=$(at_lab_time openssl ocsp -reqin "$S/unknown.req" -respin "$S/unknown.resp" \
    -issuer "$S/ca.pem" -CAfile "$S/ca.pem" -serial 0x1234567890abcdef -no_nonce 2>&1)
like "$V" "0x1234567890abcdef: unknown" "unknown"

# a certificate of a do-not-store template keeps only its serial: it was
# issued, so it is good, not unknown
run_ok "a do-not-store template" template duplicate "Web Server" "Unstored" --compat 2008
run_ok "do-not-store" template set "Unstored" do-not-store yes
run_ok "enabled" ca enable "Unstored"
run_ok "issued without a row" --tsv submit --for Administrator --template "Unstored" \
    "$S/r2.csr" --out "$S/unstored.pem"
like "$OUT" "^0	issued	" "no request row was kept"
ask unstored "$S/unstored.pem" -no_nonce
like "$(ocsp_check "$S/unstored.req" "$S/unstored.resp" "$S/unstored.pem" -no_nonce)" \
    "unstored.pem: good" "its serial is known: good"

# garbage: malformedRequest, written, exit 1, nothing changed
head -c 300 /dev/urandom >"$S/garbage.req"
printf '0\202\001\000junk' >>"$S/garbage.req"
unchanged_after "garbage is refused" ocsp respond --in "$S/garbage.req" --out "$S/garbage.resp"
is "$RC" 1 "exit status 1"
like "$ERR" "malformedRequest" "the message says malformedRequest"
like "$(openssl ocsp -respin "$S/garbage.resp" -resp_text -noverify 2>&1)" \
    "malformedrequest \(1\)" "openssl reads malformedRequest"
: >"$S/empty.req"
run_fails 1 "an empty request" ocsp respond --in "$S/empty.req" --out "$S/empty.resp"
like "$(openssl ocsp -respin "$S/empty.resp" -resp_text -noverify 2>&1)" "malformedrequest" \
    "is malformedRequest too"

# another CA's certificate: unauthorized
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$S/other-ca.key" -subj "/CN=Other Root" \
    -days 3650 -out "$S/other-ca.pem" 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout "$S/o.key" -subj "/CN=www.other.example" \
    -out "$S/o.csr" 2>/dev/null
openssl x509 -req -in "$S/o.csr" -CA "$S/other-ca.pem" -CAkey "$S/other-ca.key" \
    -set_serial 0x$S2 -days 365 -out "$S/o.pem" 2>/dev/null
openssl ocsp -issuer "$S/other-ca.pem" -cert "$S/o.pem" -reqout "$S/foreign.req" >/dev/null 2>&1
run_fails 1 "another CA's certificate is refused" ocsp respond --in "$S/foreign.req" \
    --out "$S/foreign.resp"
like "$ERR" "unauthorized: certificate $S2 was not issued by this CA" \
    "unauthorized, even for a serial this CA used"
like "$(openssl ocsp -respin "$S/foreign.resp" -resp_text -noverify 2>&1)" "unauthorized \(6\)" \
    "openssl reads unauthorized"

# the CA key signs when asked to
run_fails 1 "a certificate manager without Manage CA cannot change the signer" \
    --as CLIENT1 ca set ocsp-signer ca
unchanged_after "ocsp-signer takes responder or ca" ca set ocsp-signer nobody
like "$ERR" "responder.*ca" "and says so"
run_ok "ca set ocsp-signer ca" ca set ocsp-signer ca
ask casigned "$S/r2.pem" -no_nonce
V=$(ocsp_check "$S/casigned.req" "$S/casigned.resp" "$S/r2.pem" -no_nonce -verify_other "$S/ca.pem")
like "$V" "Response verify OK" "a CA-signed response verifies"
like "$V" "r2.pem: good" "and says good"
unlike "$(openssl ocsp -respin "$S/casigned.resp" -resp_text -noverify)" "BEGIN CERTIFICATE" \
    "and carries no responder certificate"
run_ok "audited" --tsv audit --object configuration
like "$OUT" "ocsp-signer	responder	ca" "the signer change is audited with old and new values"
run_ok "back to the responder" ca set ocsp-signer responder

# several processes meeting a database without a responder issue one between them
new_lab race
for i in 1 2 3 4; do
    "$CERTCON" --db "$DB" ocsp respond --in "$S/good.req" --out "$S/race$i.resp" >/dev/null 2>&1 &
done
wait
n=0
for i in 1 2 3 4; do
    openssl ocsp -respin "$S/race$i.resp" -resp_text -noverify 2>/dev/null | grep -q "successful" &&
        n=$((n + 1))
done
is "$n" 4 "four processes answered at once"
is "$(sqlite3 "$DB" "SELECT count(*) FROM certificate WHERE template = 'OCSPResponseSigning'")" 1 \
    "with one responder certificate between them"
DB=$S/lab.db

# usage
run_fails 2 "--in is required" ocsp respond --out "$S/x.resp"
run_fails 1 "a missing request file" ocsp respond --in "$S/nonexistent.req" --out "$S/x.resp"
run_fails 1 "an existing response file needs --force" ocsp respond --in "$S/good.req" \
    --out "$S/good.resp"
run_ok "--force replaces it" ocsp respond --in "$S/good.req" --out "$S/good.resp" --force
"$CERTCON" --db "$DB" ocsp respond --in "$S/good.req" >"$S/stdout.resp" 2>/dev/null
like "$(openssl ocsp -respin "$S/stdout.resp" -resp_text -noverify)" "Cert Status: good" \
    "without --out the response goes to standard output"
done_testing
