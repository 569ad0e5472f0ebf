# Template risk lint on the command line. The deployment guide's own
# templates, made by running every exercise's own commands (read from the
# exercise files, so the test follows the exercises as they are written)
# and confirmed done by `lab check`, lint clean except for the broad Enroll
# their duplicates keep on the guide's one-group templates, which goes once
# the finding's fix is applied. The built-in templates, risky by design in
# AD (Subordinate CA, Enrollment Agent, User's exportable key...), lint
# clean as shipped. Risky combinations made through the command line are
# reported with their ESC id, severity, why and fix, a broad group nested
# in another included; exit 1 from warning up; --tsv rows; bad input.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
EXDIR="${TESTS_SRCDIR:-$(dirname "$0")/..}/../data/labs/contoso/exercises"
printf 'Contoso-Lab-1\n' >"$SCRATCH/pw"

# --- the built-ins as shipped ------------------------------------------------
run_ok "a fresh lab lints clean" template lint
like "$OUT" "^No risky settings found in [0-9]+ templates\.$" "and says so"
for t in "Subordinate Certification Authority" "Cross Certification Authority" \
    "Enrollment Agent" "Enrollment Agent (Computer)" "User" "Exchange User" \
    "Root Certification Authority"; do
    run_ok "$t as shipped: no finding" template lint "$t"
done
run_ok "--tsv on a clean lab prints no rows" --tsv template lint
is "$OUT" "" "no rows"

# --- the guide's templates, by the exercises' own commands ---------------------
# exercise_commands ID: the certcon commands of the exercise's steps, one a line.
exercise_commands() {
    sed -n 's/^ *do = "\(.*\)";$/\1/p' "$EXDIR/$1.conf" | sed 's/\\n/\n/g; s/\\"/"/g' |
        sed -n 's/^ *certcon //p'
}
(cd "$SCRATCH" && for ex in web-server cloud-dp client distribution-point mobile-device amt \
    mac-client; do
    exercise_commands "$ex" | while IFS= read -r line; do
        # a group two exercises share is made by the first; the second's add fails harmlessly
        eval "cc $line" </dev/null >/dev/null 2>&1
    done
done)
for ex in web-server cloud-dp client distribution-point mobile-device amt mac-client; do
    run --tsv lab check "$ex"
    is "$(printf '%s\n' "$OUT" | awk -F'\t' '$3 != "ok"' | wc -l | tr -d ' ')" 0 \
        "$ex: every step of the exercise is done"
done

# The guide gives Enroll on these to one group, but the duplicates keep
# the source's broad Enroll (Domain Users on Authenticated Session, Domain
# Computers on Workstation Authentication): exactly those are reported, and
# on the distribution point template, whose key the guide makes exportable,
# the exportable authentication key every domain computer may then enroll for.
run_fails 1 "the guide's templates: lint exits 1" --tsv template lint
is "$(printf '%s\n' "$OUT" | cut -f1-3 | sort)" \
"ConfigMgr Client Distribution Point Certificate	exportable-auth-key	warning
ConfigMgr Client Distribution Point Certificate	one-group-enroll	warning
ConfigMgr Mac Client Certificate	one-group-enroll	warning
ConfigMgr Mobile Device Enrollment Certificate	one-group-enroll	warning" \
    "only the broad Enroll kept on the three one-group templates"
like "$(printf '%s\n' "$OUT" | grep '^ConfigMgr Mac')" \
    "	The deployment guide gives Enroll on this template to ConfigMgr Mac Client Users only, but Domain Users still holds it, so every member can enroll\.	Remove Enroll from Domain Users and Domain Computers" \
    "why names the guide's group and the broad one; fix says what to do"
like "$(printf '%s\n' "$OUT" | grep '^ConfigMgr Client Distribution')" "Domain Computers still holds it" \
    "the distribution point template names Domain Computers"
