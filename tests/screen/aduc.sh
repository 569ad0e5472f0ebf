#!/bin/sh
# Screen tests of Active Directory Users and Computers: the Users,
# Computers and Groups lists, New Group, New User (a wizard of two pages)
# and New Computer, a group's Properties with Members (Add... through the
# principal picker, Remove), a user's Properties, Restart of a computer,
# and organizational units: a node per OU listing its members, New ->
# Organizational Unit, New Computer inside an OU, and Move... of a computer
# to an OU and back to Computers, checked through the command line.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup aduc

run_keys lists <<EOF2
<Right>
<Down>
:dump $T/aduc-domain.txt
<Right>
<Down>
:dump $T/aduc-users.txt
<Down>
:dump $T/aduc-computers.txt
<Down>
:dump $T/aduc-groups.txt
<Enter>
:dump $T/aduc-node-menu.txt
<Right>
:dump $T/aduc-new-menu.txt
EOF2
for d in domain users computers groups node-menu new-menu; do
    check_dump aduc-$d
done

run_keys new <<EOF2
<Right>
<Down>
<Right>
<Down>
<Enter>
<Enter>
<Down>
<Enter>
:dump $T/aduc-new-user-1.txt
Lab Trainee
<Tab>
trainee
:dump $T/aduc-new-user-1-filled.txt
<Enter>
:dump $T/aduc-new-user-2.txt
trainee@contoso.com
<Enter>
:dump $T/aduc-new-user-done.txt
<Tab>
<Down>
<Enter>
<Enter>
<Down><Down>
<Enter>
:dump $T/aduc-new-computer.txt
SERVER2
:dump $T/aduc-new-computer-filled.txt
<Enter>
:dump $T/aduc-new-computer-done.txt
<Enter>
:dump $T/aduc-computer-menu.txt
<Enter>
:dump $T/aduc-restart.txt
<Enter>
EOF2
for d in new-user-1 new-user-1-filled new-user-2 new-user-done new-computer \
    new-computer-filled new-computer-done computer-menu restart; do
    check_dump aduc-$d
done
cc --tsv dir show trainee >"$T/trainee.tsv" 2>&1
check "the wizard created the user" grep -q 'trainee@contoso.com' "$T/trainee.tsv"
check "the user's cn is its full name, as AD's is" grep -q '^name	Lab Trainee$' "$T/trainee.tsv"
check "its logon name is what was typed there" grep -q '^logon name	CONTOSO\\\\trainee$' \
    "$T/trainee.tsv"
cc --tsv dir show SERVER2 >"$T/server2.tsv" 2>&1
check "New Computer created SERVER2 with its DNS name" grep -q 'server2.contoso.com' "$T/server2.tsv"

# New -> Group from the Users container creates the group in Users, as AD
# does: Users lists it, Groups does not.
run_keys group-in-users <<EOF2
<Right>
<Down>
<Right>
<Down>
<Enter>
<Enter>
<Enter>
:dump $T/aduc-users-new-group.txt
Mobile Users
<Enter>
:dump $T/aduc-users-group-created.txt
<Tab>
<Down><Down>
:dump $T/aduc-groups-without-it.txt
EOF2
for d in users-new-group users-group-created groups-without-it; do
    check_dump aduc-$d
done
cc --tsv dir show "Mobile Users" >"$T/mobile-users.tsv" 2>&1
check "the group made from Users lives in Users" grep -q '^container	Users$' "$T/mobile-users.tsv"

run_keys members <<EOF2
<Right>
<Down>
<Right>
<Down><Down><Down>
<Tab>
Domain A
<Enter>
<Enter>
:dump $T/aduc-group-general.txt
<Right>
:dump $T/aduc-group-members.txt
<Tab><Tab>
<Enter>
CLI
:dump $T/aduc-picker.txt
<Enter>
:dump $T/aduc-member-added.txt
<Tab>
<Enter>
:dump $T/aduc-member-removed.txt
<S-Tab>
<Enter>
CLI
<Enter>
<Tab><Tab>
<Enter>
:dump $T/aduc-members-applied.txt
EOF2
for d in group-general group-members picker member-added member-removed members-applied; do
    check_dump aduc-$d
done
cc --tsv dir show "Domain Admins" >"$T/da.tsv" 2>&1
check "CLIENT1 added to Domain Admins" grep -q 'CLIENT1' "$T/da.tsv"

