# The template-creation procedure of every deployment in the lab guide,
# done through the command line exactly as a trainee would, with each
# resulting setting and permission checked.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/cli/lib.sh"
scratch
new_lab

# --- Web server certificate for site systems that run IIS ------------------
run_ok "create group ConfigMgr IIS Servers" dir add-group "ConfigMgr IIS Servers"
run_ok "SERVER1 joins it" dir add-member "ConfigMgr IIS Servers" SERVER1
run_ok "duplicate Web Server with 2003 compatibility" \
    template duplicate "Web Server" "ConfigMgr Web Server Certificate" --compat 2003
T="ConfigMgr Web Server Certificate"
run_ok "subject stays supplied in the request" template set "$T" subject supply
run_ok "security: Enroll off for the admins, on for the group" template acl "$T" \
    --remove "Domain Admins:Enroll" --remove "Enterprise Admins:Enroll" \
    --allow "ConfigMgr IIS Servers:Read,Enroll"
is "$(setting "$T" schema)" 2 "web server: a version 2 template"
is "$(setting "$T" template-name)" ConfigMgrWebServerCertificate "web server: template name without blanks"
is "$(setting "$T" version)" 100.1 "web server: version 100, one save"
is "$(setting "$T" subject)" supply "web server: supply in the request"
like "$(setting "$T" app-policies)" '^Server Authentication' "web server: server authentication"
is "$(setting "$T" exportable)" no "web server: key not exportable"
is "$(rights "$T" "Domain Admins")" "Read,Write	-" "web server: Domain Admins Read, Write"
is "$(rights "$T" "Enterprise Admins")" "Read,Write	-" "web server: Enterprise Admins Read, Write"
is "$(rights "$T" "ConfigMgr IIS Servers")" "Read,Enroll	-" "web server: group Read, Enroll"
is "$(rights "$T" "Authenticated Users")" "Read	-" "web server: Authenticated Users Read"

# --- Cloud-based distribution point service certificate ---------------------
run_ok "create group ConfigMgr Site Servers" dir add-group "ConfigMgr Site Servers"
run_ok "duplicate Web Server for cloud DPs" \
    template duplicate "Web Server" "ConfigMgr Cloud-Based Distribution Point Certificate" --compat 2003
T="ConfigMgr Cloud-Based Distribution Point Certificate"
run_ok "allow the private key to be exported" template set "$T" exportable yes
run_ok "security for the cloud DP template" template acl "$T" \
    --remove "Enterprise Admins:Enroll" --allow "ConfigMgr Site Servers:Read,Enroll"
is "$(setting "$T" exportable)" yes "cloud DP: exportable"
is "$(setting "$T" schema)" 2 "cloud DP: version 2"
is "$(rights "$T" "Domain Admins")" "Read,Write,Enroll	-" "cloud DP: Domain Admins keep Enroll"
is "$(rights "$T" "Enterprise Admins")" "Read,Write	-" "cloud DP: Enterprise Admins lose Enroll"
is "$(rights "$T" "ConfigMgr Site Servers")" "Read,Enroll	-" "cloud DP: site servers Read, Enroll"

# --- Client certificate for Windows computers ---------------------------------
run_ok "duplicate Workstation Authentication" \
    template duplicate "Workstation Authentication" "ConfigMgr Client Certificate" --compat 2003
T="ConfigMgr Client Certificate"
is "$(rights "$T" "Domain Computers")" "Enroll	-" "client: Domain Computers keep Enroll from the source"
run_ok "Domain Computers get Read and Autoenroll" template acl "$T" \
    --allow "Domain Computers:Read,Autoenroll"
is "$(rights "$T" "Domain Computers")" "Read,Enroll,Autoenroll	-" "client: Read, Enroll, Autoenroll"
like "$(setting "$T" app-policies)" '^Client Authentication' "client: client authentication"
is "$(setting "$T" san-dns)" yes "client: DNS name in the alternate subject name"
is "$(setting "$T" subject-format)" none "client: subject name format none"
is "$(setting "$T" compat)" 2003 "client: 2003 compatibility"

# --- Client certificate for distribution points -------------------------------
run_ok "duplicate Workstation Authentication for DPs" template duplicate \
    "Workstation Authentication" "ConfigMgr Client Distribution Point Certificate" --compat 2003
T="ConfigMgr Client Distribution Point Certificate"
run_ok "DP client: exportable" template set "$T" exportable yes
run_ok "DP client: security" template acl "$T" --remove "Enterprise Admins:Enroll" \
    --allow "ConfigMgr IIS Servers:Read,Enroll"
is "$(setting "$T" exportable)" yes "DP client: key exportable"
is "$(rights "$T" "Enterprise Admins")" "Read,Write	-" "DP client: Enterprise Admins lose Enroll"
is "$(rights "$T" "ConfigMgr IIS Servers")" "Read,Enroll	-" "DP client: IIS servers Read, Enroll"

# --- Enrollment certificate for mobile devices --------------------------------
run_ok "create the mobile device users group" dir add-group "ConfigMgr Mobile Device Users"
run_ok "duplicate Authenticated Session" template duplicate "Authenticated Session" \
    "ConfigMgr Mobile Device Enrollment Certificate" --compat 2003
