# Batches, approval and retrieval. In `submit good1 bad good2` the bad
# request fails alone: its Failed Requests row, a line naming its file and
# exit status 1, while the two good ones are issued. A pending request whose
# template was since disabled, or whose requester lost Enroll, is denied by
# `ca approve` with the reason and moves to Failed Requests. `ca get` fetches
# an issued certificate again by serial or request ID, PEM or DER, equal to
# what submit wrote; another requester's certificate needs Issue and Manage
# Certificates.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
plan 52
run_ok "CA certificate" ca cert --out "$SCRATCH/ca.pem"
for n in good1 good2 mine; do
    openssl req -new -newkey rsa:2048 -nodes -keyout "$SCRATCH/$n.key" \
        -subj "/CN=$n.contoso.com" -out "$SCRATCH/$n.csr" 2>/dev/null
done
printf 'not a request\n' >"$SCRATCH/bad.csr"
mkdir -p "$SCRATCH/out"

run_fails 1 "submit good1 bad good2 exits 1" --tsv submit --for Administrator \
    --template "Web Server" --out-dir "$SCRATCH/out" \
    "$SCRATCH/good1.csr" "$SCRATCH/bad.csr" "$SCRATCH/good2.csr"
is "$(printf '%s\n' "$OUT" | cut -f2 | tr '\n' ' ')" "issued failed issued " \
    "one line each: issued, failed, issued"
like "$ERR" "bad\\.csr: request [0-9]+ failed \\(0x80090005\\)" "the failure names its file"
unlike "$ERR" "good[12]\\.csr" "the good files are not named as failed"
BAD_ID=$(printf '%s\n' "$OUT" | awk -F'\t' '$2 == "failed" { print $1 }')
run_ok "failed requests" --tsv ca list failed
like "$OUT" "^$BAD_ID	0x80090005	failed" "the bad request has its Failed Requests row"
for n in good1 good2; do
    ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/out/$n.pem"
    ok $? "$n was issued and verifies"
done

# retrieval by serial and by request ID, PEM and DER
run_ok "submit one more" --tsv submit --for Administrator --template "Web Server" \
    --out "$SCRATCH/mine.pem" "$SCRATCH/mine.csr"
ID=$(printf '%s' "$OUT" | cut -f1)
SERIAL=$(printf '%s' "$OUT" | cut -f3)
openssl x509 -in "$SCRATCH/mine.pem" -outform DER -out "$SCRATCH/mine.der"
run_ok "ca get SERIAL (PEM to standard output)" ca get "$SERIAL"
printf '%s\n' "$OUT" >"$SCRATCH/get-stdout.pem"
cmp -s "$SCRATCH/get-stdout.pem" "$SCRATCH/mine.pem"
ok $? "standard output is what submit wrote"
run_ok "ca get REQUEST-ID --out --der" ca get "$ID" --out "$SCRATCH/get.der" --der
cmp -s "$SCRATCH/get.der" "$SCRATCH/mine.der"
ok $? "DER by request ID is the issued certificate"
run_ok "ca get SERIAL --out --pem" ca get "$SERIAL" --out "$SCRATCH/get.pem" --pem
cmp -s "$SCRATCH/get.pem" "$SCRATCH/mine.pem"
ok $? "PEM by serial is what submit wrote"
run_ok "ca get SERIAL in capitals" ca get "$(printf '%s' "$SERIAL" | tr a-f A-F)" --out "$SCRATCH/caps.der" --der
cmp -s "$SCRATCH/caps.der" "$SCRATCH/mine.der"
ok $? "the serial is read case-insensitively"
run_fails 1 "ca get of a failed request" ca get "$BAD_ID"
like "$ERR" "has no certificate: it is failed" "a failed request has no certificate"
run_fails 1 "ca get of an unknown serial" ca get 0123456789abcdef0123456789abcdef
like "$ERR" "no certificate with serial" "an unknown serial is named"

