# Several writers on one database at once (embedded mode): two `submit`
# batches of 500 requests, a `pulse --all` and two template edits of
# different settings run together. Every job exits 0, nobody sees "database
# is locked", all 1000 requests are issued, no serial appears twice, the
# pulse enrolls every computer, and both template edits land.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab
W="Web Server"
AE="Concurrent Workstation"
N=500

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

# something for the pulse to enroll: a template Domain Computers autoenroll, a GPO
run_ok "duplicate Workstation Authentication" template duplicate "Workstation Authentication" \
    "$AE" --compat 2003
run_ok "Domain Computers may autoenroll" template acl "$AE" \
    --allow "Domain Computers:Read,Enroll,Autoenroll"
run_ok "enable it on the CA" ca enable "$AE"
run_ok "a GPO for computers" gpo create "Concurrent Autoenroll"
run_ok "linked to the domain" gpo link "Concurrent Autoenroll" contoso.com
run_ok "enabled" gpo autoenroll "Concurrent Autoenroll" --enable --renew --update
run_ok "a template for the two editors" template duplicate "Web Server" "Edited Web" --compat 2003

# everything at once
cc --tsv submit --for Administrator --template "$W" "$SCRATCH"/a/r*.csr \
    >"$SCRATCH/a.out" 2>"$SCRATCH/a.err" & p1=$!
cc --tsv submit --for Administrator --template "$W" "$SCRATCH"/b/r*.csr \
    >"$SCRATCH/b.out" 2>"$SCRATCH/b.err" & p2=$!
cc --tsv pulse --all >"$SCRATCH/pulse.out" 2>"$SCRATCH/pulse.err" & p3=$!
cc template set "Edited Web" validity 3y >"$SCRATCH/e1.out" 2>"$SCRATCH/e1.err" & p4=$!
cc template set "Edited Web" min-key-size 4096 >"$SCRATCH/e2.out" 2>"$SCRATCH/e2.err" & p5=$!
wait $p1; ok $? "submit batch A exits 0"
wait $p2; ok $? "submit batch B exits 0"
wait $p3; ok $? "pulse --all exits 0"
wait $p4; ok $? "template edit 1 exits 0"
wait $p5; ok $? "template edit 2 exits 0"
for f in a b pulse e1 e2; do
    [ -s "$SCRATCH/$f.err" ] && diag "$f: $(head -5 "$SCRATCH/$f.err")"
done

locked=$(cat "$SCRATCH"/*.out "$SCRATCH"/*.err | grep -ci "database is locked")
is "$locked" 0 "nobody saw 'database is locked'"
is "$(awk -F'\t' '$2 == "issued"' "$SCRATCH/a.out" | wc -l)" "$N" "batch A: $N issued"
is "$(awk -F'\t' '$2 == "issued"' "$SCRATCH/b.out" | wc -l)" "$N" "batch B: $N issued"

run_ok "the issued view" --tsv ca list issued
printf '%s\n' "$OUT" >"$SCRATCH/issued.tsv"
# columns: request id, requester, template, serial, valid from, valid to, CN
web=$(awk -F'\t' '$3 == "WebServer"' "$SCRATCH/issued.tsv" | wc -l)
is "$web" $((2 * N)) "the issued view holds all $((2 * N)) requests"
cut -f3 "$SCRATCH/a.out" "$SCRATCH/b.out" | sort | uniq -d >"$SCRATCH/dups"
is "$(wc -l <"$SCRATCH/dups")" 0 "no serial issued twice to the batches"
is "$(cut -f3 "$SCRATCH/a.out" "$SCRATCH/b.out" | sort -u | wc -l)" $((2 * N)) \
    "$((2 * N)) distinct serials"
is "$(cut -f4 "$SCRATCH/issued.tsv" | sort | uniq -d | wc -l)" 0 \
    "no serial twice in the issued view (pulse included)"
is "$(sqlite3 "$DB" 'SELECT count(*) - count(DISTINCT serial) FROM certificate')" 0 \
    "no duplicate serial in the CA database"

# the pulse committed per principal and enrolled each computer that may autoenroll
for host in CLIENT1 SERVER1 CA1; do
    run_ok "store of $host" --tsv store list --for "$host"
    like "$OUT" "$AE" "$host was enrolled from $AE by the pulse"
done

# the two editors changed different settings: both land
run_ok "show the edited template" --tsv template show "Edited Web"
like "$OUT" "validity	3 years" "edit 1 (validity) landed"
like "$OUT" "min-key-size	4096" "edit 2 (min-key-size) landed"

done_testing
