#!/bin/sh
# Screen tests of F2 in dialogs: the certcon command for what the dialog
# is about to do, so a class learns the scriptable form too. Enable
# Certificate Templates (the marked templates, or the selected one),
# Duplicate Template, the Certificate Enrollment wizard (with what
# Certificate Properties set) and Why Can't ... Enroll?; and each command
# shown, run on the command line, does what the dialog would have done.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup command-preview

W="ConfigMgr Web Server Certificate"
{
    cc dir add-group "ConfigMgr IIS Servers"
    cc dir add-member "ConfigMgr IIS Servers" SERVER1
    cc template duplicate "Web Server" "$W" --compat 2003
    cc template set "$W" subject supply
    cc template acl "$W" --remove "Domain Admins:Enroll" --remove "Enterprise Admins:Enroll" \
        --allow "ConfigMgr IIS Servers:Read,Enroll"
    cc dir restart SERVER1
} >"$T/data.log" 2>&1

# CA -> Certificate Templates -> New -> Certificate Template to Issue: F2, then mark two, F2
run_keys enable <<EOF2
<Down><Down><Down><Down><Down><Down><Down><Down>
<Enter>
<Down>
<Right>
<Enter>
ConfigMgr
<F2>
:dump $T/cmd-enable-one.txt
<Esc>
<Down>
<Up>
<Space>
<Down>
<Space>
<F2>
:dump $T/cmd-enable-marked.txt
<Esc>
<Esc>
EOF2
check_dump cmd-enable-one
check_dump cmd-enable-marked
check "one selected: one command" \
    grep -q "certcon ca enable 'ConfigMgr Web Server Certificate'" "$T/cmd-enable-one.txt"
check "two marked: two commands" \
    grep -q "certcon ca enable 'Cross Certification Authority'" "$T/cmd-enable-marked.txt"
cc --tsv ca templates >"$T/before.tsv" 2>&1
check "the dialog changed nothing" sh -c "! grep -q '^$W' '$T/before.tsv'"
# the command shown does what OK would do
cc ca enable 'ConfigMgr Web Server Certificate' >>"$T/data.log" 2>&1
cc --tsv ca templates >"$T/after.tsv" 2>&1
check "the command enables the template" grep -q "^$W" "$T/after.tsv"

# Certificate Templates -> Web Server -> Duplicate Template: F2 for each compatibility
run_keys duplicate <<EOF2
<Down>
<Tab>
Web Server
<Enter>
<Enter>
<F2>
:dump $T/cmd-duplicate.txt
<Esc>
<Down>
<F2>
:dump $T/cmd-duplicate-2008.txt
<Esc>
<Esc>
EOF2
check_dump cmd-duplicate
check_dump cmd-duplicate-2008

# Certificates (Local Computer) of SERVER1 -> Request New Certificate: tick, F2
run_keys enroll <<EOF2
<Down><Down><Down><Down><Down><Down><Down><Down><Down><Down>
<Enter>
<Enter>
SERVER1
<Enter>
<Right>
<Down>
<Enter>
<Right>
<Enter>
<Enter>
<F2>
:dump $T/cmd-enroll-none.txt
<Esc>
<Space>
<F2>
:dump $T/cmd-enroll.txt
<Esc>
<Esc>
EOF2
check_dump cmd-enroll-none
check_dump cmd-enroll

# Why Can't ... Enroll?: certcon explain
run_keys why <<EOF2
<Down>
<Tab>
ConfigMgr
<Enter>
<Down><Down><Down><Down><Down>
<Enter>
SERVER1
<Enter>
<F2>
:dump $T/cmd-why.txt
EOF2
check_dump cmd-why
check "explain is the command" \
    grep -q "certcon explain --for 'SERVER1\\$' --template 'ConfigMgr Web" "$T/cmd-why.txt"
screen_done
