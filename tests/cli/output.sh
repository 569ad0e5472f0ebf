# Output nobody can abuse. Names taken from a request, a file or the
# database reach the terminal escaped from every listing and message, as the
# console shows them (^[ for ESC, <U+202E> for a direction override, \xNN for
# a byte that is not UTF-8); --tsv keeps one row per record. Files written
# with --out, --pem, --pfx, --der and --p7b replace nothing without --force
# and never anything but a regular file. The CA key file must be private,
# and a PKCS #11 PIN is never stored in the database.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab

# raw FILE: whether FILE holds a byte that drives a terminal: a C0 control
# other than tab and newline, DEL, a C1 control, a direction override or
# isolate (U+202A-U+202E, U+2066-U+2069) or a byte that is not UTF-8.
raw() {
    LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$1" ||
        ! iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1
}
# no_raw DESCRIPTION certcon-args...: the command's stdout and stderr hold no raw byte.
no_raw() {
    local d=$1
    shift
    "$CERTCON" --db "$DB" "$@" >"$SCRATCH/raw.out" 2>"$SCRATCH/raw.err"
    ! raw "$SCRATCH/raw.out" && ! raw "$SCRATCH/raw.err"
    ok $? "$d: nothing raw"
}

# --- a hostile common name: erase the screen, ring the bell, reverse the text,
# a tab and a newline to split a TSV row, and a byte that is not UTF-8 ---
CN=$(printf 'evil\033[2J\007\342\200\256x\ty\nz')
SHOWN='evil^[[2J^G<U+202E>x'       # as text
SHOWN_RE='evil\^\[\[2J\^G<U\+202E>x' # as an extended regular expression
openssl req -new -utf8 -newkey rsa:2048 -nodes \
    -keyout "$SCRATCH/h.key" -subj "/CN=$CN" -out "$SCRATCH/h.csr" 2>/dev/null
ok $? "a request whose CN holds ESC[2J, BEL, U+202E, a tab and a newline"
run_ok "requests before" --tsv ca list all
BEFORE=$(printf '%s' "$OUT" | grep -c '^')

# Web Server takes the subject from the request. Administrator may enroll
# (the CA issues it, or refuses the name: either way it is a recorded
# request); CLIENT1 may not, so its request lands in Failed Requests.
run submit --for Administrator --template "Web Server" "$SCRATCH/h.csr"
run_fails 1 "a denied requester's hostile request" submit --for CLIENT1 --template "Web Server" \
    "$SCRATCH/h.csr"
for view in issued failed all; do
    no_raw "ca list $view" ca list "$view"
    no_raw "ca list $view --tsv" --tsv ca list "$view"
done
"$CERTCON" --db "$DB" ca list issued >"$SCRATCH/views"
"$CERTCON" --db "$DB" ca list failed >>"$SCRATCH/views"
is "$(grep -cF "$SHOWN" "$SCRATCH/views")" "2" "both requests are listed, their CN escaped"
like "$(cat "$SCRATCH/views")" "${SHOWN_RE}\^Iy\^Jz" "a tab and a newline in a listing show as ^I and ^J"
run_ok "ca list all --tsv" --tsv ca list all
is "$(printf '%s' "$OUT" | grep -c '^')" "$((BEFORE + 2))" "--tsv: one row per request"
like "$OUT" "${SHOWN_RE}\\\\ty\\\\nz" "--tsv: tab and newline in a value as \\t and \\n"
is "$(printf '%s\n' "$OUT" | awk -F'\t' '{ print NF }' | sort -u)" "8" "--tsv: every row has 8 fields"
run_ok "ca list failed --tsv" --tsv ca list failed --filter CLIENT1
like "$OUT" "CONTOSO\\\\\\\\CLIENT1" "--tsv: a backslash in a value is doubled"

# a certificate whose subject moves the cursor is never signed (lint: control
# characters); one whose subject reverses the text is, and is shown escaped
run_fails 1 "a CN with ESC and BEL is refused at enrollment" enroll --for Administrator \
    --template "Web Server" --cn "$(printf 'e\033[2J\033]0;title\007x')"
no_raw "the refusal" enroll --for Administrator --template "Web Server" \
    --cn "$(printf 'e\033[2J\033]0;title\007x')"
run_ok "enroll a text-reversing CN into Administrator's store" enroll --for Administrator \
    --template "Web Server" --cn "$(printf 'e\342\200\256x')"
no_raw "store list" store list --for Administrator
no_raw "store list --tsv" --tsv store list --for Administrator
run_ok "store list" store list --for Administrator
like "$OUT" 'CN=e<U\+202E>x' "store list shows the subject escaped"

