#!/bin/sh
# Screen tests of the Certificate Export Wizard (ADCS-SPEC 7.7), by keys
# only, as the deployment guide exports the service certificate for
# cloud-based distribution points: SERVER1 enrolls for a Web Server
# duplicate whose key may be exported (as tests/cli/ca_clouddp.sh builds
# it); Personal -> the certificate -> All Tasks -> Export... -> Yes, export
# the private key -> PKCS #12 -> a password -> the file name -> Finish. OpenSSL
# opens the PFX with the password and finds the key and the certificate.
# A second run on a Web Server certificate, whose key is not exportable,
# shows "Yes" greyed with the reason, refuses a file that exists, and
# exports a DER .cer. The password shows on no screen.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup certs_export

P="ConfigMgr Cloud-Based Distribution Point Certificate"
PASSWORD='Cl0udDP-Export'
{
    cc dir add-group "ConfigMgr Site Servers"
    cc dir add-member "ConfigMgr Site Servers" SERVER1
    cc template duplicate "Web Server" "$P" --compat 2003
    cc template set "$P" exportable yes
    cc template acl "$P" --remove "Enterprise Admins:Enroll" \
        --allow "ConfigMgr Site Servers:Read,Enroll"
    cc ca enable "$P"
    cc template acl "Web Server" --allow "ConfigMgr Site Servers:Read,Enroll"
    cc dir restart SERVER1
    cc enroll --for SERVER1 --template "$P" --cn clouddp1.contoso.com
} >"$T/data.log" 2>&1

# the file names typed are relative: the wizard writes beside the test's files
cd "$T" || exit 1

run_keys pfx <<EOF2
<Down><Down><Down><Down><Down><Down><Down><Down><Down><Down>
<Right>
<Enter>
<Enter>
SERVER1
<Enter>
<Down>
<Tab>
<Enter>
<Down>
<Right>
:dump $T/export-tasks.txt
<Enter>
:dump $T/export-welcome.txt
<Enter>
:dump $T/export-key.txt
<Up>
:dump $T/export-key-yes.txt
<Enter>
:dump $T/export-format-pfx.txt
<Enter>
:dump $T/export-security.txt
$PASSWORD
<Tab>
$PASSWORD
:dump $T/export-security-filled.txt
<Enter>
:dump $T/export-file.txt
clouddp1
:dump $T/export-file-filled.txt
<Enter>
:dump $T/export-done.txt
<Enter>
:dump $T/export-successful.txt
<Enter>
EOF2
for d in tasks welcome key key-yes format-pfx security security-filled file file-filled done \
    successful; do
    check_dump export-$d
done
check "the PFX is written with the extension added" test -f "$T/clouddp1.pfx"
check "the PFX is private (0600)" sh -c "[ \$(stat -c %a '$T/clouddp1.pfx') = 600 ]"
openssl pkcs12 -info -nodes -passin "pass:$PASSWORD" -in "$T/clouddp1.pfx" >"$T/pfx.info" 2>&1
check "openssl opens the PFX with its password" test $? -eq 0
check "the PFX holds the private key" grep -q "BEGIN PRIVATE KEY" "$T/pfx.info"
check "and the certificate" grep -Eq "subject=CN ?= ?clouddp1.contoso.com" "$T/pfx.info"
check "AES-256 by default" grep -q "AES-256-CBC" "$T/pfx.info"

# the web server certificate: its key is not exportable
cc enroll --for SERVER1 --template "Web Server" --cn www.contoso.com >>"$T/data.log" 2>&1
: >"$T/web.cer"
run_keys der <<EOF2
<Down><Down><Down><Down><Down><Down><Down><Down><Down><Down>
<Right>
<Enter>
<Enter>
SERVER1
<Enter>
<Down>
<Tab>
<Down>
:dump $T/export-web-personal.txt
<Enter>
<Down>
<Right>
<Enter>
<Enter>
:dump $T/export-web-key.txt
<Enter>
:dump $T/export-web-format.txt
<Enter>
web
:dump $T/export-web-exists.txt
server
<Enter>
:dump $T/export-web-done.txt
<Enter>
:dump $T/export-web-successful.txt
<Enter>
EOF2
for d in web-personal web-key web-format web-exists web-done web-successful; do
    check_dump export-$d
done
check "the existing file is left alone" test ! -s "$T/web.cer"
openssl x509 -inform DER -in "$T/webserver.cer" -noout -subject >"$T/der.info" 2>&1
check "openssl reads the DER .cer" test $? -eq 0
check "it is the web server certificate" grep -Eq "CN ?= ?www.contoso.com" "$T/der.info"
check "the password shows on no screen" sh -c "! grep -l -- '$PASSWORD' '$T'/export-*.txt"
screen_done
