# Shared set-up of the ACME tests (tests/cli/acme*.sh): a contoso lab whose
# Web Server template is served over ACME, `certcon serve --https` on a free
# loopback port, and the real ACME clients run against it.
#
# The clients check the service's certificate against the machine's clock,
# and lego is a Go program, which no faketime reaches: the lab is pinned to
# the real hour of the run (outside any faketime a test runs under), and
# every client runs outside faketime too, so all agree on "now" on any date.
# shellcheck disable=SC2034
LAB_NOW=$(env -u LD_PRELOAD -u FAKETIME -u FAKETIME_SHARED date -u +%Y-%m-%dT%H:00:00Z)
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"

for tool in curl openssl sqlite3 "$@"; do
    command -v "$tool" >/dev/null || {
        echo "1..0 # SKIP $tool is not installed"
        exit 0
    }
done

# real COMMAND...: a client, on the machine's own clock
real() { env -u LD_PRELOAD -u FAKETIME -u FAKETIME_SHARED "$@"; }

SERVE_PID=
acme_cleanup() {
    [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null
    wait 2>/dev/null
}
trap acme_cleanup EXIT

# acme_lab: the lab, Web Server on ACME (the default directory), SERVER1$
# and the CA host allowed to enroll, the CA certificate in $CA_PEM.
acme_lab() {
    scratch
    new_lab
    chmod 700 "$SCRATCH"
    CA_PEM="$SCRATCH/ca.pem"
    cc template set "Web Server" acme on >/dev/null &&
        cc ca set acme-default "Web Server" &&
        cc template acl "Web Server" --allow 'CA1$:Enroll' --allow 'SERVER1$:Enroll' >/dev/null &&
        cc ca cert --out "$CA_PEM" || {
        echo "Bail out! the lab's ACME set-up failed"
        exit 1
    }
}

# acme_serve: certcon serve --https at a free port; $DIRURL is the directory,
# and plain HTTP (OCSP) at $HTTPURL
acme_serve() {
    PORT=$(free_port) && HPORT=$(free_port) || {
        echo "Bail out! no free port"
        exit 1
    }
    BASE="https://127.0.0.1:$PORT"
    DIRURL="$BASE/acme/directory"
    HTTPURL="http://127.0.0.1:$HPORT"
    "$CERTCON" --db "$DB" serve --socket "$SCRATCH/s.sock" --https "127.0.0.1:$PORT" \
        --http "127.0.0.1:$HPORT" 2>>"$SCRATCH/serve.log" &
    SERVE_PID=$!
    local i=0
    while [ $i -lt 100 ]; do
        real curl -fso /dev/null --cacert "$CA_PEM" "$DIRURL" && return 0
        kill -0 "$SERVE_PID" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    echo "Bail out! certcon serve --https did not answer"
    cat "$SCRATCH/serve.log" >&2
    exit 1
}

# eab PRINCIPAL [ARGS]: a new EAB key; $KID and $HMAC
eab() {
    local line
    line=$(cc --tsv acme eab --for "$@") || return 1
    KID=$(cut -f1 <<<"$line")
    HMAC=$(cut -f2 <<<"$line")
}

# uacme_run ARGS...: uacme against the service (libcurl with GnuTLS reads
# only the system's bundle: a mount namespace gives it the lab's root)
uacme_run() {
    real timeout 90 unshare -rm sh -c "mount --bind '$CA_PEM' /etc/ssl/certs/ca-certificates.crt &&
        exec uacme -o -a '$DIRURL' -t RSA -b 2048 -y $*"
}

# ocsp_status CERT: what the service's OCSP responder says of it (good, revoked)
ocsp_status() {
    real openssl ocsp -issuer "$CA_PEM" -cert "$1" -url "$HTTPURL/ocsp" -CAfile "$CA_PEM" \
        2>/dev/null | sed -n "s|^$1: ||p"
}

# lego_run DIR DOMAIN [lego options]: lego run against the service, output in $SCRATCH/DIR.log
lego_run() {
    local dir=$1 domain=$2
    shift 2
    real env LEGO_CA_CERTIFICATES="$CA_PEM" timeout 60 lego --server "$DIRURL" \
        --email admin@contoso.com --accept-tos --key-type rsa2048 --domains "$domain" \
        --path "$SCRATCH/$dir" "$@" run >"$SCRATCH/$dir.log" 2>&1
}
