#!/bin/bash
# `certcon ops`: the operations table as an administrator reads it. Each
# operation is listed once with the right it needs; the right the table
# names is the one a refusal names when a plain user tries the verb; one
# operation's details; an unknown name and bad usage refused.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab

run_ok "ops lists the table" --tsv ops
TABLE=$OUT
like "$TABLE" $'^request\\.issue\tIssue and Manage Certificates\t' "request.issue needs Issue and Manage Certificates"
like "$TABLE" $'\ncertificate\\.revoke\tIssue and Manage Certificates\trevoke a certificate' \
    "certificate.revoke, with its right and what it does"
is "$(printf '%s\n' "$TABLE" | cut -f1 | sort | uniq -d)" "" "no operation is listed twice"
is "$(printf '%s\n' "$TABLE" | awk -F'\t' 'NF != 3' | wc -l)" "0" "every row has a name, a right and a purpose"

# the right the table names is the right a refusal names
cc dir add-user jane >/dev/null
cc template duplicate "Web Server" "Ops Web" --compat 2003 >/dev/null
cc ca enable "Ops Web" >/dev/null
run_ok "Administrator enrolls" --tsv enroll --for Administrator --template "Ops Web" \
    --cn ops.contoso.com
SERIAL=$(printf '%s\n' "$OUT" | cut -f3)
like "$SERIAL" '^[0-9a-f]{32}$' "issued, with a serial"
RIGHT=$(printf '%s\n' "$TABLE" | awk -F'\t' '$1 == "certificate.revoke" { print $2 }')
run_fails 1 "jane may not revoke" --as jane ca revoke "$SERIAL"
like "$ERR" "$RIGHT" "the refusal names the right the table gives"

run_ok "one operation in detail" ops certificate.revoke
like "$OUT" "Operation: +certificate\\.revoke" "its name"
like "$OUT" "Arguments: +serial:text reason:crl-reason effective:time" "its arguments"
like "$OUT" "Right: +Issue and Manage Certificates" "its right"
run_ok "a reading or signing operation" ops request.issue
like "$OUT" "Changes: +reads, or commits its own steps around signing" \
    "issuing keeps the signature outside a transaction"
run_ok "a changing operation" ops request.deny
like "$OUT" "Changes: +yes, in one transaction" "denying is one transaction"

run_fails 1 "an unknown operation" ops certificate.delete
like "$ERR" "no operation is called 'certificate.delete'" "the message names it"
run_fails 2 "two names" ops request.issue request.deny
run_fails 2 "an unknown option" ops --all

done_testing
