# ACME (RFC 8555) from `certcon serve --https`, with accounts bound to a
# directory principal by External Account Binding: certbot, lego and uacme
# each get a certificate for server1.internal.contoso.com with a key bound
# to SERVER1, whose directory record holds that name (so the authorization
# is valid at once); openssl verifies each against the lab root, and each
# is in Issued Certificates with SERVER1 as requester and the Web Server
# template's extension. Without a binding, or with a key already used, an
# account is refused; bad settings change nothing. The administrator's side:
# `acme accounts` lists the three accounts with their key thumbprints and
# orders, `acme orders` an account's orders and what they became, and
# `acme deactivate` (Manage CA only) ends an account, which then orders
# nothing more.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/acme_lib.sh" certbot lego uacme unshare
acme_lab
plan 64

NAME=server1.internal.contoso.com

# --- settings and keys: bad input changes nothing ----------------------------
unchanged_after "template set acme takes on or off" template set "Web Server" acme maybe
like "$ERR" "on or off" "and says so"
unchanged_after "acme-eab is required or optional" ca set acme-eab sometimes
unchanged_after "acme-default must be a template served over ACME" ca set acme-default User
like "$ERR" "template set \"User\" acme on" "and says how to serve it"
unchanged_after "acme-resolver must be ADDR:PORT" ca set acme-resolver dns.example:53
unchanged_after "an EAB key is for a user or computer, not a group" acme eab --for "Domain Admins"
unchanged_after "an EAB key for a template not served over ACME is refused" \
    acme eab --for SERVER1 --template User
unchanged_after "only a CA Administrator issues EAB keys" --as CLIENT1 acme eab --for SERVER1
like "$ERR" "Manage CA" "and the refusal names the permission"
unchanged_after "--valid must be a period" acme eab --for SERVER1 --valid soon
run_ok "an EAB key for SERVER1" acme eab --for SERVER1
like "$OUT" "Acts as: +CONTOSO\\\\SERVER1\\$" "it acts as SERVER1\$"
like "$OUT" "HMAC key: +[A-Za-z0-9_-]{43}$" "and shows its 256-bit HMAC key, base64url"

# --- the directory and nonces ----------------------------------------------
acme_serve
DIRJSON=$(real curl -fs --cacert "$CA_PEM" "$DIRURL")
like "$DIRJSON" "\"newAccount\":\"$BASE/acme/WebServer/new-account\"" \
    "/acme/directory serves the default template's directory"
like "$DIRJSON" '"externalAccountRequired":true' "and says accounts need a binding"
real curl -fs --cacert "$CA_PEM" -o /dev/null "$BASE/acme/Web%20Server/directory"
ok $? "/acme/<template>/directory serves it by display name too"
CODE=$(real curl -s --cacert "$CA_PEM" -o "$SCRATCH/p.json" -w '%{http_code}' \
    "$BASE/acme/User/directory")
is "$CODE" 404 "a template not served over ACME has no directory"
like "$(cat "$SCRATCH/p.json")" "urn:ietf:params:acme:error:" "and the answer is a problem document"
HDR=$(real curl -sI --cacert "$CA_PEM" "$BASE/acme/WebServer/new-nonce")
like "$HDR" "^HTTP/1.1 200" "HEAD newNonce is 200"
like "$HDR" "Replay-Nonce: [A-Za-z0-9_-]{22}" "with a Replay-Nonce"
CODE=$(real curl -s --cacert "$CA_PEM" -o /dev/null -w '%{http_code}' "$BASE/acme/WebServer/new-nonce")
is "$CODE" 204 "GET newNonce is 204"
HDR=$(real curl -s -D - -o /dev/null --cacert "$CA_PEM" -X POST \
    -H 'Content-Type: application/jose+json' -d '{}' "$BASE/acme/WebServer/new-order")
like "$HDR" "Replay-Nonce: " "an error answer carries a nonce too"

# --- without a binding ---------------------------------------------------------
# optional, but no account named for unbound clients: still refused, by the server
run_ok "ca set acme-eab optional" ca set acme-eab optional
lego_run nobind "$NAME" --http --http.port "127.0.0.1:$(free_port)"
ok $((!$?)) "lego without an EAB key is refused"
like "$(cat "$SCRATCH/nobind.log")" "externalAccountRequired" "with externalAccountRequired"
run_ok "ca set acme-eab required" ca set acme-eab required

# --- lego ---------------------------------------------------------------------
eab SERVER1
lego_run lego "$NAME" --eab --kid "$KID" --hmac "$HMAC" --http --http.port "127.0.0.1:$(free_port)"
ok $? "lego gets a certificate with SERVER1's EAB key" || diag "$(tail -5 "$SCRATCH/lego.log")"
LEGO_KID=$KID LEGO_HMAC=$HMAC
LEGO_CERT="$SCRATCH/lego/certificates/$NAME.crt"
lego_run reuse "$NAME" --email other@contoso.com --eab --kid "$KID" --hmac "$HMAC" \
    --http --http.port "127.0.0.1:$(free_port)"
ok $((!$?)) "the same EAB key does not bind a second account"
like "$(cat "$SCRATCH/reuse.log")" "already bound" "and the client is told why"

# --- certbot ----------------------------------------------------------------------
eab SERVER1
CB="$SCRATCH/certbot"
real env REQUESTS_CA_BUNDLE="$CA_PEM" timeout 90 certbot certonly -n --standalone \
    --http-01-address 127.0.0.1 --http-01-port "$(free_port)" --server "$DIRURL" --agree-tos \
    -m admin@contoso.com --eab-kid "$KID" --eab-hmac-key "$HMAC" --key-type rsa \
    --rsa-key-size 2048 -d "$NAME" --config-dir "$CB/c" --work-dir "$CB/w" --logs-dir "$CB/l" \
    >"$SCRATCH/certbot.log" 2>&1
