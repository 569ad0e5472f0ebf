#!/bin/bash
# The audit log from the command line: a Domain Users member refused a
# template change and a revocation, each refusal in `audit --refused` with
# the right she lacked while the refused change itself did not land;
# issuance and a private-key export recorded; --by, --since and --object
# filters; `audit verify` passing, then naming the record altered, the one
# after a deleted record, and the first of two swapped, all done with
# sqlite3 behind certcon's back; bad arguments refused with usage.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab

# the fields of the --tsv rows: when who kind object what old new right result
field() { printf '%s\n' "$1" | cut -f"$2"; }
count_rows() { sqlite3 "$DB" "$1"; }

cc dir add-user jane >/dev/null
cc template duplicate "Web Server" "Audit Web" --compat 2003 >/dev/null
cc template set "Audit Web" exportable yes >/dev/null
cc ca enable "Audit Web" >/dev/null
run_ok "Administrator enrolls with an exportable key" --tsv enroll --for Administrator \
    --template "Audit Web" --cn audit.contoso.com --exportable
SERIAL=$(printf '%s\n' "$OUT" | cut -f3)
like "$SERIAL" '^[0-9a-f]{32}$' "issued, with a serial"
VALIDITY=$(setting "Audit Web" validity)

# --- refusals ---
run_fails 1 "jane may not change the template" --as jane template set "Audit Web" validity 5y
like "$ERR" "jane does not have Write permission" "the refusal names the missing right"
is "$(setting "Audit Web" validity)" "$VALIDITY" "the refused change did not land"
run_fails 1 "jane may not revoke" --as jane ca revoke "$SERIAL"
like "$ERR" "Issue and Manage Certificates" "the CA refusal names its permission"

run_ok "audit --refused" --tsv audit --refused
is "$(printf '%s\n' "$OUT" | wc -l)" "2" "two refusals, nothing else"
T=$(printf '%s\n' "$OUT" | sed -n 1p)
is "$(field "$T" 2)" 'CONTOSO\\jane' "who: jane"
is "$(field "$T" 3)/$(field "$T" 4)/$(field "$T" 5)" "template/AuditWeb/change" \
    "what: changing the template"
is "$(field "$T" 8)/$(field "$T" 9)" "Write/refused" "the missing right: Write"
R=$(printf '%s\n' "$OUT" | sed -n 2p)
is "$(field "$R" 5)" "revoke a certificate" "what: revoking"
is "$(field "$R" 8)/$(field "$R" 9)" "Issue and Manage Certificates/refused" \
    "the missing right: Issue and Manage Certificates"
run_ok "audit --refused, aligned" audit --refused
like "$(printf '%s\n' "$OUT" | sed -n 1p)" '^When +Who +Kind +Object +What +Old +New +Right +Result$' \
    "a header for people"
like "$OUT" 'CONTOSO\\jane +template +AuditWeb +change +Write +refused' "the row, aligned"

# --- issuance and key export ---
printf 'audit-pass\n' >"$SCRATCH/pw"
run_ok "export the key as a PFX" export --for Administrator "$SERIAL" --pfx "$SCRATCH/a.pfx" \
    --password-file "$SCRATCH/pw"
openssl pkcs12 -in "$SCRATCH/a.pfx" -passin pass:audit-pass -noout 2>/dev/null
ok $? "openssl opens the PFX"
run_ok "audit --object SERIAL" --tsv audit --object "$SERIAL"
is "$(printf '%s\n' "$OUT" | cut -f3,5 | tr '\t\n' ' ,')" "certificate issue,key export," \
    "the serial's issuance, then its key export"
like "$(printf '%s\n' "$OUT" | sed -n 1p | cut -f7)" '^AuditWeb for CONTOSO\\\\Administrator \(request [0-9]+\)$' \
    "issuance names the template, requester and request"
like "$(printf '%s\n' "$OUT" | sed -n 2p | cut -f7)" 'private key of CONTOSO\\\\Administrator' \
    "the export names whose key it was"
run_ok "a DER export of the certificate alone" export --for Administrator "$SERIAL" \
    --der "$SCRATCH/a.cer"
