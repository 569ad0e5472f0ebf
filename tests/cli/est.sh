# EST (RFC 7030) from `certcon serve --https`: an administrator issues
# SERVER1 an enrollment secret (only a hash is kept; a group, a year and a
# half, a caller without Manage CA are refused); strongSwan's pki --est
# enrolls with it through the CA's default EST template and re-enrolls with
# the certificate and key it got (TLS client certificate); openssl verify
# accepts both and the CA's Issued view names SERVER1 as their requester.
# curl: cacerts is the CA certificate as base64 PKCS #7, csrattrs each
# template's key (RSA 2048, ECDSA P-384), a wrong password is 401 with
# WWW-Authenticate, a Failed row and an audited refusal (a missing one is
# the 401 challenge alone), a template SERVER1 may not
# enroll in is refused 0x80094012 with a Failed row, a template that needs
# approval answers 202 with Retry-After and the same request posted again
# after approval gets the certificate, a revoked certificate does not
# re-enroll, a revoked or expired secret does not enroll, and plain HTTP
# does not serve EST. Everything listens on 127.0.0.1.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
for tool in curl openssl sqlite3 pki; do
    command -v $tool >/dev/null || {
        echo "1..0 # SKIP $tool is not installed (pki: strongswan-pki, libstrongswan-extra-plugins)"
        exit 0
    }
done
scratch
new_lab
chmod 700 "$SCRATCH"
plan 66

SOCK="$SCRATCH/s.sock"
SERVE_PID=
trap '[ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; wait 2>/dev/null' EXIT
PORT=$(free_port) && PORT2=$(free_port) || {
    echo "Bail out! no free port"
    exit 1
}
[ "$PORT" != "$PORT2" ] || PORT2=$((PORT + 1))
EST="https://127.0.0.1:$PORT/.well-known/est"

# est_curl ARGS...: curl at the lab's time, trusting the CA; keeps the status in $CODE
est_curl() {
    CODE=$(at_lab_time curl -s --cacert "$SCRATCH/ca.pem" -o "$SCRATCH/body" \
        -D "$SCRATCH/headers" -w '%{http_code}' "$@")
    BODY=$(cat "$SCRATCH/body")
    HEADERS=$(tr -d '\r' <"$SCRATCH/headers")
}
# est_pki ARGS...: strongSwan's EST client at the lab's time; the certificate in $SCRATCH/pki.pem
est_pki() {
    at_lab_time pki --est --url "$EST/" --cacert "$SCRATCH/ca.pem" --outform pem "$@" \
        >"$SCRATCH/pki.pem" 2>"$SCRATCH/pki.err"
}
# csr NAME CN: a key and a DER request (NAME-key.pem, NAME.p10, NAME.b64)
csr() {
    openssl req -new -newkey rsa:2048 -nodes -keyout "$SCRATCH/$1-key.pem" -subj "/CN=$2" \
        -addext "subjectAltName=DNS:$2" -outform DER -out "$SCRATCH/$1.p10" 2>/dev/null
    base64 -w0 "$SCRATCH/$1.p10" >"$SCRATCH/$1.b64"
}
failed_rows() { "$CERTCON" --db "$DB" --tsv ca list failed | wc -l; }

# --- enrollment secrets -----------------------------------------------------------
run_ok "est secret --for SERVER1" --tsv est secret --for SERVER1
SECRET=$(printf '%s\n' "$OUT" | cut -f1)
like "$SECRET" '^[0-9a-f]{32}$' "it prints a generated secret"
is "$(printf '%s\n' "$OUT" | cut -f2)" "2026-12-25T09:00:00Z" "valid for 30 days by default"
is "$(sqlite3 "$DB" "SELECT count(*) FROM est_secret WHERE hex(hash) LIKE '%' || upper('$SECRET') || '%'
                     OR hex(salt) = upper('$SECRET')")" 0 "the database does not hold the secret"
is "$(sqlite3 "$DB" "SELECT length(salt), length(hash), rounds >= 100000 FROM est_secret")" \
    "16|32|1" "only a salted PBKDF2 hash of it"
like "$(sqlite3 "$DB" "SELECT object || ' ' || new_value FROM audit WHERE kind = 'est'")" \
    'CONTOSO\\SERVER1\$ issued, valid until 2026-12-25' "the audit log records the issue, not the secret"
unchanged_after "a group gets no secret" est secret --for "Domain Admins"
like "$ERR" "is a group" "and the message says why"
unchanged_after "--valid 18 months is refused" est secret --for SERVER1 --valid 540d
like "$ERR" "at most a year" "and the message says the limit"
unchanged_after "a caller without Manage CA is refused" --as CLIENT1 est secret --for SERVER1
like "$ERR" "Manage CA" "and the message names the permission"
run_ok "a secret for CLIENT1, expired by the lab's time" --now 2026-11-25T07:00:00Z --tsv \
    est secret --for CLIENT1 --valid 1h