ok $? "certbot gets a certificate with SERVER1's EAB key" || diag "$(tail -5 "$SCRATCH/certbot.log")"
CERTBOT_CERT="$CB/c/live/$NAME/cert.pem"
cmp -s <(sed -n '/BEGIN/,/END/p' "$CB/c/live/$NAME/chain.pem") "$CA_PEM"
ok $? "the chain after the leaf is the lab root"

# --- uacme (libcurl with GnuTLS reads only the system bundle: a mount namespace gives it the lab's) ---
eab SERVER1
UA="$SCRATCH/uacme"
mkdir -p "$UA"
U="uacme -o -a $DIRURL -c $UA -t RSA -b 2048 -y"
real timeout 90 unshare -rm sh -c "mount --bind '$CA_PEM' /etc/ssl/certs/ca-certificates.crt &&
    $U -e '$KID:$HMAC' new admin@contoso.com && $U issue $NAME" >"$SCRATCH/uacme.log" 2>&1
ok $? "uacme gets a certificate with SERVER1's EAB key" || diag "$(tail -5 "$SCRATCH/uacme.log")"
UACME_CERT="$UA/$NAME/cert.pem"

# --- what they got ----------------------------------------------------------------
for c in "$LEGO_CERT" "$CERTBOT_CERT" "$UACME_CERT"; do
    who=$(basename "$(dirname "$(dirname "$c")")")
    [ "$c" = "$CERTBOT_CERT" ] && who=certbot
    ssl_verify "$CA_PEM" "$c"
    ok $? "openssl verify accepts the certificate $who got"
    TEXT=$(openssl x509 -in "$c" -noout -text 2>/dev/null)
    like "$TEXT" "DNS:$NAME" "it names $NAME"
done
like "$(openssl x509 -in "$LEGO_CERT" -noout -text)" "1.3.6.1.4.1.311.20.2:" \
    "it carries the template name extension"
run_ok "ca list issued" --tsv ca list issued
for c in "$LEGO_CERT" "$CERTBOT_CERT" "$UACME_CERT"; do
    serial=$(openssl x509 -in "$c" -noout -serial | cut -d= -f2 | tr A-F a-f)
    like "$OUT" "SERVER1\\\$	WebServer	$serial	" \
        "Issued Certificates lists $serial as requested by SERVER1\$ from Web Server"
done

# --- the administrator's side: accounts, orders, deactivation -----------------------
LEGO_SERIAL=$(openssl x509 -in "$LEGO_CERT" -noout -serial | cut -d= -f2 | tr A-F a-f)
LEGO_ACCT=$(sqlite3 "$DB" "SELECT account FROM acme_order WHERE serial = '$LEGO_SERIAL'")
LEGO_TP=$(sqlite3 "$DB" "SELECT thumbprint FROM acme_account WHERE id = '$LEGO_ACCT'")
run_ok "acme accounts" --tsv acme accounts
is "$(printf '%s\n' "$OUT" | wc -l)" 3 "lists the three clients' accounts"
# (--tsv escapes the backslash)
is "$(printf '%s\n' "$OUT" | cut -f2 | sort -u)" 'CONTOSO\\SERVER1$' "each requests as SERVER1\$"
like "$OUT" "^$LEGO_ACCT	CONTOSO\\\\\\\\SERVER1\\\$	$LEGO_TP	[0-9-]+ [0-9:]+	1	valid	any" \
    "lego's: its key thumbprint, created, one order, valid, any template"
run_ok "acme accounts, as a table" acme accounts
like "$OUT" "^ID +Principal +Key thumbprint +Created +Orders +Status" "with its headings"
run_ok "acme orders of lego's account" --tsv acme orders "$LEGO_ACCT"
like "$OUT" "^[0-9]+	[0-9-]+ [0-9:]+	valid	$NAME	WebServer	[0-9]+	$LEGO_SERIAL$" \
    "its one order is valid, for $NAME, and names the certificate lego got"
run_fails 2 "an account id is a number" acme orders lego
run_fails 1 "an account that does not exist" acme orders 999
like "$ERR" "no ACME account 999" "is named in the message"
unchanged_after "only a CA Administrator deactivates an account" \
    --as SERVER1 acme deactivate "$LEGO_ACCT"
like "$ERR" "Manage CA" "and the refusal names the permission"
run_ok "acme deactivate lego's account" acme deactivate "$LEGO_ACCT"
like "$(sqlite3 "$DB" "SELECT actor || ' ' || object || ' ' || new_value FROM audit WHERE
    kind = 'acme' AND field = 'status'")" "^CONTOSO\\\\Administrator account $LEGO_ACCT deactivated$" \
    "the audit names who deactivated it"
run_ok "acme accounts" --tsv acme accounts
like "$OUT" "^$LEGO_ACCT	[^	]*	$LEGO_TP	[^	]*	1	deactivated	" "says it is deactivated"
unchanged_after "a deactivated account is not deactivated twice" acme deactivate "$LEGO_ACCT"
lego_run again "$NAME" --eab --kid "$LEGO_KID" --hmac "$LEGO_HMAC" --http \
    --http.port "127.0.0.1:$(free_port)" --path "$SCRATCH/lego"
ok $((!$?)) "lego's account orders nothing more"
like "$(cat "$SCRATCH/again.log")" "deactivated" "because it is deactivated"
