#!/bin/sh
# Screen tests of the Lab node: the exercises with their progress, one
# exercise's steps with a mark (and the reason for each step not done),
# Enter on a step and its Step Details (what to do, why it is not done),
# Take Snapshot writing a snapshot the command line can restore, and
# Restore Snapshot and Reset Lab bringing the lab back after a confirm box.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup lab

# part of the web server exercise, done on the command line
cc dir add-group "ConfigMgr IIS Servers" >"$T/data.log" 2>&1
cc dir add-member "ConfigMgr IIS Servers" SERVER1 >>"$T/data.log" 2>&1
cc template duplicate "Web Server" "ConfigMgr Web Server Certificate" --compat 2003 >>"$T/data.log" 2>&1
cc template acl "ConfigMgr Web Server Certificate" --remove "Enterprise Admins:Enroll" \
    --allow "ConfigMgr IIS Servers:Read,Enroll" >>"$T/data.log" 2>&1

run_keys lab <<EOF2
<End>
<Right>
<Down>
:dump $T/lab-exercises.txt
<Right>
<Down>
:dump $T/lab-steps.txt
<Tab>
<Down><Down><Down>
<Enter>
:dump $T/lab-step-menu.txt
<Enter>
:dump $T/lab-step-details.txt
<Esc>
<Enter>
<Down>
<Enter>
:dump $T/lab-snapshot.txt
<Esc>
EOF2
for d in exercises steps step-menu step-details snapshot; do
    check_dump lab-$d
done
check "the step details name the reason" grep -q "Not done yet: Domain Admins still has Enroll on ConfigMgr Web" "$T/lab-step-details.txt"
snap=$(ls "$DB.snapshots" | grep '^console-20261125-000000.snap$')
check "Take Snapshot wrote a snapshot named by the lab clock" test -n "$snap"
cc template delete "ConfigMgr Web Server Certificate" >>"$T/data.log" 2>&1
# Restore Snapshot from the console: a menu of snapshots, a confirm box, the lab back.
# A lab is restored on its own machine, never through the CA service, which
# would keep the replaced files open: a served run ends the service here.
screen_unserve
run_keys restore <<EOF2
<End>
<Right>
<Down>
<Right>
<Down>
<Tab>
<Enter>
<Down><Down>
<Enter>
:dump $T/lab-restore-menu.txt
<Enter>
:dump $T/lab-restore-confirm.txt
<S-Tab>
<Enter>
:dump $T/lab-restored.txt
<Esc>
EOF2
for d in restore-menu restore-confirm restored; do
    check_dump lab-$d
done
cc template show "ConfigMgr Web Server Certificate" >"$T/show.log" 2>&1
check "the console's restore brought the template back" test $? -eq 0

# Reset Lab: the lab as init made it
run_keys reset <<EOF2
<End>
<Right>
<Down>
<Right>
<Down>
<Tab>
<Enter>
<Down><Down><Down>
<Enter>
:dump $T/lab-reset-confirm.txt
<S-Tab>
<Enter>
:dump $T/lab-reset.txt
<Esc>
EOF2
for d in reset-confirm reset; do
    check_dump lab-$d
done
cc template show "ConfigMgr Web Server Certificate" >"$T/show.log" 2>&1
check "after Reset Lab the template is gone" test $? -eq 1
cc lab restore console-20261125-000000 >"$T/restore.log" 2>&1
check "the snapshots outlive a reset" test $? -eq 0
screen_done
