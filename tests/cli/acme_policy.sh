# ACME orders meet the enterprise policy module as the account's bound
# principal: an account bound to CLIENT1 gets client1.contoso.com from the
# Computer template (built from its directory record), is refused a name
# its record does not hold under that template (0x80094001, the AD CS
# reason in the problem document), and is refused Web Server, which it may
# not enroll in (0x80094012); both refusals are Failed Requests of CLIENT1$.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/acme_lib.sh" lego
acme_lab
plan 14

run_ok "Computer is served over ACME" template set Computer acme on
acme_serve
MACHINE="$BASE/acme/Machine/directory"

# --- the name of the record: issued ------------------------------------------
eab CLIENT1
DIRURL=$MACHINE lego_run own client1.contoso.com --eab --kid "$KID" --hmac "$HMAC" \
    --http --http.port "127.0.0.1:$(free_port)"
ok $? "CLIENT1's account gets client1.contoso.com from Computer" ||
    diag "$(tail -3 "$SCRATCH/own.log")"
CERT="$SCRATCH/own/certificates/client1.contoso.com.crt"
ssl_verify "$CA_PEM" "$CERT"
ok $? "openssl verify accepts it"
like "$(openssl x509 -in "$CERT" -noout -ext subjectAltName)" "DNS:client1.contoso.com" \
    "it names client1.contoso.com"

# --- a name the record does not hold, under a template that builds names -------
eab CLIENT1
DIRURL=$MACHINE lego_run foreign server1.internal.contoso.com --eab --kid "$KID" --hmac "$HMAC" \
    --http --http.port "127.0.0.1:$(free_port)"
ok $((!$?)) "CLIENT1's account is refused server1.internal.contoso.com from Computer"
LOG=$(cat "$SCRATCH/foreign.log")
like "$LOG" "rejectedIdentifier" "as rejectedIdentifier"
like "$LOG" "0x80094001" "with the AD CS code"
like "$LOG" "does not hold server1.internal.contoso.com" "and the reason"

# --- a template CLIENT1 may not enroll in ---------------------------------------
eab CLIENT1
lego_run denied client1.contoso.com --eab --kid "$KID" --hmac "$HMAC" \
    --http --http.port "127.0.0.1:$(free_port)"
ok $((!$?)) "CLIENT1's account is refused Web Server"
LOG=$(cat "$SCRATCH/denied.log")
like "$LOG" "urn:ietf:params:acme:error:unauthorized" "as unauthorized"
like "$LOG" "0x80094012" "with CERTSRV_E_TEMPLATE_DENIED's code"

# --- both are Failed Requests ------------------------------------------------------
run_ok "ca list failed" --tsv ca list failed
# ID, status, disposition, message, resolved, requester, CN, template
like "$OUT" "	0x80094001	denied	[^	]*	[^	]*	CONTOSO..CLIENT1\\$	[^	]*	Machine\$" \
    "Failed Requests has the Computer refusal, requested by CLIENT1\$"
like "$OUT" "	0x80094012	denied	[^	]*	[^	]*	CONTOSO..CLIENT1\\$	[^	]*	WebServer\$" \
    "and the Web Server one"
