#!/bin/sh
# End to end, by keys only: the guide's client certificate for Windows
# computers, from a fresh lab. In the Certification Authority, Certificate
# Templates -> Manage; duplicate Workstation Authentication with Windows
# Server 2003 compatibility as ConfigMgr Client Certificate; on its
# Security tab give Domain Computers Read and Autoenroll, keeping Enroll;
# OK; Certificate Templates -> New -> Certificate Template to Issue. In
# Group Policy Management, contoso.com -> "Create a GPO in this domain, and
# Link it here..." -> Autoenroll Certificates -> Edit -> Computer
# Configuration -> Policies -> Windows Settings -> Security Settings ->
# Public Key Policies -> Certificate Services Client - Auto-Enrollment ->
# Properties: Enabled with both boxes; OK. In Active Directory Users and
# Computers, Restart CLIENT1. Then the command line checks that CLIENT1
# holds a certificate from the new template that openssl verifies against
# the lab's root. The same walk runs at 80x24 and at 132x43, each with its
# own goldens.
. "$TESTS_SRCDIR/screen/lib.sh"
TPL="ConfigMgr Client Certificate"
GPO="Autoenroll Certificates"

# ssl_verify CA-FILE CERT-FILE: openssl verify at the lab's time (a day
# after its clock, as tests/cli/lib.sh does), not the machine's.
ssl_verify() {
    openssl verify -attime "$(($(date -u -d "$CERTCON_NOW" +%s) + 86400))" -CAfile "$1" "$2" \
        >/dev/null 2>&1
}

# walk NAME SIZE: the whole procedure on a fresh lab, dumps named NAME-NN.
walk() {
    name=$1
    size=$2
    screen_setup "$name"
    run_keys walk "$size" <<EOF2
# Creating and issuing the template. Step 1: Certification Authority ->
# contoso-CA1-CA -> Certificate Templates -> Manage
<Down><Down><Down><Down><Down><Down><Down><Down>
<Enter>
:dump $T/$name-01-manage.txt
<Enter>
# Steps 2-3: Workstation Authentication -> Duplicate Template -> 2003
Workstation
<Enter>
:dump $T/$name-02-duplicate.txt
<Enter>
:dump $T/$name-03-compat.txt
<Enter>
# Step 4: the name, on the General tab
<C-u>
$TPL
:dump $T/$name-04-general.txt
# Step 5: Security: Domain Computers gets Read and Autoenroll, keeps Enroll
<F8><F8><F8><F8><F8><F8><F8>
Domain C
<Tab><Tab><Tab>
<Down>
<Space>
<Down><Down><Down>
<Space>
:dump $T/$name-05-security.txt
# Step 6: OK
<Enter>
:dump $T/$name-06-saved.txt
# Steps 7-8: Certificate Templates -> New -> Certificate Template to Issue
<Tab>
<Down><Down><Down><Down><Down><Down><Down>
<Enter>
<Down>
<Right>
:dump $T/$name-07-new.txt
<Enter>
ConfigMgr
:dump $T/$name-08-enable.txt
<Enter>
:dump $T/$name-08-enabled.txt
# Autoenrollment by group policy. Steps 1-2: Group Policy Management ->
# contoso.com -> Create a GPO in this domain, and Link it here
Group
<Right><Right>
<Right><Right>
<Right><Right>
<Enter>
:dump $T/$name-10-domain-menu.txt
<Enter>
# Step 3: the name
$GPO
:dump $T/$name-11-new-gpo.txt
<Enter>
:dump $T/$name-11-linked.txt
# Step 4: Linked Group Policy Objects -> the new GPO -> Edit
<Enter>
<Enter>
# Step 5: Computer Configuration -> Policies -> Windows Settings ->
# Security Settings -> Public Key Policies
<Right><Right>
<Right><Right>
<Down>
<Right><Right>
<Right><Right>
:dump $T/$name-12-public-key-policies.txt
# Step 6: Certificate Services Client - Auto-Enrollment -> Properties
<Tab>
<Enter>
<Enter>
# Step 7: Enabled, both boxes, OK
<Space>
<Down>
<Enter>
<Tab>
<Space>
<Tab>
<Space>
:dump $T/$name-13-properties.txt
<Enter>
:dump $T/$name-13-saved.txt
# Step 8: close
<Esc>
# Enrolling. Step 1: restart CLIENT1 (in the Workstations OU)
<Tab>
Active
<Right><Right>
<Right>
<Down><Down><Down><Down><Down><Down>
<Tab>
CLIENT1
<Enter>
:dump $T/$name-20-client-menu.txt
<Enter>
:dump $T/$name-21-restarted.txt
<Enter>
EOF2
    for d in 01-manage 02-duplicate 03-compat 04-general 05-security 06-saved 07-new \
        08-enable 08-enabled 10-domain-menu 11-new-gpo 11-linked 12-public-key-policies \
        13-properties 13-saved 20-client-menu 21-restarted; do
        check_dump "$name-$d"
    done

    # what the database holds, through the command line
    cc --tsv template show "$TPL" >"$T/show.tsv" 2>&1
    check "$size: the template is a version 2 duplicate" grep -q 'schema	2$' "$T/show.tsv"
    cc --tsv template acl "$TPL" >"$T/acl.tsv" 2>&1
    check "$size: Domain Computers may Read, Enroll and Autoenroll" \
        grep -q 'Domain Computers	Read,Enroll,Autoenroll	-' "$T/acl.tsv"
    cc --tsv ca templates >"$T/ca-templates.tsv" 2>&1
    check "$size: the CA issues it" grep -q "$TPL" "$T/ca-templates.tsv"
    cc --tsv gpo show "$GPO" >"$T/gpo.tsv" 2>&1
    check "$size: the GPO is linked to the domain" grep -q '^links	contoso.com$' "$T/gpo.tsv"
    check "$size: its computer autoenrollment is AEPolicy 0x7" \
        grep -q '^computer: AEPolicy	0x7$' "$T/gpo.tsv"
    cc --tsv store list --for CLIENT1 >"$T/store.tsv" 2>&1
    check "$size: CLIENT1 holds a certificate from $TPL" \
        awk -F'\t' -v t="$TPL" '$5 == t { found = 1 } END { exit !found }' "$T/store.tsv"
    cc ca cert --out "$T/ca.pem" >"$T/ca.log" 2>&1
    cc export --for CLIENT1 "$TPL" --pem "$T/client1.pem" >"$T/export.log" 2>&1
    check "$size: openssl verifies it against the lab's root" ssl_verify "$T/ca.pem" "$T/client1.pem"
    openssl x509 -in "$T/client1.pem" -noout -text >"$T/client1.txt" 2>&1
    check "$size: for client authentication" grep -q 'TLS Web Client Authentication' "$T/client1.txt"
    check "$size: named for client1.contoso.com" grep -q 'DNS:client1.contoso.com' "$T/client1.txt"
}

walk gpmc-client 80x24
walk gpmc-client-wide 132x43
screen_done
