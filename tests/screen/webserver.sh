#!/bin/sh
# End to end, by keys only: the deployment guide's steps 1-10 for the web
# server certificate template. Create the security group ConfigMgr IIS
# Servers with SERVER1 in it; duplicate Web Server with Windows Server 2003
# compatibility; name it ConfigMgr Web Server Certificate; keep Supply in
# the request; remove Enroll from Domain Admins and Enterprise Admins; add
# ConfigMgr IIS Servers with Read and Enroll; OK; then the rest of the
# procedure: the CA issues the template, SERVER1 restarts, and SERVER1's
# Personal store requests the certificate with no subject and two DNS
# names. The command line then checks what the database holds and openssl
# the certificate: it verifies against the lab's root, with the names and
# the purpose the guide asks for. The walk runs at 80x24 and again, on a
# fresh lab, at 132x43.
. "$TESTS_SRCDIR/screen/lib.sh"

# walk PREFIX: the key script, dumping screens as PREFIX-NN-....txt
walk() {
    cat <<EOF2
# Step 1: Active Directory Users and Computers -> contoso.com -> Groups -> New -> Group
<Right>
<Down>
<Right>
<Down><Down><Down>
<Enter>
<Enter>
<Enter>
:dump $T/$1-01-new-group.txt
ConfigMgr IIS Servers
<Enter>
# its Properties -> Members -> Add... SERVER1
<Enter>
<Enter>
<Right>
<Tab><Tab>
<Enter>
SERVER1
:dump $T/$1-01-picker.txt
<Enter>
:dump $T/$1-01-members.txt
<Up>
<Enter>
# Steps 2-3: Certificate Templates, Web Server, Duplicate Template
<Tab>
C
<Tab>
Web
<Enter>
:dump $T/$1-03-menu.txt
<Enter>
# Step 4: Windows Server 2003 (not 2008)
:dump $T/$1-04-compat.txt
<Enter>
# Step 5: the name, on the General tab
<C-u>
ConfigMgr Web Server Certificate
:dump $T/$1-05-general.txt
# Step 6: Subject Name: Supply in the request stays selected
<F8><F8><F8>
:dump $T/$1-06-subject.txt
# Step 7: Security: remove Enroll from Domain Admins and Enterprise Admins
<F8><F8><F8><F8>
D
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
<S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab>
E
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
:dump $T/$1-07-security.txt
# Step 8: Add... ConfigMgr IIS Servers
<S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab>
<Enter>
ConfigMgr IIS Servers
<Enter>
# Step 9: Enroll for it, Read stays
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
:dump $T/$1-09-enroll.txt
# Step 10: OK
<Enter>
:dump $T/$1-10-done.txt
# Step 11: the CA issues it: Certification Authority -> the CA ->
# Certificate Templates -> New -> Certificate Template to Issue
<Tab>
<Home>
Certification
<Right>
<Right>
<Down><Down><Down><Down>
<Enter>
<Down>
<Right>
<Enter>
ConfigMgr
<Down><Up>
:dump $T/$1-11-enable.txt
<Enter>
# SERVER1 restarts, so that its new group counts
<Home>
Servers
<Tab>
SERVER1
<Enter>
Restart
<Enter>
:dump $T/$1-12-restart.txt
<Enter>
# Requesting: Certificates -> Connect to another computer... SERVER1 ->
# Personal -> All Tasks -> Request New Certificate
<Tab>
<Home>
Certificates (
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
:dump $T/$1-13-offers.txt
# "Click here to configure settings": no subject, two DNS names
<Down><Down>
<Enter>
<Tab><Tab><Tab>
<Tab>
server1.internal.contoso.com
<Tab>
<Enter>
server.contoso.com
<Tab>
<Enter>
:dump $T/$1-13-names.txt
<Enter>
<Tab><Tab><Tab>
<Enter>
:dump $T/$1-14-results.txt
<Enter>
:dump $T/$1-14-personal.txt
EOF2
}

# checks SIZE: what the walk left, through the command line and openssl
checks() {
    T1="ConfigMgr Web Server Certificate"
    cc --tsv template show "$T1" >"$T/show.tsv" 2>&1
    cc --tsv template acl "$T1" >"$T/acl.tsv" 2>&1
    cc --tsv dir show "ConfigMgr IIS Servers" >"$T/group.tsv" 2>&1
    check "$1: the template exists" grep -q "display-name	$T1" "$T/show.tsv"
    check "$1: template name derived from the display name" \
        grep -q 'template-name	ConfigMgrWebServerCertificate' "$T/show.tsv"
    check "$1: schema version 2 (Windows Server 2003 compatibility)" grep -q 'schema	2$' "$T/show.tsv"
    check "$1: compatibility 2003" grep -q 'compat	2003$' "$T/show.tsv"
    check "$1: subject supplied in the request" grep -q 'subject	supply$' "$T/show.tsv"
    check "$1: server authentication" grep -q 'app-policies	Server Authentication' "$T/show.tsv"
    check "$1: Domain Admins: Read, Write, no Enroll" grep -q 'Domain Admins	Read,Write	-' "$T/acl.tsv"
    check "$1: Enterprise Admins: Read, Write, no Enroll" \
        grep -q 'Enterprise Admins	Read,Write	-' "$T/acl.tsv"
    check "$1: ConfigMgr IIS Servers: Read and Enroll" \
        grep -q 'ConfigMgr IIS Servers	Read,Enroll	-' "$T/acl.tsv"
    check "$1: Authenticated Users keep Read" grep -q 'Authenticated Users	Read	-' "$T/acl.tsv"
    check "$1: SERVER1 is a member of the group" grep -q 'members	SERVER1' "$T/group.tsv"
    cc --tsv ca templates >"$T/issue.tsv" 2>&1
    check "$1: the CA issues the template" grep -q "^$T1	" "$T/issue.tsv"
    cc export --for SERVER1 "$T1" --pem "$T/server1.pem" >"$T/export.log" 2>&1
    cc ca cert --out "$T/ca.pem" >>"$T/export.log" 2>&1
    check "$1: the certificate verifies against the lab's root" \
        sh -c "openssl verify -attime $(($(date -u -d "$CERTCON_NOW" +%s) + 86400)) -CAfile '$T/ca.pem' '$T/server1.pem' >/dev/null 2>&1"
    openssl x509 -in "$T/server1.pem" -noout -subject -ext subjectAltName,extendedKeyUsage \
        >"$T/x509.txt" 2>&1
    check "$1: the subject is empty" grep -qx 'subject=' "$T/x509.txt"
    check "$1: both DNS names" \
        grep -q 'DNS:server1.internal.contoso.com, DNS:server.contoso.com$' "$T/x509.txt"
    check "$1: for server authentication" grep -qx ' *TLS Web Server Authentication' "$T/x509.txt"
}

screen_setup webserver
walk web | run_keys guide
for d in 01-new-group 01-picker 01-members 03-menu 04-compat 05-general 06-subject \
    07-security 09-enroll 10-done 11-enable 12-restart 13-offers 13-names 14-results \
    14-personal; do
    check_dump web-$d
done
checks 80x24

# the same keys in a larger terminal
screen_setup webserver-132
walk web132 | run_keys guide 132x43
for d in 01-new-group 03-menu 06-subject 07-security 10-done 11-enable 12-restart 13-offers \
    13-names 14-results 14-personal; do
    check_dump web132-$d
done
checks 132x43
screen_done
