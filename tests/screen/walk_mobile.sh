#!/bin/sh
# The deployment guide's mobile device procedure, by keys only, from a
# fresh lab to an enrolled certificate, at 80x24 and again at 132x43 (a
# second set of goldens). Step 1 makes the user who enrolls (New User) and
# the security group (New Group from Users) and puts the user in it through
# the user's Member Of tab; steps 2-8 duplicate Authenticated Session for
# Windows Server 2003 as ConfigMgr Mobile Device Enrollment Certificate
# with a subject built from the directory as a common name, no UPN, and
# Enroll for the group; steps 9-10 enable it on the CA. The guide leaves the
# enrollment to Configuration Manager; here the user's own Certificates
# (Add Certificates Snap-in, another user) request it. The command line
# then checks the certificate with openssl: it verifies against the lab
# root, names the user's display name and nothing else, for client
# authentication.
. "$TESTS_SRCDIR/screen/lib.sh"

TPL="ConfigMgr Mobile Device Enrollment Certificate"

walk() {
    size=$1 S=$2
    screen_setup "walk-mobile$S"
    run_keys guide "$size" <<EOF2
# Step 1: the user, and a security group of the users who enroll mobile devices
<Right>
<Down>
<Right>
<Down>
<Enter>
<Enter>
<Down>
<Enter>
Mobile Trainee
<Tab>
mtrainee
<Enter>
mtrainee@contoso.com
<Enter>
<Tab>
<Enter>
<Enter>
<Enter>
ConfigMgr Mobile Device Users
<Enter>
:dump $T/walk-mobile-01-group$S.txt
Mobile T
<F4>
<F8>
<Tab>
<Enter>
ConfigMgr Mobile
<Enter>
:dump $T/walk-mobile-01-member-of$S.txt
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
# Step 6: Subject Name: built from the directory, common name, no UPN
<F8><F8><F8>
<Tab>
<Left>
<Tab><Tab><Tab><Tab>
<Space>
:dump $T/walk-mobile-06-subject$S.txt
# Step 7: Security: the group, with Enroll (Read stays)
<F8><F8><F8><F8>
<Tab>
<Enter>
ConfigMgr Mobile
<Enter>
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
:dump $T/walk-mobile-07-security$S.txt
# Step 8: OK
<Enter>
# Steps 9-10: Certificate Templates, New, Certificate Template to Issue
<Tab>
<Down><Down><Down><Down><Down><Down><Down>
<Enter>
<Down>
<Right>
<Enter>
ConfigMgr Mobile
:dump $T/walk-mobile-10-enable$S.txt
<Enter>
# The user enrolls: Certificates, Add Certificates Snap-in, another user
<Down><Down>
<Enter>
<Down>
<Enter>
<Enter>
<Down>
<Tab>
mtrainee
:dump $T/walk-mobile-11-snapin$S.txt
<Tab><Tab><Tab>
<Enter>
# Personal, All Tasks, Request New Certificate
<Tab>
<Right>
<Down>
<Enter>
<Right>
<Enter>
<Enter>
<Down>
<Space>
:dump $T/walk-mobile-12-request$S.txt
<Enter>
:dump $T/walk-mobile-12-results$S.txt
<Enter>
:dump $T/walk-mobile-12-personal$S.txt
EOF2
    for d in 01-group 01-member-of 06-subject 07-security 10-enable 11-snapin 12-request \
        12-results 12-personal; do
        check_dump "walk-mobile-$d$S"
    done

    cc --tsv dir show mtrainee >"$T/user.tsv" 2>&1
    check "$size: the user is in the group" grep -q '^member of	ConfigMgr Mobile Device Users' \
        "$T/user.tsv"
    cc --tsv template show "$TPL" >"$T/show.tsv" 2>&1
    cc --tsv template acl "$TPL" >"$T/acl.tsv" 2>&1
    cc --tsv ca templates >"$T/ca.tsv" 2>&1
    check "$size: version 2, subject built as a common name, no UPN" \
        sh -c "grep -q '	schema	2$' '$T/show.tsv' && grep -q '	subject	build$' '$T/show.tsv' &&
               grep -q '	subject-format	cn$' '$T/show.tsv' && grep -q '	san-upn	no$' '$T/show.tsv'"
    check "$size: the group may enroll and read" \
        grep -q 'ConfigMgr Mobile Device Users	Read,Enroll	-' "$T/acl.tsv"
    check "$size: the CA issues it" grep -q "^$TPL	" "$T/ca.tsv"

    cc export --for mtrainee ConfigMgrMobileDeviceEnrollmentCertificate --pem "$T/mobile.pem" \
        >"$T/export.log" 2>&1
    cc ca cert --out "$T/root.pem" >>"$T/export.log" 2>&1
    check "$size: the certificate verifies against the lab root (openssl)" \
        openssl verify -attime $(($(date -u -d "$CERTCON_NOW" +%s) + 86400)) \
        -CAfile "$T/root.pem" "$T/mobile.pem"
    openssl x509 -in "$T/mobile.pem" -noout -subject -ext subjectAltName,extendedKeyUsage \
        >"$T/x509.txt" 2>&1
    check "$size: issued to the user's display name (its cn)" \
        grep -Eqx 'subject= ?CN ?= ?Mobile Trainee' "$T/x509.txt"
    check "$size: no alternative name (UPN cleared)" \
        sh -c "! grep -q 'Subject Alternative Name' '$T/x509.txt'"
    check "$size: for client authentication" grep -q 'TLS Web Client Authentication' "$T/x509.txt"
}

walk 80x24 ""
walk 132x43 "-132x43"
screen_done
