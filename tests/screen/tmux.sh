#!/bin/sh
# The real binary in a real terminal (tmux): it starts, draws the console
# with the acting account and the lab clock in the title, shows help on
# F1, and quits on F10, leaving the terminal usable. Two consoles side by
# side on one database show a change made elsewhere without a key being
# pressed, and an idle console writes nothing to its terminal.
. "$TESTS_SRCDIR/screen/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
    echo "1..1"
    echo "ok 1 # SKIP tmux is not installed"
    exit 0
fi
screen_setup tmux
# one server per session: a new server on a socket just killed can race its exit
sock="$T/tmux-1.sock"
tm() {
    tmux -S "$sock" "$@"
}
# wait_for TEXT [SESSION]: until the pane shows TEXT (at most 10 s)
wait_for() {
    i=0
    while [ $i -lt 100 ]; do
        if tm capture-pane -p -t "${2:-cc}" 2>/dev/null | grep -q "$1"; then
            return 0
        fi
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

tm -f /dev/null new-session -d -s cc -x 80 -y 24 \
    "TERM=xterm-256color LC_ALL=C.UTF-8 CERTCON_NOW=2026-11-25 '$CERTCON' $LAB; echo certcon-exit=\$?; sleep 30"
check "starts and draws the title" wait_for 'CONTOSO.Administrator on CA1'
check "shows the lab clock" wait_for 'lab clock 2026-11-25'
check "draws the console tree" wait_for 'Certificate Templates'
tm capture-pane -p -t cc >"$T/tmux-start.txt"
tm send-keys -t cc F1
check "F1 opens the help" wait_for 'Help: keys'
tm send-keys -t cc Escape
tm send-keys -t cc F10
check "F10 quits with status 0" wait_for 'certcon-exit=0'
tm kill-server 2>/dev/null

# Ctrl-C quits too, and a tiny terminal gets the message instead of garbage
sock="$T/tmux-2.sock"
tm -f /dev/null new-session -d -s cc -x 30 -y 8 \
    "TERM=xterm-256color LC_ALL=C.UTF-8 '$CERTCON' $LAB; echo certcon-exit=\$?; sleep 30"
check "a tiny terminal asks to be enlarged" wait_for 'enlarge'
tm resize-window -t cc -x 100 -y 30 2>/dev/null || tm resize-pane -t cc -x 100 -y 30
check "and recovers when enlarged" wait_for 'Console Root'
tm send-keys -t cc C-c
check "Ctrl-C quits" wait_for 'certcon-exit=0'
tm kill-server 2>/dev/null

# --ascii draws lines with + - |; NO_COLOR leaves colours out (attributes stay)
sock="$T/tmux-3.sock"
tm -f /dev/null new-session -d -s cc -x 80 -y 24 \
    "TERM=xterm-256color NO_COLOR=1 LC_ALL=C.UTF-8 '$CERTCON' --ascii $LAB; echo certcon-exit=\$?; sleep 30"
check "--ascii draws + - |" wait_for '^+ Console Root ---'
tm capture-pane -e -p -t cc >"$T/tmux-nocolor.txt"
check "NO_COLOR: no colour escapes" sh -c "! grep -q \"\$(printf '\\033')\\[[0-9;]*3[0-7]m\" '$T/tmux-nocolor.txt'"
tm send-keys -t cc F10
check "quits" wait_for 'certcon-exit=0'
tm kill-server 2>/dev/null
# two consoles side by side: each shows what another process commits, with
# no key pressed (they poll the database's change counter while idle)
sock="$T/tmux-4.sock"
for s in cc cc2; do
    tm -f /dev/null new-session -d -s $s -x 80 -y 24 \
        "TERM=xterm-256color LC_ALL=C.UTF-8 CERTCON_NOW=2026-11-25 '$CERTCON' $LAB; echo certcon-exit=\$?; sleep 30"
done
check "console 1 starts" wait_for 'Console Root' cc
check "console 2 starts" wait_for 'Console Root' cc2
for s in cc cc2; do
    tm send-keys -t $s Down
done
check "console 1 lists the templates" wait_for 'Administrator  ' cc
check "console 2 lists the templates" wait_for 'Administrator  ' cc2
check "neither shows the new template yet" sh -c "! tmux -S '$sock' capture-pane -p -t cc | grep -q 'Concurrent Web'"
# an idle console sends nothing down the link
: >"$T/idle.out"
tm pipe-pane -o -t cc "cat >>'$T/idle.out'"
sleep 2.5
tm pipe-pane -t cc
check "an idle console writes nothing to its terminal" test ! -s "$T/idle.out"
cc template duplicate "Web Server" "Concurrent Web" >"$T/dup.log" 2>&1
check "console 1 shows the other's new template unprompted" wait_for 'Concurrent Web' cc
check "console 2 shows it too" wait_for 'Concurrent Web' cc2
for s in cc cc2; do
    tm send-keys -t $s F10
done
check "both quit" wait_for 'certcon-exit=0' cc
tm kill-server 2>/dev/null
screen_done
