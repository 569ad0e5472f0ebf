#!/bin/sh
# Screen tests of small console defects, each the test that would have
# caught it: a drop-down opens on its current value; a refusal shown in a
# dialog's message line goes once a value changes (it may no longer
# hold); the export wizard's result offers View Certificate. (The Subject
# Name tab's renewal check box under Supply, no Reenroll All Certificate
# Holders on version 1 templates and the status line keeping its key hints
# are in templates.sh, webserver.sh and certs_export.sh goldens.)
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup defects
cc enroll --for Administrator --template "Web Server" --cn www1.contoso.com >"$T/data.log" 2>&1
cc dir add-user alice >>"$T/data.log" 2>&1

# Revoke's Reason code: chosen Certificate Hold, the drop-down opens on it
run_keys drop <<EOF2
<Down><Down><Down><Down><Down>
<Tab>
<Enter>
<Down>
<Right>
<Enter>
<S-Tab><S-Tab>
<Space>
:dump $T/defects-drop-first.txt
<End>
<Enter>
<Space>
:dump $T/defects-drop-current.txt
<Esc>
<Esc>
EOF2
check_dump defects-drop-first
check_dump defects-drop-current

# alice may not change a template's permissions: OK's refusal stays in the
# message line until she changes a value, then it goes
cat >"$T/stale.keys" <<EOF2
<Down>
<Tab>
Web
<F4>
<F8><F8><F8><F8>
<Tab><Tab><Tab><Tab><Tab>
<Space>
<Enter>
:dump $T/defects-refused.txt
<Space>
:dump $T/defects-refusal-gone.txt
<Esc>
<Left>
<Enter>
EOF2
if COLUMNS=80 LINES=24 "$CERTCON" --db "$DB" --as alice --script "$T/stale.keys" \
    >"$T/stale.out" 2>&1; then ok "the console ran as alice"; else not_ok "the console ran as alice"; fi
check_dump defects-refused
check_dump defects-refusal-gone
screen_done
