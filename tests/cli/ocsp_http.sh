# The OCSP responder over HTTP: certcon serve --http answers at the /ocsp
# the AIA extension names. openssl ocsp -url (a POST) says good, then
# revoked with the reason after `ca revoke`, and unknown for a serial the
# CA never issued, its nonce coming back; a GET of the base64 request gets
# the same answer with caching headers up to nextUpdate; garbage gets
# malformedRequest, never cached; gnutls-cli --ocsp checks the status of
# the service's own HTTPS certificate. Everything listens on 127.0.0.1.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
for tool in curl openssl gnutls-cli; do
    command -v $tool >/dev/null || {
        echo "1..0 # SKIP $tool is not installed"
        exit 0
    }
done
scratch
new_lab
chmod 700 "$SCRATCH"
S=$SCRATCH
plan 23

PORT=$(free_port) && TPORT=$(free_port) || {
    echo "Bail out! no free port"
    exit 1
}
URL="http://127.0.0.1:$PORT"
SERVE_PID=
trap '[ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; wait 2>/dev/null' EXIT

run_ok "the base URL is the test's port" ca set base-url "$URL"
run_ok "CA certificate" ca cert --out "$S/ca.pem"
for i in 1 2; do
    openssl req -new -newkey rsa:2048 -nodes -keyout "$S/k$i.pem" \
        -subj "/CN=www$i.contoso.com" -out "$S/r$i.csr" 2>/dev/null
done
run_ok "two Web Server certificates" --tsv submit --for Administrator --template "Web Server" \
    "$S/r1.csr" "$S/r2.csr" --out-dir "$S"
S1=$(printf '%s\n' "$OUT" | sed -n 1p | cut -f3)
like "$(openssl x509 -in "$S/r1.pem" -noout -ext authorityInfoAccess 2>&1)" \
    "OCSP - URI:$URL/ocsp" "the certificate names the responder"

# the service, with the HTTP side and HTTPS for gnutls-cli (the CA host's
# certificate needs Enroll for CA1$ on Web Server)
run_ok "CA1 may enroll for the service's HTTPS certificate" \
    template acl "Web Server" --allow 'CA1$:Read,Enroll'
"$CERTCON" --db "$DB" serve --socket "$S/s.sock" --http "127.0.0.1:$PORT" \
    --https "127.0.0.1:$TPORT" 2>>"$S/serve.log" &
SERVE_PID=$!
i=0
while ! curl -fso /dev/null "$URL/aia/contoso-CA1-CA.crt" && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
curl -fso /dev/null "$URL/aia/contoso-CA1-CA.crt"
ok $? "the service answers at $URL"

# ocsp_url CERT-ARGS...: openssl's own request, POSTed, judged at the lab's time
ocsp_url() {
    at_lab_time openssl ocsp -issuer "$S/ca.pem" -CAfile "$S/ca.pem" -url "$URL/ocsp" "$@" 2>&1
}
V=$(ocsp_url -cert "$S/r1.pem")
like "$V" "Response verify OK" "openssl verifies the responder's answer under the root"
like "$V" "r1.pem: good" "good"
unlike "$V" "Nonce Verify error|WARNING" "the nonce comes back"
run_ok "revoke www1 for key compromise" ca revoke "$S1" --reason keyCompromise
V=$(ocsp_url -cert "$S/r1.pem")
like "$V" "r1.pem: revoked" "revoked at once, no CRL needed"
like "$V" "Reason: keyCompromise" "with the reason"
like "$(ocsp_url -serial 0x0123456789abcdef)" "0x0123456789abcdef: unknown" \
    "a serial the CA never issued is unknown"

# GET: the request base64-encoded (and URL-encoded) in the path
openssl ocsp -issuer "$S/ca.pem" -cert "$S/r2.pem" -no_nonce -reqout "$S/get.req" >/dev/null 2>&1
B64=$(base64 -w0 "$S/get.req" | sed -e 's|+|%2B|g' -e 's|/|%2F|g' -e 's|=|%3D|g')
HDR=$(curl -s -D - -o "$S/get.resp" "$URL/ocsp/$B64" | tr -d '\r')
like "$HDR" "Content-Type: application/ocsp-response" "a GET is answered as application/ocsp-response"
like "$HDR" "Cache-Control: public, max-age=[0-9]+" "cacheable"
like "$HDR" "Expires: Wed, 02 Dec 2026 09:00:00 GMT" "until the response's nextUpdate"
V=$(at_lab_time openssl ocsp -reqin "$S/get.req" -respin "$S/get.resp" -CAfile "$S/ca.pem" \
    -resp_text 2>&1)
like "$V" "Cert Status: good" "the GET's answer: www2 is good"

# garbage
HDR=$(curl -s -D - -o "$S/bad.resp" -H 'Content-Type: application/ocsp-request' \
    --data-binary 'not an OCSP request' "$URL/ocsp" | tr -d '\r')
like "$(openssl ocsp -respin "$S/bad.resp" -resp_text -noverify 2>&1)" \
    "Responder Error: malformedrequest" "garbage gets malformedRequest"
like "$HDR" "Cache-Control: no-store" "which is never cached"
is "$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$URL/ocsp")" 405 "PUT /ocsp is 405"

# gnutls-cli checks the service's own certificate with the responder
V=$(at_lab_time gnutls-cli --ocsp --x509cafile "$S/ca.pem" --port "$TPORT" 127.0.0.1 </dev/null 2>&1)
like "$V" "Handshake was completed" "gnutls-cli completes the handshake with the service's certificate"
like "$V" "OCSP server flags certificate not revoked" "the responder says it is not revoked"
like "$V" "OCSP: verified 1 certificate" "and gnutls-cli verifies that answer"

done_testing