# names the directory, templates and policies accept: direction overrides
B=$(printf 'R\342\200\256L\342\201\246')
run_ok "a template whose name reverses the text" template duplicate "Web Server" "Bidi$B"
run_ok "a user whose name reverses the text" dir add-user "u$B"
run_ok "an application policy whose name reverses the text" oid add "P$B" 1.2.3.4.5
no_raw "template list" template list
no_raw "template list --tsv" --tsv template list
no_raw "template show" template show "Bidi$B"
no_raw "template show --conf" template show "Bidi$B" --conf
no_raw "dir list" dir list users
no_raw "dir show" dir show "u$B"
no_raw "oid list" oid list
no_raw "explain" explain --for "u$B" --template "Bidi$B"
no_raw "audit" audit
no_raw "audit --tsv" --tsv audit
run_ok "template list" template list
like "$OUT" 'BidiR<U\+202E>L<U\+2066>' "template list shows the override escaped"
run_ok "audit" audit
like "$OUT" 'uR<U\+202E>L<U\+2066>' "audit shows the override escaped"
run_fails 1 "explain" explain --for "u$B" --template "Bidi$B"
like "$OUT" 'cannot enroll' "explain says why"
# control characters in names are refused, and the refusal quotes them escaped
unchanged_after "a user name with ESC is refused" dir add-user "$(printf 'u\033[2Jx')"
like "$ERR" "u\\^\\[\\[2Jx" "the refusal shows the name escaped"
! raw "$SCRATCH/.err"
ok $? "the refusal holds no raw byte"
unchanged_after "a template name with BEL is refused" template duplicate "Web Server" \
    "$(printf 'T\007')"
like "$ERR" "control characters" "says control characters are not allowed"
# a hostile argument quoted back in an error message
no_raw "an unknown template named with ESC" template show "$(printf 'x\033[2J\377')"
like "$(cat "$SCRATCH/raw.err")" 'x\^\[\[2J\\xFF' "the error quotes it escaped"

# --- files written with --out, --pfx, --der, --pem, --p7b ---
# same FILE ORIGINAL DESCRIPTION: FILE holds exactly what ORIGINAL holds.
same() {
    cmp -s "$1" "$2"
    ok $? "$3"
}
mkdir -p "$SCRATCH/o"
printf 'precious\n' >"$SCRATCH/o/keep.orig"
for f in cert.pem crl.pem enroll.pem submit.pem export.der export.pem export.p7b export.pfx; do
    cp "$SCRATCH/o/keep.orig" "$SCRATCH/o/$f"
done
openssl req -new -newkey rsa:2048 -nodes -keyout "$SCRATCH/w.key" \
    -subj "/CN=www.contoso.com" -out "$SCRATCH/w.csr" 2>/dev/null
printf 'pfx-password\n' >"$SCRATCH/pw"
run_ok "a template that allows key export" template duplicate "Web Server" "Export Web"
run_ok "its key is exportable" template set "Export Web" exportable yes
run_ok "the CA issues it" ca enable "Export Web"
run_ok "a certificate to export" enroll --for Administrator --template "Export Web" \
    --cn export.contoso.com --exportable
SERIAL=$(printf '%s' "$OUT" | sed -n 's/.*serial \([0-9a-f]*\).*/\1/p')
# every writing verb: "ARGS-BEFORE-FILE|ARGS-AFTER-FILE|file"
WRITERS="ca cert --out|-|cert.pem
ca crl --out|-|crl.pem
enroll --for Administrator --template Web*Server --cn w.contoso.com --out|-|enroll.pem
submit --for Administrator --template Web*Server $SCRATCH/w.csr --out|-|submit.pem
export --for Administrator $SERIAL --der|-|export.der
export --for Administrator $SERIAL --pem|-|export.pem
export --for Administrator $SERIAL --p7b|-|export.p7b
export --for Administrator $SERIAL --password-file $SCRATCH/pw --pfx|-|export.pfx"
writers() { printf '%s\n' "$WRITERS"; }
# w FILE ARGS: runs the writer with FILE (a * in ARGS stands for a blank)
w() {
    local file=$1 before
    shift
    # shellcheck disable=SC2086
    set -- $(printf '%s' "$*" | sed 's/|-|$//')
    local args=() a
    for a in "$@"; do args+=("${a//\*/ }"); done
    run "${args[@]}" "$file" $W_EXTRA
}
while IFS='|' read -r args _ f; do
    W_EXTRA=
    before=$(db_dump)
    w "$SCRATCH/o/$f" "$args"
    is "$RC" "1" "$args FILE: an existing file is refused without --force"
    like "$ERR" "already exists: give --force" "$args: says to give --force"
    same "$SCRATCH/o/$f" "$SCRATCH/o/keep.orig" "$args: the file is byte-identical"
    [ "${args%% *}" = submit ] || [ "${args%% *}" = enroll ] &&
        { is "$(db_dump)" "$before" "$args: nothing recorded before the refusal"; }
    W_EXTRA=--force
    w "$SCRATCH/o/$f" "$args"
    is "$RC" "0" "$args FILE --force: a regular file is replaced"
    ! cmp -s "$SCRATCH/o/$f" "$SCRATCH/o/keep.orig"
    ok $? "$args --force: the file has the new content"
    is "$(ls -a "$SCRATCH/o" | grep -c '^\.[^.]')" "0" "$args: no temporary file left behind"
