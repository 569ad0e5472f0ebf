#!/bin/sh
# Screen tests of Certificate Templates: the Duplicate Template dialog,
# every tab of the property sheet of a new (version 2) template, the
# Extensions editors (Application Policies with Add... choosing from the
# defined policies, filtering them and defining one with New...; Key Usage,
# Basic Constraints), a field in error and its reason, the read-only
# version 1 built-in, Delete refused for a built-in, Reenroll, and a save
# that conflicts with another admin's change.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup templates

# Web Server -> Duplicate Template -> the sheet, tab by tab
run_keys sheet <<EOF2
<Down>
<Tab>
Web
<Enter>
<Enter>
:dump $T/tmpl-duplicate.txt
<Down>
:dump $T/tmpl-duplicate-2008.txt
<Up>
<Enter>
:dump $T/tmpl-general.txt
<S-F8>
:dump $T/tmpl-compatibility.txt
<F8><F8>
:dump $T/tmpl-request-handling.txt
<F8>
:dump $T/tmpl-cryptography.txt
<F8>
:dump $T/tmpl-subject-name.txt
<F8>
:dump $T/tmpl-issuance.txt
<F8>
:dump $T/tmpl-superseded.txt
<F8>
:dump $T/tmpl-extensions.txt
<F8>
:dump $T/tmpl-security.txt
EOF2
for d in duplicate duplicate-2008 general compatibility request-handling cryptography \
    subject-name issuance superseded extensions security; do
    check_dump tmpl-$d
done

# a field in error says why, and OK is disabled while it is
run_keys error <<EOF2
<Down>
<Tab>
Web
<Enter>
<Enter>
<Enter>
<Tab><Tab>
<C-u>
forever
:dump $T/tmpl-field-error.txt
<C-u>
5y
:dump $T/tmpl-renewal-too-long.txt
<S-Tab>
<C-u>
6y
:dump $T/tmpl-error-fixed.txt
EOF2
for d in field-error renewal-too-long error-fixed; do
    check_dump tmpl-$d
done

# the Extensions editors: Application Policies (Add..., its New...), Key Usage, Basic Constraints
run_keys extensions <<EOF2
<Down>
<Tab>
Web
<Enter>
<Enter>
<Enter>
<C-u>
Editors
<F8><F8><F8><F8><F8><F8>
<Enter>
:dump $T/ext-app-policies.txt
<Tab>
<Enter>
:dump $T/ext-add-policy-list.txt
Client Auth
:dump $T/ext-add-policy-filter.txt
<Enter>
:dump $T/ext-add-policy-done.txt
<Tab>
<Enter>
no such policy
:dump $T/ext-add-policy-error.txt
<C-u>
<Tab><Tab>
<Enter>
Lab Policy
:dump $T/ext-new-policy.txt
<Enter>
:dump $T/ext-new-policy-added.txt
<Enter>
:dump $T/ext-new-policy-done.txt
<Enter>
:dump $T/ext-after-app-policies.txt
<End>
<Enter>
:dump $T/ext-key-usage.txt
<Esc>
<Home><Down>
<Enter>
:dump $T/ext-basic-constraints.txt
<Space>
<Enter>
:dump $T/ext-basic-constraints-done.txt
<Tab><Tab>
<Enter>
EOF2
for d in app-policies add-policy-list add-policy-filter add-policy-done add-policy-error \
    new-policy new-policy-added new-policy-done \
    after-app-policies key-usage basic-constraints basic-constraints-done; do
    check_dump ext-$d
done
cc --tsv template show Editors >"$T/editors.tsv" 2>&1
check "app policies saved" grep -q 'app-policies	Server Authentication (1.3.6.1.5.5.7.3.1), Client Authentication (1.3.6.1.5.5.7.3.2), Lab Policy' "$T/editors.tsv"
check "basic constraints saved" grep -q 'basic-constraints	yes' "$T/editors.tsv"

# drop-downs, raising the compatibility, Superseded Templates Add..., Delete of a duplicate
run_keys compat <<EOF2
<Down>
<Tab>
Web
<Enter>
<Enter>
<Enter>
<C-u>
Raised
<S-F8>
<Space>
:dump $T/tmpl-compat-dropdown.txt
<Down>
<Enter>
:dump $T/tmpl-compat-2008.txt
<F8><F8><F8><F8><F8><F8>
<Tab>
<Enter>
Web
:dump $T/tmpl-superseded-menu.txt
<Enter>
:dump $T/tmpl-superseded-added.txt
<Tab><Tab>
<Enter>
<Home>
Raised
<Del>
:dump $T/tmpl-delete-question.txt
<Left>
<Enter>
:dump $T/tmpl-deleted.txt
EOF2
for d in compat-dropdown compat-2008 superseded-menu superseded-added delete-question deleted; do
    check_dump tmpl-$d
done
cc --tsv template show Raised >"$T/raised.tsv" 2>&1
check "the deleted template is gone" grep -q 'no certificate template' "$T/raised.tsv"

