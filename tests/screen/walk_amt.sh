#!/bin/sh
# The deployment guide's three AMT procedures, by keys only, from a fresh
# lab, at 80x24 and again at 132x43 (a second set of goldens):
#  - the AMT provisioning certificate: the group of out of band service
#    point servers with SERVER1 in it (SERVER1's Member Of tab, which says
#    the change waits for a restart); Web Server duplicated for Windows
#    Server 2003 as ConfigMgr AMT Provisioning, subject built as a common
#    name, the AMT Provisioning application policy (2.16.840.1.113741.1.2.3)
#    added, Enroll taken from Domain Admins and Enterprise Admins and given
#    to the group; enabled on the CA; then installed: SERVER1 restarts
#    (ADUC's Restart) and its Certificates (Add Certificates Snap-in,
#    Computer account, another computer: the console runs on CA1, the guide
#    on the server) request it;
#  - the AMT web server template: an empty group for the AMT computers,
#    Web Server duplicated as ConfigMgr AMT Web Server Certificate, common
#    name, Read and Enroll for the group, enabled;
#  - the 802.1X client authentication template: Workstation Authentication
#    duplicated, common name, no DNS name, a UPN, the group, enabled.
# Where the guide leaves Windows (Configuration Manager provisions the AMT
# computers) an AMT computer is made by keys too: New Computer AMT1, its
# Properties give it the UPN the 802.1X certificate needs and the group,
# Restart, and its Certificates request both AMT templates. The command
# line checks each certificate with openssl: it verifies against the lab
# root, and carries the names and purposes the guide asks for.
. "$TESTS_SRCDIR/screen/lib.sh"

P="ConfigMgr AMT Provisioning"
W="ConfigMgr AMT Web Server Certificate"
X="ConfigMgr AMT 802.1X Client Authentication Certificate"

# The guide's Security steps on a template sheet's Security tab (focus in the
# list): no Enroll for Domain Admins and Enterprise Admins, Add... the group
# (typed until the picker shows it alone), Enroll for it with Read.
security_keys() {
    cat <<EOF2
D
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
<S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab>
E
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
<S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab>
<Enter>
$1
<Enter>
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
EOF2
}

# From the CA's Certificate Templates node (focus in the tree): New ->
# Certificate Template to Issue, the template typed until it is chosen, OK.
enable_keys() {
    cat <<EOF2
<Enter>
<Down>
<Right>
<Enter>
$1
<Enter>
EOF2
}