done < <(writers)
is "$(stat -c %a "$SCRATCH/o/export.pfx")" "600" "a PFX is written 0600"
is "$(stat -c %a "$SCRATCH/o/export.der")" "644" "a certificate is written 0644"
# what --force never replaces
mkdir "$SCRATCH/o/dir"
mkfifo "$SCRATCH/o/fifo"
printf 'target\n' >"$SCRATCH/o/target"
cp "$SCRATCH/o/target" "$SCRATCH/o/target.orig"
ln -s target "$SCRATCH/o/link"
ln -s nowhere "$SCRATCH/o/dangling"
for f in dir fifo link dangling /dev/null; do
    case $f in /*) p=$f ;; *) p=$SCRATCH/o/$f ;; esac
    while IFS='|' read -r args _ _; do
        W_EXTRA=--force
        w "$p" "$args"
        is "$RC" "1" "$args $f --force: refused"
    done < <(writers | sed -n '1p;3p;8p')
    like "$ERR" "only a regular file" "$f: says only a regular file is replaced"
done
test -d "$SCRATCH/o/dir" && test -p "$SCRATCH/o/fifo" && test -L "$SCRATCH/o/link" &&
    test -L "$SCRATCH/o/dangling" && test ! -e "$SCRATCH/o/nowhere"
ok $? "the directory, FIFO and links are still there, the link target not created"
same "$SCRATCH/o/target" "$SCRATCH/o/target.orig" "a link's target is never written"
is "$(ls -a "$SCRATCH/o" | grep -c '^\.[^.]')" "0" "no temporary file left behind"
run_fails 2 "--force without a file" ca cert --force
run_fails 1 "a certificate into a missing directory" ca cert --out "$SCRATCH/none/x.pem"

# --- the CA key, the database and the key-store secret are the owner's alone ---
DB=$SCRATCH/modes.db
run_ok "a lab of its own, its key beside it" init --lab contoso
KEY="$DB.ca-key.pem"
test -f "$KEY"
ok $? "the CA key file is $KEY"
run_ok "ca show" --tsv ca show
like "$OUT" "Key protection	file \(mode 0600\)" "ca show reports the key file's real mode"
chmod 644 "$KEY"
run_ok "ca show with a loose key" --tsv ca show
like "$OUT" "Key protection	file \(mode 0644: group or others have access" "ca show reports 0644"
cp "$KEY" "$SCRATCH/key.before"
unchanged_after "a CA key others can read is refused" enroll --for Administrator \
    --template "Web Server" --cn refused.contoso.com
like "$ERR" "CA key $KEY is readable by group or others \(mode 0644\): run chmod 600 $KEY" \
    "says which file, its mode and the chmod that fixes it"
chmod 620 "$KEY"
run_fails 1 "a CA key the group can write is refused" ca crl
like "$ERR" "writable by group or others \(mode 0620\)" "says writable"
chmod 600 "$KEY"
run_ok "after chmod 600 the CA signs again" enroll --for Administrator --template "Web Server" \
    --cn fixed.contoso.com
chmod 640 "$DB"
run_fails 1 "a database the group can read is refused" ca list issued
like "$ERR" "database $DB is readable by group or others \(mode 0640\): run chmod 600" \
    "says how to fix the database"
chmod 600 "$DB"
run_ok "store list makes the key-store secret" store list --for Administrator
is "$(stat -c %a "$DB.secret")" "600" "the key-store secret is 0600"
chmod 604 "$DB.secret"
run_fails 1 "a key-store secret others can read is refused" enroll --for Administrator \
    --template "Web Server" --cn secret.contoso.com
like "$ERR" "secret $DB.secret is readable by group or others \(mode 0604\): run chmod 600" \
    "says how to fix the secret"
chmod 600 "$DB.secret"

done_testing
