#!/bin/sh
# Screen tests of the CA node's All Tasks -> Stop Service, which a console
# is offered only as a client of `certcon serve` (so this test always
# serves its lab): the question (Cancel first), a refusal for someone
# without Manage CA shown whole, and a CA Administrator's stop, which the
# console reports before it ends. tests/cli/serve_stop.sh proves the
# service's side (socket gone, clients finish, exit 0).
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup stop-service
[ "${CERTCON_SCREEN_SERVED:-}" = 1 ] || screen_serve
cc dir add-user alice >"$T/data.log" 2>&1

stop_keys() {
    cat <<EOF2
<Down><Down><Down>
<Enter>
<Enter>
<Right>
:dump $T/stop-$1-menu.txt
<Down>
<Enter>
:dump $T/stop-$1-confirm.txt
<Left>
<Enter>
:dump $T/stop-$1-result.txt
<Enter>
EOF2
}

stop_keys alice | AS=alice run_keys alice
check_dump stop-alice-menu
check_dump stop-alice-confirm
check_dump stop-alice-result
cc ca show >"$T/show.txt" 2>&1
check "the refused stop left the service serving" test $? -eq 0

stop_keys admin | run_keys admin
check_dump stop-admin-result
i=0
while [ -S "$T/certcon.sock" ] && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
check "the stopped service took its socket away" test ! -e "$T/certcon.sock"
screen_done