walk() {
    size=$1 S=$2
    screen_setup "walk-amt$S"
    {
        cat <<EOF2
# Provisioning 1: the group of out of band service point servers, SERVER1 in it
<Right>
<Down>
<Right>
<Down><Down><Down>
<Enter>
<Enter>
<Enter>
ConfigMgr OOB Servers
<Enter>
<Tab>
<Down><Down>
<Tab>
SERVER1
<F4>
<F8>
<Tab>
<Enter>
ConfigMgr OOB
<Enter>
<Tab><Tab>
<Enter>
:dump $T/walk-amt-p01-restart-note$S.txt
<Enter>
# Provisioning 2-5: Manage, Web Server, Duplicate Template, 2003, the name
<Tab>
<Home>
<Left>
<Down><Down><Down><Down><Down><Down><Down><Down>
<Enter>
<Enter>
Web
<Enter>
<Enter>
<Enter>
<C-u>
$P
# 6: Subject Name: built from the directory, common name
<F8><F8><F8>
<Down>
<Tab>
<Left><Left>
# 7-12: Extensions, Application Policies, Edit, Add, New: AMT Provisioning
<F8><F8><F8>
<Enter>
<Tab>
<Enter>
<Tab><Tab>
<Enter>
AMT Provisioning
<Tab>
<C-u>
2.16.840.1.113741.1.2.3
<Enter>
<Enter>
<Enter>
# 13: the description lists Server Authentication and AMT Provisioning
:dump $T/walk-amt-p13-extensions$S.txt
# 14-16: Security
<F8>
EOF2
        security_keys "ConfigMgr OOB"
        cat <<EOF2
:dump $T/walk-amt-p16-security$S.txt
# 17: OK; 18-19: enable it on the CA
<Enter>
<Tab>
<Down><Down><Down><Down><Down><Down><Down>
EOF2
        enable_keys "ConfigMgr AMT P"
        cat <<EOF2
# Install 1: restart the server
<Home>
<Right>
<Down><Down><Down><Down><Down><Down>
<Tab>
SERVER1
<Enter>
<Enter>
:dump $T/walk-amt-i01-restart$S.txt
<Enter>
# Install 2-6: Add Certificates Snap-in, Computer account, SERVER1
<Tab>
<Home>
<Left>
<Down><Down><Down><Down><Down><Down><Down><Down><Down><Down>
<Enter>
<Down>
<Enter>
<Down><Down>
:dump $T/walk-amt-i04-computer-account$S.txt
<Enter>
<Down>
<Tab>
SERVER1
<Tab><Tab><Tab>
<Enter>
# Install 7-12: Personal, Request New Certificate, AMT Provisioning, Enroll
<Tab>
<Right>
<Down>
<Enter>
<Right>
<Enter>
<Enter>
<Down>
<Space>
:dump $T/walk-amt-i11-request$S.txt
<Enter>
:dump $T/walk-amt-i12-results$S.txt
<Enter>
# Web server 1: an empty group for the AMT computers
<Home>
<Right>
<Down><Down><Down><Down>
<Enter>
<Enter>
<Enter>
ConfigMgr AMT Computers
<Enter>
# 2-6: Manage, Web Server, Duplicate, 2003, the name, common name (no UPN)
<Tab>
<Home>
<Left>
<Down><Down><Down><Down><Down><Down><Down><Down>
<Enter>
<Enter>
Web
<Enter>
<Enter>
<Enter>
<C-u>
$W
<F8><F8><F8>
<Down>
<Tab>
<Left><Left>
:dump $T/walk-amt-w06-subject$S.txt
# 7-9: Security
<F8><F8><F8><F8>
EOF2
        security_keys "ConfigMgr AMT C"
        cat <<EOF2
# 10: OK; 11-12: enable it
<Enter>
<Tab>
<Down><Down><Down><Down><Down><Down><Down>
EOF2
        enable_keys "ConfigMgr AMT W"
        cat <<EOF2
# 802.1X 1-3: Manage, Workstation Authentication, Duplicate, 2003, the name
<Enter>
<Enter>
Workstation
<Enter>
<Enter>
<Enter>
<C-u>
$X
# 4: common name, no DNS name, a UPN
<F8><F8><F8>
<Tab>
<Right>
<Tab><Tab><Tab>
<Space>
<Tab>
<Space>
:dump $T/walk-amt-x04-subject$S.txt
# 5-7: Security
<F8><F8><F8><F8>
EOF2
        security_keys "ConfigMgr AMT C"
        cat <<EOF2
# 8: OK; 9-10: enable it
<Enter>
<Tab>
<Down><Down><Down><Down><Down><Down><Down>
EOF2
        enable_keys "ConfigMgr AMT 8"
        cat <<EOF2
:dump $T/walk-amt-x10-enabled$S.txt
# An AMT computer: New Computer AMT1, a UPN and the group, Restart
<Home>
<Right>
<Down><Down><Down>
<Enter>
<Enter>
<Down><Down>
<Enter>
AMT1
<Enter>
<F4>
<Tab>
amt1@contoso.com
<F8>
<Tab>
<Enter>
ConfigMgr AMT C
<Enter>
<Tab><Tab>
<Enter>
<Enter>
<Enter>
<Enter>
<Enter>
# its Certificates: another computer, both AMT templates
<Tab>
<Home>
<Left>
<End>
<Up><Up><Up><Up><Up><Up>
<Enter>
<Enter>
AMT1
<Enter>
<Right>
<Down>
<Enter>
<Right>
<Enter>
<Enter>
<Down>
<Space>
<Down>
<Space>
:dump $T/walk-amt-a01-request$S.txt
<Enter>
:dump $T/walk-amt-a01-results$S.txt
<Enter>
EOF2
    } | run_keys guide "$size"
    for d in p01-restart-note p13-extensions p16-security i01-restart i04-computer-account \
        i11-request i12-results w06-subject x04-subject x10-enabled a01-request a01-results; do
        check_dump "walk-amt-$d$S"
    done

    cc ca cert --out "$T/root.pem" >"$T/cli.log" 2>&1
    at=$(($(date -u -d "$CERTCON_NOW" +%s) + 86400))
    cc --tsv template acl "$P" >"$T/acl-p.tsv" 2>&1
    check "$size: provisioning: only the group of servers may enroll" \
        sh -c "grep -q 'Domain Admins	Read,Write	-' '$T/acl-p.tsv' &&
               grep -q 'Enterprise Admins	Read,Write	-' '$T/acl-p.tsv' &&
               grep -q 'ConfigMgr OOB Servers	Read,Enroll	-' '$T/acl-p.tsv'"
    cc export --for SERVER1 ConfigMgrAMTProvisioning --pem "$T/prov.pem" >>"$T/cli.log" 2>&1
    check "$size: SERVER1's provisioning certificate verifies (openssl)" \
        openssl verify -attime "$at" -CAfile "$T/root.pem" "$T/prov.pem"
    openssl x509 -in "$T/prov.pem" -noout -subject -ext extendedKeyUsage >"$T/prov.txt" 2>&1
    check "$size: issued to SERVER1's DNS name" \
        grep -Eqx 'subject= ?CN ?= ?server1.internal.contoso.com' "$T/prov.txt"
    check "$size: for server authentication and AMT provisioning" \
        sh -c "grep -q 'TLS Web Server Authentication' '$T/prov.txt' &&
               grep -q '2.16.840.1.113741.1.2.3' '$T/prov.txt'"

    cc --tsv template acl "$W" >"$T/acl-w.tsv" 2>&1
    cc --tsv template acl "$X" >"$T/acl-x.tsv" 2>&1
    check "$size: the AMT computers' group may enroll for both AMT templates" \
        sh -c "grep -q 'ConfigMgr AMT Computers	Read,Enroll	-' '$T/acl-w.tsv' &&
               grep -q 'ConfigMgr AMT Computers	Read,Enroll	-' '$T/acl-x.tsv'"
    cc export --for AMT1 ConfigMgrAMTWebServerCertificate --pem "$T/web.pem" >>"$T/cli.log" 2>&1
    check "$size: AMT1's web server certificate verifies (openssl)" \
        openssl verify -attime "$at" -CAfile "$T/root.pem" "$T/web.pem"
    openssl x509 -in "$T/web.pem" -noout -subject -ext extendedKeyUsage >"$T/web.txt" 2>&1
    check "$size: web server: AMT1's DNS name, server authentication" \
        sh -c "grep -Eqx 'subject= ?CN ?= ?amt1.contoso.com' '$T/web.txt' &&
               grep -q 'TLS Web Server Authentication' '$T/web.txt'"
    cc export --for AMT1 "$X" --pem "$T/dot1x.pem" \
        >>"$T/cli.log" 2>&1
    check "$size: AMT1's 802.1X certificate verifies (openssl)" \
        openssl verify -attime "$at" -CAfile "$T/root.pem" "$T/dot1x.pem"
    openssl x509 -in "$T/dot1x.pem" -noout -subject -ext subjectAltName,extendedKeyUsage \
        >"$T/dot1x.txt" 2>&1
    check "$size: 802.1X: common name, for client authentication" \
        sh -c "grep -Eqx 'subject= ?CN ?= ?amt1.contoso.com' '$T/dot1x.txt' &&
               grep -q 'TLS Web Client Authentication' '$T/dot1x.txt'"
    check "$size: 802.1X: the UPN typed in AMT1's Properties, and no DNS name" \
        sh -c "grep -Eq 'othername: *UPN[:; ]+amt1@contoso.com' '$T/dot1x.txt' &&
               ! grep -q 'DNS:' '$T/dot1x.txt'"
}

walk 80x24 ""
walk 132x43 "-132x43"
screen_done
