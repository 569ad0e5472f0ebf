/*
 * The command table: every command-line verb, its usage line, summary and
 * help. `certcon --help` and `certcon CMD --help` are generated from it.
 */
#include "config.h"

#include "cli.h"
#include "commands.h"

const struct cli_command cli_commands[] = {
    {"init", NULL, cmd_init, "init --lab NAME | --domain DNS --ca-name NAME [--netbios NB] [--key TYPE]",
     "create a database: a lab's test network, or a new domain and enterprise CA",
     "  --lab NAME        build the lab's test network (contoso: the deployment guide's)\n"
     "  --domain DNS      a new domain, e.g. corp.example.com\n"
     "  --netbios NB      its NetBIOS name (default: the first label, upper case)\n"
     "  --ca-name NAME    the enterprise root CA's name\n"
     "  --key TYPE        CA key: rsa:2048 (default), rsa:3072, rsa:4096, ecdsa:p256,\n"
     "                    ecdsa:p384, ed25519\n"
     "The database (--db) must not exist yet; nothing is left behind on failure.\n"},
    {"dir", "list", cmd_dir_list, "dir list [users|computers|groups]",
     "list the directory's principals", ""},
    {"dir", "show", cmd_dir_show, "dir show PRINCIPAL",
     "show a principal: attributes, groups, members and its token", ""},
    {"dir", "add-user", cmd_dir_add_user,
     "dir add-user NAME [--upn UPN] [--mail MAIL] [--display NAME]", "create a user account",
     "  --upn UPN       user principal name (default NAME@domain)\n"
     "  --mail MAIL     e-mail address (the User template needs one)\n"
     "  --display NAME  display name\n"},
    {"dir", "add-computer", cmd_dir_add_computer,
     "dir add-computer NAME [--dns FQDN] [--extra-dns FQDN]... [--dc]",
     "create a computer account (joined and started)",
     "  --dns FQDN        dNSHostName (default name.domain)\n"
     "  --extra-dns FQDN  a further name the computer answers to (repeatable)\n"
     "  --dc              a domain controller\n"},
    {"dir", "add-group", cmd_dir_add_group, "dir add-group NAME [--description TEXT]",
     "create a global security group", ""},
    {"dir", "add-member", cmd_dir_add_member, "dir add-member GROUP MEMBER",
     "add a user, computer or group to a group",
     "A computer acts with its new membership only after 'certcon dir restart'.\n"},
    {"dir", "remove-member", cmd_dir_remove_member, "dir remove-member GROUP MEMBER",
     "remove a member from a group", ""},
    {"dir", "set", cmd_dir_set, "dir set PRINCIPAL ATTRIBUTE VALUE",
     "change an attribute: upn, mail, display, dns, extra-dns, description",
     "An empty VALUE clears the attribute.\n"},
    {"dir", "restart", cmd_dir_restart, "dir restart COMPUTER",
     "restart a computer: its group token is taken afresh",
     "On Windows a server must restart before a new group membership lets it enroll;\n"
     "certcon does the same unless certcon.conf sets computer_tokens_at_restart = false.\n"},
    {"oid", "add", cmd_oid_add, "oid add NAME OID [--issuance]",
     "define a named application policy (or issuance policy)",
     "The New Application Policy dialog: e.g.\n"
     "  certcon oid add \"AMT Provisioning\" 2.16.840.1.113741.1.2.3\n"},
    {"oid", "list", cmd_oid_list, "oid list", "list the named policies", ""},
    {"template", "list", cmd_template_list, "template list",
     "list certificate templates: display name, schema, version, intended purposes", ""},
    {"template", "show", cmd_template_show, "template show TEMPLATE [--conf]",
     "show every setting of a template, tab by tab",
     "  --conf   print the template file (as 'template export' does)\n"},
    {"template", "duplicate", cmd_template_duplicate,
     "template duplicate TEMPLATE NEW-NAME [--compat 2003|2008|2008r2|2012|2012r2|2016]",
     "Duplicate Template: a new template from an existing one",
     "The new template's name is its display name without blanks; it gets a new OID,\n"
     "version 100.0 and the default permissions of a new template. --compat defaults to\n"
     "2003 (a version 2 template, as the deployment guide asks).\n"},
    {"template", "set", cmd_template_set, "template set TEMPLATE SETTING VALUE",
     "change one setting of a template", NULL},
    {"template", "acl", cmd_template_acl,
     "template acl TEMPLATE [--allow P:RIGHTS] [--deny P:RIGHTS] [--remove P[:RIGHTS]]",
     "show or change a template's permissions (the Security tab)",
     "  --allow P:RIGHTS   allow rights to principal P (repeatable)\n"
     "  --deny P:RIGHTS    deny rights to principal P (repeatable)\n"
     "  --remove P[:RIGHTS] clear rights of P; without RIGHTS P leaves the list\n"
     "RIGHTS is a comma-separated list of Read, Write, Enroll, Autoenroll, FullControl.\n"
     "All changes are saved together. Without options the permissions are shown.\n"},
    {"template", "export", cmd_template_export, "template export TEMPLATE",
     "print a template as a template file (certcon-templates(5))", ""},
    {"template", "import", cmd_template_import, "template import FILE",
     "create a template from a template file", ""},
    {"template", "delete", cmd_template_delete, "template delete TEMPLATE",
     "delete a template (built-ins cannot be deleted)", ""},
    {"template", "reenroll", cmd_template_reenroll, "template reenroll TEMPLATE",
     "Reenroll All Certificate Holders: raise the major version", ""},
    {"template", "lint", cmd_template_lint, "template lint [TEMPLATE]",
     "report risky settings (e.g. subject supplied in the request + client authentication + "
     "broad Enroll)",
     "Exit status 1 when a finding of severity 'high' is reported.\n"},
    {"audit", NULL, cmd_audit, "audit [--object NAME] [--limit N]",
     "show the audit log: who changed what, when, old and new values", ""},
};

const size_t cli_command_count = sizeof cli_commands / sizeof cli_commands[0];
