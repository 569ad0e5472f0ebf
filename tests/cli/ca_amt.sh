# The guide's AMT certificates: the provisioning certificate (a Web Server
# duplicate built from the directory with the AMT Provisioning application
# policy 2.16.840.1.113741.1.2.3 beside Server Authentication) and the
# 802.1X client certificate (a Workstation Authentication duplicate whose
# alternative name is the UPN, without a DNS name). Last, two template
# flags of the guide's other certificates: "include symmetric algorithms"
# (an S/MIME capabilities extension) and "do not store certificates and
# requests in the CA database" (issued and verifiable, but no rows; the
# serial is still never reused).
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
run_ok "CA certificate" ca cert --out "$SCRATCH/ca.pem"

P="ConfigMgr AMT Provisioning"
run_ok "group for the out of band service point" dir add-group "ConfigMgr OOB Servers"
run_ok "SERVER1 joins it" dir add-member "ConfigMgr OOB Servers" SERVER1
run_ok "New Application Policy: AMT Provisioning" oid add "AMT Provisioning" 2.16.840.1.113741.1.2.3
run_ok "duplicate Web Server" template duplicate "Web Server" "$P" --compat 2003
run_ok "build the subject from the directory" template set "$P" subject build
run_ok "subject format common name" template set "$P" subject-format cn
run_ok "application policies" template set "$P" app-policies "Server Authentication,AMT Provisioning"
run_ok "security" template acl "$P" --remove "Domain Admins:Enroll" \
    --remove "Enterprise Admins:Enroll" --allow "ConfigMgr OOB Servers:Read,Enroll"
run_ok "CA issues it" ca enable "$P"
run_ok "restart SERVER1" dir restart SERVER1
run_ok "SERVER1 enrolls" --tsv enroll --for SERVER1 --template "$P" --out "$SCRATCH/amt.pem"
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/amt.pem"
ok $? "openssl verify accepts it"
at_lab_time certtool --verify --load-ca-certificate "$SCRATCH/ca.pem" --infile "$SCRATCH/amt.pem" >/dev/null 2>&1
ok $? "certtool --verify accepts it"
TEXT=$(openssl x509 -in "$SCRATCH/amt.pem" -noout -text)
like "$TEXT" "TLS Web Server Authentication, 2.16.840.1.113741.1.2.3" "EKU: Server Authentication and AMT"
like "$(openssl x509 -in "$SCRATCH/amt.pem" -noout -subject)" "CN ?= ?server1.internal.contoso.com" \
    "CN is the computer's DNS name"
GOT=$(certtool -i --infile "$SCRATCH/amt.pem" | awk '/1.3.6.1.4.1.311.21.10/ { f = 1 } f && /Hexdump:/ { print $2; exit }')
is "$GOT" "301a300a06082b06010505070301300c060a6086480186f84d010203" \
    "application policies 21.10 carry both OIDs"
like "$TEXT" "1.3.6.1.4.1.311.25.2" "the SID security extension of a directory-built subject"

X="ConfigMgr AMT 802.1X Client Authentication Certificate"
run_ok "an AMT computer" dir add-computer AMT1 --dns amt1.contoso.com
run_ok "group for AMT computers" dir add-group "ConfigMgr AMT Computers"
run_ok "AMT1 joins it" dir add-member "ConfigMgr AMT Computers" AMT1
run_ok "duplicate Workstation Authentication" template duplicate "Workstation Authentication" "$X" --compat 2003
run_ok "build from the directory" template set "$X" subject build
run_ok "subject format common name" template set "$X" subject-format cn
run_ok "no DNS name" template set "$X" san-dns no
run_ok "UPN" template set "$X" san-upn yes
run_ok "security" template acl "$X" --remove "Domain Admins:Enroll" \
    --remove "Enterprise Admins:Enroll" --allow "ConfigMgr AMT Computers:Read,Enroll"
run_ok "CA issues it" ca enable "$X"
run_ok "restart AMT1" dir restart AMT1
run_fails 1 "without a UPN the CA refuses" --tsv enroll --for AMT1 --template "$X"
like "$OUT" "0x8009480d" "CERTSRV_E_SUBJECT_UPN_REQUIRED"
run_ok "give AMT1 a UPN" dir set AMT1 upn 'amt1@contoso.com'
run_ok "AMT1 enrolls" --tsv enroll --for AMT1 --template "$X" --out "$SCRATCH/x.pem"
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/x.pem"
ok $? "openssl verify accepts it"
TEXT=$(openssl x509 -in "$SCRATCH/x.pem" -noout -ext subjectAltName)
like "$TEXT" "UPN::?amt1@contoso.com" "SAN holds the UPN"
unlike "$TEXT" "DNS:" "SAN holds no DNS name"
like "$(openssl x509 -in "$SCRATCH/x.pem" -noout -text)" "TLS Web Client Authentication" \
    "Client Authentication"

# include-symmetric and do-not-store
M="Mail Gateway"
run_ok "duplicate Web Server (2008)" template duplicate "Web Server" "$M" --compat 2008
run_ok "include symmetric algorithms" template set "$M" include-symmetric yes
run_ok "do not store in the CA database" template set "$M" do-not-store yes
run_ok "CA issues it" ca enable "$M"
for i in 1 2; do
    openssl req -new -newkey rsa:2048 -nodes -keyout "$SCRATCH/m$i.key" \
        -subj "/CN=mail$i.contoso.com" -out "$SCRATCH/m$i.csr" 2>/dev/null
done
before=$(sqlite3 "$DB" 'SELECT count(*) FROM request; SELECT count(*) FROM certificate')
run_ok "two requests issued" submit --for Administrator --template "$M" --out-dir "$SCRATCH" \
    "$SCRATCH/m1.csr" "$SCRATCH/m2.csr"
like "$OUT" "not stored.*issued, serial [0-9a-f]{32}" "the output says the request is not stored"
M1=$(printf '%s\n' "$OUT" | sed -n 1p | sed 's/.*serial //')
M2=$(printf '%s\n' "$OUT" | sed -n 2p | sed 's/.*serial //')
for i in 1 2; do
    ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/m$i.pem"
    ok $? "certificate $i verifies"
done
is "$(sqlite3 "$DB" 'SELECT count(*) FROM request; SELECT count(*) FROM certificate')" \
    "$before" "no request or certificate rows"
is "$(sqlite3 "$DB" "SELECT count(*) FROM serial_used WHERE serial IN ('$M1', '$M2')")" "2" \
    "both serials are kept so they are never reused"
run_ok "issued view" --tsv ca list issued --filter "$M1"
is "$OUT" "" "not in Issued Certificates"
run_fails 1 "not revocable: the CA has no record" ca revoke "$M1"
SMIME=$(openssl asn1parse -in "$SCRATCH/m1.pem" | grep -A1 'S/MIME Capabilities' | tail -1 |
    cut -d: -f1 | tr -d ' ')
CAPS=$(openssl asn1parse -in "$SCRATCH/m1.pem" -strparse "$SMIME" | awk -F: '/OBJECT/ { print $NF }' |
    tr '\n' ' ')
is "$CAPS" "aes-256-cbc aes-128-cbc des-ede3-cbc " "S/MIME capabilities: AES-256, AES-128, 3DES"
run_ok "Web Server without the flags" submit --for Administrator --template "Web Server" \
    "$SCRATCH/m1.csr" --out "$SCRATCH/w.pem"
unlike "$(openssl x509 -in "$SCRATCH/w.pem" -noout -text)" "S/MIME" "has no S/MIME capabilities"
like "$OUT" "^Request [0-9]+: issued" "and is stored"
done_testing
