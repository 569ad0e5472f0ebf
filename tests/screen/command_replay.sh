#!/bin/sh
# The commands F2 shows are real and do what the dialog does: a session is
# recorded (certcon --record) on this lab while dialogs make their changes
# with OK, each dialog's F2 is dumped before its OK, and the recording —
# the same lines F2 showed — is replayed with sh on a fresh second lab.
# Both labs must then be in the same state, as the command line shows it.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup command-replay

REC="$T/session.sh"
W="Preview Web"

# record_keys NAME: run_keys with the session recorded to $REC.
record_keys() {
    local name=$1
    cat >"$T/$name.keys"
    # in the scratch directory, where a file the console writes lands
    if ! (cd "$T" && COLUMNS=80 LINES=24 "$CERTCON" $(lab_args) --record "$REC" \
        --script "$T/$name.keys") >"$T/$name.out" 2>&1; then
        echo "# certcon --record --script $name.keys failed:"
        sed 's/^/#   /' "$T/$name.out"
        return 1
    fi
}

# Web Server -> Duplicate Template -> the new template's sheet: a name, a
# validity, Domain Admins lose Enroll, Domain Computers are added with Enroll.
record_keys sheet-new <<EOF2
<Down>
<Tab>
Web
<Enter>
<Enter>
<Enter>
<C-u>
$W
<Tab>
<C-u>
3y
<F8><F8><F8><F8><F8><F8><F8>
<Down><Down>
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
<S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab>
<Enter>
Domain Computers
<Enter>
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
<F2>
:dump $T/cmd-sheet-new.txt
<Esc>
<Enter>
EOF2
check_dump cmd-sheet-new

# the same template's Properties again: Client Authentication added to its
# Application Policies (that editor's F2 shows the settings it changes in
# the draft), then the display name and renewal period
record_keys sheet-edit <<EOF2
<Down>
<Tab>
$W
<F4>
<F8><F8><F8><F8><F8><F8>
<Enter>
<Tab>
<Enter>
Client Auth
<Enter>
<F2>
:dump $T/cmd-app-policies.txt
<Esc>
<Enter>
<S-F8><S-F8><S-F8><S-F8><S-F8><S-F8>
<C-u>
Preview Web Server
<Tab><Tab>
<C-u>
3w
<F2>
:dump $T/cmd-sheet-edit.txt
<Esc>
<Enter>
EOF2
check_dump cmd-sheet-edit
check_dump cmd-app-policies

# Active Directory Users and Computers -> Users -> New -> User (a wizard)
record_keys new-user <<EOF2
<Right>
<Down>
<Right>
<Down>
<Enter>
<Enter>
<Down>
<Enter>
Alice Lab
<Tab>
alice
<Enter>
alice@contoso.com
<F2>
:dump $T/cmd-new-user.txt
<Esc>
<Enter>
EOF2
check_dump cmd-new-user

# Users -> New -> Group: a group made there lives in Users
record_keys new-group <<EOF2
<Right>
<Down>
<Right>
<Down>
<Enter>
<Enter>
<Enter>
Lab Managers
<F2>
:dump $T/cmd-new-group.txt
<Esc>
<Enter>
EOF2
check_dump cmd-new-group

# Groups -> Domain Admins -> Properties -> Members: Add... alice
record_keys members <<EOF2
<Right>
<Down>
<Right>
<Down><Down><Down>
<Tab>
Domain A
<Enter>
<Enter>
<Right>
<Tab><Tab>
<Enter>
alice
<Enter>
<F2>
:dump $T/cmd-members.txt
<Esc>
<Tab><Tab>
<Enter>
EOF2
check_dump cmd-members

# Certification Authority -> contoso-CA1-CA -> Properties: the base URL on
# Extensions, alice a Certificate Manager on Security
record_keys ca-props <<EOF2
<Down><Down><Down>
<Enter>
<Down><Down>
<Enter>
<F8><F8>
<Tab>
<C-u>
http://pki.contoso.com:8080
<F8><F8><F8><F8>
<Tab><Tab>
<Enter>
alice
<Enter>
<Tab><Tab><Tab><Tab>
<Space>
<F2>
:dump $T/cmd-ca-props.txt
<Esc>
<Enter>
EOF2
check_dump cmd-ca-props

