#!/bin/sh
# Screen tests of the console framework: the start-up screen, the tree,
# the results list (sort, filter, type-ahead), the action menu, the help
# screen built from the action table, resizing to 132x43 and below the
# minimum size and back, the quit question when a dialog holds changes,
# and the escaping of text that came from outside.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup console

run_keys startup <<EOF2
:dump $T/console-startup.txt
<Down>
:dump $T/console-templates.txt
<Tab>
Web
:dump $T/console-typeahead.txt
<F6>
:dump $T/console-sort-schema.txt
<F7>
:dump $T/console-sort-reverse.txt
<F6><F6><F6>
/
Auth
:dump $T/console-filter.txt
<Enter>
<Esc>
Web
<Enter>
:dump $T/console-menu.txt
<Esc>
<Tab>
<Down>
<Right>
:dump $T/console-tree.txt
<F1>
:dump $T/console-help.txt
<PgDn>
:dump $T/console-help-more.txt
<Esc>
:dump $T/console-after-help.txt
EOF2
check "startup script ran" true
for d in startup templates typeahead sort-schema sort-reverse filter tree menu help help-more \
    after-help; do
    check_dump console-$d
done

# resizing at any moment, including mid-dialog
run_keys resize <<EOF2
<Down>
<Tab>
Web
<Enter>
<Enter>
:dump $T/resize-dialog-80.txt
:resize 132x43
:dump $T/resize-dialog-132.txt
:resize 40x10
:dump $T/resize-small.txt
x
:resize 80x24
:dump $T/resize-back.txt
<Esc>
:resize 132x43
:dump $T/resize-console-132.txt
EOF2
for d in dialog-80 dialog-132 small back console-132; do
    check_dump resize-$d
done

# F10 asks first when a dialog holds unsaved changes; Cancel keeps the dialog
run_keys quit <<EOF2
<Down>
<Tab>
Web
<Enter>
<Enter>
<Enter>
<F10>
:dump $T/quit-question.txt
# the question opens on Cancel: Enter keeps the dialog
<Enter>
:dump $T/quit-cancelled.txt
<C-c>
<Left>
<Enter>
:dump $T/quit-never.txt
EOF2
check_dump quit-question
check_dump quit-cancelled
check "quit confirmed ends the program before the next dump" test ! -f "$T/quit-never.txt"

# a display name holding an escape sequence is drawn escaped
cc dir add-user intruder --display "$(printf 'Intr\033]0;pwned\007uder')" >"$T/add.log" 2>&1
run_keys escape <<EOF2
<Right>
<Down>
<Right>
<Down>
<Tab>
i
<Enter>
<Enter>
:dump $T/escape-properties.txt
EOF2
check_dump escape-properties
check "no escape character in the dump" sh -c "! grep -q \"\$(printf '\\033')\" '$T/escape-properties.txt'"

# key bindings and colours come from certcon.conf; the help and the status line follow
cat >"$T/keys.conf" <<EOF2
keys = { quit = "<F12> <C-q>"; help = "<F2>"; filter = "<C-f>"; };
colors = { title = "yellow on black"; selected = "bold reverse"; };
EOF2
printf '%s\n' ":dump $T/config-status.txt" '<F2>' ":dump $T/config-help.txt" >"$T/config.keys"
COLUMNS=80 LINES=24 "$CERTCON" $LAB --config "$T/keys.conf" --script "$T/config.keys" \
    >"$T/config.out" 2>&1
check_dump config-status
check_dump config-help
printf 'keys = { quit = "<F99>"; };\n' >"$T/bad-keys.conf"
if "$CERTCON" $LAB --config "$T/bad-keys.conf" --script "$T/config.keys" >"$T/bad-keys.out" 2>&1; then
    not_ok "a bad key binding is refused"
else
    check "a bad key binding is refused with its reason" grep -q "keys: quit: '<F99>'" "$T/bad-keys.out"
fi
printf 'colors = { title = "plaid"; };\n' >"$T/bad-colors.conf"
if "$CERTCON" $LAB --config "$T/bad-colors.conf" --script "$T/config.keys" >"$T/bad-colors.out" 2>&1; then
    not_ok "a bad colour is refused"
else
    check "a bad colour is refused with its reason" grep -q "colors: title" "$T/bad-colors.out"
fi

# the key notation reaches the program unchanged; a bad script line is an error
printf ':frobnicate\n' >"$T/bad.keys"
if "$CERTCON" $LAB --script "$T/bad.keys" >"$T/bad.out" 2>&1; then
    not_ok "an unknown script command fails"
else
    check "an unknown script command fails with its line" grep -q 'bad.keys:1' "$T/bad.out"
fi

screen_done
