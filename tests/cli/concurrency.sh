# Several writers on one database at once, in embedded mode and through the
# CA service (certcon serve, --connect): two `submit` batches of 500
# requests, a `pulse --all` and two template edits of different settings
# run together. Every job exits 0, nobody sees "database is locked", all
# 1000 requests are issued, no serial appears twice, the pulse enrolls
# every computer, both template edits land, and the audit chain the
# writers appended to concurrently still verifies.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
chmod 700 "$SCRATCH" # the service refuses a database directory others can read
W="Web Server"
AE="Concurrent Workstation"
N=500

# the service's socket: a short path (sun_path holds 108 bytes)
SOCKDIR=$(mktemp -d /tmp/certcon-conc.XXXXXX)
SERVE_PID=
cleanup() {
    [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$SOCKDIR"
}
trap cleanup EXIT

# 2 x 500 distinct requests from one reused RSA-2048 key (Web Server wants 2048 bits)
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$SCRATCH/req.key" 2>/dev/null
mkdir -p "$SCRATCH/a" "$SCRATCH/b"
make_requests() { # DIR PREFIX
    i=0
    while [ $i -lt $N ]; do
        i=$((i + 1))
        openssl req -new -key "$SCRATCH/req.key" -subj "/CN=$2$i.contoso.com" \
            -out "$1/r$i.csr" 2>/dev/null || return 1
    done
}
make_requests "$SCRATCH/a" a & pa=$!
make_requests "$SCRATCH/b" b & pb=$!
wait $pa && wait $pb
ok $? "made $((2 * N)) requests"

# round MODE: the whole scenario on a fresh lab; MODE is embedded or served
round() {
    local m=$1 o="$SCRATCH/$1"
    mkdir -p "$o"
    new_lab "$m"
    # something for the pulse to enroll: a template Domain Computers autoenroll, a GPO
    run_ok "$m: duplicate Workstation Authentication" template duplicate \
        "Workstation Authentication" "$AE" --compat 2003
    run_ok "$m: Domain Computers may autoenroll" template acl "$AE" \
        --allow "Domain Computers:Read,Enroll,Autoenroll"
    run_ok "$m: enable it on the CA" ca enable "$AE"
    run_ok "$m: a GPO for computers" gpo create "Concurrent Autoenroll"
    run_ok "$m: linked to the domain" gpo link "Concurrent Autoenroll" contoso.com
    run_ok "$m: enabled" gpo autoenroll "Concurrent Autoenroll" --enable --renew --update
    run_ok "$m: a template for the two editors" template duplicate "Web Server" "Edited Web" \
        --compat 2003

    if [ "$m" = served ]; then
        local sock="$SOCKDIR/s.sock" i=0
        "$CERTCON" --db "$DB" serve --socket "$sock" 2>"$o/serve.log" &
        SERVE_PID=$!
        while [ ! -S "$sock" ] && [ $i -lt 100 ]; do
            sleep 0.1
            i=$((i + 1))
        done
        ok "$([ -S "$sock" ] && echo 0 || echo 1)" "$m: the service listens"
        client() { "$CERTCON" --connect "$sock" "$@"; }
    else
        client() { cc "$@"; }
    fi

    # everything at once
    client --tsv submit --for Administrator --template "$W" "$SCRATCH"/a/r*.csr \
        >"$o/a.out" 2>"$o/a.err" & p1=$!
    client --tsv submit --for Administrator --template "$W" "$SCRATCH"/b/r*.csr \
        >"$o/b.out" 2>"$o/b.err" & p2=$!
    client --tsv pulse --all >"$o/pulse.out" 2>"$o/pulse.err" & p3=$!
    client template set "Edited Web" validity 3y >"$o/e1.out" 2>"$o/e1.err" & p4=$!
    client template set "Edited Web" min-key-size 4096 >"$o/e2.out" 2>"$o/e2.err" & p5=$!
    wait $p1; ok $? "$m: submit batch A exits 0"
    wait $p2; ok $? "$m: submit batch B exits 0"
    wait $p3; ok $? "$m: pulse --all exits 0"
    wait $p4; ok $? "$m: template edit 1 exits 0"
    wait $p5; ok $? "$m: template edit 2 exits 0"
    for f in a b pulse e1 e2; do
        [ -s "$o/$f.err" ] && diag "$m $f: $(head -5 "$o/$f.err")"
    done
    if [ "$m" = served ]; then
        kill "$SERVE_PID"
        wait "$SERVE_PID" 2>/dev/null
        SERVE_PID=
        # the service's children queue on <db>.lock (STORE_SERIALIZE); embedded writers back off
        ok "$([ -f "$DB.lock" ] && echo 0 || echo 1)" "$m: the service's writers queued on $m.db.lock"
    else
        ok "$([ ! -e "$DB.lock" ] && echo 0 || echo 1)" "$m: embedded writers use no lock file"
    fi

    local locked
    locked=$(cat "$o"/*.out "$o"/*.err "$o"/*.log 2>/dev/null | grep -ci "database is locked")
    is "$locked" 0 "$m: nobody saw 'database is locked'"
    is "$(awk -F'\t' '$2 == "issued"' "$o/a.out" | wc -l)" "$N" "$m: batch A: $N issued"
    is "$(awk -F'\t' '$2 == "issued"' "$o/b.out" | wc -l)" "$N" "$m: batch B: $N issued"

    run_ok "$m: the issued view" --tsv ca list issued
    printf '%s\n' "$OUT" >"$o/issued.tsv"
    # columns: request id, requester, template, serial, valid from, valid to, CN
    local web
    web=$(awk -F'\t' '$3 == "WebServer"' "$o/issued.tsv" | wc -l)
    is "$web" $((2 * N)) "$m: the issued view holds all $((2 * N)) requests"
    cut -f3 "$o/a.out" "$o/b.out" | sort | uniq -d >"$o/dups"
    is "$(wc -l <"$o/dups")" 0 "$m: no serial issued twice to the batches"
    is "$(cut -f3 "$o/a.out" "$o/b.out" | sort -u | wc -l)" $((2 * N)) \
        "$m: $((2 * N)) distinct serials"
    is "$(cut -f4 "$o/issued.tsv" | sort | uniq -d | wc -l)" 0 \
        "$m: no serial twice in the issued view (pulse included)"
    is "$(sqlite3 "$DB" 'SELECT count(*) - count(DISTINCT serial) FROM certificate')" 0 \
        "$m: no duplicate serial in the CA database"

    # the pulse committed per principal and enrolled each computer that may autoenroll
    local host
    for host in CLIENT1 SERVER1 CA1; do
        run_ok "$m: store of $host" --tsv store list --for "$host"
        like "$OUT" "$AE" "$m: $host was enrolled from $AE by the pulse"
    done

    # the two editors changed different settings: both land
    run_ok "$m: show the edited template" --tsv template show "Edited Web"
    like "$OUT" "validity	3 years" "$m: edit 1 (validity) landed"
    like "$OUT" "min-key-size	4096" "$m: edit 2 (min-key-size) landed"

    # every issuance was audited, in one unbroken chain
    is "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE kind = 'certificate' AND field = 'issue'
                         AND new_value LIKE 'WebServer for %'")" $((2 * N)) \
        "$m: each of the $((2 * N)) issuances is audited"
    run_ok "$m: the audit chain verifies" audit verify
}

round embedded
round served

done_testing
