#!/bin/sh
# Screen tests of Certificates (Local Computer): the local computer's
# logical stores (Trusted Root lists the enterprise CA certificate),
# "Connect to another computer..." through the picker, and the deployment
# guide's AMT provisioning install by keys only: Personal -> All Tasks ->
# Request New Certificate -> ConfigMgr AMT Provisioning (and Web Server,
# whose subject comes from the request, through "More information is
# required...") -> Enroll -> Certificate Installation Results. The command
# line checks that SERVER1's Personal store holds both certificates.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup certs

# the guide's template and group, as tests/cli/ca_amt.sh builds them
P="ConfigMgr AMT Provisioning"
{
    cc dir add-group "ConfigMgr OOB Servers"
    cc dir add-member "ConfigMgr OOB Servers" SERVER1
    cc oid add "AMT Provisioning" 2.16.840.1.113741.1.2.3
    cc template duplicate "Web Server" "$P" --compat 2003
    cc template set "$P" subject build
    cc template set "$P" subject-format cn
    cc template set "$P" app-policies "Server Authentication,AMT Provisioning"
    cc template acl "$P" --remove "Domain Admins:Enroll" --remove "Enterprise Admins:Enroll" \
        --allow "ConfigMgr OOB Servers:Read,Enroll"
    cc ca enable "$P"
    cc template acl "Web Server" --allow "ConfigMgr OOB Servers:Read,Enroll"
    cc dir restart SERVER1
} >"$T/data.log" 2>&1

run_keys guide 132x30 <<EOF2
<Down><Down><Down><Down><Down><Down><Down><Down><Down><Down>
<Right>
<Down><Down>
:dump $T/certs-root.txt
<Up><Up>
<Enter>
:dump $T/certs-node-menu.txt
<Enter>
SERVER1
:dump $T/certs-picker.txt
<Enter>
:dump $T/certs-server1.txt
<Down>
<Enter>
<Right>
:dump $T/certs-personal-tasks.txt
<Enter>
:dump $T/certs-begin.txt
<Enter>
:dump $T/certs-request.txt
<Down>
<Space>
<Down><Down>
<Enter>
:dump $T/certs-more.txt
<Tab>
www.contoso.com
<Tab>
<Enter>
<Tab><Tab>
www.contoso.com
<Tab>
<Enter>
web.contoso.com
<Tab>
<Enter>
<Enter>
:dump $T/certs-request-ready.txt
<Tab><Tab><Tab>
<Enter>
:dump $T/certs-results.txt
<Down>
<Enter>
:dump $T/certs-personal.txt
EOF2
for d in root node-menu picker server1 personal-tasks begin request more request-ready results \
    personal; do
    check_dump certs-$d
done
cc --tsv store list --for SERVER1 >"$T/store.tsv" 2>&1
check "SERVER1 holds the AMT provisioning certificate" \
    grep -q '^CN=server1.internal.contoso.com	.*	Server Authentication, AMT Provisioning	ConfigMgr AMT Provisioning	yes' \
    "$T/store.tsv"
check "SERVER1 holds the Web Server certificate for the name typed" \
    grep -q '^CN=www.contoso.com	.*	Web Server	' "$T/store.tsv"
cc --tsv store list --for CA1 >"$T/ca1.tsv" 2>&1
check "the local computer's Personal store stays empty" sh -c "[ \$(wc -l <'$T/ca1.tsv') -le 1 ]"
screen_done
