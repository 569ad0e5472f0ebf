#!/bin/sh
# Screen tests of Group Policy Management: Forest -> Domains -> contoso.com
# with its linked GPOs, a node per OU and Group Policy Objects; "Create a
# GPO in this domain, and Link it here..." (an empty or taken name keeps OK
# off and says why; a name the core refuses leaves the dialog open and
# nothing made); "Link an Existing GPO..." on an OU; Delete of a link (the
# question opens on No, and No keeps it) and of a GPO; the Group
# Policy Management Editor down to Certificate Services Client -
# Auto-Enrollment under Computer and under User Configuration, whose
# Properties are a draft (Cancel keeps the GPO as it was, OK saves); and a GPO's Scope with Security Filtering (Add... through
# the principal picker, Remove, OK off while the list is empty). The
# command line checks what the database holds after each step.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup gpmc
GPO="Autoenroll Certificates"

# Group Policy Management -> Forest -> Domains -> contoso.com: each <Right>
# pair expands a node and moves into it.
TO_DOMAIN='G
<Right><Right>
<Right><Right>
<Right><Right>'

run_keys tree <<EOF2
$TO_DOMAIN
<Right>
:dump $T/gpmc-domain.txt
<Enter>
:dump $T/gpmc-domain-menu.txt
<Enter>
:dump $T/gpmc-new-empty.txt
$GPO
:dump $T/gpmc-new-filled.txt
<Enter>
:dump $T/gpmc-created.txt
# the same name again, in other case: refused as it is typed
<Tab>
<Enter>
<Enter>
AUTOENROLL certificates
:dump $T/gpmc-new-duplicate.txt
<Enter>
<Esc>
# a name the core refuses: the dialog stays, with the reason
<Enter>
<Enter>
<Space>Lab GPO
<Enter>
:dump $T/gpmc-new-refused.txt
<Esc>
EOF2
for d in domain domain-menu new-empty new-filled created new-duplicate new-refused; do
    check_dump gpmc-$d
done
cc --tsv gpo list >"$T/list1.tsv" 2>&1
check "one GPO, linked to the domain" test "$(cut -f1,2 "$T/list1.tsv")" = "$GPO	contoso.com"
check "the refused names made nothing" test "$(wc -l <"$T/list1.tsv")" -eq 1

# Link an Existing GPO on the Workstations OU, then Delete the link: No
# keeps it, Yes removes the link and keeps the GPO.
run_keys link <<EOF2
$TO_DOMAIN
<Right>
<Down><Down><Down>
:dump $T/gpmc-ou.txt
<Enter>
<Down>
<Enter>
:dump $T/gpmc-link-pick.txt
<Enter>
:dump $T/gpmc-ou-linked.txt
<Enter>
:dump $T/gpmc-link-menu.txt
<Down><Down>
<Enter>
:dump $T/gpmc-unlink-ask.txt
<Enter>
:dump $T/gpmc-unlink-no.txt
EOF2
for d in ou link-pick ou-linked link-menu unlink-ask unlink-no; do
    check_dump gpmc-$d
done
cc --tsv gpo show "$GPO" >"$T/show2.tsv" 2>&1
check "Link an Existing GPO linked it to Workstations" \
    grep -q '^links	contoso.com, OU=Workstations$' "$T/show2.tsv"

run_keys unlink <<EOF2
$TO_DOMAIN
<Right>
<Down><Down><Down>
<Tab>
<Enter>
<Down><Down>
<Enter>
<Left>
<Enter>
:dump $T/gpmc-unlinked.txt
EOF2
check_dump gpmc-unlinked
cc --tsv gpo show "$GPO" >"$T/show3.tsv" 2>&1
check "Delete removed the OU's link only" grep -q '^links	contoso.com$' "$T/show3.tsv"

# Edit -> Computer Configuration -> Policies -> Windows Settings -> Security
# Settings -> Public Key Policies -> Auto-Enrollment -> Properties.
TO_AUTOENROLL="$TO_DOMAIN
<Tab>
<Enter>
<Enter>
<Right><Right>
<Right><Right>
<Down>
<Right><Right>
<Right><Right>
<Tab>"

run_keys editor <<EOF2
$TO_DOMAIN
<Tab>
<Enter>
:dump $T/gpmc-link-edit-menu.txt
<Enter>
:dump $T/gpmc-editor.txt
<Right><Right>
<Right><Right>
<Down>
<Right><Right>
<Right><Right>
:dump $T/gpmc-editor-pkp.txt
<Tab>
<Enter>
:dump $T/gpmc-editor-menu.txt
<Enter>
:dump $T/gpmc-ae-props.txt
<Space>
:dump $T/gpmc-ae-model-drop.txt
<Down>
<Enter>
<Tab>
<Space>
<Tab>
<Space>
:dump $T/gpmc-ae-enabled.txt
# Cancel discards the draft
<Esc>
:dump $T/gpmc-ae-cancelled.txt
EOF2
for d in link-edit-menu editor editor-pkp editor-menu ae-props ae-model-drop ae-enabled \
    ae-cancelled; do
    check_dump gpmc-$d