OLD_CLIENT1=$(printf '%s\n' "$OUT" | cut -f1)

# --- the service ----------------------------------------------------------------
run_ok "CA1\$ and SERVER1\$ may enroll for Web Server" template acl "Web Server" \
    --allow 'CA1$:Enroll' --allow 'SERVER1$:Enroll'
unchanged_after "est-default names no template" ca set est-default "No Such Template"
run_ok "ca set est-default \"Web Server\"" ca set est-default "Web Server"
run_ok "the CA certificate" ca cert --out "$SCRATCH/ca.pem"
"$CERTCON" --db "$DB" serve --socket "$SOCK" --https "127.0.0.1:$PORT" --http "127.0.0.1:$PORT2" \
    2>>"$SCRATCH/serve.log" &
SERVE_PID=$!
for _ in $(seq 100); do
    at_lab_time curl -fso /dev/null --cacert "$SCRATCH/ca.pem" "$EST/cacerts" && break
    sleep 0.1
done

# --- cacerts and csrattrs ---------------------------------------------------------------
est_curl "$EST/cacerts"
is "$CODE" 200 "GET cacerts: 200"
like "$HEADERS" "Content-Type: application/pkcs7-mime; smime-type=certs-only" "as PKCS #7 certs-only"
like "$HEADERS" "Content-Transfer-Encoding: base64" "base64"
base64 -d <<<"$BODY" | openssl pkcs7 -inform DER -print_certs -out "$SCRATCH/cacerts.pem" 2>/dev/null
is "$(openssl x509 -in "$SCRATCH/cacerts.pem" -noout -fingerprint -sha256)" \
    "$(openssl x509 -in "$SCRATCH/ca.pem" -noout -fingerprint -sha256)" "holding the CA certificate"
est_curl "$EST/csrattrs"
is "$CODE" 200 "GET csrattrs: 200"
like "$HEADERS" "Content-Type: application/csrattrs" "application/csrattrs"
ATTRS=$(base64 -d <<<"$BODY" | openssl asn1parse -inform DER 2>&1)
like "$(printf '%s\n' "$ATTRS" | tr -s ' ' | tr '\n' ' ')" \
    "OBJECT :rsaEncryption .* SET .* INTEGER :0800 .* OBJECT :sha256WithRSAEncryption" \
    "an RSA key of 2048 bits (Web Server's minimum) and SHA-256"
run_ok "an ECDSA P-384 template" template duplicate "Web Server" "EST EC" --compat 2008
run_ok "its algorithm" template set "EST EC" algorithm ECDSA_P384
est_curl "$EST/ESTEC/csrattrs"
is "$CODE" 200 "GET TEMPLATE/csrattrs: 200"
ATTRS=$(base64 -d <<<"$BODY" | openssl asn1parse -inform DER 2>&1 | tr -s ' ' | tr '\n' ' ')
like "$ATTRS" "OBJECT :id-ecPublicKey .* SET .* OBJECT :secp384r1 .* OBJECT :ecdsa-with-SHA384" \
    "that template's: an ECDSA key on P-384, signed with SHA-384"
est_curl "$EST/Nonesuch/csrattrs"
is "$CODE" 404 "a template that does not exist is 404"
CODE=$(curl -s -o "$SCRATCH/body" -w '%{http_code}' "http://127.0.0.1:$PORT2/.well-known/est/cacerts")
is "$CODE" 403 "plain HTTP does not serve EST"
like "$(cat "$SCRATCH/body")" "HTTPS only" "and says so"

