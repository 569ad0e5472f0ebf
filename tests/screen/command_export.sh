#!/bin/sh
# F2 in the Certificate Export Wizard: certcon export from the Personal
# store, the certificate named by its thumbprint, the password read from
# PFX_PASSWORD (it shows on no screen and is in no recording). The command
# recorded when Finish wrote the file is run on a copy of the lab taken
# before: its PFX opens with the password and holds the same certificate
# and a private key.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup command-export

P="ConfigMgr Cloud-Based Distribution Point Certificate"
PASSWORD='Cl0udDP-Export'
{
    cc dir add-group "ConfigMgr Site Servers"
    cc dir add-member "ConfigMgr Site Servers" SERVER1
    cc template duplicate "Web Server" "$P" --compat 2003
    cc template set "$P" exportable yes
    cc template acl "$P" --remove "Enterprise Admins:Enroll" \
        --allow "ConfigMgr Site Servers:Read,Enroll"
    cc ca enable "$P"
    cc dir restart SERVER1
    cc enroll --for SERVER1 --template "$P" --cn clouddp1.contoso.com
} >"$T/data.log" 2>&1
mkdir -p "$T/copy"
for f in "$T"/lab.db "$T"/lab.db.*; do
    [ -f "$f" ] && cp "$f" "$T/copy/"
done

# the file names typed are relative: the wizard writes beside the test's files
cd "$T" || exit 1
REC="$T/session.sh"
cat >"$T/export.keys" <<EOF2
<Down><Down><Down><Down><Down><Down><Down><Down><Down><Down>
<Right>
<Enter>
<Enter>
SERVER1
<Enter>
<Down>
<Tab>
<Enter>
<Down>
<Right>
<Enter>
<Enter>
<Up>
<Enter>
<F2>
:dump $T/cmd-export-nofile.txt
<Esc>
<Enter>
$PASSWORD
<Tab>
$PASSWORD
<Enter>
clouddp1
<F2>
:dump $T/cmd-export-wizard.txt
<Esc>
<Enter>
<Enter>
<Enter>
EOF2
COLUMNS=80 LINES=24 "$CERTCON" $(lab_args) --record "$REC" --script "$T/export.keys" \
    >"$T/export.out" 2>&1
check_dump cmd-export-nofile
check_dump cmd-export-wizard
check "the console wrote the PFX" test -f "$T/clouddp1.pfx"
CMD=$(grep '^certcon export ' "$REC")
check "Finish recorded the export" test -n "$CMD"
# the Command line box's text, its wrapped lines joined again with spaces
F2=$(awk '
    !l && (i = index($0, "+ Command line")) { l = i; r = l + index(substr($0, l + 1), "+"); next }
    l && substr($0, l, 1) == "+" { exit }
    l { t = substr($0, l + 1, r - l - 1); gsub(/^ +| +$/, "", t)
        if (t == ">[ OK ]") exit
        if (go && t != "") out = out (out == "" ? "" : " ") t
        if (t ~ /as a command:$/) go = 1 }
    END { print out }' "$T/cmd-export-wizard.txt")
check "F2 showed the recorded command" test "$F2" = "$CMD"
check "the password is on no screen and not in the recording" \
    sh -c "! grep -l -- '$PASSWORD' '$T'/cmd-export-*.txt '$REC'"

# the recorded command, run on the copy, into another directory
mkdir -p "$T/cli"
printf '%s\n' "$CMD" | sed "s|^certcon |\"\$CERTCON\" --db \"\$C\" |" >"$T/one.sh"
if (cd "$T/cli" && PFX_PASSWORD="$PASSWORD" CERTCON="$CERTCON" C="$T/copy/lab.db" sh "$T/one.sh") \
    >"$T/one.log" 2>&1; then
    ok "the command runs on the copy"
else
    not_ok "the command runs on the copy"
    sed 's/^/# /' "$T/one.log"
fi
for pfx in "$T/clouddp1.pfx" "$T/cli/clouddp1.pfx"; do
    openssl pkcs12 -nokeys -clcerts -passin "pass:$PASSWORD" -in "$pfx" 2>/dev/null |
        openssl x509 -noout -fingerprint -sha1 >"$pfx.fp" 2>&1
done
check "the command's PFX holds the same certificate" \
    sh -c "grep -q Fingerprint '$T/cli/clouddp1.pfx.fp' && cmp -s '$T/clouddp1.pfx.fp' '$T/cli/clouddp1.pfx.fp'"
openssl pkcs12 -nocerts -nodes -passin "pass:$PASSWORD" -in "$T/cli/clouddp1.pfx" >"$T/key.info" 2>&1
check "and the private key" grep -q "BEGIN PRIVATE KEY" "$T/key.info"
screen_done