done
cc --tsv gpo show "$GPO" >"$T/show4.tsv" 2>&1
check "Cancel left the computer setting not configured" \
    grep -q '^computer: configuration model	Not configured$' "$T/show4.tsv"

run_keys editor-ok <<EOF2
$TO_AUTOENROLL
<Enter>
<Enter>
<Right>
<Tab>
<Space>
<Tab>
<Space>
<Enter>
:dump $T/gpmc-ae-saved.txt
<Esc>
:dump $T/gpmc-editor-closed.txt
EOF2
check_dump gpmc-ae-saved
check_dump gpmc-editor-closed
cc --tsv gpo show "$GPO" >"$T/show5.tsv" 2>&1
check "OK enabled computer autoenrollment" \
    grep -q '^computer: configuration model	Enabled$' "$T/show5.tsv"
check "with AEPolicy 0x7 (both boxes)" grep -q '^computer: AEPolicy	0x7$' "$T/show5.tsv"
check "the user setting was not touched" \
    grep -q '^user: configuration model	Not configured$' "$T/show5.tsv"

# User Configuration has its own setting: Enabled with only "Update
# certificates that use certificate templates" ticked.
run_keys editor-user <<EOF2
$TO_DOMAIN
<Tab>
<Enter>
<Enter>
<Down>
<Right><Right>
<Right><Right>
<Down>
<Right><Right>
<Right><Right>
<Tab>
<Enter>
<Enter>
<Right>
<Tab><Tab>
<Space>
:dump $T/gpmc-ae-user.txt
<Enter>
:dump $T/gpmc-ae-user-saved.txt
EOF2
check_dump gpmc-ae-user
check_dump gpmc-ae-user-saved
cc --tsv gpo show "$GPO" >"$T/show5u.tsv" 2>&1
check "OK enabled user autoenrollment with the update box alone" \
    grep -q '^user: AEPolicy	0x1$' "$T/show5u.tsv"
check "the computer setting stayed as it was" grep -q '^computer: AEPolicy	0x7$' "$T/show5u.tsv"

# Scope: Security Filtering on the GPO of Group Policy Objects.
run_keys scope <<EOF2
$TO_DOMAIN
<Right>
<Down><Down><Down><Down>
:dump $T/gpmc-gpos.txt
<Tab>
<Enter>
:dump $T/gpmc-gpo-menu.txt
<Down>
<Enter>
:dump $T/gpmc-scope.txt
<Tab>
<Enter>
Domain Comp
<Enter>
:dump $T/gpmc-scope-added.txt
<S-Tab>
<Up>
<Tab><Tab>
<Enter>
:dump $T/gpmc-scope-removed.txt
# Remove again: an empty list keeps OK off and says why
<Enter>
:dump $T/gpmc-scope-empty.txt
<Enter>
Domain Comp
<Enter>
<Tab><Tab>
<Enter>
:dump $T/gpmc-scope-saved.txt
EOF2
for d in gpos gpo-menu scope scope-added scope-removed scope-empty scope-saved; do
    check_dump gpmc-$d
done
cc --tsv gpo show "$GPO" >"$T/show6.tsv" 2>&1
check "security filtering is Domain Computers alone" \
    grep -q '^security filtering	Domain Computers$' "$T/show6.tsv"

# New... on Group Policy Objects makes an unlinked GPO; Delete removes it.
run_keys delete <<EOF2
$TO_DOMAIN
<Right>
<Down><Down><Down><Down>
<Enter>
<Enter>
Lab Test GPO
<Enter>
:dump $T/gpmc-gpo-new.txt
<Enter>
<Down><Down>
<Enter>
:dump $T/gpmc-gpo-delete-ask.txt
<Left>
<Enter>
:dump $T/gpmc-gpo-deleted.txt
EOF2
for d in gpo-new gpo-delete-ask gpo-deleted; do
    check_dump gpmc-$d
done
cc --tsv gpo list >"$T/list7.tsv" 2>&1
check "the deleted GPO is gone, the other stays" test "$(cut -f1 "$T/list7.tsv")" = "$GPO"

# The command line's create --link is the same operation: a refused link
# leaves no GPO behind.
if cc gpo create "Stray GPO" --link Nowhere >"$T/stray.out" 2>&1; then
    not_ok "gpo create --link to a scope that does not exist is refused"
else
    ok "gpo create --link to a scope that does not exist is refused"
fi
check "the refusal names the scope" grep -q "'Nowhere' is neither the domain" "$T/stray.out"
cc --tsv gpo list >"$T/list8.tsv" 2>&1
check "and no GPO was left behind" test "$(wc -l <"$T/list8.tsv")" -eq 1
screen_done
