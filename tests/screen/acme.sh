#!/bin/sh
# Screen tests of the ACME node under the CA, on a lab where uacme made an
# ACME account with an EAB key for SERVER1 and ordered a certificate (over
# the service's plain HTTP listener: no TLS, so the client needs no clock
# that agrees with the lab's). The node lists the account (principal, key
# thumbprint, created, orders); Enter on it offers Orders, which lists its
# order and the certificate it became, and Revoke Account, which asks
# first and then deactivates it (its Orders say so). Issue EAB Key... wants a user or
# computer before OK, F2 shows the `certcon acme eab` command (never the
# HMAC key), and OK shows the key ID and HMAC key once with a warning. A
# user without Manage CA is refused with a message that says why. A lab
# that does not use ACME has no ACME node. All at 80x24, keys only.
. "$TESTS_SRCDIR/screen/lib.sh"
for tool in uacme curl sqlite3 perl; do
    command -v "$tool" >/dev/null || {
        echo "1..0 # SKIP $tool is not installed"
        exit 0
    }
done
screen_setup acme

# a lab without ACME: no node (every other screen stays as it was)
run_keys none <<EOF2
<Down><Down><Down><Down><Down><Down><Down><Down><Down><Down>
:dump $T/acme-none.txt
EOF2
check "a lab that does not use ACME has no ACME node" sh -c "! grep -q 'ACME' '$T/acme-none.txt'"

{
    cc template set "Web Server" acme on
    cc ca set acme-default "Web Server"
    cc template acl "Web Server" --allow 'SERVER1$:Enroll'
} >"$T/data.log" 2>&1
LINE=$(cc --tsv acme eab --for SERVER1 2>>"$T/data.log")
KID=$(printf '%s\n' "$LINE" | cut -f1)
HMAC=$(printf '%s\n' "$LINE" | cut -f2)

# the service's HTTP side for uacme, then the lab as the test found it
port() {
    local p i
    for i in $(seq 1 50); do
        p=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || {
            echo "$p"
            return 0
        }
    done
    return 1
}
SERVED=${SERVE_SOCK:+1}
screen_unserve
chmod 700 "$T"
PORT=$(port)
"$CERTCON" --db "$DB" serve --socket "$T/acme.sock" --http "127.0.0.1:$PORT" >"$T/acme-serve.log" 2>&1 &
ACME_PID=$!
DIRURL="http://127.0.0.1:$PORT/acme/directory"
i=0
until curl -fso /dev/null "$DIRURL" || [ $i -ge 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
mkdir -p "$T/uacme"
U="uacme -o -a $DIRURL -c $T/uacme -t RSA -b 2048 -y"
env -u LD_PRELOAD -u FAKETIME timeout 60 sh -c "$U -e '$KID:$HMAC' new admin@contoso.com &&
    $U issue server1.internal.contoso.com" >"$T/uacme.log" 2>&1
check "uacme makes an account and gets a certificate" test -f "$T/uacme/server1.internal.contoso.com/cert.pem"
kill "$ACME_PID" 2>/dev/null
wait "$ACME_PID" 2>/dev/null
[ -n "$SERVED" ] && screen_serve

# key thumbprints, key IDs and HMAC keys are random: stand-ins of the same
# width (a thumbprint's column shows only its start)
acme_check() {
    sqlite3 -cmd ".timeout 5000" "$DB" "SELECT thumbprint FROM acme_account UNION ALL SELECT kid FROM acme_eab" \
        >"$T/secrets.txt" 2>"$T/secrets.err" || echo "# the keys to mask could not be read: $(cat "$T/secrets.err")"
    perl -i -e 'open my $f, "<", shift or die; chomp(my @k = <$f>);
        while (my $l = <>) {
            for my $k (@k) {
                for (my $n = length $k; $n >= 6; $n--) {
                    my $p = quotemeta substr($k, 0, $n);
                    $l =~ s/$p/"#" x $n/ge;
                }
            }
            $l =~ s/^(.*(?:Key ID|HMAC key): +)(\S+)/$1 . "#" x length $2/e;
            print $l;
        }' "$T/secrets.txt" "$T/$1.txt"
    check_dump "$1"
}

# the node, an account's menu, its orders, Revoke Account asked, then done
run_keys accounts <<EOF2
<Down><Down><Down><Down><Down><Down><Down><Down><Down><Down>
:dump $T/acme-accounts.txt
<Tab>
<Enter>
:dump $T/acme-menu.txt
<Enter>
:dump $T/acme-orders.txt
<Esc>
<Enter>
<Down>
<Enter>
:dump $T/acme-revoke-ask.txt
<Left>
<Enter>
:dump $T/acme-revoked.txt
<Enter>
<Enter>
<Enter>
:dump $T/acme-revoked-orders.txt
EOF2
for d in accounts menu orders revoke-ask revoked revoked-orders; do
    acme_check acme-$d
done
check "the account is deactivated" sh -c "$CERTCON $(lab_args) --tsv acme accounts | grep -q '	deactivated	'"

# Issue EAB Key...: OK waits for a principal; F2; OK shows the key once
run_keys eab <<EOF2
<Down><Down><Down><Down><Down><Down><Down><Down><Down><Down>
<Enter>
<Enter>
:dump $T/acme-eab.txt
SERVER1
<Tab><Tab>
<Right>
<F2>
:dump $T/acme-eab-command.txt
<Esc>
<Tab>
<Enter>
:dump $T/acme-eab-key.txt
<Enter>
EOF2
for d in eab eab-command eab-key; do
    acme_check acme-$d
done
check "F2 names the command, never the HMAC key" \
    sh -c "grep -q \"certcon acme eab --for SERVER1 --template 'Web Server'\" '$T/acme-eab-command.txt' &&
        ! grep -q 'HMAC' '$T/acme-eab-command.txt'"
check "OK warns the HMAC key is not shown again" grep -q "will not be shown again" "$T/acme-eab-key.txt"
check "a second key was issued" \
    test "$(sqlite3 -cmd ".timeout 5000" "$DB" "SELECT COUNT(*) FROM acme_eab WHERE template = 'WebServer'")" = 1

# a user without Manage CA: refused, with the reason
AS=CLIENT1 run_keys refused <<EOF2
<Down><Down><Down><Down><Down><Down><Down><Down><Down><Down>
<Enter>
<Enter>
SERVER1
<Tab><Tab><Tab>
<Enter>
:dump $T/acme-eab-refused.txt
EOF2
acme_check acme-eab-refused
check "the refusal names the permission" grep -q "Manage CA" "$T/acme-eab-refused.txt"
check "and no key was issued" \
    test "$(sqlite3 -cmd ".timeout 5000" "$DB" "SELECT COUNT(*) FROM acme_eab")" = 2
screen_done
