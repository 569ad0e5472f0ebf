#!/bin/sh
# The deployment guide's Mac client procedure, by keys only, from a fresh
# lab to a PFX for the Mac, at 80x24 and again at 132x43 (a second set of
# goldens). Step 1 makes an administrative user and its group (the user's
# Member Of tab adds it); steps 2-6 duplicate Authenticated Session for
# Windows Server 2003 as ConfigMgr Mac Client Certificate with the subject
# built as a common name and no UPN; steps 7-9 take Enroll from Domain
# Admins and Enterprise Admins and give it to the group; steps 11-12 enable
# it on the CA. The guide then leaves Windows: the certificate reaches the
# Mac. Here the user's own Certificates request it and the Certificate
# Export Wizard writes it with its key as a PFX, so the template also
# allows the key to be exported (Request Handling), which the guide's Mac
# enrollment does not need. The command line checks the result: openssl
# opens the PFX with its password, and its certificate verifies against
# the lab root, names the user, for client authentication.
. "$TESTS_SRCDIR/screen/lib.sh"

TPL="ConfigMgr Mac Client Certificate"
PASSWORD='Mac-Cl1ent-PFX'

walk() {
    size=$1 S=$2
    screen_setup "walk-mac$S"
    cd "$T" || exit 1
    run_keys guide "$size" <<EOF2
# Step 1: the administrative user who enrolls for the Mac, and its group
<Right>
<Down>
<Right>
<Down>
<Enter>
<Enter>
<Down>
<Enter>
Mac Admin
<Tab>
macadmin
<Enter>
<Enter>
<Tab>
<Enter>
<Enter>
<Enter>
ConfigMgr Mac Admins
<Enter>
Mac A
<F4>
<F8>
<Tab>
<Enter>
ConfigMgr Mac
<Enter>
:dump $T/walk-mac-01-member-of$S.txt
<Tab><Tab>
<Enter>
# Step 2: Certification Authority, Certificate Templates, Manage
<Tab>
<Home>
<Left>
<Down><Down><Down><Down><Down><Down><Down><Down>
<Enter>
<Enter>
# Step 3: Authenticated Session, Duplicate Template
Authenticated
<Enter>
<Enter>
# Step 4: Windows Server 2003, Enterprise Edition
<Enter>
# Step 5: the template's name
<C-u>
$TPL
# (for the PFX the Mac receives here: Request Handling, allow the key to be exported)
<F8>
<Tab><Tab><Tab><Tab>
<Space>
:dump $T/walk-mac-05-exportable$S.txt
# Step 6: Subject Name: built from the directory, common name, no UPN
<F8><F8>
<Tab>
<Left>
<Tab><Tab><Tab><Tab>
<Space>
:dump $T/walk-mac-06-subject$S.txt
# Step 7: Security: no Enroll for Domain Admins and Enterprise Admins
<F8><F8><F8><F8>
D
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
<S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab>
E
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
# Steps 8-9: Add... the group, with Enroll (Read stays)
<S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab>
<Enter>
ConfigMgr Mac
<Enter>
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
:dump $T/walk-mac-09-security$S.txt
# Step 10: OK
<Enter>
# Steps 11-12: Certificate Templates, New, Certificate Template to Issue
<Tab>
<Down><Down><Down><Down><Down><Down><Down>
<Enter>
<Down>
<Right>
<Enter>
ConfigMgr Mac
<Enter>
:dump $T/walk-mac-12-enabled$S.txt
# The user enrolls: Certificates, Add Certificates Snap-in, another user
<Down><Down>
<Enter>
<Down>
<Enter>
<Enter>
<Down>
<Tab>
macadmin
<Tab><Tab><Tab>
<Enter>
<Tab>
<Right>
<Down>
<Enter>
<Right>
<Enter>
<Enter>
<Down>
<Space>
:dump $T/walk-mac-13-request$S.txt
<Enter>
:dump $T/walk-mac-13-results$S.txt
<Enter>
# To the Mac: the certificate, All Tasks, Export..., with its key, as a PFX
<Tab>
<Enter>
<Down>
<Right>
<Enter>
<Enter>
<Up>
<Enter>
:dump $T/walk-mac-14-format$S.txt
<Enter>
$PASSWORD
<Tab>
$PASSWORD
<Enter>
mac-client
<Enter>
:dump $T/walk-mac-14-done$S.txt
<Enter>
:dump $T/walk-mac-14-exported$S.txt
<Enter>
EOF2
    for d in 01-member-of 05-exportable 06-subject 09-security 12-enabled 13-request \
        13-results 14-format 14-done 14-exported; do
        check_dump "walk-mac-$d$S"
    done

    cc --tsv template acl "$TPL" >"$T/acl.tsv" 2>&1
    cc --tsv template show "$TPL" >"$T/show.tsv" 2>&1
    check "$size: Domain Admins and Enterprise Admins may not enroll" \
        sh -c "grep -q 'Domain Admins	Read,Write	-' '$T/acl.tsv' &&
               grep -q 'Enterprise Admins	Read,Write	-' '$T/acl.tsv'"
    check "$size: the group may enroll and read" \
        grep -q 'ConfigMgr Mac Admins	Read,Enroll	-' "$T/acl.tsv"
    check "$size: subject built as a common name, no UPN" \
        sh -c "grep -q '	subject-format	cn$' '$T/show.tsv' && grep -q '	san-upn	no$' '$T/show.tsv'"

    check "$size: the PFX was written for the Mac" test -f "$T/mac-client.pfx"
    openssl pkcs12 -in "$T/mac-client.pfx" -passin "pass:$PASSWORD" -nodes -out "$T/mac.pem" \
        >"$T/pkcs12.log" 2>&1
    check "$size: openssl opens the PFX with its password" test $? -eq 0
    check "$size: it holds the private key" grep -q 'BEGIN PRIVATE KEY' "$T/mac.pem"
    check "$size: a wrong password does not open it" \
        sh -c "! openssl pkcs12 -in '$T/mac-client.pfx' -passin pass:wrong -nodes >/dev/null 2>&1"
    openssl x509 -in "$T/mac.pem" -out "$T/mac-cert.pem" >/dev/null 2>&1
    cc ca cert --out "$T/root.pem" >"$T/root.log" 2>&1
    check "$size: its certificate verifies against the lab root (openssl)" \
        openssl verify -attime $(($(date -u -d "$CERTCON_NOW" +%s) + 86400)) \
        -CAfile "$T/root.pem" "$T/mac-cert.pem"
    openssl x509 -in "$T/mac-cert.pem" -noout -subject -ext subjectAltName,extendedKeyUsage \
        >"$T/x509.txt" 2>&1
    check "$size: issued to the user's display name" grep -Eqx 'subject= ?CN ?= ?Mac Admin' \
        "$T/x509.txt"
    check "$size: no UPN" sh -c "! grep -q 'Subject Alternative Name' '$T/x509.txt'"
    check "$size: for client authentication" grep -q 'TLS Web Client Authentication' "$T/x509.txt"
    cd - >/dev/null || exit 1
}

walk 80x24 ""
walk 132x43 "-132x43"
screen_done
