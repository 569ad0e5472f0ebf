#!/bin/sh
# The real binary in tmux with TERM=vt100 in the C locale, fed the key
# sequences xterm sends (vt100's terminfo knows none of F5-F12, Shift-F8
# or Shift-Tab): F8 turns a changed property sheet's page instead of
# closing it as a lone Esc would, Shift-F8 turns it back, Shift-Tab moves
# the focus back, F10 asks before discarding the change, and the title
# is plain ASCII.
. "$TESTS_SRCDIR/screen/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
    echo "1..1"
    echo "ok 1 # SKIP tmux is not installed"
    exit 0
fi
screen_setup terminals
sock="$T/tmux.sock"
tm() {
    tmux -S "$sock" "$@"
}
# wait_for TEXT: until the pane shows TEXT (a grep pattern; at most 10 s)
wait_for() {
    i=0
    while [ $i -lt 100 ]; do
        if tm capture-pane -p -t cc 2>/dev/null | grep -q -- "$1"; then
            return 0
        fi
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
# xterm SEQUENCE: the bytes xterm sends, after ESC, given as text
xterm() {
    tm send-keys -t cc -H 1b $(printf '%s' "$1" | od -An -tx1)
}

tm -f /dev/null new-session -d -s cc -x 80 -y 24 \
    "TERM=vt100 LC_ALL=C CERTCON_NOW=2026-11-25 '$CERTCON' $LAB; echo certcon-exit=\$?; sleep 30"
check "the title is plain ASCII" wait_for '^ certcon - CONTOSO.Administrator on CA1 '
tm capture-pane -p -t cc >"$T/start.txt"
check "no escaped character on the screen" sh -c "! grep -q '<U+' '$T/start.txt'"

# Certificate Templates -> Web Server -> Duplicate Template -> OK: the sheet
tm send-keys -t cc Down Tab W e b Enter
wait_for 'Duplicate Template' >/dev/null
tm send-keys -t cc Enter
wait_for 'Minimum Certification Authority' >/dev/null
tm send-keys -t cc Enter
check "the sheet opens on General" wait_for '\[General\]'
tm send-keys -t cc X
check "the display name is changed" wait_for 'Copy of Web ServerX'

xterm '[19~' # F8
check "F8 turns the page" wait_for '\[Request Handling\]'
check "and the sheet stays open" wait_for 'Properties of New Template'
xterm '[19;2~' # Shift-F8
check "Shift-F8 turns it back" wait_for '\[General\]'
xterm '[Z' # Shift-Tab: from the first field back to the tab row
check "Shift-Tab moves the focus back" wait_for '^| |> .*\[General\]'
xterm '[21~' # F10
check "F10 asks before discarding the change" wait_for 'Quit certcon'
tm send-keys -t cc Enter
sleep 0.3
check "Enter answers No: the sheet and its change stay" sh -c \
    "tmux -S '$sock' capture-pane -p -t cc | grep -q 'Copy of Web ServerX' &&
     ! tmux -S '$sock' capture-pane -p -t cc | grep -q 'Quit certcon'"
xterm '[21~'
wait_for 'Quit certcon' >/dev/null
tm send-keys -t cc Left Enter
check "Quit ends with status 0" wait_for 'certcon-exit=0'
tm kill-server 2>/dev/null
screen_done
