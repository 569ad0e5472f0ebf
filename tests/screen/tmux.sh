#!/bin/sh
# The real binary in a real terminal (tmux): it starts, draws the console
# with the acting account and the lab clock in the title, shows help on
# F1, and quits on F10, leaving the terminal usable.
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
# wait_for TEXT: until the pane shows TEXT (at most 10 s)
wait_for() {
    i=0
    while [ $i -lt 100 ]; do
        if tm capture-pane -p -t cc 2>/dev/null | grep -q "$1"; then
            return 0
        fi
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

tm -f /dev/null new-session -d -s cc -x 80 -y 24 \
    "TERM=xterm-256color LC_ALL=C.UTF-8 CERTCON_NOW=2026-11-25 '$CERTCON' --db '$DB'; echo certcon-exit=\$?; sleep 30"
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
    "TERM=xterm-256color LC_ALL=C.UTF-8 '$CERTCON' --db '$DB'; echo certcon-exit=\$?; sleep 30"
check "a tiny terminal asks to be enlarged" wait_for 'enlarge'
tm resize-window -t cc -x 100 -y 30 2>/dev/null || tm resize-pane -t cc -x 100 -y 30
check "and recovers when enlarged" wait_for 'Console Root'
tm send-keys -t cc C-c
check "Ctrl-C quits" wait_for 'certcon-exit=0'
tm kill-server 2>/dev/null

# --ascii draws lines with + - |; NO_COLOR leaves colours out (attributes stay)
sock="$T/tmux-3.sock"
tm -f /dev/null new-session -d -s cc -x 80 -y 24 \
    "TERM=xterm-256color NO_COLOR=1 LC_ALL=C.UTF-8 '$CERTCON' --ascii --db '$DB'; echo certcon-exit=\$?; sleep 30"
check "--ascii draws + - |" wait_for '^+ Console Root ---'
tm capture-pane -e -p -t cc >"$T/tmux-nocolor.txt"
check "NO_COLOR: no colour escapes" sh -c "! grep -q \"\$(printf '\\033')\\[[0-9;]*3[0-7]m\" '$T/tmux-nocolor.txt'"
tm send-keys -t cc F10
check "quits" wait_for 'certcon-exit=0'
tm kill-server 2>/dev/null
screen_done
