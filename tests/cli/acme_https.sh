#!/bin/bash
# ACME is an HTTPS protocol (RFC 8555 section 6.1): a production CA's
# service refuses it on its plain HTTP listener, with a problem document
# that says where to go and a fresh nonce, and creates no account; the same
# request over HTTPS reaches ACME. A lab database still answers on plain
# HTTP, for a class's clients on loopback.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
chmod 700 "$SCRATCH"
plan 17

SERVE_PID=
trap '[ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; wait 2>/dev/null' EXIT
PORT=$(free_port) && PORT2=$(free_port) || {
    echo "Bail out! no free port"
    exit 1
}
[ "$PORT" != "$PORT2" ] || PORT2=$((PORT + 1))

# serve_on DB: the service on both listeners, until the plain one answers
serve_on() {
    [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
    rm -f "$SCRATCH/s.sock"
    "$CERTCON" --db "$1" serve --socket "$SCRATCH/s.sock" --https "127.0.0.1:$PORT" \
        --http "127.0.0.1:$PORT2" 2>>"$SCRATCH/serve.log" &
    SERVE_PID=$!
    for _ in $(seq 100); do
        curl -so /dev/null "http://127.0.0.1:$PORT2/acme/directory" && return 0
        sleep 0.1
    done
    return 1
}
# get URL [curl args]: status in $CODE, body in $BODY, headers in $HEADERS
get() {
    CODE=$(curl -sk -o "$SCRATCH/body" -D "$SCRATCH/headers" -w '%{http_code}' "$@")
    BODY=$(cat "$SCRATCH/body")
    HEADERS=$(tr -d '\r' <"$SCRATCH/headers")
}

DB="$SCRATCH/prod.db"
run_ok "init a production CA" init --domain contoso.com --ca-name contoso-CA
# the service's own HTTPS certificate is issued to the CA host's account, which init made
run_ok "init made the CA host's computer account" dir show 'CA$'
run_ok "which may enroll for Web Server" template acl "Web Server" --allow 'CA$:Enroll'
run_ok "Web Server is served over ACME" template set "Web Server" acme on
run_ok "Web Server is the CA's default ACME template" ca set acme-default "Web Server"
serve_on "$DB"
ok $? "the service answers"

get "http://127.0.0.1:$PORT2/acme/directory"
is "$CODE" 403 "plain HTTP: the directory is refused"
like "$HEADERS" "Content-Type: application/problem\\+json" "with a problem document"
like "$BODY" '"type": *"urn:ietf:params:acme:error:unauthorized"' "of type unauthorized"
like "$BODY" "ACME is served over HTTPS only: use the address of certcon serve --https" \
    "that says where ACME is"
like "$HEADERS" "Replay-Nonce: [A-Za-z0-9_-]+" "and a nonce, as every ACME answer has"
get "http://127.0.0.1:$PORT2/acme/new-account" -X POST -H 'Content-Type: application/jose+json' \
    --data '{"protected":"e30","payload":"e30","signature":"AA"}'
is "$CODE" 403 "plain HTTP: new-account is refused before anything is read"
is "$(sqlite3 "$DB" 'SELECT count(*) FROM acme_account')" 0 "no account was made"

get "https://127.0.0.1:$PORT/acme/directory"
is "$CODE" 200 "HTTPS: the directory is served"
like "$BODY" '"newAccount": *"https://127\.0\.0\.1:'"$PORT"'/acme/WebServer/new-account"' \
    "naming HTTPS URLs"

new_lab
cc template acl "Web Server" --allow 'CA1$:Enroll' >/dev/null
cc template set "Web Server" acme on >/dev/null
run_ok "a lab: Web Server is the default ACME template" ca set acme-default "Web Server"
serve_on "$DB"
get "http://127.0.0.1:$PORT2/acme/directory"
is "$CODE" 200 "a lab answers ACME on plain HTTP, for its clients on loopback"
