#!/bin/sh
# Screen tests of the CA node's own menu: Properties (General with View
# Certificate, Policy Module, Extensions, Storage, Certificate Managers,
# Auditing, Security) and All Tasks -> Publish. The Extensions tab
# shows the base URL and, for the CDP and AIA, a choice of derived from
# it, a URL of one's own or none, with the URL in effect; it checks URLs
# as they are typed; OK writes the URLs and the role changes
# through the calls `ca set` and `ca roles` use, which the command line and
# a certificate issued afterwards then show. A non-administrator's change
# is refused by the CA, shown whole, and changes nothing.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup ca-props
cc dir add-user alice >"$T/data.log" 2>&1


run_keys sheet <<EOF2
<Down><Down><Down>
<Enter>
:dump $T/caprops-menu.txt
<Down><Down>
<Enter>
:dump $T/caprops-general.txt
<Enter>
:dump $T/caprops-viewer.txt
<Esc>
<F8>
:dump $T/caprops-policy.txt
# F8 leaves the focus on the tab row; Tab goes to the first field, the base URL
<F8>
:dump $T/caprops-ext.txt
<Tab>
<C-u>
http://pki.contoso.com:8080
<Tab>
<Down>
<Tab>
ftp://pki.contoso.com/x.crl
:dump $T/caprops-ext-bad.txt
# the reason fits the message line: Enter changes nothing
<Enter>
<C-u>
http://pki.contoso.com/pki/contoso.crl
<Tab>
<Down>
<Tab>
http://pki.contoso.com/pki/contoso.crt
:dump $T/caprops-ext-good.txt
<F8>
<F8>
:dump $T/caprops-managers.txt
<F8>
:dump $T/caprops-auditing.txt
<F8>
# Add... alice, give her Issue and Manage Certificates
<Tab><Tab>
<Enter>
alice
<Enter>
# the focus is back on Add...; Remove, then Read's Allow and Deny, then Issue's Allow
<Tab><Tab><Tab><Tab>
<Space>
:dump $T/caprops-security.txt
<Enter>
:dump $T/caprops-closed.txt
EOF2
for d in menu general viewer policy ext ext-bad ext-good managers auditing security closed; do
    check_dump caprops-$d
done
cc ca show >"$T/show.txt" 2>&1
check "OK wrote the CDP URL" grep -q 'CRL distribution point.*http://pki.contoso.com/pki/contoso.crl' "$T/show.txt"
check "OK wrote the AIA URL" grep -q 'Authority information access.*http://pki.contoso.com/pki/contoso.crt' "$T/show.txt"
check "OK wrote the base URL" grep -q '^Base URL  *http://pki.contoso.com:8080$' "$T/show.txt"
check "the OCSP URL follows the new base URL" grep -q '^OCSP  *http://pki.contoso.com:8080/ocsp$' "$T/show.txt"
cc --tsv ca roles >"$T/roles.tsv" 2>&1
check "OK gave alice Issue and Manage Certificates" \
    grep -q '^CONTOSO\\\\alice	Read, Issue and Manage Certificates	$' "$T/roles.tsv"
# alice, now a certificate manager, may approve; a certificate issued now carries the URLs
cc enroll --for Administrator --template "Web Server" --cn www.contoso.com >"$T/enroll.log" 2>&1
cc ca get 1 --out "$T/www.pem" >>"$T/enroll.log" 2>&1
openssl x509 -in "$T/www.pem" -noout -ext crlDistributionPoints,authorityInfoAccess \
    >"$T/www.ext" 2>&1
check "the next certificate names the new CDP" grep -q 'URI:http://pki.contoso.com/pki/contoso.crl' "$T/www.ext"
check "the next certificate names the new AIA" grep -q 'CA Issuers - URI:http://pki.contoso.com/pki/contoso.crt' "$T/www.ext"

