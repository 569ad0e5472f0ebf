# The HTTP side of the CA service (certcon serve --http): on a lab whose
# base URL is a free loopback port, curl fetches the CDP URL written in an
# issued certificate and openssl verify -crl_check passes with it, then
# fails once a revocation is published; the Freshest CRL URL serves a delta
# CRL that lists only the new revocation and carries the Delta CRL
# Indicator; publish-on-revoke publishes at once; the AIA URL serves the CA
# certificate. Caching headers follow the CRL's nextUpdate; other paths are
# 404, other methods 405; the Unix socket still serves clients; the service
# answers while a CRL of 100 000 entries is built; bad addresses are
# refused; SIGTERM stops the HTTP side too. With --https the CA issues the
# service a certificate for its host and the base URL's (curl --cacert
# accepts it), renewed when the service starts late in its life; the
# service stops if the HTTP side dies. Everything listens on 127.0.0.1.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
for tool in curl openssl sqlite3; do
    command -v $tool >/dev/null || {
        echo "1..0 # SKIP $tool is not installed"
        exit 0
    }
done
scratch
new_lab
chmod 700 "$SCRATCH"
plan 73

SOCK="$SCRATCH/s.sock"
SERVE_PID=
trap '[ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; wait 2>/dev/null' EXIT

PORT=$(free_port) || {
    echo "Bail out! no free port"
    exit 1
}
URL="http://127.0.0.1:$PORT"
CA=contoso-CA1-CA

