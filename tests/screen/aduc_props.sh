#!/bin/sh
# Screen tests of a computer's and a user's Properties in Active Directory
# Users and Computers: General edits the DNS name, the other DNS names (Add,
# Remove) and the UPN of a computer, the display name, e-mail and UPN of a
# user, each checked as it is typed; Member Of adds and removes groups
# (the picker offers groups only) and says when a computer's change takes
# effect. A refused value keeps OK off and changes nothing; Cancel
# discards; the command line checks what was stored.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup aduc-props
cc dir add-group "ConfigMgr AMT Computers" >"$T/setup.log" 2>&1
cc dir add-group "Mobile Users" >>"$T/setup.log" 2>&1
check "set up two groups" test $? -eq 0

# a bad DNS name and a bad extra name: the reason shows, OK stays off, Esc keeps all
run_keys computer-bad <<EOF2
<Right>
<Down>
<Right>
<Down><Down><Down><Down><Down>
<Tab>
SERVER1
<F4>
:dump $T/props-computer.txt
<C-u>
not a host!!
:dump $T/props-computer-bad-dns.txt
<Tab><Tab>
-bad-
<Tab>
<Enter>
:dump $T/props-computer-bad-extra.txt
<Esc>
EOF2
for d in computer computer-bad-dns computer-bad-extra; do
    check_dump props-$d
done
cc --tsv dir show SERVER1 >"$T/server1-0.tsv" 2>&1
check "a refused value changed nothing" \
    sh -c "grep -q '^dns	server1.internal.contoso.com$' '$T/server1-0.tsv' &&
           grep -q '^extra-dns	server.contoso.com$' '$T/server1-0.tsv' &&
           ! grep -q '^upn' '$T/server1-0.tsv'"

# the AMT 802.1X certificate needs a UPN: DNS name, an extra name, a UPN,
# the old extra name removed, and a group, all with one OK
run_keys computer <<EOF2
<Right>
<Down>
<Right>
<Down><Down><Down><Down><Down>
<Tab>
SERVER1
<F4>
<C-u>
server1.contoso.com
<Tab>
server1@contoso.com
<Tab>
amt1.contoso.com
<Tab>
<Enter>
<Tab>
<Tab>
<Enter>
:dump $T/props-computer-edited.txt
<F8>
:dump $T/props-computer-member-of.txt
<Tab>
<Enter>
:dump $T/props-computer-picker.txt
ConfigMgr
<Enter>
:dump $T/props-computer-group-added.txt
<Tab><Tab>
<Enter>
:dump $T/props-computer-restart-note.txt
<Enter>
EOF2
for d in computer-edited computer-member-of computer-picker computer-group-added \
    computer-restart-note; do
    check_dump props-$d
done
cc --tsv dir show SERVER1 >"$T/server1.tsv" 2>&1
check "DNS name changed" grep -q '^dns	server1.contoso.com$' "$T/server1.tsv"
check "UPN set" grep -q '^upn	server1@contoso.com$' "$T/server1.tsv"
check "extra DNS names: the old one removed, the new one added" \
    grep -q '^extra-dns	amt1.contoso.com$' "$T/server1.tsv"
check "member of the group added" grep -q '^member of	ConfigMgr AMT Computers, Domain Computers$' \
    "$T/server1.tsv"
check "its token changes only at restart" \
    sh -c "grep -q '^token	Authenticated Users, Domain Computers$' '$T/server1.tsv' &&
           grep -q '^after restart	.*ConfigMgr AMT Computers' '$T/server1.tsv'"

# a user: a bad e-mail is refused as typed; display name, e-mail, UPN and a
# group with Apply, then Remove of Domain Users undone by Cancel
run_keys user <<EOF2
<Right>
<Down>
<Right>
<Down>
<Tab>
Adm
<F4>
:dump $T/props-user.txt
<Tab>
admin-at-contoso
:dump $T/props-user-bad-mail.txt
<C-u>
admin@contoso.com
<S-Tab>
<C-u>
Contoso Administrator
<F8>
<Tab>
<Enter>
Mobile
<Enter>
<Tab><Tab><Tab><Tab>
<Enter>
:dump $T/props-user-applied.txt
<S-Tab><S-Tab><S-Tab>
<Enter>
:dump $T/props-user-removed.txt
<Tab><Tab>
<Enter>
EOF2
for d in user user-bad-mail user-applied user-removed; do
    check_dump props-$d
done
cc --tsv dir show Administrator >"$T/admin.tsv" 2>&1
check "display name and e-mail applied" \
    sh -c "grep -q '^display	Contoso Administrator$' '$T/admin.tsv' &&
           grep -q '^mail	admin@contoso.com$' '$T/admin.tsv'"
check "Apply added Mobile Users; Cancel kept the removal from happening" \
    grep -q '^member of	Domain Admins, Domain Users, Enterprise Admins, Mobile Users, Schema Admins$' \
    "$T/admin.tsv"
screen_done