# --- simpleenroll with pki --est ----------------------------------------------------------
csr r1 server1.internal.contoso.com
est_pki --in "$SCRATCH/r1.p10" --userpass "SERVER1:$SECRET"
ok $? "pki --est enrolls SERVER1 with its secret"
cp "$SCRATCH/pki.pem" "$SCRATCH/c1.pem"
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/c1.pem"
ok $? "openssl verify accepts the certificate"
S1=$(openssl x509 -in "$SCRATCH/c1.pem" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f')
ROW=$("$CERTCON" --db "$DB" --tsv ca list issued | awk -F'\t' -v s="$S1" '$4 == s')
is "$(printf '%s\n' "$ROW" | cut -f2,3)" 'CONTOSO\\SERVER1$	WebServer' \
    "Issued Certificates names SERVER1 as its requester, from the default template"

# --- simplereenroll with the certificate -----------------------------------------------
csr r2 server1.internal.contoso.com
est_pki --in "$SCRATCH/r2.p10" --cert "$SCRATCH/c1.pem" --key "$SCRATCH/r1-key.pem"
ok $? "pki --est re-enrolls with the certificate and its key"
like "$(cat "$SCRATCH/pki.err")" "sending TLS client certificate" "authenticating with it over TLS"
cp "$SCRATCH/pki.pem" "$SCRATCH/c2.pem"
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/c2.pem"
ok $? "openssl verify accepts the new certificate"
S2=$(openssl x509 -in "$SCRATCH/c2.pem" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f')
[ "$S2" != "$S1" ] && [ -n "$S2" ]
ok $? "it is a new certificate"
is "$(openssl x509 -in "$SCRATCH/c2.pem" -noout -subject)" \
    "$(openssl x509 -in "$SCRATCH/c1.pem" -noout -subject)" "for the same subject"
ROW=$("$CERTCON" --db "$DB" --tsv ca list issued | awk -F'\t' -v s="$S2" '$4 == s')
is "$(printf '%s\n' "$ROW" | cut -f2)" 'CONTOSO\\SERVER1$' "and the same principal"
csr r3 other.contoso.com
est_curl --cert "$SCRATCH/c2.pem" --key "$SCRATCH/r2-key.pem" --data-binary "@$SCRATCH/r3.b64" \
    -H 'Content-Type: application/pkcs10' "$EST/simplereenroll"
is "$CODE" 400 "re-enrollment for another subject is refused"
est_curl --data-binary "@$SCRATCH/r3.b64" "$EST/simplereenroll"
is "$CODE" 403 "re-enrollment without a client certificate is refused"
run_ok "revoke the first certificate" ca revoke "$S1"
est_pki --in "$SCRATCH/r2.p10" --cert "$SCRATCH/c1.pem" --key "$SCRATCH/r1-key.pem"
ok $((!$?)) "a revoked certificate does not re-enroll"
like "$(cat "$SCRATCH/pki.err")" "HTTP 403" "the server refuses it"

# --- refusals ------------------------------------------------------------------------
N0=$(failed_rows)
est_curl -u "SERVER1:wrong" --data-binary "@$SCRATCH/r1.b64" "$EST/simpleenroll"
is "$CODE" 401 "a wrong password is 401"
like "$HEADERS" 'WWW-Authenticate: Basic realm="certcon EST"' "with WWW-Authenticate"
is "$(failed_rows)" $((N0 + 1)) "and a Failed Requests row"
like "$("$CERTCON" --db "$DB" --tsv ca list failed | tail -1)" \
    'given for CONTOSO.+SERVER1\$ is wrong.*	CONTOSO.+SERVER1\$' "naming SERVER1 and why"
like "$(sqlite3 "$DB" "SELECT actor || ' ' || field FROM audit WHERE result = 'refused' AND kind = 'est'")" \
    'CONTOSO\\SERVER1\$ simpleenroll' "and an audited refusal"
est_curl --data-binary "@$SCRATCH/r1.b64" "$EST/simpleenroll"
is "$CODE" 401 "no password is 401"
est_curl -u "CLIENT1:$OLD_CLIENT1" --data-binary "@$SCRATCH/r1.b64" "$EST/simpleenroll"
is "$CODE" 401 "an expired secret is 401"
like "$BODY" "expired" "and says so"
N1=$(failed_rows)
est_curl -u "SERVER1:$SECRET" --data-binary "@$SCRATCH/r1.b64" "$EST/User/simpleenroll"
is "$CODE" 403 "a template SERVER1 may not enroll in is refused"
like "$BODY" "0x80094012" "with the AD CS code"
is "$(failed_rows)" $((N1 + 1)) "and a Failed Requests row"

# --- approval: 202, then the certificate ------------------------------------------------
run_ok "a template that needs approval" template duplicate "Web Server" "EST Approval"
run_ok "with approval" template set "EST Approval" approval yes
run_ok "on the CA" ca enable "EST Approval"
csr r4 server1.internal.contoso.com
est_curl -u "SERVER1:$SECRET" --data-binary "@$SCRATCH/r4.b64" "$EST/ESTApproval/simpleenroll"
is "$CODE" 202 "a request that needs approval is 202"
like "$HEADERS" "Retry-After: [0-9]+" "with Retry-After"
ID=$(sed -n 's/^request \([0-9]*\) .*/\1/p' <<<"$BODY")
run_ok "the certificate manager approves it" ca approve "$ID"
est_curl -u "SERVER1:$SECRET" --data-binary "@$SCRATCH/r4.b64" "$EST/ESTApproval/simpleenroll"
is "$CODE" 200 "the same request posted again gets its certificate"
base64 -d <<<"$BODY" | openssl pkcs7 -inform DER -print_certs -out "$SCRATCH/c4.pem" 2>/dev/null
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/c4.pem"
ok $? "which openssl verify accepts"

run_ok "est secret --revoke" est secret --for SERVER1 --revoke
est_curl -u "SERVER1:$SECRET" --data-binary "@$SCRATCH/r1.b64" "$EST/simpleenroll"
is "$CODE" 401 "a revoked secret no longer enrolls"

kill "$SERVE_PID"
wait "$SERVE_PID"
SERVE_PID=
done_testing
