# Coaching in `lab check`: after the steps, a note for each thing the
# deployment guide warns against that the lab now shows, with the guide's
# reason; none once the trainee does as the guide does. Notes are advice:
# they do not change the exit status. Each rule's fires/quiet cases are in
# tests/unit/test_coach.c; this checks what a trainee reads.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
T="ConfigMgr Web Server Certificate"

run_fails 1 "a fresh lab: steps undone" lab check web-server
unlike "$OUT" "Coaching" "a fresh lab draws no coaching"

# 2008 instead of 2003, an exportable key, a server not restarted
cc dir add-group "ConfigMgr IIS Servers" >/dev/null
cc dir add-member "ConfigMgr IIS Servers" SERVER1 >/dev/null
cc template duplicate "Web Server" "$T" --compat 2008 >/dev/null
cc template set "$T" exportable yes >/dev/null
run_fails 1 "lab check with the guide's warnings ignored" lab check web-server
like "$OUT" "Coaching:
  ! $T is made for Windows Server 2008; the guide makes it for Windows Server 2003
      The guide duplicates this template for Windows Server 2003 and warns against 2008" \
    "the 2008 template, with the guide's reason"
like "$OUT" "  ! $T lets the private key be exported, which the guide's procedure does not need
      The guide lets a private key be exported only where its procedure needs the key" \
    "the exportable key, with the guide's reason"
like "$OUT" "  ! SERVER1 acts without ConfigMgr IIS Servers until it restarts
      A computer takes its group memberships when it starts" \
    "the missing restart, with the guide's reason"
like "$OUT" "✗ 2. Duplicate Web Server as a 2003 template" "the steps come first"
unchanged_after "lab check changes nothing" lab check web-server

run --tsv lab check web-server
is "$(printf '%s\n' "$OUT" | awk -F'\t' '$1 == "coach" { print $2 }' | tr '\n' ' ')" \
    "compat exportable restart " "--tsv: one coach line per note, rule in column 2"

# Enroll left on the administrators' groups once the CA issues the template
cc template delete "$T" >/dev/null
cc template duplicate "Web Server" "$T" --compat 2003 >/dev/null
cc dir restart SERVER1 >/dev/null
run --tsv lab check web-server
is "$(printf '%s\n' "$OUT" | awk -F'\t' '$1 == "coach"' | wc -l | tr -d ' ')" 0 \
    "a 2003 duplicate not issued yet draws no note"
cc ca enable "$T" >/dev/null
run lab check web-server
like "$OUT" "  ! Domain Admins still has Enroll on $T, which the CA issues
      The guide takes Enroll away from Domain Admins and Enterprise Admins" \
    "Enroll left on Domain Admins"
like "$OUT" "  ! Enterprise Admins still has Enroll on $T, which the CA issues" \
    "Enroll left on Enterprise Admins"

# doing as the guide does silences every note; the exit status follows the steps alone
cc template set "$T" subject supply >/dev/null
cc template acl "$T" --remove "Domain Admins:Enroll" --remove "Enterprise Admins:Enroll" \
    --allow "ConfigMgr IIS Servers:Read,Enroll" >/dev/null
cc dir restart SERVER1 >/dev/null
run_fails 1 "steps still undone: exit 1" lab check web-server
unlike "$OUT" "Coaching" "no note once the guide is followed"

# a Standard Edition CA cannot issue the guide's version 2 templates
DB="$SCRATCH/std.db"
"$CERTCON" --db "$DB" init --lab contoso --edition Standard >/dev/null
cc template duplicate "Web Server" "$T" --compat 2003 >/dev/null
run lab check web-server
like "$OUT" "  ! $T is a version 2 template and contoso-CA1-CA is a Standard Edition CA, which cannot issue it
      Only an Enterprise Edition CA issues version 2 and later templates" \
    "a Standard Edition CA, with the guide's reason"
done_testing
