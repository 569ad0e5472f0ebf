#!/bin/sh
# End to end, by keys only: the deployment guide's steps 1-10 for the web
# server certificate template. Create the security group ConfigMgr IIS
# Servers with SERVER1 in it; duplicate Web Server with Windows Server 2003
# compatibility; name it ConfigMgr Web Server Certificate; keep Supply in
# the request; remove Enroll from Domain Admins and Enterprise Admins; add
# ConfigMgr IIS Servers with Read and Enroll; OK. Then the command line
# checks what the database holds.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup webserver

run_keys guide <<EOF2
# Step 1: Active Directory Users and Computers -> contoso.com -> Groups -> New -> Group
<Right>
<Down>
<Right>
<Down><Down><Down>
<Enter>
<Enter>
<Enter>
:dump $T/web-01-new-group.txt
ConfigMgr IIS Servers
<Enter>
# its Properties -> Members -> Add... SERVER1
<Enter>
<Enter>
<Right>
<Tab><Tab>
<Enter>
SERVER1
:dump $T/web-01-picker.txt
<Enter>
:dump $T/web-01-members.txt
<Up>
<Enter>
# Steps 2-3: Certificate Templates, Web Server, Duplicate Template
<Tab>
C
<Tab>
Web
<Enter>
:dump $T/web-03-menu.txt
<Enter>
# Step 4: Windows Server 2003 (not 2008)
:dump $T/web-04-compat.txt
<Enter>
# Step 5: the name, on the General tab
<C-u>
ConfigMgr Web Server Certificate
:dump $T/web-05-general.txt
# Step 6: Subject Name: Supply in the request stays selected
<F8><F8><F8>
:dump $T/web-06-subject.txt
# Step 7: Security: remove Enroll from Domain Admins and Enterprise Admins
<F8><F8><F8><F8>
D
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
<S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab>
E
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
:dump $T/web-07-security.txt
# Step 8: Add... ConfigMgr IIS Servers
<S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><S-Tab>
<Enter>
ConfigMgr IIS Servers
<Enter>
# Step 9: Enroll for it, Read stays
<Tab><Tab><Tab><Tab><Tab><Tab><Tab><Tab>
<Space>
:dump $T/web-09-enroll.txt
# Step 10: OK
<Enter>
:dump $T/web-10-done.txt
EOF2
for d in 01-new-group 01-picker 01-members 03-menu 04-compat 05-general 06-subject \
    07-security 09-enroll 10-done; do
    check_dump web-$d
done

# what the database holds, through the command line
T1="ConfigMgr Web Server Certificate"
cc --tsv template show "$T1" >"$T/show.tsv" 2>&1
cc --tsv template acl "$T1" >"$T/acl.tsv" 2>&1
cc --tsv dir show "ConfigMgr IIS Servers" >"$T/group.tsv" 2>&1
check "the template exists" grep -q "display-name	$T1" "$T/show.tsv"
check "template name derived from the display name" \
    grep -q 'template-name	ConfigMgrWebServerCertificate' "$T/show.tsv"
check "schema version 2 (Windows Server 2003 compatibility)" grep -q 'schema	2$' "$T/show.tsv"
check "compatibility 2003" grep -q 'compat	2003$' "$T/show.tsv"
check "subject supplied in the request" grep -q 'subject	supply$' "$T/show.tsv"
check "server authentication" grep -q 'app-policies	Server Authentication' "$T/show.tsv"
check "Domain Admins: Read, Write, no Enroll" grep -q 'Domain Admins	Read,Write	-' "$T/acl.tsv"
check "Enterprise Admins: Read, Write, no Enroll" \
    grep -q 'Enterprise Admins	Read,Write	-' "$T/acl.tsv"
check "ConfigMgr IIS Servers: Read and Enroll" \
    grep -q 'ConfigMgr IIS Servers	Read,Enroll	-' "$T/acl.tsv"
check "Authenticated Users keep Read" grep -q 'Authenticated Users	Read	-' "$T/acl.tsv"
check "SERVER1 is a member of the group" grep -q 'members	SERVER1' "$T/group.tsv"
screen_done
