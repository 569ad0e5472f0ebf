#!/bin/sh
# DNS names are checked as they are typed: New Object - Computer's DNS
# name refuses `not a host!!`, `-bad-` and `../../etc` with the reason on
# the dialog's message line and OK off; Enter on OK then does nothing; a
# good name clears the reason and creates the computer. The CA's side of the
# same rules (a request carrying such a name fails) is tests/cli/lint.sh.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup dns

run_keys computer <<EOF2
# Active Directory Users and Computers -> contoso.com -> Computers -> New -> Computer
<Right>
<Down>
<Right>
<Down><Down>
<Enter>
<Enter>
<Down><Down>
<Enter>
WEB2
<Tab>
<C-u>
not a host!!
:dump $T/dns-computer-spaces.txt
<C-u>
-bad-
:dump $T/dns-computer-hyphen.txt
<C-u>
../../etc
<Enter>
:dump $T/dns-computer-dots.txt
<C-u>
web2.contoso.com
:dump $T/dns-computer-good.txt
<Enter>
EOF2
for d in computer-spaces computer-hyphen computer-dots computer-good; do
    check_dump dns-$d
done
cc --tsv dir show WEB2 >"$T/web2.tsv" 2>&1
check "WEB2 was created with the good DNS name" grep -q 'dns	web2.contoso.com$' "$T/web2.tsv"
cc --tsv dir list computers >"$T/computers.tsv" 2>&1
check "no computer holds a refused name" sh -c "! grep -q -e 'host!!' -e '-bad-' -e 'etc' '$T/computers.tsv'"
screen_done