# Revoked Certificates -> Properties: a CRL every 2 weeks, a delta every
# 12 hours, a CRL at once after each revocation
record_keys crl-props <<EOF2
<Down><Down><Down><Down>
<Enter>
<Down><Down>
<Enter>
<C-u>
2
<Tab><Tab><Tab>
<C-u>
12
<Tab>
<Left>
<Tab>
<Space>
<F2>
:dump $T/cmd-crl-props.txt
<Esc>
<Enter>
EOF2
check_dump cmd-crl-props

# Group Policy Management -> contoso.com: Create a GPO in this domain, and
# Link it here; its Auto-Enrollment (Computer Configuration) enabled with
# both boxes; its Scope filtered to Domain Computers.
GPO="Autoenroll Certificates"
TO_DOMAIN='G
<Right><Right>
<Right><Right>
<Right><Right>'
record_keys gpo-new <<EOF2
$TO_DOMAIN
<Right>
<Enter>
<Enter>
$GPO
<F2>
:dump $T/cmd-gpo-new.txt
<Esc>
<Enter>
EOF2
check_dump cmd-gpo-new
record_keys gpo-autoenroll <<EOF2
$TO_DOMAIN
<Tab>
<Enter>
<Enter>
<Right><Right>
<Right><Right>
<Down>
<Right><Right>
<Right><Right>
<Tab>
<Enter>
<Enter>
<Right>
<Tab>
<Space>
<Tab>
<Space>
<F2>
:dump $T/cmd-gpo-autoenroll.txt
<Esc>
<Enter>
<Esc>
EOF2
check_dump cmd-gpo-autoenroll
record_keys gpo-scope <<EOF2
$TO_DOMAIN
<Right>
<Down><Down><Down><Down>
<Tab>
<Enter>
<Down>
<Enter>
<Tab>
<Enter>
Domain Comp
<Enter>
<S-Tab>
<Up>
<Tab><Tab>
<Enter>
<F2>
:dump $T/cmd-gpo-scope.txt
<Esc>
<Tab>
<Enter>
EOF2
check_dump cmd-gpo-scope

# f2_shown NAME: the commands in the Command line box of dump NAME, its
# wrapped lines joined again with spaces.
f2_shown() {
    awk '
        !l && (i = index($0, "+ Command line")) { l = i; r = l + index(substr($0, l + 1), "+"); next }
        l && substr($0, l, 1) == "+" { exit }
        l { t = substr($0, l + 1, r - l - 1); gsub(/^ +| +$/, "", t)
            if (t == ">[ OK ]") exit
            if (go && t != "") out = out (out == "" ? "" : " ") t
            if (t ~ /as a command:$/) go = 1 }
        END { print out }' "$T/$1.txt"
}

# recorded TITLE: the commands recorded under a dialog's title, joined with spaces.
recorded() {
    awk -v want="$1" '
        /^# [0-9][0-9]:[0-9][0-9] / { go = substr($0, 9) == want; next }
        go && $0 == "" { go = 0 }
        go { out = out (out == "" ? "" : " ") $0 }
        END { print out }' "$REC"
}

# same_text A B: both say the same, and something.
same_text() {
    [ -n "$1" ] && [ "$1" = "$2" ]
}

# what was recorded for each dialog is what its F2 showed
check "the recording holds the new template's commands as F2 showed them" \
    same_text "$(recorded "Properties of New Template")" "$(f2_shown cmd-sheet-new)"
check "the recording holds the edit's commands as F2 showed them" \
    same_text "$(recorded "Preview Web Properties")" "$(f2_shown cmd-sheet-edit)"
check "the recording holds New User's commands as F2 showed them" \
    same_text "$(recorded "New Object - User")" "$(f2_shown cmd-new-user)"
check "the recording holds New Group's commands as F2 showed them" \
    same_text "$(recorded "New Object - Group")" "$(f2_shown cmd-new-group)"
check "the recording holds the group's Members commands as F2 showed them" \
    same_text "$(recorded "Domain Admins Properties")" "$(f2_shown cmd-members)"
check "the recording holds CA Properties' commands as F2 showed them" \
    same_text "$(recorded "contoso-CA1-CA Properties")" "$(f2_shown cmd-ca-props)"
check "the recording holds New GPO's command as F2 showed it" \
    same_text "$(recorded "New GPO")" "$(f2_shown cmd-gpo-new)"
check "the recording holds Auto-Enrollment's command as F2 showed it" \
    same_text "$(recorded "Certificate Services Client – Auto-Enrollment Properties")" \
    "$(f2_shown cmd-gpo-autoenroll)"
check "the recording holds Scope's commands as F2 showed them" \
    same_text "$(recorded "$GPO - Scope")" "$(f2_shown cmd-gpo-scope)"
