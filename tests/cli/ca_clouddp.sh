# The guide's service certificate for cloud-based distribution points: a
# Web Server duplicate whose key may be exported, requested with the common
# name clouddp1.contoso.com and exported to a PFX that OpenSSL opens with its
# password (AES-256/SHA-256 by default, 3DES/SHA-1 with --legacy-pfx), plus
# the DER, Base-64 and PKCS #7 exports.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
T="ConfigMgr Cloud-Based Distribution Point Certificate"

run_ok "create ConfigMgr Site Servers" dir add-group "ConfigMgr Site Servers"
run_ok "SERVER1 joins it" dir add-member "ConfigMgr Site Servers" SERVER1
run_ok "duplicate Web Server" template duplicate "Web Server" "$T" --compat 2003
run_ok "allow private key export" template set "$T" exportable yes
run_ok "security" template acl "$T" --remove "Enterprise Admins:Enroll" \
    --allow "ConfigMgr Site Servers:Read,Enroll"
run_ok "CA issues it" ca enable "$T"
run_ok "restart SERVER1" dir restart SERVER1
run_ok "enroll with CN clouddp1.contoso.com" --tsv enroll --for SERVER1 --template "$T" \
    --cn clouddp1.contoso.com --out "$SCRATCH/dp.pem"
SERIAL=$(printf '%s' "$OUT" | cut -f3)
like "$(openssl x509 -in "$SCRATCH/dp.pem" -noout -subject)" "CN ?= ?clouddp1.contoso.com" \
    "subject CN from the request"
run_ok "store shows an exportable key" --tsv store list --for SERVER1
like "$OUT" "yes, exportable	$SERIAL" "exportable key in the Personal store"
run_ok "CA certificate" ca cert --out "$SCRATCH/ca.pem"

printf 'Pa55w0rd!\n' >"$SCRATCH/pw"
run_ok "export PFX with the chain" export --for SERVER1 "$T" --pfx "$SCRATCH/dp.pfx" \
    --password-file "$SCRATCH/pw" --chain --friendly-name "Cloud DP"
is "$(stat -c %a "$SCRATCH/dp.pfx")" "600" "the PFX file is private (0600)"
INFO=$(openssl pkcs12 -in "$SCRATCH/dp.pfx" -info -nodes -passin file:"$SCRATCH/pw" 2>&1)
ok $? "openssl pkcs12 opens the PFX with its password"
like "$INFO" "BEGIN PRIVATE KEY" "the PFX holds the private key"
like "$INFO" "subject=CN ?= ?clouddp1.contoso.com" "and the certificate"
like "$INFO" "subject=DC ?= ?com, DC ?= ?contoso, CN ?= ?contoso-CA1-CA" "and the CA (chain)"
like "$INFO" "PBES2, PBKDF2, AES-256-CBC" "AES-256 encryption by default"
like "$INFO" "MAC: sha256" "HMAC-SHA256 MAC"
like "$INFO" "friendlyName: Cloud DP" "friendly name"
openssl pkcs12 -in "$SCRATCH/dp.pfx" -nocerts -nodes -passin file:"$SCRATCH/pw" 2>/dev/null |
    openssl pkey -pubout >"$SCRATCH/k.pub" 2>/dev/null
openssl x509 -in "$SCRATCH/dp.pem" -noout -pubkey >"$SCRATCH/c.pub"
cmp -s "$SCRATCH/k.pub" "$SCRATCH/c.pub"
ok $? "the PFX's key matches the certificate"
echo wrong >"$SCRATCH/bad"
openssl pkcs12 -in "$SCRATCH/dp.pfx" -info -nodes -passin file:"$SCRATCH/bad" >/dev/null 2>&1
is "$?" "1" "a wrong password does not open it"

export DP_PASSWORD='another secret'
run_ok "legacy PFX, password from the environment" export --for SERVER1 "$SERIAL" \
    --pfx "$SCRATCH/legacy.pfx" --password-env DP_PASSWORD --legacy-pfx
INFO=$(openssl pkcs12 -in "$SCRATCH/legacy.pfx" -info -nodes -passin env:DP_PASSWORD 2>&1)
ok $? "openssl opens the legacy PFX"
like "$INFO" "pbeWithSHA1And3-KeyTripleDES-CBC" "3DES"
like "$INFO" "MAC: sha1" "SHA-1 MAC"

run_fails 2 "a password on the command line is not an option" export --for SERVER1 "$T" \
    --pfx "$SCRATCH/x.pfx" --password secret
run_fails 1 "no terminal and no password source" export --for SERVER1 "$T" \
    --pfx "$SCRATCH/x.pfx" </dev/null
test ! -e "$SCRATCH/x.pfx"
ok $? "nothing written"

run_ok "Base-64 export" export --for SERVER1 "$T" --pem "$SCRATCH/dp.cer"
cmp -s "$SCRATCH/dp.cer" "$SCRATCH/dp.pem"
ok $? "Base-64 export is the certificate"
run_ok "PKCS #7 with the chain" export --for SERVER1 "$T" --p7b "$SCRATCH/dp.p7b" --chain
is "$(openssl pkcs7 -inform DER -in "$SCRATCH/dp.p7b" -print_certs | grep -c '^subject=')" "2" \
    "the .p7b holds the certificate and the CA"
run_fails 1 "unwritable output path" export --for SERVER1 "$T" --der /nonexistent/dir/x.cer
like "$ERR" "cannot write /nonexistent/dir/x.cer" "names the path"
done_testing