# who may retrieve: the requester, or a certificate manager
run_ok "CLIENT1 enrolls for a Computer certificate" --tsv --as 'CLIENT1$' enroll --template Machine
CID=$(printf '%s' "$OUT" | cut -f1)
run_ok "CLIENT1 retrieves its own" --as 'CLIENT1$' ca get "$CID" --out "$SCRATCH/client1.pem"
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/client1.pem"
ok $? "the retrieved certificate verifies"
run_fails 1 "CLIENT1 cannot retrieve Administrator's" --as 'CLIENT1$' ca get "$ID"
like "$ERR" "Issue and Manage Certificates" "the refusal names the CA permission"
run_ok "an officer retrieves CLIENT1's" ca get "$CID" --out "$SCRATCH/officer.pem"
cmp -s "$SCRATCH/officer.pem" "$SCRATCH/client1.pem"
ok $? "the officer gets the same certificate"

# a parked request that can no longer be issued is denied with the reason
run_ok "a duplicate that needs approval" template duplicate "Web Server" "Approved Web" --compat 2003
run_ok "approval" template set "Approved Web" approval yes
run_ok "enable it" ca enable "Approved Web"
run_ok "submit for approval" --tsv submit --for Administrator --template "Approved Web" "$SCRATCH/good1.csr"
P1=$(printf '%s' "$OUT" | cut -f1)
run_ok "disable the template" ca disable "Approved Web"
run_fails 1 "approve denies it" --tsv ca approve "$P1"
like "$OUT" "^$P1	denied		.*0x80094800" "denied: the template is not issued any more"
run_ok "failed requests" --tsv ca list failed
like "$OUT" "^$P1	0x80094800	denied" "it moved to Failed Requests"
run_ok "pending requests" --tsv ca list pending
unlike "$OUT" "^$P1	" "it is no longer pending"
run_ok "enable it again" ca enable "Approved Web"
run_ok "submit another for approval" --tsv submit --for Administrator --template "Approved Web" "$SCRATCH/good2.csr"
P2=$(printf '%s' "$OUT" | cut -f1)
run_ok "the requester loses Enroll" template acl "Approved Web" --deny "Administrator:Enroll"
run_fails 1 "approve denies it" --tsv ca approve "$P2"
like "$OUT" "^$P2	denied		.*0x80094012.*Enroll is denied to Administrator" \
    "denied: the requester lost Enroll, and the reason says so"

# The CA fails to record one request of a batch (here a trigger makes the
# database refuse its certificate): that request alone is lost, named on
# standard error, and the requests before and after it are issued.
for n in x1 boom x2; do
    openssl req -new -newkey rsa:2048 -nodes -keyout "$SCRATCH/$n.key" \
        -subj "/CN=$n.contoso.com" -out "$SCRATCH/$n.csr" 2>/dev/null
done
sqlite3 "$DB" "CREATE TRIGGER boom BEFORE INSERT ON certificate
    WHEN NEW.common_name = 'boom.contoso.com' BEGIN SELECT RAISE(ABORT, 'injected'); END;"
ISSUED_BEFORE=$(sqlite3 "$DB" "SELECT count(*) FROM certificate")
mkdir -p "$SCRATCH/bdir"
run_fails 1 "a batch with a request the CA cannot record exits 1" --tsv submit \
    --for Administrator --template "Web Server" --out-dir "$SCRATCH/bdir" \
    "$SCRATCH/x1.csr" "$SCRATCH/boom.csr" "$SCRATCH/x2.csr"
like "$ERR" "boom\\.csr: .*injected" "the failure names its file and the cause"
is "$(printf '%s\n' "$OUT" | grep -c '	issued	')" "2" "the requests around it are issued"
is "$(sqlite3 "$DB" "SELECT count(*) FROM certificate")" "$((ISSUED_BEFORE + 2))" \
    "both are recorded"
for n in x1 x2; do
    ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/bdir/$n.pem"
    ok $? "$n was written and verifies"
done
is "$(sqlite3 "$DB" "SELECT count(*) FROM request WHERE request_cn = 'boom.contoso.com'")" "0" \
    "nothing of the failed one is left half-recorded"
done_testing
