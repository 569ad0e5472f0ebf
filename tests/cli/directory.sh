# The directory, tokens, restart realism, certcon.conf, production-database
# rules, template export/import round trips, the audit log and help texts.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab

# --- the lab as the guide describes it ---
run_ok "dir show SERVER1" --tsv dir show SERVER1
like "$OUT" "dns	server1.internal.contoso.com" "SERVER1's intranet FQDN"
like "$OUT" "extra-dns	server.contoso.com" "SERVER1's Internet FQDN"
run_ok "dir show Administrator" --tsv dir show 'CONTOSO\Administrator'
like "$OUT" "member of	.*Domain Admins.*Enterprise Admins" "Administrator is a root domain admin"
run_ok "DC1 is a domain controller" --tsv dir list computers
like "$OUT" "DC1	Domain controller" "DC1 listed as a domain controller"
for name in SERVER1 'server1$' 'CONTOSO\SERVER1$' server1.internal.contoso.com; do
    run_ok "lookup by '$name'" --tsv dir show "$name"
done

# --- a computer's token is taken when it restarts ---
run_ok "create a group" dir add-group "Web Servers"
run_ok "SERVER1 joins it" dir add-member "Web Servers" SERVER1
run --tsv dir show SERVER1
unlike "$(printf '%s\n' "$OUT" | grep '^token')" "Web Servers" "before a restart the token lacks the group"
like "$OUT" "after restart	.*Web Servers" "dir show says what a restart would change"
run_ok "restart SERVER1" dir restart SERVER1
run --tsv dir show SERVER1
like "$(printf '%s\n' "$OUT" | grep '^token')" "Web Servers" "after the restart the token holds the group"
printf 'computer_tokens_at_restart = false;\n' >"$SCRATCH/certcon.conf"
run_ok "CLIENT1 joins the group" dir add-member "Web Servers" CLIENT1
run --config "$SCRATCH/certcon.conf" --tsv dir show CLIENT1
like "$(printf '%s\n' "$OUT" | grep '^token')" "Web Servers" "with realism off the group applies at once"
printf 'computer_tokens_at_restart = fals\n' >"$SCRATCH/bad.conf"
run --config "$SCRATCH/bad.conf" dir list
is "$RC" 1 "a malformed certcon.conf is refused"
like "$ERR" "bad.conf:[0-9]+:" "certcon.conf errors name file and line"

# --- nested groups ---
run_ok "nested group" dir add-group "All Web"
run_ok "Web Servers inside All Web" dir add-member "All Web" "Web Servers"
run --tsv dir show SERVER1
unlike "$(printf '%s\n' "$OUT" | grep '^token')" "All Web" "nesting waits for the restart too"
run_ok "restart again" dir restart SERVER1
run --tsv dir show SERVER1
like "$(printf '%s\n' "$OUT" | grep '^token')" "All Web" "the token holds nested groups"
run_ok "users and mail" dir add-user alice --mail alice@contoso.com --display "Alice Example"
run --tsv dir show alice
like "$OUT" "upn	alice@contoso.com" "a new user gets a UPN in the domain"
like "$OUT" "member of	Domain Users" "a new user is in Domain Users"
run_ok "set an attribute" dir set alice mail alice.example@contoso.com
run --tsv dir show alice
like "$OUT" "mail	alice.example@contoso.com" "the attribute changed"

# --- acting accounts ---
run_ok "alice may read" --as alice template list
run_fails 1 "alice may not create groups" --as alice dir add-group X
run_fails 1 "a group cannot act" --as "Domain Admins" template list
like "$ERR" "is a group" "acting as a group: says why"
run_fails 1 "an unknown account cannot act" --as mallory template list

# --- a production database ---
run_ok "init a production domain" --db "$SCRATCH/prod.db" init --domain corp.example.com --ca-name CORP-CA
run_ok "production database lists templates" --db "$SCRATCH/prod.db" template list
like "$OUT" "Web Server" "production database has the built-ins"
run --db "$SCRATCH/prod.db" --tsv dir show Administrator
like "$OUT" "logon name	CORP\\\\\\\\Administrator" "NetBIOS name from the first label"
run_fails 1 "nobody chooses --as in production, root neither" --db "$SCRATCH/prod.db" --as Administrator template list
is "$(stat -c %a "$SCRATCH/prod.db")" 600 "the database file is private (0600)"

# --- export and import round trip ---
run_ok "duplicate for export" template duplicate "Workstation Authentication" "Round Trip"
run_ok "change some settings" template set "Round Trip" validity 3y
run_ok "export" template export "Round Trip"
printf '%s\n' "$OUT" >"$SCRATCH/rt.conf"
run_ok "delete the template" template delete "Round Trip"
run_ok "import it back" template import "$SCRATCH/rt.conf"
run_ok "export again" template export "Round Trip"
is "$OUT" "$(cat "$SCRATCH/rt.conf")" "export, import, export gives the same text"
run_fails 1 "importing the same file twice is refused" template import "$SCRATCH/rt.conf"
like "$ERR" "already exists" "import: name taken"

# --- reenroll and audit ---
run_ok "Reenroll All Certificate Holders" template reenroll "Round Trip"
is "$(setting "Round Trip" version)" "101.0" "major version raised, minor reset"
run_ok "audit log" --tsv audit --object RoundTrip
like "$OUT" "revision	100.1	101.0" "the audit log records the new version"
like "$OUT" "CONTOSO\\\\\\\\Administrator	template	RoundTrip	validity	1 year	3 years" \
    "the audit log records who changed what, old and new"

# --- lint ---
run_ok "duplicate a risky template" template duplicate "Web Server" "Risky"
run template set Risky app-policies "Client Authentication"
run template acl Risky --allow "Domain Users:Enroll"
run_fails 1 "lint reports a high finding" template lint Risky
like "$OUT" "Risky: ESC1 \\(high\\)" "lint names the risk"
run_ok "lint of Web Server is clean" template lint "Web Server"

# --- help ---
run_ok "certcon --help" --help
like "$OUT" "template duplicate" "overview lists template duplicate"
run_ok "template set --help lists the settings" template set --help
like "$OUT" "san-dns" "settings help names san-dns"
like "$OUT" "Subject Name" "settings help is grouped by tab"
run_ok "dir --help" dir --help
like "$OUT" "dir restart COMPUTER" "group help lists its verbs"
done_testing
