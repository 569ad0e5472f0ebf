#!/bin/sh
# The Request New Certificate wizard's last page, Certificate Installation
# Results: an enrolled certificate offers View Certificate (the certificate
# viewer, on the certificate just issued), a failure whose reason the page
# cuts offers Details..., which shows it whole; Enter still finishes, as
# the focus starts on Finish. Here CA1 requests Computer (issued) and a
# template that puts an e-mail address in the subject (CA1 has none, so the
# policy module denies it with a long reason).
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup request-results
{
    cc template duplicate "Computer" "Mail Computer" --compat 2003
    cc template set "Mail Computer" email-in-subject yes
    cc ca enable "Mail Computer"
} >"$T/data.log" 2>&1

run_keys results <<EOF2
# Certificates (Local Computer) -> Personal -> All Tasks -> Request New Certificate
<Down><Down><Down><Down><Down><Down><Down><Down><Down><Down>
<Right>
<Down>
<Enter>
<Right>
<Enter>
<Enter>
# Computer and Mail Computer, then Enroll
<Space>
<Down>
<Space>
<Enter>
:dump $T/reqres-results.txt
<Tab>
<Enter>
:dump $T/reqres-viewer.txt
<Esc>
<Tab>
<Enter>
:dump $T/reqres-details.txt
<Esc>
<S-Tab><S-Tab>
<Enter>
:dump $T/reqres-personal.txt
EOF2
for d in results results-viewer results-details results-personal; do
    check_dump reqres-${d#results-}
done
# the viewer showed the certificate that was enrolled: the one in CA1's Personal store
cc store list --for CA1 >"$T/store.txt" 2>&1
check "Computer was enrolled into CA1's Personal store" grep -q 'ca1.contoso.com' "$T/store.txt"
check "the viewer showed that certificate" grep -q 'Issued to:  ca1.contoso.com' "$T/reqres-viewer.txt"
cc --tsv ca list failed >"$T/failed.tsv" 2>&1
check "Mail Computer was denied, as the results said" grep -q 'Mail Computer\|MailComputer' "$T/failed.tsv"
check "Details showed the reason whole, its end included" grep -q 'e-mail address\.' "$T/reqres-details.txt"
check "the results page cut it" sh -c "! grep -q 'e-mail address' '$T/reqres-results.txt'"
screen_done
