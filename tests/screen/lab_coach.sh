#!/bin/sh
# Screen tests of coaching in the console: a change made in the console
# that leaves the lab as the guide warns against (here: issuing the web
# server copy while the administrators' groups still hold Enroll) puts the
# new note on the status line at that moment, once; the next key brings
# the key hints back, and a later change does not repeat a note already
# shown. Lab -> Coaching lists the notes that apply, with the guide's
# reason one key away.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup lab-coach

cc dir add-group "ConfigMgr IIS Servers" >"$T/data.log" 2>&1
cc template duplicate "Web Server" "ConfigMgr Web Server Certificate" --compat 2003 >>"$T/data.log" 2>&1

# CA -> Certificate Templates -> New -> Certificate Template to Issue; then a second one
run_keys coach <<EOF2
<Down><Down><Down><Down><Down><Down><Down><Down>
<Enter>
<Down>
<Right>
<Enter>
ConfigMgr
<Enter>
:dump $T/lab-coach-status.txt
<Tab>
:dump $T/lab-coach-next.txt
<Tab>
<Enter>
<Down>
<Right>
<Enter>
Authenticated
<Enter>
:dump $T/lab-coach-again.txt
<End>
<Right>
<Down>
<Down>
:dump $T/lab-coach-list.txt
<Tab>
<Enter>
:dump $T/lab-coach-menu.txt
<Enter>
:dump $T/lab-coach-details.txt
EOF2
for d in status next again list menu details; do
    check_dump lab-coach-$d
done
check "the status line named the new note" \
    grep -q "Coach, 2 new (Lab > Coaching): Domain Admins still has Enroll on ConfigMgr" \
    "$T/lab-coach-status.txt"
cc --tsv ca templates >"$T/issued.tsv" 2>&1
check "the second change was made" grep -q '^Authenticated Session' "$T/issued.tsv"
check "a later change does not repeat it" sh -c "! grep -q 'Coach:' '$T/lab-coach-again.txt'"
check "the details give the guide's reason" \
    grep -q "The guide takes Enroll away from Domain Admins" "$T/lab-coach-details.txt"
screen_done
