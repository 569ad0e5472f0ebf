#!/bin/sh
# Screen tests of the Audit node under the CA: the newest records first
# (who, kind, object, what, old -> new), F3 switching to refusals only
# (each naming the right that was missing) and back, the title and status
# line following; Properties showing one refusal whole; Verify Audit Log
# from the action menu passing, then naming the record altered with sqlite3.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup audit

cc dir add-user jane >"$T/data.log" 2>&1
cc template duplicate "Web Server" "Audit Web" --compat 2003 >>"$T/data.log" 2>&1
cc --as jane template set "Audit Web" validity 5y >>"$T/data.log" 2>&1
cc --as jane ca revoke 0123 >>"$T/data.log" 2>&1
cc template set "Audit Web" validity 1y >>"$T/data.log" 2>&1

run_keys audit <<EOF2
<Down><Down><Down><Down><Down><Down><Down><Down><Down>
:dump $T/audit-all.txt
<F3>
:dump $T/audit-refused.txt
<Tab>
<Enter>
:dump $T/audit-menu.txt
<Enter>
:dump $T/audit-properties.txt
<Esc>
<Enter>
<Down>
<Enter>
:dump $T/audit-verified.txt
<Esc>
<F3>
:dump $T/audit-back.txt
EOF2
for d in all refused menu properties verified back; do
    check_dump audit-$d
done

# a refusal altered behind certcon's back: the dialog names it
K=$(sqlite3 "$DB" "SELECT id FROM audit WHERE result = 'refused' AND field = 'change'")
sqlite3 "$DB" "UPDATE audit SET right_name = 'Read' WHERE id = $K"
run_keys broken <<EOF2
<Down><Down><Down><Down><Down><Down><Down><Down><Down>
<Enter>
<Enter>
:dump $T/audit-broken.txt
EOF2
check_dump audit-broken
check "the broken record is the one altered" grep -q "broken at record $K " "$T/audit-broken.txt"
screen_done
