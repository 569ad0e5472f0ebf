# certcon explain: under the CA's checks, what decides the template
# permission check — the groups the principal acts with, the Security
# entries that apply to it and those that do not, and the groups it joined
# but does not act with until it restarts.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
T="ConfigMgr Web Server Certificate"
cc dir add-group "ConfigMgr IIS Servers" >/dev/null
cc dir add-member "ConfigMgr IIS Servers" CLIENT1 >/dev/null
cc template duplicate "Web Server" "$T" --compat 2003 >/dev/null
cc template acl "$T" --remove "Domain Admins:Enroll" --remove "Enterprise Admins:Enroll" \
    --allow "ConfigMgr IIS Servers:Read,Enroll" >/dev/null
cc ca enable "$T" >/dev/null

run_fails 1 "before the restart CLIENT1 cannot enroll" explain --for CLIENT1 --template "$T"
like "$OUT" "FAIL 0x80094012 +Template permission \\(Enroll\\)" "the first failing check, with its code"
like "$OUT" "CLIENT1 acts with: CLIENT1, Authenticated Users, Domain Computers \\(its token at its last restart\\)" \
    "the groups it acts with"
like "$OUT" "that apply to it:
    Authenticated Users: allow Read
  Entries that do not" "only Authenticated Users applies"
like "$OUT" "    ConfigMgr IIS Servers: allow Read,Enroll" "the group's entry does not apply yet"
like "$OUT" "Groups it joined but does not act with until it restarts: ConfigMgr IIS Servers" \
    "the missing restart is named"

cc dir restart CLIENT1 >/dev/null
run_ok "after the restart CLIENT1 can enroll" explain --for CLIENT1 --template "$T"
like "$OUT" "acts with: CLIENT1, Authenticated Users, Domain Computers, ConfigMgr IIS Servers|acts with: .*ConfigMgr IIS Servers" \
    "the group is in its token"
like "$OUT" "that apply to it:
    Authenticated Users: allow Read
    ConfigMgr IIS Servers: allow Read,Enroll" "the group's entry applies"
unlike "$OUT" "until it restarts" "no restart is missing"

cc template acl "$T" --deny "Domain Computers:Enroll" >/dev/null
run_fails 1 "a deny entry wins" explain --for CLIENT1 --template "$T"
like "$OUT" "    Domain Computers: deny Enroll" "the deny entry is shown among those that apply"

run_ok "--tsv keeps to the checks" --tsv explain --for Administrator --template "Web Server"
unlike "$OUT" "Behind the template permission check" "no prose in TSV"
done_testing