# in the smallest console the reason is cut: Enter on the held-back OK shows it whole
run_keys why 64x18 <<EOF2
<Down><Down><Down>
<Enter>
<Down><Down>
<Enter>
<F8><F8>
# the base URL's refusal names the URL: too long for this message line
<Tab>
<C-u>
ftp://pki.contoso.com/certificate-services/contoso-ca1/distribution
:dump $T/caprops-ext-cut.txt
<Enter>
:dump $T/caprops-ext-why.txt
EOF2
check_dump caprops-ext-cut
check_dump caprops-ext-why

# Storage names the database and the key as the console was given them
# (relative here, so that the golden does not hold the build directory)
printf '%s\n' '<Down><Down><Down>' '<Enter>' '<Down><Down>' '<Enter>' '<F8><F8><F8>' \
    ":dump $T/caprops-storage.txt" >"$T/storage.keys"
if (cd "$T" && COLUMNS=80 LINES=24 "$CERTCON" --db lab.db --script storage.keys \
    >storage.out 2>&1); then ok "the console ran on a relative path"; else not_ok "the console ran on a relative path"; fi
check_dump caprops-storage

# All Tasks -> Publish -> New CRL publishes as `ca crl` does
run_keys crl <<EOF2
<Down><Down><Down>
<Enter>
<Enter>
<Right>
:dump $T/caprops-tasks.txt
<Enter>
<Enter>
:dump $T/caprops-crl.txt
EOF2
check_dump caprops-tasks
check_dump caprops-crl
cc ca show >"$T/show2.txt" 2>&1
check "Publish -> New CRL published CRL number 1" grep -q 'Last CRL number *1$' "$T/show2.txt"

# alice is no CA Administrator: the CA refuses her change, shown whole, and nothing changes
cat >"$T/refused.keys" <<EOF2
<Down><Down><Down>
<Enter>
<Down><Down>
<Enter>
<F8><F8>
<Tab>
<C-u>
http://evil.example
<Enter>
:dump $T/caprops-refused.txt
EOF2
if COLUMNS=80 LINES=24 "$CERTCON" --db "$DB" --as alice --script "$T/refused.keys" \
    >"$T/refused.out" 2>&1; then ok "the console ran as alice"; else not_ok "the console ran as alice"; fi
check_dump caprops-refused
cc ca show >"$T/show3.txt" 2>&1
check "the refused change left the CDP URL as it was" \
    grep -q 'CRL distribution point.*http://pki.contoso.com/pki/contoso.crl' "$T/show3.txt"
check "the refused change left the base URL as it was" \
    grep -q '^Base URL  *http://pki.contoso.com:8080$' "$T/show3.txt"

# back to a derived CDP and no AIA: the word 'auto' is never typed, and `ca show` agrees
run_keys derive <<EOF2
<Down><Down><Down>
<Enter>
<Down><Down>
<Enter>
<F8><F8>
<Tab><Tab>
<Up>
# the CDP's own URL field is off now: Tab goes on to the AIA choice
<Tab>
<Down>
:dump $T/caprops-ext-derive.txt
<Enter>
EOF2
check_dump caprops-ext-derive
cc ca show >"$T/show4.txt" 2>&1
check "Derive wrote a CDP from the base URL" \
    grep -q '^CRL distribution point  *http://pki.contoso.com:8080/crl/contoso-CA1-CA.crl (from the base URL)$' "$T/show4.txt"
check "None left the AIA out" grep -q '^Authority information access  *(none)$' "$T/show4.txt"

# Security: Remove takes the selected entry (alice's, first by name) out and
# selects the first principal left, whose rights the grid then shows
run_keys sec-remove <<EOF2
<Down><Down><Down>
<Enter>
<Down><Down>
<Enter>
<F8><F8><F8><F8><F8><F8>
<Tab>
<Down>
<Up>
<Tab><Tab>
<Enter>
:dump $T/caprops-sec-removed.txt
<Tab>
<Enter>
EOF2
check_dump caprops-sec-removed
cc --tsv ca roles >"$T/roles2.tsv" 2>&1
check "Remove took alice's entry out" sh -c "! grep -q 'alice' '$T/roles2.tsv'"
check "and left the others" grep -q 'Domain Admins' "$T/roles2.tsv"
screen_done
