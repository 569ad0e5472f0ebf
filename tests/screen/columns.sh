#!/bin/sh
# Screen tests of the results lists at 80x24 when their columns do not
# fit: Left and Right scroll by whole columns, so the Certificate
# Templates console's Intended Purposes and Issued Certificates' template
# and dates are reachable; View -> Add/Remove Columns (a node's own menu)
# shows or hides columns, and the console keeps the choice for the node.
# The F1 help scrolls and shows a cut line whole.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup columns
cc enroll --for Administrator --template "Web Server" --cn www1.contoso.com >"$T/data.log" 2>&1

# Certificate Templates: Right brings Intended Purposes whole into view
run_keys templates <<EOF2
<Down>
<Tab>
:dump $T/columns-templates.txt
<Right>
:dump $T/columns-templates-right.txt
<Left>
:dump $T/columns-templates-left.txt
EOF2
for d in templates templates-right templates-left; do
    check_dump columns-$d
done

# Issued Certificates: the chooser hides Requester Name and the dates;
# Right then shows Issued Common Name
run_keys issued <<EOF2
<Down><Down><Down><Down><Down>
<Enter>
:dump $T/columns-menu.txt
<Right>
<Enter>
:dump $T/columns-chooser.txt
<Down>
<Space>
<Down><Down><Down>
<Space>
<Down>
<Space>
:dump $T/columns-chooser-marked.txt
<Enter>
:dump $T/columns-hidden.txt
<Tab>
<Right><Right><Right>
:dump $T/columns-hidden-right.txt
# another node and back: the choice stays with the node
<Tab>
<Down>
<Up>
:dump $T/columns-kept.txt
EOF2
for d in menu chooser chooser-marked hidden hidden-right kept; do
    check_dump columns-$d
done

# every column hidden: OK is refused, with the reason
run_keys none <<EOF2
<Down><Down><Down><Down><Down>
<Enter>
<Right>
<Enter>
<Space><Down><Space><Down><Space><Down><Space><Down><Space><Down><Space><Down><Space>
:dump $T/columns-none.txt
EOF2
check_dump columns-none
# F1: the help scrolls, and Enter shows a line the list cuts whole
run_keys help <<EOF2
<F1>
<Down>
<Enter>
:dump $T/columns-help-line.txt
<Esc>
<PgDn><PgDn>
:dump $T/columns-help-scrolled.txt
EOF2
check_dump columns-help-line
check_dump columns-help-scrolled
screen_done