run_keys user-props <<EOF2
<Right>
<Down>
<Right>
<Down>
<Tab>
Adm
<F4>
:dump $T/aduc-user-properties.txt
EOF2
check_dump aduc-user-properties

run_keys ous <<EOF2
<Right>
<Down>
<Right>
# contoso.com -> New -> Organizational Unit
<Enter>
<Right>
<Down><Down><Down>
:dump $T/aduc-new-ou-menu.txt
<Enter>
Web Servers
<Tab>
IIS servers
:dump $T/aduc-new-ou.txt
<Enter>
:dump $T/aduc-new-ou-done.txt
# the Servers OU lists its computers
<Down><Down><Down><Down><Down>
:dump $T/aduc-ou-servers.txt
<Tab>
SERVER1
<Enter>
:dump $T/aduc-ou-menu.txt
<Down><Down>
<Enter>
:dump $T/aduc-move.txt
<Down>
<Enter>
:dump $T/aduc-moved.txt
# Web Servers lists SERVER1; New -> Computer there creates WEB1 in it
<Tab>
<Down>
<Enter>
<Right>
<Down><Down>
<Enter>
WEB1
<Enter>
:dump $T/aduc-ou-new-computer.txt
EOF2
for d in new-ou-menu new-ou new-ou-done ou-servers ou-menu move moved ou-new-computer; do
    check_dump aduc-$d
done
cc --tsv dir list ous >"$T/ous.tsv" 2>&1
check "New Organizational Unit created Web Servers" grep -q '^Web Servers' "$T/ous.tsv"
cc --tsv dir show SERVER1 >"$T/server1-moved.tsv" 2>&1
check "Move... put SERVER1 in Web Servers" grep -q 'ou	Web Servers' "$T/server1-moved.tsv"
cc --tsv dir show WEB1 >"$T/web1.tsv" 2>&1
check "New Computer in an OU creates it there" grep -q 'ou	Web Servers' "$T/web1.tsv"

# ... and Move... back to the default container
run_keys move-back <<EOF2
<Right>
<Down>
<Right>
<Down><Down><Down><Down><Down><Down>
<Tab>
WEB1
<Enter>
<Down><Down>
<Enter>
<Home>
:dump $T/aduc-move-back.txt
<Enter>
EOF2
check_dump aduc-move-back
cc --tsv dir show WEB1 >"$T/web1-back.tsv" 2>&1
check "Move... back to Computers clears the OU" sh -c "! grep -q '^ou' '$T/web1-back.tsv' && grep -q 'WEB1' '$T/web1-back.tsv'"

# Restart runs the computer's autoenrollment pulse, as `dir restart` does:
# with a template Domain Computers may autoenroll and a GPO that enables
# it, Restart in the console enrolls SERVER2.
RT="Restart Workstation"
cc template duplicate "Workstation Authentication" "$RT" --compat 2003 >"$T/rt.log" 2>&1 &&
    cc template acl "$RT" --allow "Domain Computers:Read,Enroll,Autoenroll" >>"$T/rt.log" 2>&1 &&
    cc ca enable "$RT" >>"$T/rt.log" 2>&1 &&
    cc gpo create "Autoenroll Computers" >>"$T/rt.log" 2>&1 &&
    cc gpo link "Autoenroll Computers" contoso.com >>"$T/rt.log" 2>&1 &&
    cc gpo autoenroll "Autoenroll Computers" --enable --renew --update >>"$T/rt.log" 2>&1
check "set up a template and a GPO for autoenrollment" test $? -eq 0
run_keys restart-pulse <<EOF2
<Right>
<Down>
<Right>
<Down><Down>
<Tab>
SERVER2
<Enter>
<Enter>
:dump $T/aduc-restart-pulse.txt
<Enter>
EOF2
check_dump aduc-restart-pulse
cc --tsv store list --for SERVER2 >"$T/server2-store.tsv" 2>&1
check "Restart in the console enrolled SERVER2 from $RT" \
    awk -F'\t' -v t="$RT" '$5 == t { found = 1 } END { exit !found }' "$T/server2-store.tsv"
cc --tsv pulse --for SERVER2 --last >"$T/server2-pulse.tsv" 2>&1
check "the pulse it ran is recorded" grep -q "enrolled" "$T/server2-pulse.tsv"

screen_done