T="ConfigMgr Mobile Device Enrollment Certificate"
run_ok "mobile: build from AD" template set "$T" subject build
run_ok "mobile: common name" template set "$T" subject-format cn
run_ok "mobile: no UPN" template set "$T" san-upn no
run_ok "mobile: group may enroll" template acl "$T" --allow "ConfigMgr Mobile Device Users:Read,Enroll"
is "$(setting "$T" subject)" build "mobile: built from AD"
is "$(setting "$T" subject-format)" cn "mobile: subject is the common name"
is "$(setting "$T" san-upn)" no "mobile: no UPN"
is "$(sqlite3 "$DB" "SELECT printf('0x%08X', name_flag) FROM template WHERE display_name = '$T'")" \
    0x40000000 "mobile: name flag is SUBJECT_REQUIRE_COMMON_NAME only"

# --- AMT provisioning certificate ---------------------------------------------
run_ok "create the out of band service point group" dir add-group "ConfigMgr Out of Band Service Points"
run_ok "SERVER1 hosts the service point" dir add-member "ConfigMgr Out of Band Service Points" SERVER1
run_ok "duplicate Web Server for AMT provisioning" \
    template duplicate "Web Server" "ConfigMgr AMT Provisioning" --compat 2003
T="ConfigMgr AMT Provisioning"
run_ok "AMT provisioning: build from AD" template set "$T" subject build
run_ok "AMT provisioning: common name" template set "$T" subject-format cn
run_ok "New Application Policy: AMT Provisioning" oid add "AMT Provisioning" 2.16.840.1.113741.1.2.3
run_ok "oid list" --tsv oid list
like "$OUT" "AMT Provisioning	2.16.840.1.113741.1.2.3	application" "the new policy is listed"
like "$OUT" "Server Authentication	1.3.6.1.5.5.7.3.1	application" "well-known policies are listed"
run_ok "add it beside Server Authentication" template set "$T" app-policies "Server Authentication,AMT Provisioning"
is "$(setting "$T" app-policies)" \
    "Server Authentication (1.3.6.1.5.5.7.3.1), AMT Provisioning (2.16.840.1.113741.1.2.3)" \
    "AMT provisioning: both application policies"
is "$(sqlite3 "$DB" "SELECT eku FROM template WHERE display_name = '$T'" | tr '\n' ' ')" \
    "1.3.6.1.5.5.7.3.1 2.16.840.1.113741.1.2.3 " "AMT provisioning: EKU equals the application policies"
run_ok "AMT provisioning: security" template acl "$T" --remove "Domain Admins:Enroll" \
    --remove "Enterprise Admins:Enroll" --allow "ConfigMgr Out of Band Service Points:Read,Enroll"
is "$(rights "$T" "ConfigMgr Out of Band Service Points")" "Read,Enroll	-" "AMT provisioning: group Read, Enroll"

# --- AMT web server certificate -----------------------------------------------
run_ok "create the (empty) AMT computers group" dir add-group "ConfigMgr AMT Computers"
run_ok "duplicate Web Server for AMT" \
    template duplicate "Web Server" "ConfigMgr AMT Web Server Certificate" --compat 2003
T="ConfigMgr AMT Web Server Certificate"
run template set "$T" subject build && run template set "$T" subject-format cn &&
    run template set "$T" san-upn no
is "$RC" 0 "AMT web server: subject settings saved"
run_ok "AMT web server: security" template acl "$T" --remove "Domain Admins:Enroll" \
    --remove "Enterprise Admins:Enroll" --allow "ConfigMgr AMT Computers:Read,Enroll"
is "$(setting "$T" subject-format)/$(setting "$T" san-upn)" "cn/no" "AMT web server: CN, no UPN"

# --- AMT 802.1X client authentication certificate ---------------------------
run_ok "duplicate Workstation Authentication for 802.1X" template duplicate \
    "Workstation Authentication" "ConfigMgr AMT 802.1X Client Authentication Certificate" --compat 2003
T="ConfigMgr AMT 802.1X Client Authentication Certificate"
run template set "$T" subject-format cn && run template set "$T" san-dns no &&
    run template set "$T" san-upn yes
is "$RC" 0 "802.1X: common name, no DNS name, UPN"
is "$(sqlite3 "$DB" "SELECT printf('0x%08X', name_flag) FROM template WHERE display_name = '$T'")" \
    0x42000000 "802.1X: name flag is common name + UPN"

# --- Client certificate for Mac computers -------------------------------------
run_ok "create the Mac enrollment users group" dir add-group "ConfigMgr Mac Client Users"
run_ok "duplicate Authenticated Session for Macs" template duplicate "Authenticated Session" \
    "ConfigMgr Mac Client Certificate" --compat 2003
T="ConfigMgr Mac Client Certificate"
run template set "$T" subject-format cn && run template set "$T" san-upn no
is "$RC" 0 "Mac: common name, no UPN"
run_ok "Mac: security" template acl "$T" --remove "Domain Admins:Enroll" \
    --remove "Enterprise Admins:Enroll" --allow "ConfigMgr Mac Client Users:Read,Enroll"
is "$(rights "$T" "Domain Admins")" "Read,Write	-" "Mac: Domain Admins lose Enroll"

# --- the whole set ---------------------------------------------------------------
is "$(cc --tsv template list | awk -F'\t' '$1 ~ /^ConfigMgr/' | wc -l | tr -d ' ')" 9 \
    "nine ConfigMgr templates exist"
is "$(cc --tsv template list | awk -F'\t' '$1 ~ /^ConfigMgr/ && $2 != 2' | wc -l | tr -d ' ')" 0 \
    "all of them are version 2 (2003 compatibility)"
is "$(sqlite3 "$DB" "SELECT count(DISTINCT oid) FROM template")" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM template")" "every template has its own OID"
done_testing