cc template acl "ConfigMgr Mac Client Certificate" --remove "Domain Users:Enroll" >/dev/null
cc template acl "ConfigMgr Mobile Device Enrollment Certificate" --remove "Domain Users:Enroll" >/dev/null
cc template acl "ConfigMgr Client Distribution Point Certificate" --remove "Domain Computers:Enroll" >/dev/null
run_ok "with the fix applied, the guide's templates lint clean" template lint
like "$OUT" "^No risky settings found" "no finding at all"
for ex in mobile-device mac-client distribution-point; do
    run --tsv lab check "$ex"
    is "$RC" 0 "$ex: still done after the fix"
done

# --- risky combinations through the command line --------------------------------
E="Open Sesame"
cc template duplicate "Web Server" "$E" >/dev/null
cc template set "$E" app-policies "Client Authentication" >/dev/null
cc dir add-group "Helpdesk Requesters" >/dev/null
cc template acl "$E" --allow "Helpdesk Requesters:Read,Enroll" >/dev/null
run_ok "subject supplied + client auth for a small group: nothing high" template lint "$E"
cc dir add-member "Helpdesk Requesters" "Domain Users" >/dev/null
run_fails 1 "once the group contains Domain Users: ESC1" template lint "$E"
like "$OUT" "^Open Sesame: ESC1 \\(high\\)$" "ESC1, high"
like "$OUT" "Why: .*Domain Users \\(through Helpdesk Requesters\\) may enroll without approval" \
    "why names the nested path"
like "$OUT" "Fix: Build the subject from Active Directory" "and how to fix it"
run_fails 1 "--tsv" --tsv template lint "$E"
like "$OUT" "^Open Sesame	ESC1	high	The subject is supplied[^	]*	Build the subject[^	]*$" \
    "one row: template, id, severity, why, fix"
cc template set "$E" approval yes >/dev/null
run_ok "approval defuses it" template lint "$E"

cc template acl "Subordinate Certification Authority" --allow "Domain Users:Enroll" >/dev/null
run_fails 1 "SubCA with Enroll for Domain Users" --tsv template lint "Subordinate Certification Authority"
like "$OUT" "	ESC2	high	" "ESC2"
cc template acl "Subordinate Certification Authority" --remove "Domain Users:Enroll" >/dev/null
cc template acl "Enrollment Agent" --allow "Authenticated Users:Enroll" >/dev/null
run_fails 1 "Enrollment Agent for Authenticated Users" --tsv template lint "Enrollment Agent"
like "$OUT" "	ESC3	high	Authenticated Users may obtain an enrollment agent" "ESC3"
cc template acl "Enrollment Agent" --remove "Authenticated Users:Enroll" >/dev/null
cc template acl "User" --allow "Domain Users:Write" >/dev/null
run_fails 1 "Write on User for Domain Users" --tsv template lint User
like "$OUT" "	ESC4	high	Domain Users may change this template" "ESC4"
cc template acl "User" --remove "Domain Users:Write" >/dev/null
A="Anything Goes"
cc template duplicate "Workstation Authentication" "$A" >/dev/null
cc template acl "$A" --remove "Domain Computers:Enroll" >/dev/null
cc template set "$A" app-policies none >/dev/null
run_ok "no application policy, admins only: a note, exit 0" --tsv template lint "$A"
like "$OUT" "	any-purpose-eku	note	" "the note"
cc template acl "$A" --allow "Domain Computers:Enroll" >/dev/null
run_fails 1 "and for Domain Computers: ESC2" --tsv template lint "$A"
like "$OUT" "	ESC2	high	" "ESC2"
cc template set "$A" app-policies "Client Authentication" >/dev/null
cc template set "$A" exportable yes >/dev/null
run_fails 1 "an exportable authentication key for Domain Computers" --tsv template lint "$A"
like "$OUT" "	exportable-auth-key	warning	" "exportable-auth-key"

# --- bad input ---------------------------------------------------------------
unchanged_after "an unknown template" template lint "No Such Template"
is "$RC" 1 "exit 1"
like "$ERR" "No Such Template" "the message names it"
unchanged_after "two templates" template lint User "Web Server"
is "$RC" 2 "usage: exit 2"
done_testing