run_ok "audit --object SERIAL again" --tsv audit --object "$SERIAL"
is "$(printf '%s\n' "$OUT" | wc -l)" "2" "a certificate without its key is no key export"

# --- filters ---
run_ok "audit --by jane" --tsv audit --by jane
is "$(printf '%s\n' "$OUT" | cut -f2 | sort -u)" 'CONTOSO\\jane' "only jane's records"
is "$(printf '%s\n' "$OUT" | wc -l)" "2" "both of them"
run_ok "audit --by CONTOSO\\JANE" --tsv audit --by 'CONTOSO\JANE'
is "$(printf '%s\n' "$OUT" | wc -l)" "2" "the qualified name, any case"
run_ok "audit --by Administrator" --tsv audit --by Administrator --limit 0
is "$(printf '%s\n' "$OUT" | cut -f2 | sort -u)" 'CONTOSO\\Administrator' "no record of jane's"
like "$OUT" "certificate	$SERIAL	issue" "the issuance is Administrator's"
run_ok "a change two days later" --now 2026-11-27T10:00:00Z template set "Audit Web" validity 1y
run_ok "audit --since" --tsv audit --since 2026-11-27
is "$(printf '%s\n' "$OUT" | wc -l)" "1" "one record since then"
is "$(printf '%s\n' "$OUT" | cut -f1,5,7)" "2026-11-27T10:00:00Z	validity	1 year" \
    "it is the later change, stamped with the lab clock"
run_ok "audit --since with a time" --tsv audit --since 2026-11-27T10:00:01Z
is "$OUT" "" "nothing after it"
run_ok "audit --limit 1" --tsv audit --limit 1
is "$(printf '%s\n' "$OUT" | wc -l)" "1" "one record"
is "$(printf '%s\n' "$OUT" | cut -f5)" "validity" "the newest"

# --- bad input ---
unchanged_after "--since needs a time" audit --since yesterday
is "$RC" "2" "usage error"
like "$ERR" "since" "it says which option"
unchanged_after "--limit needs a number" audit --limit x
is "$RC" "2" "usage error"
unchanged_after "verify takes no argument" audit verify now
is "$RC" "2" "usage error"
unchanged_after "--by needs a name" audit --by ""
is "$RC" "2" "usage error"

# --- verify, then tampering ---
N=$(count_rows "SELECT count(*) FROM audit")
run_ok "audit verify passes" audit verify
is "$(printf '%s\n' "$OUT" | sed -n 1p)" "audit log verified: $N records" "every record verified"
HEAD=$(count_rows "SELECT hash FROM audit ORDER BY id DESC LIMIT 1")
is "$(printf '%s\n' "$OUT" | sed -n 2p)" "newest hash: $HEAD" "the newest hash, to keep elsewhere"

cp "$DB" "$SCRATCH/intact.db"
restore() { cp "$SCRATCH/intact.db" "$DB"; rm -f "$DB-wal" "$DB-shm"; }
K=$(count_rows "SELECT id FROM audit WHERE result = 'refused' AND field = 'change'")
sqlite3 "$DB" "UPDATE audit SET right_name = 'Read' WHERE id = $K"
run_fails 1 "a changed refusal breaks verify" audit verify
like "$ERR" "broken at record $K \(2026-11-25T09:00:00Z, CONTOSO\\\\jane: template AuditWeb change, refused\): its contents do not match its hash" \
    "it names that record: id, when, who, what"
like "$ERR" "$((K - 1)) records before it verified" "and how far the log is good"

restore
M=$(count_rows "SELECT id FROM audit WHERE field = 'revoke a certificate'")
sqlite3 "$DB" "DELETE FROM audit WHERE id = $M"
run_fails 1 "a deleted record breaks verify" audit verify
like "$ERR" "broken at record $((M + 1)) .*record $M before it is missing" \
    "the record after the gap names the missing one"

restore
sqlite3 "$DB" "UPDATE audit SET id = -1 WHERE id = $K; UPDATE audit SET id = $K WHERE id = $((K + 1));
    UPDATE audit SET id = $((K + 1)) WHERE id = -1"
run_fails 1 "two swapped records break verify" audit verify
like "$ERR" "broken at record $K .*reordered" "at the first of them"

restore
run_ok "restored, it verifies again" audit verify
done_testing