# serve [ARGS]: the service on $DB with the HTTP side at $PORT; waits for both
serve() {
    "$CERTCON" --db "$DB" serve --socket "$SOCK" --http "127.0.0.1:$PORT" "$@" \
        2>>"$SCRATCH/serve.log" &
    SERVE_PID=$!
    local i=0
    while [ $i -lt 100 ]; do
        [ -S "$SOCK" ] && curl -fso /dev/null "$URL/aia/$CA.crt" && return 0
        kill -0 "$SERVE_PID" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# fetch URL FILE: curl, keeping the status and content type in $CODE and $TYPE
fetch() {
    read -r CODE TYPE <<<"$(curl -s -o "$2" -w '%{http_code} %{content_type}' "$1")"
}

serial_of() { openssl x509 -in "$1" -noout -serial | cut -d= -f2; }

# --- bad addresses change nothing -----------------------------------------
for bad in localhost:80 127.0.0.1:0 127.0.0.1:http 127.0.0.1 "[::1:80"; do
    timeout 10 "$CERTCON" --db "$DB" serve --socket "$SOCK" --http "$bad" \
        >"$SCRATCH/bad.out" 2>&1 && RC=0 || RC=$?
    [ "$RC" -eq 2 ] && [ ! -e "$SOCK" ] && grep -q -- "--http" "$SCRATCH/bad.out"
    ok $? "--http $bad is a usage error, and nothing listens"
done

# --- the base URL and what certificates carry ------------------------------
run_ok "ca set base-url" ca set base-url "$URL"
unchanged_after "a base URL with a query is refused" ca set base-url "$URL/?x"
like "$ERR" "query or fragment" "and the message says why"
run_ok "ca show" --tsv ca show
like "$OUT" "OCSP	$URL/ocsp" "ca show prints the OCSP URL from the base URL"
run_ok "the CA certificate" ca cert --out "$SCRATCH/ca.pem"
for i in 1 2 3; do
    openssl req -new -newkey rsa:2048 -nodes -keyout "$SCRATCH/k$i.pem" \
        -subj "/CN=web$i.contoso.com" -out "$SCRATCH/r$i.csr" 2>/dev/null
done
run_ok "three Web Server certificates" submit --for Administrator --template "Web Server" \
    --out-dir "$SCRATCH" "$SCRATCH/r1.csr" "$SCRATCH/r2.csr" "$SCRATCH/r3.csr"
EXT=$(openssl x509 -in "$SCRATCH/r1.pem" -noout -ext crlDistributionPoints,freshestCRL,authorityInfoAccess)
CDP=$(printf '%s\n' "$EXT" | sed -n '/CRL Distribution/,/Freshest/s/^ *URI://p')
DELTA=$(printf '%s\n' "$EXT" | sed -n '/Freshest/,$s/^ *URI://p' | head -1)
AIA=$(printf '%s\n' "$EXT" | sed -n 's/^ *CA Issuers - URI://p')
is "$CDP" "$URL/crl/$CA.crl" "the certificate's CDP is the base URL's"
is "$DELTA" "$URL/crl/$CA+.crl" "its Freshest CRL names the delta"
is "$AIA" "$URL/aia/$CA.crt" "its AIA names the CA certificate"

# --- the service --------------------------------------------------------------
serve
ok $? "certcon serve --http 127.0.0.1:$PORT answers"
timeout 10 "$CERTCON" --db "$DB" serve --socket "$SCRATCH/s2.sock" --http "127.0.0.1:$PORT" \
    >"$SCRATCH/second.out" 2>&1 && RC=0 || RC=$?
is "$RC" 1 "a second service on the same port does not start"
like "$(cat "$SCRATCH/second.out")" "cannot listen at 127.0.0.1:$PORT" "and says where"
OUT=$("$CERTCON" --connect "$SOCK" --tsv ca show 2>&1) && RC=0 || RC=$?
like "$OUT" "Base URL	$URL" "the Unix socket still serves clients"

# the service published a base CRL (and a delta) at start: none existed
fetch "$CDP" "$SCRATCH/base1.der"
is "$CODE $TYPE" "200 application/pkix-crl" "curl fetches the CDP URL: a DER CRL"
openssl crl -inform DER -in "$SCRATCH/base1.der" -out "$SCRATCH/base1.pem" 2>/dev/null
openssl crl -in "$SCRATCH/base1.pem" -CAfile "$SCRATCH/ca.pem" -noout 2>/dev/null
ok $? "the CRL is signed by the CA"
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/r1.pem" -crl_check -CRLfile "$SCRATCH/base1.pem"
ok $? "openssl verify -crl_check passes with it"
NEXT=$(openssl crl -in "$SCRATCH/base1.pem" -noout -nextupdate | cut -d= -f2)
HDR=$(curl -sI "$CDP" | tr -d '\r')
like "$HDR" "Expires: $(date -u -d "$NEXT" '+%a, %d %b %Y %H:%M:%S GMT')" \
    "Expires is the CRL's nextUpdate"
AGE=$(($(date -u -d "$NEXT" +%s) - $(date -u -d "$LAB_NOW" +%s)))
like "$HDR" "Cache-Control: public, max-age=$AGE" "max-age runs to nextUpdate (lab clock)"

# --- a revocation, published ----------------------------------------------------
S1=$(serial_of "$SCRATCH/r1.pem")
run_ok "revoke certificate 1" --now 2026-11-25T10:00:00Z ca revoke "$S1" --reason keyCompromise
run_ok "publish a base CRL" --now 2026-11-25T10:30:00Z ca crl --out "$SCRATCH/ignored.pem"
fetch "$CDP" "$SCRATCH/base2.der"
openssl crl -inform DER -in "$SCRATCH/base2.der" -out "$SCRATCH/base2.pem" 2>/dev/null
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/r1.pem" -crl_check -CRLfile "$SCRATCH/base2.pem"
is $? 2 "openssl verify -crl_check now fails"
openssl verify -attime "$LAB_CHECK_TIME" -crl_check -CRLfile "$SCRATCH/base2.pem" \
    -CAfile "$SCRATCH/ca.pem" "$SCRATCH/r1.pem" 2>&1 | grep -q "certificate revoked"
ok $? "because the certificate is revoked"
BASE=$(openssl crl -in "$SCRATCH/base2.pem" -noout -crlnumber | cut -d= -f2)
like "$(openssl crl -in "$SCRATCH/base2.pem" -noout -text)" "Freshest CRL" \
    "the base CRL carries Freshest CRL"

# --- a delta CRL ---------------------------------------------------------------
S2=$(serial_of "$SCRATCH/r2.pem")
run_ok "revoke certificate 2" --now 2026-11-25T11:00:00Z ca revoke "$S2" --reason superseded
run_ok "ca crl --delta" --now 2026-11-25T11:30:00Z ca crl --delta --out "$SCRATCH/d.pem"
like "$OUT" "delta CRL number .* \\(delta of base CRL $((BASE))\\) with 1 change" "it says what it is"
fetch "$DELTA" "$SCRATCH/delta.der"
is "$CODE $TYPE" "200 application/pkix-crl" "curl fetches the Freshest CRL URL"
TEXT=$(openssl crl -inform DER -in "$SCRATCH/delta.der" -noout -text)
like "$TEXT" "Delta CRL Indicator: critical" "openssl crl shows its Delta CRL Indicator"
like "$(printf '%s\n' "$TEXT" | grep -A1 'Delta CRL Indicator')" "^ *$((BASE))\$" \
    "naming the base CRL"
like "$TEXT" "Serial Number: $S2" "the delta lists the new revocation"
unlike "$TEXT" "Serial Number: $S1" "and not what the base already lists"
openssl crl -inform DER -in "$SCRATCH/delta.der" -out "$SCRATCH/delta.pem" 2>/dev/null
cat "$SCRATCH/base2.pem" "$SCRATCH/delta.pem" >"$SCRATCH/both.pem"
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/r2.pem" -crl_check -CRLfile "$SCRATCH/base2.pem"
ok $? "with the base CRL alone certificate 2 still passes"
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/r2.pem" -crl_check -use_deltas -CRLfile "$SCRATCH/both.pem"
is $? 2 "with the delta openssl finds it revoked"

# --- publish on revoke ------------------------------------------------------------
run_ok "ca set publish-on-revoke on" ca set publish-on-revoke on
S3=$(serial_of "$SCRATCH/r3.pem")
run_ok "revoke certificate 3" --now 2026-11-25T12:00:00Z ca revoke "$S3" --reason cessationOfOperation
like "$OUT" "Published delta CRL number" "the revocation published a delta CRL at once"
fetch "$DELTA" "$SCRATCH/delta2.der"
like "$(openssl crl -inform DER -in "$SCRATCH/delta2.der" -noout -text)" "Serial Number: $S3" \
    "the service serves it"

# --- the CA certificate, other paths and methods --------------------------------
fetch "$AIA" "$SCRATCH/aia.der"
is "$CODE $TYPE" "200 application/pkix-cert" "curl fetches the AIA URL: a DER certificate"
cmp -s "$SCRATCH/aia.der" <(openssl x509 -in "$SCRATCH/ca.pem" -outform DER)
ok $? "it is the CA certificate"
fetch "$URL/crl/other-CA.crl" /dev/null
is "$CODE" 404 "another CA's CRL: 404"
fetch "$URL/index.html" /dev/null
is "$CODE" 404 "any other path: 404"
HDR=$(curl -s -D - -o /dev/null -X POST --data x "$CDP" | tr -d '\r')
like "$HDR" "^HTTP/1.1 405" "POST to a CRL: 405"
like "$HDR" "Allow: GET, HEAD" "naming the methods it takes"

# --- answers while a CRL of 100 000 entries is built -------------------------------
# the rows go straight into the database (a CLI call each would take hours)
sqlite3 "$DB" "PRAGMA busy_timeout = 10000;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
    INSERT INTO request (id, requester, caller, disposition, status, message, submitted)
        SELECT 1000000 + i, 'bulk', 'bulk', 21, 0, '', 0 FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
    INSERT INTO certificate (request_id, serial, thumbprint, template, subject, not_before,
        not_after, raw, revoked_when, revoked_effective, revoked_reason)
        SELECT 1000000 + i, printf('7f%030x', i), '', 'WebServer', 'CN=bulk', 0,
            4102444800, x'', 1795000000, 1795000000, 1 FROM n;"
ok $? "100 000 revoked certificates"
"$CERTCON" --db "$DB" --now 2026-11-25T13:00:00Z ca crl --out "$SCRATCH/big.pem" \
    >"$SCRATCH/big.out" 2>&1 &
BIG=$!
fetched=0 tries=0
while kill -0 "$BIG" 2>/dev/null || [ $tries -eq 0 ]; do
    tries=$((tries + 1))
    curl -fso "$SCRATCH/aia2.der" "$AIA" && cmp -s "$SCRATCH/aia.der" "$SCRATCH/aia2.der" &&
        fetched=$((fetched + 1))
    [ $tries -ge 200 ] && break
done
wait "$BIG"
ok $? "the big CRL is published"
is "$fetched" "$tries" "every AIA fetch during the publication succeeded ($tries)"
fetch "$CDP" "$SCRATCH/big.der"
is "$(openssl crl -inform DER -in "$SCRATCH/big.der" -noout -text | grep -c 'Serial Number')" \
    100003 "the service serves it: 100 000 entries and the three revoked earlier"

# --- stopping ---------------------------------------------------------------------
kill "$SERVE_PID"
wait "$SERVE_PID"
ok $? "SIGTERM stops the service"
SERVE_PID=
curl -fso /dev/null "$URL/aia/$CA.crt"
ok $((!$?)) "and nothing answers at the port any more"
# --- HTTPS ---------------------------------------------------------------------------
PORT2=$(free_port) || {
    echo "Bail out! no second free port"
    exit 1
}
TLS="https://127.0.0.1:$PORT2"
timeout 20 "$CERTCON" --db "$DB" serve --socket "$SOCK" --https "127.0.0.1:$PORT2" \
    >"$SCRATCH/tls.out" 2>&1 && RC=0 || RC=$?
is "$RC" 1 "--https: the service stops when its host may not enroll for Web Server"
like "$(cat "$SCRATCH/tls.out")" "template acl \"Web Server\" --allow 'CA1\\\$:Enroll'" \
    "and says how to allow it"
run_ok "CA1\$ may enroll for Web Server" template acl "Web Server" --allow 'CA1$:Enroll'
serve --https "127.0.0.1:$PORT2"
ok $? "certcon serve --https 127.0.0.1:$PORT2 starts"
SAN=$(openssl x509 -in "$DB.https.pem" -noout -ext subjectAltName)
like "$SAN" "DNS:ca1.contoso.com" "its certificate names the CA host"
like "$SAN" "IP Address:127.0.0.1" "and the base URL's host, an IP address"
ssl_verify "$SCRATCH/ca.pem" "$DB.https.pem"
ok $? "the CA issued it"
is "$(stat -c %a "$DB.https-key.pem")" 600 "its key is private to the service"
# curl checks the certificate's dates: at the lab's time, whatever the machine's
at_lab_time curl -fs --cacert "$SCRATCH/ca.pem" -o "$SCRATCH/tls-aia.der" "$TLS/aia/$CA.crt"
ok $? "curl --cacert ca.pem accepts the service over TLS"
cmp -s "$SCRATCH/aia.der" "$SCRATCH/tls-aia.der"
ok $? "and gets the CA certificate"
at_lab_time curl -fs --cacert "$SCRATCH/ca.pem" --resolve "ca1.contoso.com:$PORT2:127.0.0.1" \
    -o "$SCRATCH/tls.crl" "https://ca1.contoso.com:$PORT2/crl/$CA.crl"
ok $? "by the CA host's name too, with the CRL"
at_lab_time curl -fs -o /dev/null "$TLS/aia/$CA.crt"
ok $((!$?)) "without the CA certificate curl refuses it"
SERIAL1=$(openssl x509 -in "$DB.https.pem" -noout -serial)

WEB=$(pgrep -P "$SERVE_PID" | head -1)
kill -KILL "$WEB"
wait "$SERVE_PID"
is $? 1 "when the HTTP side dies the service stops, with status 1"
SERVE_PID=
like "$(cat "$SCRATCH/serve.log")" "the HTTP side ended" "saying so in its log"

# 22 months on (of the certificate's two years) it is renewed before it expires
CERTCON_NOW=2028-09-25T09:00:00Z serve --https "127.0.0.1:$PORT2"
ok $? "the service starts 22 months later"
isnt() { [ "$1" != "$2" ]; ok $? "$3"; }
isnt "$(openssl x509 -in "$DB.https.pem" -noout -serial)" "$SERIAL1" \
    "with a renewed HTTPS certificate"
like "$(openssl x509 -in "$DB.https.pem" -noout -startdate)" "Sep 25 08:50:00 2028" \
    "issued at the lab's new time"
kill "$SERVE_PID"
wait "$SERVE_PID"
ok $? "SIGTERM stops it"
SERVE_PID=
done_testing
