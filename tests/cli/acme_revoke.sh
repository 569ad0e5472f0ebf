# ACME account and certificate life: lego revokes its certificate with its
# account key and certbot with the certificate's own key, and the OCSP
# responder at /ocsp says revoked for each (openssl ocsp); another account
# may not revoke a certificate it did not order; uacme rolls its account
# key over (keyChange) and orders with the new key, then deactivates the
# account, which can order nothing more.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/acme_lib.sh" certbot lego uacme unshare
acme_lab
plan 21

NAME=server1.internal.contoso.com
acme_serve

# --- lego: by the account key --------------------------------------------------
eab SERVER1
lego_run lego "$NAME" --eab --kid "$KID" --hmac "$HMAC" --http --http.port "127.0.0.1:$(free_port)"
ok $? "lego gets a certificate" || diag "$(tail -3 "$SCRATCH/lego.log")"
LEGO_CERT="$SCRATCH/lego/certificates/$NAME.crt"
openssl x509 -in "$LEGO_CERT" -out "$SCRATCH/lego-leaf.pem"
is "$(ocsp_status "$SCRATCH/lego-leaf.pem")" good "OCSP says good"

# --- another account may not revoke it ------------------------------------------
LEGO_KID=$KID LEGO_HMAC=$HMAC
eab SERVER1
UA_KID=$KID
UA="$SCRATCH/uacme"
mkdir -p "$UA"
uacme_run -c "$UA" -e "$KID:$HMAC" new admin@contoso.com >"$SCRATCH/uacme-new.log" 2>&1
ok $? "uacme registers an account of its own"
uacme_run -c "$UA" revoke "$SCRATCH/lego-leaf.pem" >"$SCRATCH/uacme-revoke.log" 2>&1
ok $((!$?)) "uacme's account may not revoke lego's certificate"
like "$(cat "$SCRATCH/uacme-revoke.log")" "did not order" "and is told why"
is "$(ocsp_status "$SCRATCH/lego-leaf.pem")" good "OCSP still says good"
LEGO_SERIAL=$(openssl x509 -in "$SCRATCH/lego-leaf.pem" -noout -serial | cut -d= -f2 | tr A-F a-f)
like "$(sqlite3 "$DB" "SELECT actor || ' ' || field FROM audit WHERE result = 'refused' AND
    kind = 'certificate' AND object = '$LEGO_SERIAL'")" '^CONTOSO\\SERVER1\$ revocation$' \
    "and the refusal is audited, as the account's principal"

real env LEGO_CA_CERTIFICATES="$CA_PEM" timeout 60 lego --server "$DIRURL" \
    --email admin@contoso.com --accept-tos --domains "$NAME" --path "$SCRATCH/lego" \
    --eab --kid "$LEGO_KID" --hmac "$LEGO_HMAC" revoke --reason 1 >"$SCRATCH/lego-revoke.log" 2>&1
ok $? "lego revokes it with its account key" || diag "$(tail -3 "$SCRATCH/lego-revoke.log")"
is "$(ocsp_status "$SCRATCH/lego-leaf.pem")" revoked "OCSP says revoked"
like "$(sqlite3 "$DB" "SELECT actor || ' ' || new_value FROM audit WHERE result = 'ok' AND
    kind = 'certificate' AND object = '$LEGO_SERIAL' AND field = 'revoked by'")" \
    '^CONTOSO\\SERVER1\$ ACME account [0-9]+, which ordered it$' \
    "the audit says the account that ordered it revoked it"

# --- certbot: by the certificate's key ----------------------------------------------
eab SERVER1
CB="$SCRATCH/certbot"
cb() {
    real env REQUESTS_CA_BUNDLE="$CA_PEM" timeout 90 certbot -n --server "$DIRURL" \
        --config-dir "$CB/c" --work-dir "$CB/w" --logs-dir "$CB/l" "$@"
}
cb certonly --standalone --http-01-address 127.0.0.1 --http-01-port "$(free_port)" --agree-tos \
    -m admin@contoso.com --eab-kid "$KID" --eab-hmac-key "$HMAC" --key-type rsa \
    --rsa-key-size 2048 -d "$NAME" >"$SCRATCH/certbot.log" 2>&1
ok $? "certbot gets a certificate" || diag "$(tail -3 "$SCRATCH/certbot.log")"
CB_CERT="$CB/c/live/$NAME/cert.pem"
cb revoke --cert-path "$CB_CERT" --key-path "$CB/c/live/$NAME/privkey.pem" --reason keycompromise \
    --no-delete-after-revoke >"$SCRATCH/certbot-revoke.log" 2>&1
ok $? "certbot revokes it signing with the certificate's key" ||
    diag "$(tail -3 "$SCRATCH/certbot-revoke.log")"
is "$(ocsp_status "$CB_CERT")" revoked "OCSP says revoked"
CB_SERIAL=$(openssl x509 -in "$CB_CERT" -noout -serial | cut -d= -f2 | tr A-F a-f)
like "$(sqlite3 "$DB" "SELECT new_value FROM audit WHERE kind = 'certificate' AND
    object = '$CB_SERIAL' AND field = 'revoked by'")" "signed with the certificate's key" \
    "the audit says the certificate's key revoked it"
is "$(sqlite3 "$DB" "SELECT new_value FROM audit WHERE kind = 'certificate' AND
    object = '$CB_SERIAL' AND field = 'revocation'")" keyCompromise \
    "with the reason certbot gave"

# --- keyChange and deactivation ---------------------------------------------------
OLD=$(sqlite3 "$DB" "SELECT thumbprint FROM acme_account WHERE eab = '$UA_KID'")
uacme_run -c "$UA" newkey >"$SCRATCH/uacme-newkey.log" 2>&1
ok $? "uacme rolls its account key over" || diag "$(tail -3 "$SCRATCH/uacme-newkey.log")"
NEW=$(sqlite3 "$DB" "SELECT thumbprint FROM acme_account WHERE eab = '$UA_KID'")
[ -n "$NEW" ] && [ "$NEW" != "$OLD" ]
ok $? "the account has the new key"
uacme_run -c "$UA" issue "$NAME" >"$SCRATCH/uacme-issue.log" 2>&1
ok $? "and orders with it" || diag "$(tail -3 "$SCRATCH/uacme-issue.log")"
uacme_run -c "$UA" deactivate >"$SCRATCH/uacme-deactivate.log" 2>&1
ok $? "uacme deactivates its account"
uacme_run -c "$UA" -f issue "$NAME" >"$SCRATCH/uacme-after.log" 2>&1
ok $((!$?)) "a deactivated account orders nothing"
like "$(cat "$SCRATCH/uacme-after.log")" "deactivated" "because it is deactivated"
