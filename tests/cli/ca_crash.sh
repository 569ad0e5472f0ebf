# Crash safety of issuance: batches of `certcon submit` are killed with
# SIGKILL at random points; afterwards the database passes integrity_check,
# no serial number appears twice, every issued request has its certificate,
# and every stored certificate verifies against the CA.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
run_ok "CA certificate" ca cert --out "$SCRATCH/ca.pem"
mkdir -p "$SCRATCH/req" "$SCRATCH/out"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$SCRATCH/k.pem" 2>/dev/null
for i in $(seq 1 150); do
    openssl req -new -key "$SCRATCH/k.pem" -subj "/CN=host$i.contoso.com" \
        -out "$SCRATCH/req/r$i.csr" 2>/dev/null
done
ROUNDS=8
for round in $(seq 1 $ROUNDS); do
    "$CERTCON" --db "$DB" submit --for Administrator --template "Web Server" \
        --out-dir "$SCRATCH/out" "$SCRATCH"/req/*.csr >/dev/null 2>&1 &
    pid=$!
    # 0 to 0.5 s: before, during and after the batches' commits
    sleep "0.$(od -An -N1 -tu1 /dev/urandom | tr -d ' ' | awk '{ printf "%03d", ($1 * 2) % 500 }')"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
done
ok 0 "$ROUNDS submissions killed at random points"
is "$(sqlite3 "$DB" 'PRAGMA integrity_check')" "ok" "PRAGMA integrity_check"
is "$(sqlite3 "$DB" 'SELECT count(*) - count(DISTINCT serial) FROM certificate')" "0" \
    "no serial number twice"
is "$(sqlite3 "$DB" 'SELECT count(*) FROM certificate c LEFT JOIN serial_used s ON s.serial = c.serial WHERE s.serial IS NULL')" \
    "0" "every certificate's serial is recorded as used"
is "$(sqlite3 "$DB" 'SELECT count(*) FROM request r WHERE disposition = 20 AND NOT EXISTS (SELECT 1 FROM certificate c WHERE c.request_id = r.id)')" \
    "0" "every issued request has its certificate"
is "$(sqlite3 "$DB" 'SELECT count(*) FROM certificate c JOIN request r ON r.id = c.request_id WHERE r.disposition <> 20')" \
    "0" "no certificate without an issued request"
N=$(sqlite3 "$DB" 'SELECT count(*) FROM certificate')
diag "$N certificates survived"
mkdir -p "$SCRATCH/db"
sqlite3 "$DB" "SELECT writefile('$SCRATCH/db/' || serial || '.der', raw) FROM certificate" >/dev/null
bad=0
for f in "$SCRATCH"/db/*.der; do
    [ -e "$f" ] || continue
    openssl x509 -inform DER -in "$f" -out "$f.pem" 2>/dev/null &&
        ssl_verify "$SCRATCH/ca.pem" "$f.pem" || bad=$((bad + 1))
done
is "$bad" "0" "every stored certificate verifies"
bad=0
for f in "$SCRATCH"/out/*.pem; do
    [ -e "$f" ] || continue
    ssl_verify "$SCRATCH/ca.pem" "$f" || bad=$((bad + 1))
done
is "$bad" "0" "every written certificate file is whole and verifies"
run_ok "the CA still issues" --tsv submit --for Administrator --template "Web Server" \
    "$SCRATCH/req/r1.csr"
done_testing
