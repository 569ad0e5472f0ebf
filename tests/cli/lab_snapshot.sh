# Lab snapshots: the whole lab (database, CA key, key-store secret) saved
# and brought back byte for byte, by name or from a file a trainer hands
# out; lab reset brings back the lab as init made it. Damaged snapshots,
# snapshots of another lab and snapshots of a database that is not a lab
# are refused, and nothing changes.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
DB="$SCRATCH/lab.db"
KEY="$DB.ca-key.pem"
SECRET="$DB.secret"
"$CERTCON" --db "$DB" init --lab contoso >/dev/null || {
    echo "Bail out! init --lab failed"
    exit 1
}
cp "$DB" "$SCRATCH/init.db"
cp "$KEY" "$SCRATCH/init.key"
is "$(stat -c %a "$DB.snapshots")" 700 "init keeps the fresh lab in a private folder"
is "$(stat -c %a "$DB.snapshots/.init.snap")" 600 "the fresh lab's snapshot is 0600"

# some work: a group, a template, a certificate (the first key makes the secret)
T="ConfigMgr Web Server Certificate"
cc dir add-group "ConfigMgr IIS Servers" >/dev/null
cc dir add-member "ConfigMgr IIS Servers" SERVER1 >/dev/null
cc template duplicate "Web Server" "$T" --compat 2003 >/dev/null
cc template acl "$T" --allow "ConfigMgr IIS Servers:Read,Enroll" >/dev/null
cc ca enable "$T" >/dev/null
cc dir restart SERVER1 >/dev/null
run_ok "SERVER1 enrolls" enroll --for SERVER1 --template "$T" --dns server1.internal.contoso.com
test -f "$SECRET"
ok $? "the key-store secret exists"

run_ok "lab snapshot" lab snapshot step1
like "$OUT" "Snapshot 'step1'" "says what it wrote"
is "$(stat -c %a "$DB.snapshots/step1.snap")" 600 "the snapshot file is 0600"
cp "$DB" "$SCRATCH/step1.db"
cp "$KEY" "$SCRATCH/step1.key"
cp "$SECRET" "$SCRATCH/step1.secret"
DUMP1=$(db_dump)
run_ok "snapshot to a file for the class" lab snapshot step1 --out "$SCRATCH/class.snap"
is "$(stat -c %a "$SCRATCH/class.snap")" 600 "the handed-out file is 0600"
run_fails 1 "an existing --out file needs --force" lab snapshot step1 --out "$SCRATCH/class.snap"
run_ok "with --force it is replaced" lab snapshot step1 --out "$SCRATCH/class.snap" --force

# more work, then back
cc template delete "$T" >/dev/null
cc dir add-group "Later Group" >/dev/null
cc enroll --for SERVER1 --template "Web Server" --dns x.contoso.com >/dev/null 2>&1
rm -f "$SECRET"
run_ok "lab restore" lab restore step1
like "$OUT" "Restored the lab from snapshot 'step1' \\(taken at lab time $LAB_NOW\\)" "says when it was taken"
cmp -s "$DB" "$SCRATCH/step1.db"
ok $? "the database is byte for byte the snapshot's"
cmp -s "$KEY" "$SCRATCH/step1.key"
ok $? "the CA key is byte for byte the snapshot's"
cmp -s "$SECRET" "$SCRATCH/step1.secret"
ok $? "the key-store secret is byte for byte the snapshot's"
is "$(stat -c %a "$DB")/$(stat -c %a "$KEY")/$(stat -c %a "$SECRET")" "600/600/600" "restored files are 0600"
is "$(db_dump)" "$DUMP1" "every table is as it was"
run_ok "the template is back" template show "$T"
run_ok "the stored key still opens: a PEM export" export --for SERVER1 "$T" --pem "$SCRATCH/w.pem"
run_ok "the CA still signs" enroll --for SERVER1 --template "$T" --dns server1.internal.contoso.com \
    --out "$SCRATCH/again.pem"
cc ca cert --out "$SCRATCH/ca.pem" >/dev/null
ssl_verify "$SCRATCH/ca.pem" "$SCRATCH/again.pem"
ok $? "openssl verifies a certificate the restored CA signed"

