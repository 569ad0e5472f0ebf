#!/bin/sh
# End to end, by keys only: the deployment guide's service certificate for
# cloud-based distribution points, from a fresh lab to the PFX. Create
# ConfigMgr Site Servers with SERVER1 in it; duplicate Web Server with
# Windows Server 2003 compatibility as ConfigMgr Cloud-Based Distribution
# Point Certificate; allow the private key to be exported; take Enroll
# from Enterprise Admins and give Read and Enroll to the group; the CA
# issues the template; SERVER1 restarts, requests it with the common name
# clouddp1.contoso.com and exports it with its key to a password-protected
# PFX. OpenSSL then opens the PFX and verifies its certificate against the
# lab's root, with the name and the purpose the guide asks for. The walk
# runs at 80x24 and again, on a fresh lab, at 132x43.
. "$TESTS_SRCDIR/screen/lib.sh"
PASSWORD='Cl0udDP-Export'

# walk PREFIX: the key script, dumping screens as PREFIX-NN-....txt
walk() {
    cat <<EOF2
# ADUC -> contoso.com -> Groups -> New -> Group ConfigMgr Site Servers; Members -> Add SERVER1
<Right>
<Down>
<Right>
<Down><Down><Down>
<Enter>
<Enter>
<Enter>
ConfigMgr Site Servers
<Enter>
<Enter>
<Enter>
<Right>
<Tab><Tab>
<Enter>
SERVER1
<Enter>
<Up>
<Enter>
:dump $T/$1-01-group.txt
# Certificate Templates -> Web Server -> Duplicate Template (2003) -> the name
<Tab>
C
<Tab>
Web
<Enter>
<Enter>
<Enter>
<C-u>
ConfigMgr Cloud-Based Distribution Point Certificate
# Request Handling: Allow private key to be exported
<F8>
<Tab><Tab><Tab><Tab>
<Space>
:dump $T/$1-03-export.txt
# Security: Enterprise Admins lose Enroll; ConfigMgr Site Servers get Read and Enroll
<F8><F8><F8><F8><F8><F8>
E
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
<S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab>
<Enter>
ConfigMgr Site Servers
<Enter>
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
:dump $T/$1-04-security.txt
<Enter>
# the CA issues it; SERVER1 restarts
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
ConfigMgr Cloud
<Down><Up>
<Enter>
<Home>
Servers
<Tab>
SERVER1
<Enter>
Restart
<Enter>
<Enter>
# SERVER1 requests it with the common name clouddp1.contoso.com
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
:dump $T/$1-06-offers.txt
<Down><Down>
<Enter>
<Tab>
clouddp1.contoso.com
<Tab>
<Enter>
:dump $T/$1-07-subject.txt
<Enter>
<Tab><Tab><Tab>
<Enter>
:dump $T/$1-08-results.txt
<Enter>
:dump $T/$1-09-personal.txt
# Personal -> the certificate -> All Tasks -> Export...: the key, as a password-protected PFX
<Tab>
<Enter>
<Down>
<Right>
<Enter>
<Enter>
<Up>
<Enter>
<Enter>
$PASSWORD
<Tab>
$PASSWORD
<Enter>
clouddp1
<Enter>
:dump $T/$1-10-export.txt
<Enter>
:dump $T/$1-11-exported.txt
<Enter>
EOF2
}

# checks SIZE: the PFX the walk wrote, through openssl
checks() {
    check "$1: the PFX is written, private (0600)" \
        sh -c "[ \$(stat -c %a '$T/clouddp1.pfx' 2>/dev/null) = 600 ]"
    openssl pkcs12 -info -nodes -passin "pass:$PASSWORD" -in "$T/clouddp1.pfx" >"$T/pfx.info" 2>&1
    check "$1: openssl opens the PFX with its password" test $? -eq 0
    check "$1: the PFX holds the private key" grep -q "BEGIN PRIVATE KEY" "$T/pfx.info"
    openssl pkcs12 -nokeys -clcerts -passin "pass:$PASSWORD" -in "$T/clouddp1.pfx" \
        -out "$T/clouddp1.pem" >/dev/null 2>&1
    cc ca cert --out "$T/ca.pem" >"$T/ca.log" 2>&1
    check "$1: its certificate verifies against the lab's root" \
        sh -c "openssl verify -attime $(($(date -u -d "$CERTCON_NOW" +%s) + 86400)) -CAfile '$T/ca.pem' '$T/clouddp1.pem' >/dev/null 2>&1"
    openssl x509 -in "$T/clouddp1.pem" -noout -subject -ext extendedKeyUsage >"$T/x509.txt" 2>&1
    check "$1: issued to clouddp1.contoso.com" grep -Eq "subject=CN ?= ?clouddp1.contoso.com" "$T/x509.txt"
    check "$1: for server authentication" grep -qx ' *TLS Web Server Authentication' "$T/x509.txt"
    cc --tsv template acl "ConfigMgr Cloud-Based Distribution Point Certificate" >"$T/acl.tsv" 2>&1
    check "$1: Enterprise Admins lost Enroll" grep -q 'Enterprise Admins	Read,Write	-' "$T/acl.tsv"
    check "$1: ConfigMgr Site Servers: Read and Enroll" \
        grep -q 'ConfigMgr Site Servers	Read,Enroll	-' "$T/acl.tsv"
}

screen_setup clouddp
# the file name typed is relative: the wizard writes beside the test's files
cd "$T" || exit 1
walk cdp | run_keys guide
for d in 01-group 03-export 04-security 06-offers 07-subject 08-results 09-personal 10-export \
    11-exported; do
    check_dump cdp-$d
done
checks 80x24

screen_setup clouddp-132
cd "$T" || exit 1
walk cdp132 | run_keys guide 132x43
for d in 03-export 04-security 06-offers 07-subject 08-results 09-personal 10-export 11-exported; do
    check_dump cdp132-$d
done
checks 132x43
screen_done