# a version 1 built-in: read-only except Security; Delete refused; no
# Reenroll All Certificate Holders (its version cannot change)
run_keys builtin <<EOF2
<Down>
<Tab>
Web
<F4>
:dump $T/v1-general.txt
<F8>
:dump $T/v1-request-handling.txt
<F8><F8>
:dump $T/v1-extensions.txt
<Esc>
<Del>
:dump $T/v1-delete-refused.txt
<Enter>
<Enter>
:dump $T/v1-menu.txt
<Esc>
EOF2
for d in general request-handling extensions delete-refused menu; do
    check_dump v1-$d
done

# ... but its Security can change
run_keys builtin-security <<EOF2
<Down>
<Tab>
Web
<F4>
<F8><F8><F8><F8>
# the fields of a version 1 template are greyed, so the focus is on the tabs
<Tab><Tab>
<Enter>
Domain Computers
<Enter>
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
:dump $T/v1-security.txt
<Enter>
EOF2
check_dump v1-security
cc --tsv template acl "Web Server" >"$T/web-acl.tsv" 2>&1
check "Domain Computers may enroll for the built-in" \
    grep -q 'Domain Computers	Read,Enroll	-' "$T/web-acl.tsv"

# A save that conflicts with another admin's change says so and keeps the
# draft. The script is a FIFO, so the other admin can change the template
# while the dialog is open.
cc template duplicate "Web Server" "Conflict Test" --compat 2003 >"$T/dup.log" 2>&1
rm -f "$T/conflict.fifo"
mkfifo "$T/conflict.fifo"
COLUMNS=80 LINES=24 "$CERTCON" $LAB --script "$T/conflict.fifo" >"$T/conflict.out" 2>&1 &
pid=$!
exec 3>"$T/conflict.fifo"
printf '%s\n' '<Down>' '<Tab>' 'Conf' '<F4>' '<Tab>' '<C-u>' '4y' \
    ":dump $T/conflict-draft.txt" >&3
i=0
while [ ! -s "$T/conflict-draft.txt" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
cc template set "Conflict Test" validity 3y >"$T/other.log" 2>&1
printf '%s\n' '<Enter>' ":dump $T/conflict-message.txt" '<Enter>' \
    ":dump $T/conflict-kept.txt" >&3
exec 3>&-
wait $pid
check "console ran over a FIFO script" test $? = 0
check_dump conflict-draft
check_dump conflict-message
check_dump conflict-kept
cc --tsv template show "Conflict Test" >"$T/conflict.tsv" 2>&1
check "the other admin's change stands" grep -q 'validity	3 years' "$T/conflict.tsv"


# Properties of New Template edits a draft that is not stored: Cancel leaves
# no template and no audit row; OK stores it with one audit row.
tmpl_before=$(sqlite3 "$DB" 'select count(*) from template')
audit_before=$(sqlite3 "$DB" 'select count(*) from audit')
run_keys new-cancel <<EOF2
<Down>
<Tab>
Web
<Enter>
<Enter>
<Enter>
<C-u>
Never Stored
<Tab>
<C-u>
3y
:dump $T/tmpl-new-cancel.txt
<Esc>
:dump $T/tmpl-new-cancelled.txt
EOF2
check_dump tmpl-new-cancel
check_dump tmpl-new-cancelled
check "Cancel stores no template" \
    test "$(sqlite3 "$DB" 'select count(*) from template')" = "$tmpl_before"
check "Cancel writes no audit row" \
    test "$(sqlite3 "$DB" 'select count(*) from audit')" = "$audit_before"
cc --tsv template show "Never Stored" >"$T/never.tsv" 2>&1
check "the cancelled template is unknown" grep -q 'no certificate template' "$T/never.tsv"
check "no template named after the default name either" \
    test "$(sqlite3 "$DB" "select count(*) from template where display_name like 'Copy of%'")" = 0
check "the template created by OK has one audit row" \
    test "$(sqlite3 "$DB" "select count(*) from audit where kind = 'template' and object = 'Editors' and field = 'create'")" = 1

# Another admin's change of a different setting while the dialog is open is
# no conflict: OK saves the console's validity beside it.
cc template duplicate "Web Server" "Merge Test" --compat 2003 >"$T/dup2.log" 2>&1
rm -f "$T/merge.fifo" "$T/merge-draft.txt"
mkfifo "$T/merge.fifo"
COLUMNS=80 LINES=24 "$CERTCON" $LAB --script "$T/merge.fifo" >"$T/merge.out" 2>&1 &
pid=$!
exec 3>"$T/merge.fifo"
printf '%s\n' '<Down>' '<Tab>' 'Merge' '<F4>' '<Tab>' '<C-u>' '4y' \
    ":dump $T/merge-draft.txt" >&3
i=0
while [ ! -s "$T/merge-draft.txt" ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
cc template set "Merge Test" min-key-size 4096 >"$T/other2.log" 2>&1
printf '%s\n' '<Enter>' ":dump $T/merge-saved.txt" >&3
exec 3>&-
wait $pid
check "console ran over a FIFO script" test $? = 0
check "no conflict message for a different setting" \
    sh -c "! grep -q 'changed by someone else' '$T/merge-saved.txt'"
cc --tsv template show "Merge Test" >"$T/merge.tsv" 2>&1
check "the console's validity was saved" grep -q 'validity	4 years' "$T/merge.tsv"
check "the other admin's key size stands beside it" grep -q 'min-key-size	4096' "$T/merge.tsv"

screen_done