# restore from the handed-out file
cc dir add-group "Another Group" >/dev/null
run_ok "lab restore --from FILE" lab restore --from "$SCRATCH/class.snap"
cmp -s "$DB" "$SCRATCH/step1.db"
ok $? "--from brings back the same bytes"

# damaged snapshots change nothing
state() { sha256sum "$DB" "$KEY" "$SECRET" 2>/dev/null | cut -d' ' -f1 | tr '\n' ' '; }
cc dir add-group "Kept Group" >/dev/null
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
S0=$(state)
size=$(stat -c %s "$SCRATCH/class.snap")
cp "$SCRATCH/class.snap" "$SCRATCH/flip.snap"
printf '\377' | dd of="$SCRATCH/flip.snap" bs=1 seek=$((size - 100)) conv=notrunc 2>/dev/null
run_fails 1 "a snapshot with a changed byte is refused" lab restore --from "$SCRATCH/flip.snap"
like "$ERR" "not a whole certcon lab snapshot.*checksum.*nothing was changed" "the message says why"
is "$(state)" "$S0" "nothing changed"
head -c $((size / 2)) "$SCRATCH/class.snap" >"$SCRATCH/cut.snap"
run_fails 1 "a cut snapshot is refused" lab restore --from "$SCRATCH/cut.snap"
like "$ERR" "not a whole certcon lab snapshot" "cut: the message says why"
sed '2s/lab contoso/lab fabrikam/' "$SCRATCH/class.snap" >"$SCRATCH/edited.snap"
run_fails 1 "an edited header is refused" lab restore --from "$SCRATCH/edited.snap"
like "$ERR" "header does not match its checksum" "edited: the message says why"
printf 'hello\n' >"$SCRATCH/junk.snap"
run_fails 1 "a file that is no snapshot is refused" lab restore --from "$SCRATCH/junk.snap"
run_fails 1 "a snapshot that does not exist" lab restore nosuch
like "$ERR" "there is no snapshot 'nosuch'" "names it"
run_fails 2 "a bad snapshot name" lab snapshot ../evil
like "$ERR" "cannot name a snapshot" "says which names are allowed"
is "$(state)" "$S0" "still nothing changed"

# a snapshot of another lab
mkdir -p "$SCRATCH/data/labs"
cp -r "$CERTCON_DATADIR/templates" "$SCRATCH/data/"
sed -e 's/name = "contoso"/name = "fabrikam"/' -e 's/"contoso.com"/"fabrikam.com"/' \
    -e 's/CONTOSO/FABRIKAM/' "$CERTCON_DATADIR/labs/contoso.conf" >"$SCRATCH/data/labs/fabrikam.conf"
CERTCON_DATADIR="$SCRATCH/data" "$CERTCON" --db "$SCRATCH/other.db" init --lab fabrikam >/dev/null
ok $? "another lab"
"$CERTCON" --db "$SCRATCH/other.db" lab snapshot x --out "$SCRATCH/other.snap" >/dev/null
run_fails 1 "a snapshot of another lab is refused" lab restore --from "$SCRATCH/other.snap"
like "$ERR" "another lab \\(fabrikam, domain fabrikam.com\\).*nothing was changed" "names both labs"
is "$(state)" "$S0" "and nothing changed"

# not a lab
"$CERTCON" --db "$SCRATCH/prod.db" init --domain corp.example.com --ca-name "Corp CA" >/dev/null
OUT=$("$CERTCON" --db "$SCRATCH/prod.db" lab snapshot x 2>&1) && RC=0 || RC=$?
is "$RC" 1 "a database that is not a lab takes no snapshot"
like "$OUT" "not a lab" "and says so"
test ! -e "$SCRATCH/prod.db.snapshots/x.snap"
ok $? "no snapshot file was written"

# reset: the lab as init made it
run_ok "lab reset" lab reset
cmp -s "$DB" "$SCRATCH/init.db"
ok $? "the database is byte for byte the fresh lab's"
cmp -s "$KEY" "$SCRATCH/init.key"
ok $? "the CA key is the fresh lab's"
test ! -e "$SECRET"
ok $? "no key-store secret, as init left it"
run_fails 1 "the template is gone again" template show "$T"
run_ok "the snapshots stay" lab restore step1
cmp -s "$DB" "$SCRATCH/step1.db"
ok $? "a snapshot taken before reset still restores"

done_testing
