# The guide's web server certificate for site systems that run IIS: a
# duplicate of Web Server that only "ConfigMgr IIS Servers" may enroll for,
# requested by SERVER1 (after a restart) with its intranet and Internet
# FQDNs. The certificate must verify with OpenSSL and GnuTLS, carry both
# DNS names, Server Authentication and the template extension; CLIENT1 is
# refused with 0x80094012; the key is not exportable.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
T="ConfigMgr Web Server Certificate"

run_ok "create ConfigMgr IIS Servers" dir add-group "ConfigMgr IIS Servers"
run_ok "SERVER1 joins it" dir add-member "ConfigMgr IIS Servers" SERVER1
run_ok "duplicate Web Server (2003)" template duplicate "Web Server" "$T" --compat 2003
run_ok "subject supplied in the request" template set "$T" subject supply
run_ok "security: only the group enrolls" template acl "$T" --remove "Domain Admins:Enroll" \
    --remove "Enterprise Admins:Enroll" --allow "ConfigMgr IIS Servers:Read,Enroll"
run_ok "CA issues the template" ca enable "$T"
run_ok "ca templates lists it" --tsv ca templates
like "$OUT" "^$T	ConfigMgrWebServerCertificate	Server Authentication" "template to issue with its purpose"

run_fails 1 "explain before the restart" --tsv explain --for SERVER1 --template "$T"
like "$OUT" "FAIL 0x80094012	Template permission" "explain names the failing check"
run_fails 1 "before its restart SERVER1 is refused" --tsv enroll --for SERVER1 --template "$T" \
    --dns server1.internal.contoso.com
like "$OUT" "0x80094012" "refused with CERTSRV_E_TEMPLATE_DENIED"
run_ok "restart SERVER1" dir restart SERVER1
run_ok "explain after the restart" explain --for SERVER1 --template "$T"
like "$OUT" "can enroll" "explain says SERVER1 can enroll"

run_ok "SERVER1 enrolls with both FQDNs" --tsv enroll --for SERVER1 --template "$T" \
    --dns server1.internal.contoso.com --dns server.contoso.com --out "$SCRATCH/web.pem"
like "$OUT" "^[0-9]+	issued	[0-9a-f]{32}	$" "one line: ID, issued, serial"
SERIAL=$(printf '%s' "$OUT" | cut -f3)
run_ok "CA certificate" ca cert --out "$SCRATCH/ca.pem"
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/web.pem"
ok $? "openssl verify accepts the certificate"
at_lab_time certtool --verify --load-ca-certificate "$SCRATCH/ca.pem" --infile "$SCRATCH/web.pem" \
    >"$SCRATCH/certtool.out" 2>&1
ok $? "certtool --verify accepts the certificate"
TEXT=$(openssl x509 -in "$SCRATCH/web.pem" -noout -text)
like "$TEXT" "DNS:server1.internal.contoso.com, DNS:server.contoso.com" "both DNS names in the SAN"
like "$TEXT" "TLS Web Server Authentication" "Server Authentication EKU"
like "$TEXT" "Key Usage: critical" "key usage critical as the template says"
like "$TEXT" "Digital Signature, Key Encipherment" "digitalSignature and keyEncipherment"
is "$(openssl x509 -in "$SCRATCH/web.pem" -noout -serial | cut -d= -f2 | tr A-F a-f)" "$SERIAL" \
    "the printed serial is the certificate's"
like "$(printf '%s' "$SERIAL" | cut -c1)" "^[0-7]$" "serial is positive (top bit clear)"
# the template information extension: SEQUENCE { OID, 100, minor }
OID=$(cc template show "$T" --conf | sed -n 's/^ *oid = "\(.*\)"$/\1/p')
MINOR=$(cc template show "$T" --conf | sed -n 's/^ *minor_revision = \([0-9]*\)L*$/\1/p')
printf 'asn1=SEQUENCE:t\n[t]\noid=OID:%s\nmajor=INTEGER:100\nminor=INTEGER:%s\n' "$OID" "$MINOR" \
    >"$SCRATCH/tinfo.cnf"
WANT=$(openssl asn1parse -genconf "$SCRATCH/tinfo.cnf" -out "$SCRATCH/tinfo.der" -noout &&
    od -An -tx1 -v "$SCRATCH/tinfo.der" | tr -d ' \n')
GOT=$(certtool -i --infile "$SCRATCH/web.pem" | awk '/1.3.6.1.4.1.311.21.7/ { f = 1 } f && /Hexdump:/ { print $2; exit }')
is "$GOT" "$WANT" "1.3.6.1.4.1.311.21.7 encodes the template OID, 100 and the minor version"
GOT=$(certtool -i --infile "$SCRATCH/web.pem" | awk '/1.3.6.1.4.1.311.21.10/ { f = 1 } f && /Hexdump:/ { print $2; exit }')
is "$GOT" "300c300a06082b06010505070301" "application policies 21.10 = Server Authentication"

run_ok "SERVER1's Personal store" --tsv store list --for SERVER1
like "$OUT" "Server Authentication	$T	yes, not exportable	$SERIAL" "installed with its key"
run_ok "CLIENT1's trusted roots" --tsv store list --for CLIENT1 --store root
like "$OUT" "^CN=contoso-CA1-CA,DC=contoso,DC=com" "the CA is in every member's trusted roots"

run_fails 1 "CLIENT1 is refused" --tsv enroll --for CLIENT1 --template "$T" \
    --dns client1.contoso.com
like "$OUT" "denied	.*0x80094012" "CLIENT1: CERTSRV_E_TEMPLATE_DENIED"
run_ok "failed requests" --tsv ca list failed --filter CLIENT1
like "$OUT" "0x80094012	denied	.*CONTOSO\\\\\\\\CLIENT1\\$" "CLIENT1 is in Failed Requests"
run_ok "issued view" --tsv ca list issued
like "$OUT" "SERVER1.*ConfigMgrWebServerCertificate	$SERIAL" "SERVER1's certificate is in Issued Certificates"

echo secret >"$SCRATCH/pw"
unchanged_after "PFX export refused" export --for SERVER1 "$SERIAL" --pfx "$SCRATCH/web.pfx" \
    --password-file "$SCRATCH/pw"
like "$ERR" "not exportable.*0x8009000B" "the export wizard's explanation"
test ! -e "$SCRATCH/web.pfx"
ok $? "no PFX file was written"
run_ok "the certificate alone exports (DER)" export --for SERVER1 "$T" --der "$SCRATCH/web.cer"
cmp -s "$SCRATCH/web.cer" "$(openssl x509 -in "$SCRATCH/web.pem" -outform DER -out "$SCRATCH/w.der" && echo "$SCRATCH/w.der")"
ok $? "DER export is the issued certificate"
done_testing
