#!/bin/sh
# Screen tests of the CA's CRL publication in the console: the CA node's
# All Tasks -> Publish asks New CRL or Delta CRL only (the delta only while
# delta CRLs are on) and publishes what `ca crl` and `ca crl --delta`
# publish; the Revoked Certificates node's Properties edit the CRL and
# delta CRL publication intervals and publish on revoke through the calls
# `ca set` makes, show the current CRLs' next updates, and refuse an
# interval that is no period without changing anything; with publish on
# revoke, a revocation made in the console publishes at once.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup crl

# a revoked certificate, so that the CRLs have something to list
cc enroll --for Administrator --template "Web Server" --cn www.contoso.com >"$T/data.log" 2>&1
cc ca get 1 --out "$T/www.pem" >>"$T/data.log" 2>&1
serial=$(openssl x509 -in "$T/www.pem" -noout -serial | sed 's/^serial=//')
cc ca revoke "$serial" --reason keyCompromise >>"$T/data.log" 2>&1

# Publish -> New CRL, then Publish -> Delta CRL only
run_keys publish <<EOF2
<Down><Down><Down>
<Enter>
<Enter>
<Right>
:dump $T/crl-tasks.txt
<Enter>
:dump $T/crl-publish.txt
<Enter>
:dump $T/crl-published.txt
<Enter>
<Enter>
<Enter>
<Right>
<Enter>
<Down>
:dump $T/crl-publish-delta.txt
<Enter>
:dump $T/crl-published-delta.txt
EOF2
for d in tasks publish published publish-delta published-delta; do
    check_dump crl-$d
done
cc ca show >"$T/show1.txt" 2>&1
check "Publish published a base CRL and then a delta CRL" grep -q '^Last CRL number  *2$' "$T/show1.txt"

# Revoked Certificates -> Properties: 2 weeks, delta every 12 hours, publish on revoke
run_keys props <<EOF2
<Down><Down><Down><Down>
<Enter>
:dump $T/crl-revoked-menu.txt
<Down><Down>
<Enter>
:dump $T/crl-props.txt
<C-u>
x
:dump $T/crl-props-bad.txt
# OK is held back: Enter on it shows why and changes nothing
<Enter>
<Enter>
<C-u>
2
<Tab><Tab><Tab>
<C-u>
12
<Tab>
<Left>
<Tab>
<Space>
:dump $T/crl-props-good.txt
<Enter>
EOF2
for d in revoked-menu props props-bad props-good; do
    check_dump crl-$d
done
cc ca show >"$T/show2.txt" 2>&1
check "OK wrote the CRL period" grep -q '^CRL period  *2 weeks$' "$T/show2.txt"
check "OK wrote the delta CRL period" grep -q '^Delta CRL period  *12 hours$' "$T/show2.txt"
check "OK turned publish on revoke on" grep -q '^Publish on revoke  *on$' "$T/show2.txt"

# delta CRLs off in the sheet: Publish offers New CRL only
run_keys off <<EOF2
<Down><Down><Down><Down>
<Enter>
<Down><Down>
<Enter>
<Tab><Tab>
<Space>
:dump $T/crl-props-off.txt
<Enter>
<Up>
<Enter>
<Enter>
<Right>
<Enter>
:dump $T/crl-publish-off.txt
<Esc>
EOF2
check_dump crl-props-off
check_dump crl-publish-off
cc ca show >"$T/show3.txt" 2>&1
check "unchecking Publish Delta CRLs turned deltas off" grep -q '^Delta CRL period  *0 (no delta CRLs)$' "$T/show3.txt"
check "the CRL period stayed" grep -q '^CRL period  *2 weeks$' "$T/show3.txt"

# publish on revoke (still on): a revocation in the console publishes at
# once, as `ca revoke` does (deltas are off now, so a base CRL)
cc enroll --for Administrator --template "Web Server" --cn www2.contoso.com >>"$T/data.log" 2>&1
run_keys revoke <<EOF2
<Down><Down><Down><Down><Down>
<Tab>
<Enter>
<Down>
<Right>
<Enter>
<S-Tab>
<Enter>
:dump $T/crl-revoke-published.txt
<Enter>
EOF2
check_dump crl-revoke-published
cc --tsv ca list revoked >"$T/revoked.tsv" 2>&1
check "the console revoked www2" test "$(wc -l <"$T/revoked.tsv")" -eq 2
cc ca show >"$T/show4.txt" 2>&1
check "the revocation published CRL number 3 at once" grep -q '^Last CRL number  *3$' "$T/show4.txt"
screen_done
