#!/bin/sh
# Screen tests of the Certification Authority: the Issued, Pending, Failed
# and Revoked views with their columns, sort and "/" filter; Pending ->
# All Tasks -> Issue and Deny; Issued -> All Tasks -> Revoke Certificate
# (Certificate Hold) and Revoked -> Unrevoke; Certificate Templates to
# issue with New -> Certificate Template to Issue and Delete. The end to
# end part enables ConfigMgr Web Server Certificate through the console and
# checks `certcon ca templates`.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup ca

# requests to show: two issued, two pending (the template needs approval)
cc enroll --for Administrator --template "Web Server" --cn www1.contoso.com >"$T/data.log" 2>&1
cc enroll --for Administrator --template "Web Server" --cn www2.contoso.com >>"$T/data.log" 2>&1
cc template duplicate "Web Server" "Pend Test" --compat 2003 >>"$T/data.log" 2>&1
cc template set "Pend Test" approval yes >>"$T/data.log" 2>&1
cc ca enable "Pend Test" >>"$T/data.log" 2>&1
cc enroll --for Administrator --template "Pend Test" --cn pend1.contoso.com >>"$T/data.log" 2>&1
cc enroll --for Administrator --template "Pend Test" --cn pend2.contoso.com >>"$T/data.log" 2>&1
cc template duplicate "Web Server" "ConfigMgr Web Server Certificate" --compat 2003 \
    >>"$T/data.log" 2>&1

# the views; Pending: Issue request 3, Deny request 4
run_keys views <<EOF2
<Down><Down><Down><Down><Down>
:dump $T/ca-issued.txt
<Down>
:dump $T/ca-pending.txt
<Tab>
<Enter>
<Down>
<Right>
:dump $T/ca-pending-tasks.txt
<Enter>
:dump $T/ca-pending-issued.txt
<Enter>
<Down>
<Right>
<Down>
<Enter>
:dump $T/ca-deny-question.txt
# the question opens on Cancel; Left goes to Deny
<Left>
<Enter>
:dump $T/ca-pending-empty.txt
<Tab>
<Down>
:dump $T/ca-failed.txt
# the list cuts the message; Open shows the request whole
<Tab>
<Enter>
:dump $T/ca-failed-menu.txt
<Enter>
:dump $T/ca-failed-open.txt
<Enter>
<Tab>
<Up><Up>
:dump $T/ca-issued-after.txt
<Tab>
<F6>
:dump $T/ca-issued-sorted.txt
/
pend1
<Enter>
:dump $T/ca-issued-filter.txt
EOF2
for d in issued pending pending-tasks pending-issued deny-question pending-empty failed \
    failed-menu failed-open issued-after issued-sorted issued-filter; do
    check_dump ca-$d
done
cc --tsv ca list issued >"$T/issued.tsv" 2>&1
cc --tsv ca list failed >"$T/failed.tsv" 2>&1
check "Issue moved request 3 to Issued Certificates" grep -q '^3	' "$T/issued.tsv"
check "Deny moved request 4 to Failed Requests" grep -q '^4	.*denied' "$T/failed.tsv"

# Issued -> All Tasks (below Open) -> Revoke Certificate (Certificate Hold),
# then Revoked -> Unrevoke
run_keys revoke <<EOF2
<Down><Down><Down><Down><Down>
<Tab>
<Down>
<Enter>
<Down>
<Right>
:dump $T/ca-issued-tasks.txt
<Enter>
:dump $T/ca-revoke.txt
# the dialog opens on Cancel; the reason is two fields back, OK one on
<S-Tab><S-Tab>
<Space>
<End>
<Enter>
:dump $T/ca-revoke-reason.txt
<Tab>
<Enter>
:dump $T/ca-revoked-gone.txt
<Tab>
<Up>
:dump $T/ca-revoked.txt
<Tab>
<Enter>
<Down>
<Right>
:dump $T/ca-revoked-tasks.txt
<Enter>
:dump $T/ca-unrevoked.txt
EOF2
for d in issued-tasks revoke revoke-reason revoked-gone revoked revoked-tasks unrevoked; do
    check_dump ca-$d
done
cc --tsv ca list revoked >"$T/revoked.tsv" 2>&1
check "Unrevoke released the certificate from hold" sh -c "! grep -q '^2	' '$T/revoked.tsv'"
cc --tsv ca list issued >"$T/issued2.tsv" 2>&1
check "the released certificate is issued again" grep -q '^2	' "$T/issued2.tsv"

# End to end: Certificate Templates -> New -> Certificate Template to Issue ->
# ConfigMgr Web Server Certificate -> OK; then Delete Pend Test
run_keys templates <<EOF2
<Down><Down><Down><Down><Down><Down><Down><Down>
:dump $T/ca-templates.txt
<Enter>
<Down>
<Right>
:dump $T/ca-templates-new.txt
<Enter>
:dump $T/ca-enable.txt
ConfigMgr
:dump $T/ca-enable-chosen.txt
<Enter>
:dump $T/ca-enabled.txt
<Tab>
Pend
<Del>
:dump $T/ca-disable-question.txt
<Left>
<Enter>
:dump $T/ca-disabled.txt
EOF2
for d in templates templates-new enable enable-chosen enabled disable-question disabled; do
    check_dump ca-$d
done

# Every template procedure's step 2: right-click Certificate Templates, then
# Manage: the Certificate Templates console opens with its list focused, so
# typing the source template's name and Enter offers Duplicate Template.
run_keys manage <<EOF2
<Down><Down><Down><Down><Down><Down><Down><Down>
<Enter>
:dump $T/ca-templates-menu.txt
<Enter>
:dump $T/ca-manage.txt
Web
<Enter>
:dump $T/ca-manage-duplicate.txt
EOF2
for d in templates-menu manage manage-duplicate; do
    check_dump ca-$d
done

cc --tsv ca templates >"$T/ca-templates.tsv" 2>&1
check "the CA issues ConfigMgr Web Server Certificate" \
    grep -q '^ConfigMgr Web Server Certificate	ConfigMgrWebServerCertificate	Server Authentication' \
    "$T/ca-templates.tsv"
check "Delete stopped issuing Pend Test" sh -c "! grep -q 'PendTest' '$T/ca-templates.tsv'"
cc --tsv template show "Pend Test" >"$T/pend.tsv" 2>&1
check "the deleted entry's template stays" grep -q 'display-name	Pend Test' "$T/pend.tsv"
# Several at once: Space marks a template, Enter enables every marked one
run_keys multi <<EOF2
<Down><Down><Down><Down><Down><Down><Down><Down>
<Enter>
<Down>
<Right>
<Enter>
# a Space right after typing belongs to the typed name ("Code S"); an arrow ends it
Authenticated
<Down><Up>
<Space>
Code
<Down><Up>
<Space>
:dump $T/ca-enable-marked.txt
<Enter>
:dump $T/ca-enabled-multi.txt
EOF2
check_dump ca-enable-marked
check_dump ca-enabled-multi
cc --tsv ca templates >"$T/multi.tsv" 2>&1
check "Enter enabled Authenticated Session" grep -q '^Authenticated Session	' "$T/multi.tsv"
check "and Code Signing with it" grep -q '^Code Signing	' "$T/multi.tsv"
screen_done
