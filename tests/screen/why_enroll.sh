#!/bin/sh
# Screen tests of "Why Can't ... Enroll?": on a template (Certificate
# Templates results) the principal picker chooses the computer; on a
# computer (Active Directory Users and Computers) a list of the templates
# the CA issues chooses the template. Either way the dialog shows what
# `certcon explain` shows: the CA's checks in order with the first that
# fails, the entries and groups behind the template permission check, and
# the verdict.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup why-enroll

W="ConfigMgr Web Server Certificate"
cc dir add-group "ConfigMgr IIS Servers" >"$T/data.log" 2>&1
cc dir add-member "ConfigMgr IIS Servers" SERVER1 >>"$T/data.log" 2>&1
cc template duplicate "Web Server" "$W" --compat 2003 >>"$T/data.log" 2>&1
cc template acl "$W" --remove "Domain Admins:Enroll" --remove "Enterprise Admins:Enroll" \
    --allow "ConfigMgr IIS Servers:Read,Enroll" >>"$T/data.log" 2>&1
cc ca enable "$W" >>"$T/data.log" 2>&1
cc explain --for SERVER1 --template "$W" >"$T/explain.txt" 2>&1

# from the template: Certificate Templates -> the template -> Why Can't ... Enroll? -> SERVER1
run_keys template <<EOF2
<Down>
<Tab>
ConfigMgr
<Enter>
<Down><Down><Down><Down><Down>
:dump $T/why-template-menu.txt
<Enter>
SERVER1
:dump $T/why-template-picker.txt
<Enter>
:dump $T/why-template.txt
<End>
:dump $T/why-template-end.txt
<Up><Up>
<Enter>
:dump $T/why-template-line.txt
EOF2
for d in template-menu template-picker template template-end template-line; do
    check_dump why-$d
done
# the dialog and the command say the same
check "the verdict is the command's" \
    grep -qF "$(tail -1 "$T/explain.txt" | cut -c1-50)" "$T/why-template.txt"
check "the first failing check is the command's" \
    grep -q "FAIL 0x80094012 *Template permission (Enroll): No entry" "$T/why-template.txt"
check "the command names the missing restart" \
    grep -q "Groups it joined but does not act with until it restarts: ConfigMgr IIS Servers" "$T/explain.txt"
check "the dialog names it too" \
    grep -q "Groups it joined but does not act with until it restarts:" "$T/why-template-line.txt"

# from the computer: Active Directory Users and Computers -> Servers (the lab's OU) -> SERVER1
run_keys computer <<EOF2
<Right>
<Down>
<Right>
<Down><Down><Down><Down><Down>
<Tab>
SERVER1
<Enter>
<Down><Down><Down><Down><Down>
:dump $T/why-computer-menu.txt
<Enter>
:dump $T/why-computer-templates.txt
ConfigMgr
<Enter>
:dump $T/why-computer.txt
EOF2
for d in computer-menu computer-templates computer; do
    check_dump why-$d
done
cc dir restart SERVER1 >>"$T/data.log" 2>&1
run_keys after-restart <<EOF2
<Down>
<Tab>
ConfigMgr
<Enter>
<Down><Down><Down><Down><Down>
<Enter>
SERVER1
<Enter>
:dump $T/why-can.txt
EOF2
check_dump why-can
check "after the restart SERVER1 can enroll" grep -q "can enroll for ConfigMgr Web Server" "$T/why-can.txt"
screen_done
