#!/bin/sh
# End to end, by keys only: the deployment guide's AMT provisioning
# template, steps 3-13. Duplicate Web Server with Windows Server 2003
# compatibility, name it ConfigMgr AMT Provisioning, build the subject from
# Active Directory as a common name, then Extensions -> Application
# Policies -> Edit -> Add -> New "AMT Provisioning" 2.16.840.1.113741.1.2.3
# -> OK -> OK -> OK, and the sheet lists Server Authentication and AMT
# Provisioning. OK saves it; the command line checks what was stored.
. "$TESTS_SRCDIR/screen/lib.sh"
screen_setup amt

run_keys guide <<EOF2
# Step 3: Certificate Templates, Web Server, Duplicate Template
<Down>
<Tab>
Web
<Enter>
<Enter>
# Step 4: Windows Server 2003
<Enter>
# Step 5: the name, on the General tab
<C-u>
ConfigMgr AMT Provisioning
# Step 6: Subject Name: Build from this Active Directory information, Common name
<F8><F8><F8>
<Down>
<Tab>
<Left><Left>
:dump $T/amt-06-subject.txt
# Step 7: Extensions, Application Policies, Edit
<F8><F8><F8>
<Enter>
# Step 8: Add
<Tab>
<Enter>
:dump $T/amt-08-add.txt
# Step 9: New
<Tab><Tab>
<Enter>
# Step 10: the name and the object identifier
AMT Provisioning
<Tab>
<C-u>
2.16.840.1.113741.1.2.3
:dump $T/amt-10-new.txt
# Step 11: OK, then OK in Add Application Policy
<Enter>
:dump $T/amt-11-added.txt
<Enter>
# Step 12: OK in Edit Application Policies Extension
:dump $T/amt-12-editor.txt
<Enter>
# Step 13: the description lists Server Authentication and AMT Provisioning
:dump $T/amt-13-extensions.txt
# OK saves the template
<Tab><Tab>
<Enter>
:dump $T/amt-done.txt
EOF2
for d in 06-subject 08-add 10-new 11-added 12-editor 13-extensions done; do
    check_dump amt-$d
done

T1="ConfigMgr AMT Provisioning"
cc --tsv template show "$T1" >"$T/show.tsv" 2>&1
cc --tsv oid list >"$T/oids.tsv" 2>&1
check "the template exists" grep -q "display-name	$T1" "$T/show.tsv"
check "app policies: Server Authentication and AMT Provisioning" \
    grep -q 'app-policies	Server Authentication (1.3.6.1.5.5.7.3.1), AMT Provisioning (2.16.840.1.113741.1.2.3)$' \
    "$T/show.tsv"
check "subject built from Active Directory" grep -q 'subject	build$' "$T/show.tsv"
check "subject name format: common name" grep -q 'subject-format	cn$' "$T/show.tsv"
check "schema version 2 (Windows Server 2003 compatibility)" grep -q 'schema	2$' "$T/show.tsv"
screen_done
