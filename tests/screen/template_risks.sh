#!/bin/sh
# Screen test of the template property sheet's live risk line: a duplicate
# whose subject comes from the request, with Client Authentication and
# Enroll for a group that contains Domain Users, opens with the ESC1 line
# and the Risks... button; choosing Build from this Active Directory
# information clears both at once, before any save; going back to Supply
# in the request brings them back, and Risks... shows each finding's why
# and fix. Nothing is saved (Cancel), which the command line confirms.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup template-risks

R="Risky Web"
cc template duplicate "Web Server" "$R" --compat 2003 >"$T/setup.log" 2>&1
cc template set "$R" app-policies "Client Authentication" >>"$T/setup.log" 2>&1
cc dir add-group "Web Requesters" >>"$T/setup.log" 2>&1
cc dir add-member "Web Requesters" "Domain Users" >>"$T/setup.log" 2>&1
cc template acl "$R" --allow "Web Requesters:Read,Enroll" >>"$T/setup.log" 2>&1

run_keys risks <<EOF2
<Down>
<Tab>
Risky
<F4>
:dump $T/risks-open.txt
<F8><F8><F8>
<Down>
:dump $T/risks-build.txt
<Up>
:dump $T/risks-supply.txt
<Tab><Tab>
<Enter>
:dump $T/risks-details.txt
<Enter>
<Esc>
EOF2
for d in open build supply details; do
    check_dump risks-$d
done
cc --tsv template show "$R" >"$T/show.tsv" 2>&1
check "Cancel saved nothing: the subject is still supplied" grep -q '	subject	supply' "$T/show.tsv"
screen_done
