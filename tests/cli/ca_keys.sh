# The template decides the key, as in AD CS: the minimum key size is
# compared with the key's own size in bits, so P-256 and Ed25519 requests
# to Web Server and to its 2003 duplicate (minimum 2048) are refused with
# 0x80094811 and a message saying what the template wants; a 2008
# duplicate that names ECDSA_P256 takes P-256 only, and enrollment makes a
# P-256 key for it; a 2008 duplicate with a 256-bit minimum and any
# algorithm takes Ed25519.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
plan 36
run_ok "CA certificate" ca cert --out "$SCRATCH/ca.pem"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$SCRATCH/p256.key" \
    -subj "/CN=ec.contoso.com" -out "$SCRATCH/p256.csr" 2>/dev/null
openssl req -new -newkey ed25519 -nodes -keyout "$SCRATCH/ed.key" \
    -subj "/CN=ed.contoso.com" -out "$SCRATCH/ed.csr" 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout "$SCRATCH/rsa.key" \
    -subj "/CN=rsa.contoso.com" -out "$SCRATCH/rsa.csr" 2>/dev/null

run_ok "Web Server 2003 duplicate" template duplicate "Web Server" "Web 2003" --compat 2003
run_ok "enable it" ca enable "Web 2003"
for T in "Web Server" "Web 2003"; do
    for K in p256 ed; do
        run_fails 1 "$K request to $T is refused" --tsv submit --for Administrator \
            --template "$T" "$SCRATCH/$K.csr"
        like "$OUT" "denied	.*0x80094811.*$T wants a key of at least 2048 bits" \
            "$K to $T: 0x80094811 and what the template wants"
    done
done
like "$OUT" "the request's key is Ed25519 \\(256 bits\\)" "the message names the request's key"
run_ok "failed requests" --tsv ca list failed
is "$(printf '%s\n' "$OUT" | grep -c '^[0-9]*	0x80094811	denied')" "4" "four refusals in Failed Requests"

run_ok "explain says what Web Server wants" --tsv explain --for Administrator --template "Web Server"
like "$OUT" "ok	Key size	Web Server wants a key of at least 2048 bits" "explain: the key Web Server wants"

run_ok "a 2008 duplicate" template duplicate "Web Server" "EC Web" --compat 2008
run_fails 1 "a 2003 template cannot name an algorithm" template set "Web 2003" algorithm ECDSA_P256
like "$ERR" "algorithm" "the refusal names the setting"
run_ok "EC Web takes ECDSA_P256" template set "EC Web" algorithm ECDSA_P256
is "$(setting "EC Web" min-key-size)" "256" "the curve sets the minimum key size"
run_ok "enable EC Web" ca enable "EC Web"
run_ok "explain names the algorithm" --tsv explain --for Administrator --template "EC Web"
like "$OUT" "ok	Key size	EC Web wants an ECDSA_P256 key \\(256 bits\\)" "explain: an ECDSA_P256 key"
run_ok "P-256 request to EC Web is issued" --tsv submit --for Administrator --template "EC Web" \
    --out "$SCRATCH/ec.pem" "$SCRATCH/p256.csr"
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/ec.pem"
ok $? "the P-256 certificate verifies"
run_fails 1 "RSA request to EC Web is refused" --tsv submit --for Administrator \
    --template "EC Web" "$SCRATCH/rsa.csr"
like "$OUT" "0x80094811.*EC Web wants an ECDSA_P256 key \\(256 bits\\); the request's key is RSA \\(2048 bits\\)" \
    "RSA to EC Web: refused, naming both keys"
run_fails 1 "Ed25519 request to EC Web is refused" --tsv submit --for Administrator \
    --template "EC Web" "$SCRATCH/ed.csr"
run_ok "enroll makes the key the template wants" enroll --for Administrator --template "EC Web" \
    --cn enroll.contoso.com --out "$SCRATCH/enrolled.pem"
like "$(openssl x509 -in "$SCRATCH/enrolled.pem" -noout -text)" "NIST CURVE: P-256" \
    "enrollment generated a P-256 key"

run_ok "a 2008 duplicate for small keys" template duplicate "Web Server" "Small Web" --compat 2008
run_ok "min-key-size 256" template set "Small Web" min-key-size 256
run_ok "enable Small Web" ca enable "Small Web"
run_ok "Ed25519 request to Small Web is issued" --tsv submit --for Administrator \
    --template "Small Web" --out "$SCRATCH/ed.pem" "$SCRATCH/ed.csr"
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/ed.pem"
ok $? "the Ed25519 certificate verifies"
done_testing
