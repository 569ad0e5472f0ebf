# Bad input through the command line: every refused command names what is
# wrong, exits 1 (refused) or 2 (bad usage), and leaves the database exactly
# as it was.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
cc template duplicate "Web Server" "Lab Web" >/dev/null
cc dir add-user bob --mail bob@contoso.com >/dev/null

unchanged_after "unknown template" template set "Web Servr" validity 1y
like "$ERR" "Did you mean: Web Server" "unknown template: nearest name suggested"
unchanged_after "unknown principal in an ACL" template acl "Lab Web" --allow "Domian Admins:Enroll"
like "$ERR" "Did you mean: Domain Admins" "unknown principal: nearest name suggested"
unchanged_after "bad period" template set "Lab Web" validity 2 fortnights
unchanged_after "bad period unit" template set "Lab Web" validity 2q
like "$ERR" "validity: '2q' is not a period" "bad period: the field is named"
unchanged_after "renewal longer than validity" template set "Lab Web" renewal 3y
like "$ERR" "renewal.*must be shorter than the validity" "renewal: says what is allowed"
unchanged_after "key size too small" template set "Lab Web" min-key-size 128
like "$ERR" "min-key-size" "key size: the field is named"
unchanged_after "key size not a number" template set "Lab Web" min-key-size big
unchanged_after "OID with a leading zero" oid add "Bad" 1.3.06.1
like "$ERR" "object identifier" "bad OID: says what an OID is"
unchanged_after "OID with first arc 3" oid add "Bad" 3.1.2
unchanged_after "name of a well-known policy" oid add "Server Authentication" 1.2.3.4
unchanged_after "unknown application policy" template set "Lab Web" app-policies "Server Authentcation"
like "$ERR" "Did you mean: Server Authentication" "unknown policy: nearest name suggested"
unchanged_after "SAN from AD while the subject is supplied" template set "Lab Web" san-dns yes
like "$ERR" "subject build" "flag combination: says how to fix it"
run template set "Lab Web" purpose signature
unchanged_after "key encipherment on a Signature template" template set "Lab Web" key-usage keyEncipherment
run template set "Lab Web" compat 2008
unchanged_after "compatibility 2008 cannot go back to 2003" template set "Lab Web" compat 2003
like "$ERR" "cannot be lowered" "compat: says why"
unchanged_after "schema-1 built-in is read-only" template set "Web Server" validity 1y
like "$ERR" "only its Security can change" "schema 1: says what can change"
unchanged_after "a template name already taken" template duplicate "Web Server" "Lab Web"
like "$ERR" "already exists" "duplicate name: refused"
unchanged_after "a display name that is only blanks" template duplicate "Web Server" "   "
unchanged_after "unknown setting" template set "Lab Web" validty 1y
like "$ERR" "Did you mean: validity" "unknown setting: nearest name suggested"
unchanged_after "unknown right" template acl "Lab Web" --allow "Domain Users:Enrol"
unchanged_after "delete a built-in" template delete "Web Server"
unchanged_after "bob may not create templates" --as bob template duplicate "Web Server" "Bob Web"
like "$ERR" "Domain Admins or Enterprise Admins" "creation: the missing right is named"
unchanged_after "bob may not change a template without Write" --as bob template set "Lab Web" validity 1y
like "$ERR" "does not have Write permission" "change: the missing right is named"
unchanged_after "bob may not add groups" --as bob dir add-group "Bob Group"
like "$ERR" "add a group: access denied: CONTOSO.bob is not a member of Domain Admins" \
    "directory change: the missing membership is named"
unchanged_after "group name with a forbidden character" dir add-group "Bad/Group"
unchanged_after "a group cannot contain itself" dir add-member "Domain Admins" "Domain Admins"
run dir add-group "Outer"
run dir add-group "Inner"
run dir add-member "Outer" "Inner"
unchanged_after "a nested membership loop is refused" dir add-member "Inner" "Outer"
unchanged_after "unknown computer restart" dir restart SERVER9
unchanged_after "a user cannot restart" dir restart bob
unchanged_after "bad DNS name" dir add-computer WEB2 --dns "web2..contoso.com"
unchanged_after "usage error exits 2" template set "Lab Web" validity
is "$RC" 2 "missing argument: exit status 2"
unchanged_after "unknown option exits 2" template list --bogus
is "$RC" 2 "unknown option: exit status 2"

# a template file with a syntax error: file and line
printf 'template:\n{\n  name = "Broken";\n  display_name = "Broken"\n  oid = "1.2.3";\n};\n' >"$SCRATCH/broken.conf"
unchanged_after "import of a malformed file" template import "$SCRATCH/broken.conf"
like "$ERR" "broken.conf:[0-9]+:" "import error names file and line"
# a template file naming an unknown principal
cc template export "Lab Web" | sed -e 's/"LabWeb"/"LabWeb2"/; s/"Lab Web"/"Lab Web 2"/' \
    -e 's/oid = "\([0-9.]*\)"/oid = "\1.9"/' -e 's/CONTOSO\\\\Domain Admins/CONTOSO\\\\Nobody/' >"$SCRATCH/unknown.conf"
unchanged_after "import naming an unknown principal" template import "$SCRATCH/unknown.conf"
like "$ERR" "unknown.conf:[0-9]+:.*Nobody" "unknown principal: file, line and name"
# init never overwrites a database
unchanged_after "init refuses an existing database" init --lab contoso
unchanged_after "init of an unknown lab" --db "$SCRATCH/other.db" init --lab nowhere
ok "$([ ! -e "$SCRATCH/other.db" ]; echo $?)" "a failed init leaves no database behind"
done_testing