check "the recording holds the CRL settings' commands as F2 showed them" \
    same_text "$(recorded "Revoked Certificates Properties")" "$(f2_shown cmd-crl-props)"
for line in \
    "certcon template duplicate WebServer 'Preview Web' --compat 2003" \
    "certcon template set 'Preview Web' validity '3 years'" \
    "certcon template acl 'Preview Web' --remove 'Domain Admins:Enroll'" \
    "certcon template acl 'Preview Web' --allow 'Domain Computers:Read,Enroll'" \
    "certcon template set 'Preview Web' renewal '3 weeks'" \
    "certcon template set 'Preview Web' app-policies 'Server Authentication (1.3.6.1.5.5.7.3.1), Client Authentication (1.3.6.1.5.5.7.3.2)'" \
    "certcon template set 'Preview Web' display-name 'Preview Web Server'"; do
    check "recorded: $line" grep -qxF "$line" "$REC"
done
check "the recording is a shell script that stops at the first failure" \
    sh -c "head -1 '$REC' | grep -qx '#!/bin/sh' && grep -qx 'set -e' '$REC'"
check "each dialog's commands are under its title and the lab clock's time" \
    grep -qx "# 00:00 Properties of New Template" "$REC"

# replayed on a fresh lab, the recording makes the same state
B="$T/lab-b.db"
"$CERTCON" --db "$B" init --lab contoso >"$T/init-b.log" 2>&1
if CERTCON="$CERTCON" CERTCON_DB="$B" sh "$REC" >"$T/replay.log" 2>&1; then
    ok "the recording replays on a fresh lab"
else
    not_ok "the recording replays on a fresh lab"
    sed 's/^/# /' "$T/replay.log"
fi

# same_state WHAT ARGS...: the command's output on both labs, OIDs masked.
# A template's minor version counts saves, and each replayed command is
# one save where the dialog made one; a directory object's GUID is random:
# both are left out.
same_state() {
    local what=$1
    shift
    cc "$@" 2>&1 | screen_mask /dev/stdin | grep -v -e '^General  *version ' -e '^guid	' \
        >"$T/a-$what.txt"
    "$CERTCON" --db "$B" "$@" 2>&1 | screen_mask /dev/stdin |
        grep -v -e '^General  *version ' -e '^guid	' >"$T/b-$what.txt"
    if cmp -s "$T/a-$what.txt" "$T/b-$what.txt"; then
        ok "same $what on both labs"
    else
        not_ok "same $what on both labs"
        diff -u "$T/a-$what.txt" "$T/b-$what.txt" | sed 's/^/# /'
    fi
}
same_state template-show template show "Preview Web Server"
same_state template-acl --tsv template acl "Preview Web Server"
same_state user --tsv dir show alice
same_state group --tsv dir show "Lab Managers"
same_state admins --tsv dir show "Domain Admins"
same_state roles --tsv ca roles
same_state gpo --tsv gpo show "$GPO"
cc ca show 2>&1 | grep -E '^(Base URL|CRL distribution|Authority information|OCSP|CRL period|Delta CRL period|Publish on revoke)' >"$T/a-urls.txt"
"$CERTCON" --db "$B" ca show 2>&1 |
    grep -E '^(Base URL|CRL distribution|Authority information|OCSP|CRL period|Delta CRL period|Publish on revoke)' \
        >"$T/b-urls.txt"
check "the CA's URLs and CRL settings are the same on both labs" cmp -s "$T/a-urls.txt" "$T/b-urls.txt"
check "and the CRL settings are the new ones" grep -q '^Delta CRL period  *12 hours$' "$T/b-urls.txt"
check "and they follow the new base URL" grep -q '^Base URL  *http://pki.contoso.com:8080$' \
    "$T/b-urls.txt"

# The CA database's actions name a serial number or request ID of this lab,
# so their commands run on a copy of it taken before the console acted.
cc enroll --for Administrator --template "Web Server" --cn www.contoso.com >"$T/enroll.log" 2>&1
cc enroll --for Administrator --template "Web Server" --cn mail.contoso.com >>"$T/enroll.log" 2>&1
mkdir -p "$T/copy"
for f in "$T"/lab.db "$T"/lab.db.*; do
    [ -f "$f" ] && cp "$f" "$T/copy/"
done
C="$T/copy/lab.db"

