# The CA key in a PKCS #11 token (SoftHSM): a key generated in the token
# becomes the CA key of `certcon init --ca-key-url`, no key file is written,
# the CA certificate is self-signed by it, and a certificate issued and a
# CRL published with it verify with OpenSSL. A P-384 token key signs its
# own certificate with SHA-384, as it signs everything else, and `ca show`
# names the key's algorithm and size. Skipped when softhsm2 or
# p11tool (gnutls-bin) is not installed.
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
if ! command -v openssl >/dev/null 2>&1; then
    echo "1..0 # SKIP openssl is not installed"
    exit 0
fi

scratch
# a private token directory: nothing outside the scratch directory is touched
mkdir -p "$SCRATCH/tokens"
export SOFTHSM2_CONF="$SCRATCH/softhsm2.conf"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
    "$SCRATCH/tokens" >"$SOFTHSM2_CONF"
export CERTCON_PKCS11_MODULE="$MODULE"
unset CERTCON_CA_KEY_URL CERTCON_CA_PASSPHRASE CERTCON_CA_PASSPHRASE_FILE CERTCON_PKCS11_PIN

plan 30
softhsm2-util --init-token --free --label certcon --pin 1234 --so-pin 5678 >/dev/null 2>&1
ok $? "a SoftHSM token"
GNUTLS_PIN=1234 p11tool --provider "$MODULE" --login --generate-privkey=rsa --bits 2048 \
    --label ca-key --outfile "$SCRATCH/ca-pub.pem" "pkcs11:token=certcon" >/dev/null 2>&1
ok $? "an RSA key generated in the token"

DB="$SCRATCH/token.db"
run_fails 1 "a URL holding pin-value is refused" init --lab contoso \
    --ca-key-url 'pkcs11:token=certcon;object=ca-key;pin-value=1234'
like "$ERR" "pin-source=FILE.*CERTCON_PKCS11_PIN" "says where the PIN goes instead"
ok "$([ ! -e "$DB" ] && [ ! -e "$DB.ca-key.pem" ]; echo $?)" "nothing was created"
URL='pkcs11:token=certcon;object=ca-key'
export CERTCON_PKCS11_PIN=1234
run_ok "init with the token key" init --lab contoso --ca-key-url "$URL"
is "$(sqlite3 "$DB" .dump | grep -c "pin-value")" "0" "no PIN is stored in the database"
ok "$([ ! -e "$DB.ca-key.pem" ]; echo $?)" "no key file beside the database"
run_ok "ca show" --tsv ca show
like "$OUT" "Key protection	PKCS #11 token" "the key is the token's"
like "$OUT" "Key	RSA \(2048 bits\)" "ca show names the key's algorithm and size"
run_ok "CA certificate" ca cert --out "$SCRATCH/ca.pem"
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/ca.pem"
ok $? "the CA certificate is self-signed by the token key"
# the public key in the certificate is the token's
is "$(openssl x509 -in "$SCRATCH/ca.pem" -noout -pubkey | openssl pkey -pubin -outform DER | od -An -tx1 | tr -d ' \n')" \
   "$(openssl pkey -pubin -in "$SCRATCH/ca-pub.pem" -outform DER | od -An -tx1 | tr -d ' \n')" \
   "the certificate carries the token's public key"

openssl req -new -newkey rsa:2048 -nodes -keyout "$SCRATCH/web.key" \
    -subj "/CN=www.contoso.com" -out "$SCRATCH/web.csr" 2>/dev/null
run_ok "a Web Server request signed by the token key" submit --for Administrator \
    --template "Web Server" --out "$SCRATCH/web.pem" "$SCRATCH/web.csr"
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/web.pem"
ok $? "openssl verifies the issued certificate"
run_ok "enroll" enroll --for Administrator --template "Web Server" --cn enroll.contoso.com \
    --out "$SCRATCH/enroll.pem"
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/enroll.pem"
ok $? "openssl verifies the enrolled certificate"
run_ok "a CRL signed in the token" ca crl --out "$SCRATCH/crl.pem"
openssl crl -in "$SCRATCH/crl.pem" -CAfile "$SCRATCH/ca.pem" -noout 2>/dev/null
ok $? "openssl verifies the CRL"

# a P-384 key in the token: SHA-384 in the self-signature and in what it issues
GNUTLS_PIN=1234 p11tool --provider "$MODULE" --login --generate-privkey=ecdsa \
    --curve=secp384r1 --label ca-p384 "pkcs11:token=certcon" >/dev/null 2>&1
ok $? "a P-384 key generated in the token"
DB="$SCRATCH/p384.db"
run_ok "init with the P-384 token key" init --lab contoso \
    --ca-key-url 'pkcs11:token=certcon;object=ca-p384'
run_ok "ca show (P-384)" --tsv ca show
like "$OUT" "Key	ECDSA P-384 \(384 bits\)" "ca show: ECDSA P-384"
cc ca cert --out "$SCRATCH/ca384.pem"
like "$(openssl x509 -in "$SCRATCH/ca384.pem" -noout -text | grep 'Signature Algorithm' | sort -u)" \
    "^ *Signature Algorithm: ecdsa-with-SHA384$" "the self-signature uses SHA-384"
run_ok "a request signed by the P-384 token key" submit --for Administrator \
    --template "Web Server" --out "$SCRATCH/web384.pem" "$SCRATCH/web.csr"
ssl_verify "$SCRATCH/ca384.pem" "$SCRATCH/web384.pem"
ok $? "openssl verifies the certificate of the P-384 CA"

# the PIN from a file named in the URL (p11-kit's pin-source), no variable
DB="$SCRATCH/pinfile.db"
printf '1234' >"$SCRATCH/pin"
chmod 600 "$SCRATCH/pin"
(unset CERTCON_PKCS11_PIN; "$CERTCON" --db "$DB" init --lab contoso \
    --ca-key-url "pkcs11:token=certcon;object=ca-key;pin-source=$SCRATCH/pin" >/dev/null 2>&1)
ok $? "init with pin-source=FILE and no PIN in the environment"
(unset CERTCON_PKCS11_PIN; "$CERTCON" --db "$DB" submit --for Administrator \
    --template "Web Server" --out "$SCRATCH/pinfile.pem" "$SCRATCH/web.csr" >/dev/null 2>&1)
ok $? "the token key signs with the PIN from the file"
is "$(sqlite3 "$DB" "SELECT key_ref FROM ca")" "pkcs11:token=certcon;object=ca-key;pin-source=$SCRATCH/pin" \
    "the database keeps where the PIN is, not the PIN"
done_testing
