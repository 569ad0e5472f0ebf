# The client-certificate procedure of the deployment guide, end to end:
# a v2 duplicate of Workstation Authentication that Domain Computers may
# autoenroll, a GPO linked to the domain, computers that restart, and the
# pulse's renewal, revocation, re-enrollment and policy decisions.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
T="ConfigMgr Client Certificate"

personal() { # PRINCIPAL: serials of valid certificates from $T in the Personal store
    "$CERTCON" --db "$DB" --tsv store list --for "$1" | awk -F'\t' -v t="$T" '$5 == t { print $7 }'
}

run_ok "duplicate Workstation Authentication (2003)" \
    template duplicate "Workstation Authentication" "$T" --compat 2003
run_ok "Domain Computers: Read, Enroll, Autoenroll" template acl "$T" \
    --allow "Domain Computers:Read,Enroll,Autoenroll"
run_ok "enable it on the CA" ca enable "$T"

# no GPO yet: a restart enrolls nothing and says why
run_ok "restart CLIENT1 without a GPO" dir restart CLIENT1
is "$(personal CLIENT1)" "" "no GPO, no certificate"
run_ok "explain the last pulse" pulse --for CLIENT1 --last
like "$OUT" "no group policy enables autoenrollment" "the pulse says no policy enables it"

run_ok "create the GPO" gpo create "Autoenroll Certificates"
run_ok "link it to the domain" gpo link "Autoenroll Certificates" contoso.com
run_ok "enable both boxes" gpo autoenroll "Autoenroll Certificates" --enable --renew --update
run_ok "restart CLIENT1" dir restart CLIENT1
run_ok "restart SERVER1" dir restart SERVER1
c1=$(personal CLIENT1)
s1=$(personal SERVER1)
ok "$([ -n "$c1" ] && [ "$(echo "$c1" | wc -l)" -eq 1 ]; echo $?)" "CLIENT1 holds one certificate from $T"
ok "$([ -n "$s1" ] && [ "$(echo "$s1" | wc -l)" -eq 1 ]; echo $?)" "SERVER1 holds one certificate from $T"
cc ca cert --out "$SCRATCH/ca.pem" >/dev/null
run_ok "export CLIENT1's certificate" export --for CLIENT1 "$c1" --pem "$SCRATCH/c1.pem"
ok "$(ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/c1.pem"; echo $?)" \
    "openssl verifies CLIENT1's certificate"
like "$(openssl x509 -in "$SCRATCH/c1.pem" -noout -ext extendedKeyUsage,subjectAltName 2>/dev/null)" \
    "TLS Web Client Authentication" "client authentication"
like "$(openssl x509 -in "$SCRATCH/c1.pem" -noout -ext subjectAltName 2>/dev/null)" \
    "DNS:client1.contoso.com" "DNS name from the directory"

run_ok "a second restart" dir restart CLIENT1
is "$(personal CLIENT1)" "$c1" "a second restart enrolls nothing new"
run_ok "explain" pulse --for CLIENT1 --explain
like "$OUT" "$T +none .*valid certificate is held" "explain: valid and not due"
like "$OUT" "Computer +skipped .*no Autoenroll" "explain: the Computer template lacks Autoenroll"

# renewal: the lab clock past 80% of the lifetime (one year: 292 days)
run_ok "pulse before the renewal window" --now 2027-08-01 pulse --for CLIENT1
is "$(personal CLIENT1)" "$c1" "not renewed before 80% of the lifetime"
run_ok "pulse in the renewal window" --now 2027-10-20 pulse --for CLIENT1
like "$OUT" "renewed $T" "renewed in the window"
c2=$(personal CLIENT1)
ok "$([ -n "$c2" ] && [ "$c2" != "$c1" ]; echo $?)" "a new certificate replaced the old one"

# revocation: a revoked certificate leaves the store and a new one comes
run_ok "revoke CLIENT1's certificate" ca revoke "$c2" --reason keyCompromise
run_ok "pulse after revocation" pulse --for CLIENT1 --explain
like "$OUT" "archived .*revoked" "the revoked certificate is archived"
c3=$(personal CLIENT1)
ok "$([ -n "$c3" ] && [ "$c3" != "$c2" ]; echo $?)" "a fresh certificate after revocation"

# Reenroll All Certificate Holders
run_ok "raise the major version" template reenroll "$T"
run_ok "pulse --all" pulse --all
like "$OUT" "CLIENT1.*reenrolled $T" "CLIENT1 reenrolls"
like "$OUT" "SERVER1.*reenrolled $T" "SERVER1 reenrolls"
c4=$(personal CLIENT1)
ok "$([ "$c4" != "$c3" ]; echo $?)" "CLIENT1 holds the new version"

# the GPO disabled: nothing enrolls
run_ok "disable the domain GPO" gpo autoenroll "Autoenroll Certificates" --disable
run_ok "a new workstation joins" dir add-computer WS2
run_ok "restart WS2 with autoenrollment disabled" dir restart WS2
is "$(personal WS2)" "" "with the GPO disabled nothing enrolls"
run_ok "why" pulse --for WS2 --last
like "$OUT" "disabled for the computer by group policy" "the pulse says the policy is disabled"