# Issued Certificates -> the first certificate -> All Tasks -> Revoke
# Certificate, Key Compromise; the second -> Export... as DER
record_keys revoke <<EOF2
<Down><Down><Down><Down><Down>
<Tab>
<Enter>
<Down>
<Right>
<Enter>
<S-Tab><S-Tab>
<Space>
<Down>
<Enter>
<F2>
:dump $T/cmd-revoke.txt
<Esc>
<Tab>
<Enter>
<Enter>
<Enter>
<Down>
<Right>
<Down>
<Enter>
<Up>
<Tab>
mail.cer
<F2>
:dump $T/cmd-export.txt
<Esc>
<Enter>
EOF2
check_dump cmd-revoke
check_dump cmd-export
check "the recording holds Revoke's command as F2 showed it" \
    same_text "$(recorded "Certificate Revocation")" "$(f2_shown cmd-revoke)"
check "the recording holds Export's command as F2 showed it" \
    same_text "$(recorded "Export Binary Data")" "$(f2_shown cmd-export)"
# the commands, as recorded, on the copy: the certificate file written again
mv "$T/mail.cer" "$T/mail-console.cer"
for title in "Certificate Revocation" "Export Binary Data"; do
    recorded "$title" | sed "s|^certcon |\"\$CERTCON\" --db \"\$C\" |" >"$T/one.sh"
    if (cd "$T" && CERTCON="$CERTCON" C="$C" sh "$T/one.sh") >"$T/one.log" 2>&1; then
        ok "$title's command runs on the copy"
    else
        not_ok "$title's command runs on the copy"
        sed 's/^/# /' "$T/one.log"
    fi
done
cc --tsv ca list revoked >"$T/a-revoked.tsv" 2>&1
"$CERTCON" --db "$C" --tsv ca list revoked >"$T/b-revoked.tsv" 2>&1
check "the same certificate is revoked, for the same reason" \
    sh -c "grep -q 'keyCompromise' '$T/b-revoked.tsv' && cmp -s '$T/a-revoked.tsv' '$T/b-revoked.tsv'"
check "the same DER file was written" cmp -s "$T/mail.cer" "$T/mail-console.cer"

# Lab -> a step -> Record Session to File...: recording starts there, and
# Stop Recording (the same action while recording) ends it; what a dialog
# does after that is not recorded.
cat >"$T/lab-record.keys" <<EOF2
<End>
<Right>
<Down>
<Right>
<Down>
<Tab>
<Enter>
<Down><Down><Down><Down>
:dump $T/lab-record-menu.txt
<Enter>
lab-session.sh
:dump $T/lab-record-dialog.txt
<Enter>
:dump $T/lab-recording.txt
<Tab>
<Home>
<Right>
<Down>
<Right>
<Down>
<Enter>
<Enter>
<Enter>
Lab Operators
<Enter>
<Tab>
<End>
<Up>
<Tab>
<Enter>
<Down><Down><Down><Down>
:dump $T/lab-record-stop-menu.txt
<Enter>
:dump $T/lab-record-stopped.txt
<Enter>
<Tab>
<Home>
<Down><Down>
<Enter>
<Enter>
<Enter>
Lab Guests
<Enter>
EOF2
(cd "$T" && COLUMNS=80 LINES=24 "$CERTCON" $(lab_args) --script "$T/lab-record.keys") \
    >"$T/lab-record.out" 2>&1
for d in record-menu record-dialog recording record-stop-menu record-stopped; do
    check_dump lab-$d
done
check "the group made while recording is in the script" \
    grep -qx "certcon dir add-group 'Lab Operators'" "$T/lab-session.sh"
check "the group made after Stop Recording is not" \
    sh -c "! grep -q 'Lab Guests' '$T/lab-session.sh'"
cc --tsv dir show "Lab Guests" >"$T/guests.tsv" 2>&1
check "(it was made)" grep -q "^name	Lab Guests$" "$T/guests.tsv"

# --record takes a new file or an earlier recording, nothing else
echo "keep me" >"$T/notes.txt"
printf '<F10>\n' >"$T/quit.keys"
if COLUMNS=80 LINES=24 "$CERTCON" $(lab_args) --record "$T/notes.txt" --script "$T/quit.keys" \
    >"$T/refused.out" 2>&1; then
    not_ok "--record refuses a file that is not a recording"
else
    ok "--record refuses a file that is not a recording"
fi
check "the refusal says why" grep -q "notes.txt exists and is not a certcon session recording" \
    "$T/refused.out"
check "the file is as it was" test "$(cat "$T/notes.txt")" = "keep me"
screen_done
