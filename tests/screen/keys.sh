#!/bin/sh
# Screen tests of the keys as Windows admins use them: type-ahead takes the
# whole typed prefix, spaces included, in the tree ("Certificate T"), the
# results pane and dialog lists ("Domain C" is Domain Computers, not Domain
# Admins); arrows stay inside a radio group; the Security tab's Allow and
# Deny boxes are a grid (Down stays in the column, Right goes to Deny,
# Space ticks); destructive questions open on No, so Enter keeps things as
# they are; Ctrl-C asks before abandoning a wizard.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup keys

run_keys typeahead <<EOF2
<Right>
<Down>
<Right>
<Down><Down><Down>
<Tab>
Domain C
:dump $T/keys-results-typeahead.txt
<Tab>
Certificate T
:dump $T/keys-tree-typeahead.txt
<Home>
Certificates
:dump $T/keys-tree-whole-word.txt
EOF2
for d in results-typeahead tree-typeahead tree-whole-word; do
    check_dump keys-$d
done

# Workstation Authentication -> Security: "Domain C" in the principal list,
# then Autoenroll for Domain Computers through the grid, saved with Enter
run_keys security <<EOF2
<Down>
<Tab>
Workstation
<F4>
<F8><F8><F8><F8><F8><F8><F8>
Domain C
:dump $T/keys-security-typeahead.txt
<Tab><Tab><Tab>
<Down><Down><Down><Down>
<Space>
<Right>
:dump $T/keys-security-grid.txt
<Enter>
Web
<Enter>
<Enter>
<Up>
:dump $T/keys-radio-wraps.txt
EOF2
for d in security-typeahead security-grid radio-wraps; do
    check_dump keys-$d
done
cc --tsv template acl "Workstation Authentication" >"$T/ws-acl.tsv" 2>&1
check "the grid gave Domain Computers Autoenroll" \
    grep -q 'Domain Computers	Enroll,Autoenroll	-' "$T/ws-acl.tsv"

# Delete opens on Cancel: Enter keeps the template
cc template duplicate "Web Server" "Keep Me" --compat 2003 >"$T/dup.log" 2>&1
run_keys delete <<EOF2
<Down>
<Tab>
Keep
<Del>
:dump $T/keys-delete-question.txt
<Enter>
EOF2
check_dump keys-delete-question
cc --tsv template show "Keep Me" >"$T/keep.tsv" 2>&1
check "Enter on the Delete question keeps the template" grep -q 'display-name	Keep Me' "$T/keep.tsv"

# Ctrl-C in a wizard asks first; Enter (Cancel) goes back to the wizard
run_keys wizard <<EOF2
<Right>
<Down>
<Right>
<Down>
<Enter>
<Enter>
<Down>
<Enter>
Pat
<C-c>
:dump $T/keys-wizard-quit.txt
<Enter>
:dump $T/keys-wizard-kept.txt
EOF2
for d in wizard-quit wizard-kept; do
    check_dump keys-$d
done
screen_done
