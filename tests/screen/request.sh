#!/bin/sh
# The Request New Certificate wizard's Certificate Properties, walking the
# web server procedure of the deployment guide by keys only: on SERVER1,
# Personal -> All Tasks -> Request New Certificate -> ConfigMgr Web Server
# Certificate -> "More information is required..." -> Subject tab: the
# Subject name stays empty; Alternative name Type DNS with the values
# server1.internal.contoso.com and server.contoso.com (Add each; a bad name
# is refused as it is typed) -> OK -> Enroll. "Show all templates" lists
# the others with why each is unavailable. The issued certificate is then
# checked with openssl: an empty subject and the two DNS names.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup request

W="ConfigMgr Web Server Certificate"
{
    cc dir add-group "ConfigMgr IIS Servers"
    cc dir add-member "ConfigMgr IIS Servers" SERVER1
    cc template duplicate "Web Server" "$W" --compat 2003
    cc template set "$W" subject supply
    cc template acl "$W" --remove "Domain Admins:Enroll" --remove "Enterprise Admins:Enroll" \
        --allow "ConfigMgr IIS Servers:Read,Enroll"
    cc ca enable "$W"
    cc dir restart SERVER1
} >"$T/data.log" 2>&1

run_keys guide <<EOF2
# Certificates -> Connect to another computer... SERVER1 -> Personal
<Down><Down><Down><Down><Down><Down><Down><Down><Down><Down>
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
:dump $T/request-offers.txt
# Show all templates: the others, with why
<Down><Down><Down>
<Space>
:dump $T/request-show-all.txt
<Space>
<Up>
<Enter>
:dump $T/request-props.txt
# the Subject name stays empty: Alternative name -> Type DNS -> Value
<Tab><Tab><Tab>
:dump $T/request-san-type.txt
<Tab>
-bad-
:dump $T/request-san-bad.txt
<C-u>
server1.internal.contoso.com
<Tab>
<Enter>
server.contoso.com
<Tab>
<Enter>
:dump $T/request-san-added.txt
# General: the friendly name; Private Key: the key the template accepts
<F8>
IIS server1
:dump $T/request-general.txt
<F8>
:dump $T/request-key.txt
<Space>
:dump $T/request-key-types.txt
<Esc>
<Enter>
:dump $T/request-ready.txt
<Tab><Tab><Tab>
<Enter>
:dump $T/request-results.txt
<Enter>
:dump $T/request-personal.txt
EOF2
for d in offers show-all props san-type san-bad san-added general key key-types ready results \
    personal; do
    check_dump request-$d
done

# the certificate, as openssl reads it
cc export --for SERVER1 "$W" --pem "$T/server1.pem" >"$T/export.log" 2>&1
cc ca cert --out "$T/ca.pem" >>"$T/export.log" 2>&1
check "the certificate verifies with openssl" \
    sh -c "openssl verify -attime $(($(date -u -d "$CERTCON_NOW" +%s) + 86400)) -CAfile '$T/ca.pem' '$T/server1.pem' >/dev/null 2>&1"
openssl x509 -in "$T/server1.pem" -noout -subject -ext subjectAltName >"$T/x509.txt" 2>&1
check "the subject is empty" grep -qx 'subject=' "$T/x509.txt"
check "the SAN is critical (the subject is empty)" \
    grep -q 'Subject Alternative Name: critical' "$T/x509.txt"
check "both DNS names, in the order added" \
    grep -q 'DNS:server1.internal.contoso.com, DNS:server.contoso.com$' "$T/x509.txt"
check "the friendly name from the General tab is stored" \
    test "$(sqlite3 "$DB" "SELECT friendly_name FROM store_cert WHERE template != ''")" = "IIS server1"
screen_done
