# ACME validation for real: lego gets names SERVER1's directory record does
# not hold, but Web Server (subject supplied in the request) allows, by an
# http-01 fetch of its own server, a tls-alpn-01 handshake (RFC 8737) with
# its own server, and a dns-01 TXT record it sets in pebble-challtestsrv,
# which is also the DNS server the CA is told to use (acme-resolver) and
# answers every A query with 127.0.0.1, as Let's Encrypt tests its own
# server. The server validates during the challenge POST. A proof that is
# not there makes the authorization invalid, and nothing is issued.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/acme_lib.sh" lego pebble-challtestsrv
acme_lab
plan 22

DNSPORT=$(free_port) && MGMT=$(free_port) && HTTP01=$(free_port) && TLS01=$(free_port) || {
    echo "Bail out! no free ports"
    exit 1
}
# env directly, not the real function: $! must be the server itself, for the trap to stop it
env -u LD_PRELOAD -u FAKETIME -u FAKETIME_SHARED pebble-challtestsrv -http01 "" -https01 "" \
    -tlsalpn01 "" -dns01 "127.0.0.1:$DNSPORT" -management "127.0.0.1:$MGMT" \
    >"$SCRATCH/challtestsrv.log" 2>&1 &
CTS_PID=$!
trap 'kill $CTS_PID 2>/dev/null; acme_cleanup' EXIT
i=0
until real curl -fs -o /dev/null -d '{"host":"probe.","value":"x"}' "http://127.0.0.1:$MGMT/set-txt"; do
    i=$((i + 1))
    [ $i -lt 100 ] || {
        echo "Bail out! pebble-challtestsrv did not start"
        exit 1
    }
    sleep 0.1
done

unchanged_after "acme-http-port is a port" ca set acme-http-port 70000
run_ok "the CA asks pebble-challtestsrv for names" ca set acme-resolver "127.0.0.1:$DNSPORT"
run_ok "and fetches http-01 at the client's port" ca set acme-http-port "$HTTP01"
run_ok "and connects for tls-alpn-01 at the client's port" ca set acme-tls-port "$TLS01"
acme_serve

# lego's exec DNS provider: present|cleanup FQDN VALUE, set in challtestsrv
cat >"$SCRATCH/dns.sh" <<SH
#!/bin/sh
case "\$1" in
present) curl -fs -d "{\"host\":\"\$2\",\"value\":\"\$3\"}" http://127.0.0.1:$MGMT/set-txt ;;
cleanup) curl -fs -d "{\"host\":\"\$2\"}" http://127.0.0.1:$MGMT/clear-txt ;;
esac
SH
chmod +x "$SCRATCH/dns.sh"
printf '#!/bin/sh\nexit 0\n' >"$SCRATCH/nodns.sh"
chmod +x "$SCRATCH/nodns.sh"

check_cert() { # NAME LOGDIR HOW
    local cert="$SCRATCH/$2/certificates/$1.crt"
    ssl_verify "$CA_PEM" "$cert"
    ok $? "openssl verify accepts $1 ($3)"
    like "$(openssl x509 -in "$cert" -noout -ext subjectAltName)" "DNS:$1" "it names $1"
    serial=$(openssl x509 -in "$cert" -noout -serial | cut -d= -f2 | tr A-F a-f)
    run ca list issued --tsv
    like "$OUT" "SERVER1\\\$	WebServer	$serial	" "SERVER1\$ requested it from Web Server"
}

eab SERVER1
lego_run http www.contoso.com --eab --kid "$KID" --hmac "$HMAC" --http --http.port "127.0.0.1:$HTTP01"
ok $? "lego gets www.contoso.com by http-01" || diag "$(tail -3 "$SCRATCH/http.log")"
like "$(cat "$SCRATCH/http.log")" "acme: Trying to solve HTTP-01" "it did solve an http-01 challenge"
check_cert www.contoso.com http http-01

eab SERVER1
lego_run tls tls.contoso.com --eab --kid "$KID" --hmac "$HMAC" --tls --tls.port "127.0.0.1:$TLS01"
ok $? "lego gets tls.contoso.com by tls-alpn-01" || diag "$(tail -3 "$SCRATCH/tls.log")"
check_cert tls.contoso.com tls tls-alpn-01

eab SERVER1
real env EXEC_PATH="$SCRATCH/dns.sh" EXEC_PROPAGATION_TIMEOUT=10 EXEC_POLLING_INTERVAL=1 \
    bash -c "$(declare -f lego_run real); DIRURL='$DIRURL' CA_PEM='$CA_PEM' SCRATCH='$SCRATCH' \
    lego_run dns dns.contoso.com --eab --kid '$KID' --hmac '$HMAC' --dns exec \
    --dns.resolvers 127.0.0.1:$DNSPORT --dns.disable-cp"
ok $? "lego gets dns.contoso.com by dns-01" || diag "$(tail -3 "$SCRATCH/dns.log")"
check_cert dns.contoso.com dns dns-01

# --- proofs that are not there -------------------------------------------------
eab SERVER1
lego_run nohttp nohttp.contoso.com --eab --kid "$KID" --hmac "$HMAC" \
    --http --http.port "127.0.0.1:$(free_port)"
ok $((!$?)) "an http-01 proof served at another port than the CA fetches fails"
like "$(cat "$SCRATCH/nohttp.log")" "urn:ietf:params:acme:error:connection" \
    "as a connection problem"
eab SERVER1
real env EXEC_PATH="$SCRATCH/nodns.sh" EXEC_PROPAGATION_TIMEOUT=2 EXEC_POLLING_INTERVAL=1 \
    bash -c "$(declare -f lego_run real); DIRURL='$DIRURL' CA_PEM='$CA_PEM' SCRATCH='$SCRATCH' \
    lego_run nodns nodns.contoso.com --eab --kid '$KID' --hmac '$HMAC' --dns exec \
    --dns.resolvers 127.0.0.1:$DNSPORT --dns.disable-cp"
ok $((!$?)) "a dns-01 challenge whose TXT record was never set fails"
like "$(cat "$SCRATCH/nodns.log")" "urn:ietf:params:acme:error:dns" "as a dns problem"
run ca list issued --tsv
unlike "$OUT" "nohttp|nodns" "and neither name was issued"
