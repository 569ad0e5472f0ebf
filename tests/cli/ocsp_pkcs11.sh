# OCSP with the CA key in a PKCS #11 token (SoftHSM): the token key issues
# the delegated responder certificate (whose own key, RSA 2048, is kept in
# the database, sealed), and after `ca set ocsp-signer ca` signs the
# responses itself; openssl verifies both, good and then revoked. Skipped
# when softhsm2 or p11tool (gnutls-bin) is not installed.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"

MODULE=
for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/*/softhsm/libsofthsm2.so; do
    [ -f "$m" ] && { MODULE=$m; break; }
done
if ! command -v softhsm2-util >/dev/null 2>&1 || [ -z "$MODULE" ]; then
    echo "1..0 # SKIP softhsm2 is not installed"
    exit 0
fi
if ! command -v p11tool >/dev/null 2>&1; then
    echo "1..0 # SKIP p11tool (gnutls-bin) is not installed"
    exit 0
fi

scratch
S=$SCRATCH
mkdir -p "$S/tokens"
export SOFTHSM2_CONF="$S/softhsm2.conf"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
    "$S/tokens" >"$SOFTHSM2_CONF"
export CERTCON_PKCS11_MODULE="$MODULE"
unset CERTCON_CA_KEY_URL CERTCON_CA_PASSPHRASE CERTCON_CA_PASSPHRASE_FILE
export CERTCON_PKCS11_PIN=1234

softhsm2-util --init-token --free --label certcon --pin 1234 --so-pin 5678 >/dev/null 2>&1
ok $? "a SoftHSM token"
GNUTLS_PIN=1234 p11tool --provider "$MODULE" --login --generate-privkey=ecdsa \
    --curve=secp256r1 --label ca-key "pkcs11:token=certcon" >/dev/null 2>&1
ok $? "a P-256 key generated in the token"
DB="$S/token.db"
run_ok "init with the token key" init --lab contoso --ca-key-url 'pkcs11:token=certcon;object=ca-key'
run_ok "CA certificate" ca cert --out "$S/ca.pem"
openssl req -new -newkey rsa:2048 -nodes -keyout "$S/web.key" -subj "/CN=www.contoso.com" \
    -out "$S/web.csr" 2>/dev/null
run_ok "a certificate" --tsv submit --for Administrator --template "Web Server" \
    --out "$S/web.pem" "$S/web.csr"
SERIAL=$(printf '%s' "$OUT" | cut -f3)

# check NAME: openssl's verdict on NAME.resp for web.pem, at the lab's time
check() {
    at_lab_time openssl ocsp -respin "$S/$1.resp" -issuer "$S/ca.pem" -CAfile "$S/ca.pem" \
        -no_nonce -cert "$S/web.pem" "${@:2}" 2>&1
}
openssl ocsp -issuer "$S/ca.pem" -no_nonce -cert "$S/web.pem" -reqout "$S/q.req" >/dev/null 2>&1
run_ok "answered with a responder the token key issued" ocsp respond --in "$S/q.req" \
    --out "$S/responder.resp"
V=$(check responder)
like "$V" "Response verify OK" "openssl verifies it under the token CA"
like "$V" "web.pem: good" "good"
openssl ocsp -respin "$S/responder.resp" -resp_text -noverify |
    sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' >"$S/responder.pem"
like "$(openssl x509 -in "$S/responder.pem" -noout -text)" "Public-Key: \(2048 bit\)" \
    "the responder's key is RSA 2048, made outside the token"
is "$(sqlite3 "$DB" 'SELECT count(*) FROM ocsp_responder')" 1 "and kept in the database"

run_ok "the CA key signs" ca set ocsp-signer ca
run_ok "revoke" ca revoke "$SERIAL" --reason superseded
run_ok "answered by the token key" ocsp respond --in "$S/q.req" --out "$S/ca.resp"
V=$(check ca -verify_other "$S/ca.pem")
like "$V" "Response verify OK" "openssl verifies the token's signature"
like "$V" "web.pem: revoked" "revoked"
like "$V" "Reason: superseded" "with its reason"
done_testing
