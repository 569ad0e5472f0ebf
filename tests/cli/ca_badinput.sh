# Bad input at the CA: malformed, truncated and mis-signed requests, SHA-1
# signatures, short keys, unknown or unpublished templates, requesters
# without rights, unwritable output paths. Each gets a clear message and the
# AD CS code; requests the CA received are recorded as failed, and nothing
# else changes.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
W="Web Server"
openssl req -new -newkey rsa:2048 -nodes -keyout "$SCRATCH/k.pem" -subj "/CN=ok.contoso.com" \
    -outform DER -out "$SCRATCH/good.der" 2>/dev/null
head -c 200 "$SCRATCH/good.der" >"$SCRATCH/truncated.der"
printf 'this is not a request\n' >"$SCRATCH/garbage.csr"
: >"$SCRATCH/empty.csr"
# flip one byte of the signature (the last byte of the DER)
SIZE=$(stat -c %s "$SCRATCH/good.der")
head -c $((SIZE - 1)) "$SCRATCH/good.der" >"$SCRATCH/missigned.der"
printf '\001' >>"$SCRATCH/missigned.der"
cmp -s "$SCRATCH/good.der" "$SCRATCH/missigned.der" && printf '\002' | dd of="$SCRATCH/missigned.der" \
    bs=1 seek=$((SIZE - 1)) conv=notrunc 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -sha1 -keyout "$SCRATCH/k1.pem" -subj "/CN=sha1.contoso.com" \
    -out "$SCRATCH/sha1.csr" 2>/dev/null
openssl req -new -newkey rsa:1024 -nodes -keyout "$SCRATCH/k2.pem" -subj "/CN=short.contoso.com" \
    -out "$SCRATCH/short.csr" 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout "$SCRATCH/k3.pem" -subj "/" \
    -out "$SCRATCH/nosubject.csr" 2>/dev/null

check_refused() { # description file code
    run_fails 1 "$1" --tsv submit --for Administrator --template "$W" "$2" --out "$SCRATCH/x.pem"
    like "$OUT" "^[0-9]+	(failed|denied)		.*$3" "$1: $3 recorded"
    test ! -e "$SCRATCH/x.pem"
    ok $? "$1: no certificate written"
}
check_refused "garbage" "$SCRATCH/garbage.csr" 0x80090005
check_refused "empty file" "$SCRATCH/empty.csr" 0x80090005
check_refused "truncated request" "$SCRATCH/truncated.der" 0x80090005
check_refused "mis-signed request" "$SCRATCH/missigned.der" 0x80090006
check_refused "SHA-1 signature" "$SCRATCH/sha1.csr" 0x80096004
check_refused "1024-bit key" "$SCRATCH/short.csr" 0x80094811
check_refused "no subject and no alternative name" "$SCRATCH/nosubject.csr" 0x80094001
run_ok "all of them are failed requests" --tsv ca list failed
is "$(printf '%s\n' "$OUT" | wc -l)" "7" "seven failed rows"
run_ok "nothing was issued" --tsv ca list issued
is "$OUT" "" "Issued Certificates is empty"

run_fails 1 "unknown template" --tsv submit --for Administrator --template "No Such Template" \
    "$SCRATCH/good.der"
like "$OUT" "0x80094800" "CERTSRV_E_UNSUPPORTED_CERT_TYPE"
run_fails 1 "template not issued by the CA" --tsv submit --for Administrator \
    --template "Workstation Authentication" "$SCRATCH/good.der"
like "$OUT" "0x80094800.*not in the Certificate Templates to Issue" "not published"
run_fails 1 "no template at all" --tsv submit --for Administrator "$SCRATCH/good.der"
like "$OUT" "0x80094801" "CERTSRV_E_NO_CERT_TYPE"
run_fails 1 "the requester lacks Enroll" --tsv submit --for CLIENT1 --template "$W" "$SCRATCH/good.der"
like "$OUT" "0x80094012" "CERTSRV_E_TEMPLATE_DENIED"
run_ok "User template" ca templates
run_ok "a user without e-mail" dir add-user jdoe
run_fails 1 "User template needs the e-mail address" --tsv enroll --for jdoe --template User
like "$OUT" "0x80094812" "CERTSRV_E_SUBJECT_EMAIL_REQUIRED"

unchanged_after "unwritable --out is refused before anything is recorded" submit \
    --for Administrator --template "$W" "$SCRATCH/good.der" --out /nonexistent/dir/x.pem
like "$ERR" "/nonexistent/dir" "names the path"
unchanged_after "a missing request file" submit --for Administrator --template "$W" \
    "$SCRATCH/missing.csr"
unchanged_after "unknown principal" submit --for NOBODY --template "$W" "$SCRATCH/good.der"
unchanged_after "enable an unknown template" ca enable "No Such Template"
like "$ERR" "0x80094813" "CERTSRV_E_UNKNOWN_CERT_TYPE"
unchanged_after "only CA managers enable templates" --as CLIENT1 ca enable "Workstation Authentication"
unchanged_after "bad key type" enroll --for Administrator --template "$W" --cn a.b --key rsa:1000
unchanged_after "revoke an unknown serial" ca revoke 0123456789abcdef
unchanged_after "revoke a non-hex serial" ca revoke not-a-serial
run_ok "a good request still works" --tsv submit --for Administrator --template "$W" \
    "$SCRATCH/good.der" --out "$SCRATCH/good.pem"
like "$OUT" "	issued	" "issued"
done_testing