# an OU-linked GPO wins over the domain's
run_ok "a new server" dir add-computer APP1
run_ok "APP1 moves to the Servers OU" dir set APP1 ou Servers
run_ok "a GPO for the Servers OU" gpo create "Servers Autoenroll"
run_ok "link it to OU=Servers" gpo link "Servers Autoenroll" OU=Servers
run_ok "enable it" gpo autoenroll "Servers Autoenroll" --enable --update
run_ok "restart APP1 (in Servers)" dir restart APP1
is "$(personal APP1 | wc -l | tr -d ' ')" 1 "the OU's GPO wins over the disabled domain GPO"

# security filtering
run_ok "filter the Servers GPO to a group APP1 is not in" gpo filter "Servers Autoenroll" --add "Domain Controllers"
run_ok "pulse APP1" pulse --for APP1 --explain
like "$OUT" "disabled for the computer" "filtered out: the domain GPO decides again"

# bad input changes nothing
unchanged_after "link to an unknown scope" gpo link "Autoenroll Certificates" OU=Nowhere
like "$ERR" "neither the domain .* nor one of its organizational units" "unknown scope: says what exists"
unchanged_after "pulse for an unknown principal" pulse --for NOBODY
like "$ERR" "no principal named 'NOBODY'" "unknown principal: named"
unchanged_after "gpo autoenroll without a model" gpo autoenroll "Autoenroll Certificates" --renew
unchanged_after "a non-admin cannot change a GPO" --as CLIENT1 gpo autoenroll "Autoenroll Certificates" --enable --update

# a user template whose AD data is missing: the explanation says so
run_ok "enable autoenrollment for users" gpo autoenroll "Autoenroll Certificates" --enable --update --user
run_ok "a user without mail" dir add-user carol
run_ok "User duplicate that users may autoenroll" template duplicate User "Lab User" --compat 2003
run_ok "Domain Users autoenroll it" template acl "Lab User" --allow "Domain Users:Read,Enroll,Autoenroll"
run_ok "enable Lab User" ca enable "Lab User"
run_fails 1 "carol's pulse fails for Lab User" pulse --for carol --explain
like "$OUT" "Lab User +failed .*0x80094812" "explain: e-mail required (0x80094812)"
run_ok "a user with mail" dir add-user dave --mail dave@contoso.com
run_ok "dave logs on" dir logon dave
like "$OUT" "enrolled Lab User" "a logon runs the user's pulse"
ok "$(cc --tsv store list --for dave | awk -F'\t' '$5 == "Lab User"' | grep -q .; echo $?)" \
    "dave holds a Lab User certificate"
run_fails 1 "computers do not log on" dir logon CLIENT1

# CA certificate manager approval: pending, then fetched once issued
run_ok "a template that needs approval" template duplicate "Workstation Authentication" "Approved Client" --compat 2003
run_ok "approval required" template set "Approved Client" approval yes
run_ok "Domain Computers autoenroll it" template acl "Approved Client" --allow "Domain Computers:Read,Autoenroll"
run_ok "enable it" ca enable "Approved Client"
cc gpo autoenroll "Autoenroll Certificates" --enable --update --renew >/dev/null
run_ok "pulse WS2" pulse --for WS2
like "$OUT" "pending Approved Client" "the request waits for approval"
req=$(printf '%s\n' "$OUT" | sed -n 's/.*request \([0-9]*\) waits.*/\1/p' | head -1)
run_ok "the certificate manager issues it" ca approve "$req"
run_ok "the next pulse fetches it" pulse --for WS2
like "$OUT" "installed Approved Client" "the pulse reports the issued request"

# supersedence: a newer template replaces the old one's certificates
old_c1=$(personal CLIENT1)
run_ok "a v3 successor" template duplicate "Workstation Authentication" "Client v3" --compat 2008
run_ok "it supersedes the client template" template set "Client v3" superseded "$T"
run_ok "Domain Computers autoenroll it" template acl "Client v3" --allow "Domain Computers:Read,Autoenroll"
run_ok "enable it" ca enable "Client v3"
run_ok "pulse CLIENT1" pulse --for CLIENT1 --explain
like "$OUT" "Client v3 +enrolled .*supersedes" "the superseding template is enrolled"
like "$OUT" "$T +none .*'Client v3', which supersedes it" "the superseded template is left alone"
is "$(personal CLIENT1)" "" "the superseded certificate was archived"
ok "$(cc --tsv store list --for CLIENT1 | awk -F'\t' '$5 == "Client v3"' | grep -q .; echo $?)" \
    "CLIENT1 holds a Client v3 certificate"

# a template whose subject is supplied in the request is not autoenrolled
run_ok "a web server template computers may autoenroll" template duplicate "Web Server" "Auto Web"
run_ok "Domain Computers autoenroll it" template acl "Auto Web" --allow "Domain Computers:Read,Enroll,Autoenroll"
run_ok "enable it" ca enable "Auto Web"
run_ok "pulse CLIENT1" pulse --for CLIENT1 --explain
like "$OUT" "Auto Web +skipped .*supplied in the request" "supply-in-request templates are skipped"

# two pulses at once never enroll twice
run_ok "DC1: a fresh template DCs may autoenroll" template acl "$T" --allow "Domain Controllers:Read,Enroll,Autoenroll"
cc gpo autoenroll "Autoenroll Certificates" --enable --update >/dev/null
( cc pulse --for DC1 >/dev/null 2>&1 & cc pulse --for DC1 >/dev/null 2>&1 & wait )
is "$(personal DC1 | wc -l | tr -d ' ')" 1 "two concurrent pulses enrolled once"
done_testing
