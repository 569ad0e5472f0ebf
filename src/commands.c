/*
 * The command table: every command-line verb, its usage line, summary and
 * help. `certcon --help` and `certcon CMD --help` are generated from it.
 */
#include "config.h"

#include "cli.h"
#include "commands.h"
#include "cmd_ca.h"
#include "serve.h"

const struct cli_command cli_commands[] = {
    {"init", NULL, cmd_init,
     "init --lab NAME | --domain DNS --ca-name NAME [--netbios NB] [--ca-host H] [--key TYPE]",
     "create a database: a lab's test network, or a new domain and enterprise CA",
     "  --lab NAME        build the lab's test network (contoso: the deployment guide's)\n"
     "  --domain DNS      a new domain, e.g. corp.example.com\n"
     "  --netbios NB      its NetBIOS name (default: the first label, upper case)\n"
     "  --ca-name NAME    the enterprise root CA's name\n"
     "  --key TYPE        CA key: rsa:2048 (default), rsa:3072, rsa:4096, ecdsa:p256,\n"
     "                    ecdsa:p384, ed25519\n"
     "  --ca-host H       the computer that hosts the CA (default CA; the lab says CA1);\n"
     "                    a new domain gets its computer account\n"
     "  --edition E       Enterprise (default) or Standard\n"
     "  --ca-passphrase-file F  protect the CA key file with the passphrase in F\n"
     "  --ca-key-url URL  keep the CA key in a token: a pkcs11: URL (stored in the\n"
     "                    database, so never with pin-value: the PIN comes from\n"
     "                    pin-source=FILE in the URL or from $CERTCON_PKCS11_PIN)\n"
     "The database (--db) must not exist yet; nothing is left behind on failure.\n"},
    {"dir", "list", cmd_dir_list, "dir list [users|computers|groups|ous]",
     "list the directory's principals", ""},
    {"dir", "show", cmd_dir_show, "dir show PRINCIPAL",
     "show a principal: attributes, groups, members and its token", ""},
    {"dir", "add-user", cmd_dir_add_user,
     "dir add-user NAME [--upn UPN] [--mail MAIL] [--display NAME] [--full-name NAME]",
     "create a user account",
     "  --upn UPN         user principal name (default NAME@domain)\n"
     "  --mail MAIL       e-mail address (the User template needs one)\n"
     "  --display NAME    display name\n"
     "  --full-name NAME  full name, as New Object - User takes it: the name lists\n"
     "                    and certificates show (cn), and the display name unless\n"
     "                    --display gives another (default: the logon name NAME)\n"},
    {"dir", "add-computer", cmd_dir_add_computer,
     "dir add-computer NAME [--dns FQDN] [--extra-dns FQDN]... [--dc]",
     "create a computer account (joined and started)",
     "  --dns FQDN        dNSHostName (default name.domain)\n"
     "  --extra-dns FQDN  a further name the computer answers to (repeatable)\n"
     "  --dc              a domain controller\n"},
    {"dir", "add-group", cmd_dir_add_group, "dir add-group NAME [--description TEXT]",
     "create a global security group", ""},
    {"dir", "add-ou", cmd_dir_add_ou, "dir add-ou NAME [--description TEXT]",
     "create an organizational unit (where group policy can be linked)",
     "Move principals into it with 'certcon dir set P ou NAME'.\n"},
    {"dir", "add-member", cmd_dir_add_member, "dir add-member GROUP MEMBER",
     "add a user, computer or group to a group",
     "A computer acts with its new membership only after 'certcon dir restart'.\n"},
    {"dir", "remove-member", cmd_dir_remove_member, "dir remove-member GROUP MEMBER",
     "remove a member from a group", ""},
    {"dir", "set", cmd_dir_set, "dir set PRINCIPAL ATTRIBUTE VALUE",
     "change an attribute: upn, mail, display, dns, extra-dns, description, ou, container",
     "An empty VALUE clears the attribute. container (groups): Users or Groups, the\n"
     "default container the group shows in while it is in no organizational unit.\n"},
    {"dir", "restart", cmd_dir_restart, "dir restart COMPUTER",
     "restart a computer: its group token is taken afresh and it runs a pulse",
     "On Windows a server must restart before a new group membership lets it enroll;\n"
     "certcon does the same unless certcon.conf sets computer_tokens_at_restart = false.\n"
     "Like a real start, the restart runs an autoenrollment pulse (see 'certcon pulse').\n"},
    {"dir", "logon", cmd_dir_logon, "dir logon USER",
     "log a user on: the user's autoenrollment pulse runs, as at a Windows logon", ""},
    {"oid", "add", cmd_oid_add, "oid add NAME OID [--issuance]",
     "define a named application policy (or issuance policy)",
     "The New Application Policy dialog: e.g.\n"
     "  certcon oid add \"AMT Provisioning\" 2.16.840.1.113741.1.2.3\n"},
    {"oid", "list", cmd_oid_list, "oid list",
     "list the named application and issuance policies, well-known and the forest's", ""},
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
     "Each finding names its attack (ESC1 subject supplied with client authentication and a\n"
     "broad Enroll; ESC2 any purpose, or a CA template, for a broad group; ESC3 enrollment\n"
     "agent for a broad group; ESC4 Write for a broad group) or a short name\n"
     "(exportable-auth-key, one-group-enroll, approval-off, any-purpose-eku, small-key,\n"
     "long-validity), its severity (high, warning, note), why it matters and how to fix it.\n"
     "Broad groups are Everyone, Authenticated Users, Domain Users and Domain Computers, also\n"
     "when they hold the right through a group they are nested in.\n"
     "  --tsv   one row per finding: template, id, severity, why, fix\n"
     "Exit status 1 when a finding of severity 'warning' or 'high' is reported.\n"},
    {"lint", NULL, cmd_lint, "lint FILE... | lint --rules",
     "check certificates and CRLs against RFC 5280 rules, as the CA does before signing",
     "  FILE...   certificates or CRLs, PEM (every CERTIFICATE and X509 CRL block)\n"
     "            or DER, made by certcon or anything else\n"
     "  --rules   list every rule with its severity and RFC section\n"
     "Prints each finding with its rule name and section, or 'ok' for an object that\n"
     "breaks no rule. Exit status 1 when any error is found or a file cannot be read.\n"},
    /* the certification authority (src/cmd_ca.c, cmd_enroll.c, cmd_store.c) */
    {"ca", "show", cmd_ca_show, "ca show",
     "show the CA: name, edition, certificate, key protection, URLs, CRL periods",
     "The CRL distribution point, Freshest CRL (delta), AIA and OCSP URLs shown are\n"
     "those written in certificates issued from now on.\n"},
    {"ca", "cert", cmd_ca_cert, "ca cert [--out FILE [--der] [--force]]",
     "write the CA certificate (PEM to standard output, or to FILE)",
     "  --out FILE   write FILE whole or not at all\n"
     "  --der        DER instead of PEM (with --out)\n"
     "  --force      replace FILE if it is a regular file (never a directory, device,\n"
     "               FIFO or link); without it an existing FILE is refused\n"},
    {"ca", "get", cmd_ca_get, "ca get SERIAL|REQUEST-ID [--out FILE [--force]] [--pem|--der]",
     "fetch an issued certificate again (certreq -retrieve)",
     "  SERIAL       the certificate's serial number (hex)\n"
     "  REQUEST-ID   its request ID (decimal, up to 18 digits)\n"
     "  --out FILE   write FILE whole or not at all (default: PEM to standard output)\n"
     "  --der        DER instead of PEM (with --out)\n"
     "The requester may retrieve their own certificates; anyone else needs Issue and\n"
     "Manage Certificates. A certificate whose --out-dir file was never written (a crash\n"
     "between the commit and the write) is fetched this way.\n"},
    {"ca", "crl", cmd_ca_crl, "ca crl [--delta] [--out FILE [--der] [--force]]",
     "publish a new CRL: every revoked certificate with its reason, a CRL number and next "
     "update",
     "  --delta      a delta CRL instead: only what changed since the newest base CRL\n"
     "               (revocations, and holds released as removeFromCRL), with the Delta\n"
     "               CRL Indicator naming that base; needs a base and delta-period on\n"
     "  --out FILE   write FILE whole or not at all (default: PEM to standard output)\n"
     "  --der        DER instead of PEM (with --out)\n"
     "  --force      replace FILE if it is a regular file (never a directory, device,\n"
     "               FIFO or link); without it an existing FILE is refused\n"
     "Needs Issue and Manage Certificates or Manage CA. The CA key passphrase, if any,\n"
     "is read from the file named by CERTCON_CA_PASSPHRASE_FILE.\n"},
    {"ca", "set", cmd_ca_set, "ca set SETTING VALUE",
     "change a CA setting: base-url, cdp-url, aia-url, crl-period, delta-period,\n"
     "publish-on-revoke, validity, ocsp-signer, est-default, role-separation or acme-*",
     "  base-url URL      where the CA service answers (certcon serve --http): an http\n"
     "                    or https URL without query or fragment; the CDP, Freshest CRL,\n"
     "                    AIA and OCSP URLs derive from it: URL/crl/CA.crl,\n"
     "                    URL/crl/CA+.crl, URL/aia/CA.crt, URL/ocsp (a lab starts with\n"
     "                    http://127.0.0.1:8080)\n"
     "  cdp-url URL       CRL distribution point put in issued certificates\n"
     "  aia-url URL       CA issuers (AIA) URL put in issued certificates\n"
     "                    (http, https or ldap URLs; 'auto', the default, derives it\n"
     "                    from base-url; an empty value leaves it out, and for aia-url\n"
     "                    the OCSP URL too)\n"
     "  crl-period TIME   from one CRL to its next update: 1h, 7d, 2w, 1y... (1w)\n"
     "  delta-period TIME from one delta CRL to the next (1d); 0: no delta CRLs\n"
     "  publish-on-revoke on|off\n"
     "                    publish a CRL at once after each revocation: a delta CRL\n"
     "                    when deltas are on, else a base CRL (off)\n"
     "  validity TIME     the longest validity of an issued certificate\n"
     "  ocsp-signer responder|ca\n"
     "                    what signs OCSP responses: the delegated OCSP Response\n"
     "                    Signing certificate (default) or the CA key\n"
     "  role-separation on|off\n"
     "                    refuse every action of an account that holds more than one\n"
     "                    CA role; set only by the database's owner (or root) on the\n"
     "                    CA host, never through the CA service\n"
     "  est-default T     the template of EST requests whose path names none\n"
     "                    (/.well-known/est/simpleenroll); '' for none\n"
     "  acme-default T    the template /acme/directory serves (one with 'template set\n"
     "                    T acme on'); empty: none\n"
     "  acme-eab required|optional\n"
     "                    whether an ACME account needs an External Account Binding\n"
     "                    key (certcon acme eab); required by default\n"
     "  acme-anonymous P  with acme-eab optional, the user or computer an account\n"
     "                    without a binding requests as; empty (default): refused\n"
     "  acme-resolver ADDR:PORT\n"
     "                    the DNS server ACME validation asks, an IPv4 address\n"
     "                    (empty: the system's resolver)\n"
     "  acme-http-port N  where http-01 is fetched (empty: 80)\n"
     "  acme-tls-port N   where tls-alpn-01 connects (empty: 443)\n"
     "The other settings need the CA Administrator role (Manage CA). URLs apply to\n"
     "certificates issued from then on. Each change is audited.\n"},
    {"est", "secret", cmd_est_secret, "est secret --for ACCOUNT [--valid TIME] [--revoke]",
     "issue an EST enrollment secret for a user or computer (CA Administrator)",
     "  --for ACCOUNT  the account that enrolls over EST (certcon serve --https):\n"
     "                 /.well-known/est/[TEMPLATE/]simpleenroll with HTTP Basic\n"
     "                 ACCOUNT:SECRET, as if it ran 'certcon submit --for ACCOUNT'\n"
     "  --valid TIME   how long the secret works: 1h to 365d (default 30d)\n"
     "  --revoke       remove the account's secret instead\n"
     "Prints the secret once: the database keeps only a salted PBKDF2-SHA256 hash of\n"
     "it. A new secret replaces the account's earlier one. With --tsv: the secret and\n"
     "its expiry, tab-separated. Re-enrollment (/simplereenroll) takes the TLS client\n"
     "certificate to be renewed instead of a secret.\n"},
    {"acme", "eab", cmd_acme_eab, "acme eab --for P [--template T] [--valid PERIOD]",
     "an External Account Binding key: the ACME account made with it requests as P",
     "  --for P        the user or computer the account acts as (its template\n"
     "                 permissions and directory names apply, as with submit --for)\n"
     "  --template T   bind the account to one ACME template (default: any)\n"
     "  --valid PERIOD how long the key may be used, once (default 7d)\n"
     "Prints the key ID and the base64url HMAC key once (certbot --eab-kid/--eab-hmac-key,\n"
     "lego --kid/--hmac). Needs the CA Administrator role.\n"},
    {"acme", "accounts", cmd_acme_accounts, "acme accounts",
     "list the ACME accounts: principal, key thumbprint, created, orders",
     "Each account a client registered with an EAB key (or, with acme-eab optional, as\n"
     "acme-anonymous): its id, the user or computer it requests as, the RFC 7638\n"
     "thumbprint of its key, when it was made (UTC), how many orders it placed, its\n"
     "status (valid or deactivated) and the template it is bound to. Needs Read on\n"
     "the CA.\n"},
    {"acme", "orders", cmd_acme_orders, "acme orders ACCOUNT",
     "list an ACME account's orders and their states",
     "ACCOUNT is the id 'acme accounts' shows. Each order: its number, when it was\n"
     "placed (UTC), its state (pending: names to prove; ready: to finalize;\n"
     "processing: waiting for a certificate manager; valid: issued; invalid:\n"
     "refused), the names it asks for, its template, and the CA request and serial\n"
     "it became. Needs Read on the CA.\n"},
    {"acme", "deactivate", cmd_acme_deactivate, "acme deactivate ACCOUNT",
     "revoke an ACME account: it can order nothing more",
     "ACCOUNT is the id 'acme accounts' shows. The account is deactivated (RFC 8555\n"
     "7.3.6): the server refuses every request signed with its key from then on;\n"
     "certificates it got stay valid (revoke them with 'ca revoke'). Audited. Needs\n"
     "the CA Administrator role.\n"},
    {"ocsp", "respond", cmd_ocsp_respond, "ocsp respond --in REQUEST [--out RESPONSE [--force]]",
     "answer a DER OCSP request as the CA's OCSP responder does, without the network",
     "  --in FILE     the request, DER (openssl ocsp -reqout FILE)\n"
     "  --out FILE    write the DER response to FILE whole or not at all (default:\n"
     "                standard output, which must not be a terminal)\n"
     "  --force       replace FILE if it is a regular file\n"
     "Each certificate asked about is good, revoked (with the time and reason; a\n"
     "certificate on hold is revoked until released) or unknown (a serial the CA never\n"
     "issued); thisUpdate is now and nextUpdate one CRL period later; a nonce is\n"
     "echoed. The response is signed by the OCSP responder certificate, which the CA\n"
     "issues itself from the OCSP Response Signing template and renews in its renewal\n"
     "period, or by the CA key after 'ca set ocsp-signer ca'. A request that is not\n"
     "DER gets malformedRequest, one for another CA's certificate unauthorized: the\n"
     "response is written and the exit status is 1.\n"},
    {"ca", "roles", cmd_ca_roles, "ca roles [--grant P:ROLES] [--deny P:ROLES] [--revoke P:ROLES]",
     "show or change who holds the CA's roles (the CA's Security tab)",
     "  --grant P:ROLES   allow roles to principal P (repeatable)\n"
     "  --deny P:ROLES    deny roles to principal P (repeatable)\n"
     "  --revoke P:ROLES  clear roles of P, allowed or denied\n"
     "ROLES is a comma-separated list of CA Administrator (Manage CA), Certificate\n"
     "Manager (Issue and Manage Certificates), Auditor, Backup Operator, Enrollee\n"
     "(Request Certificates) and Read. Changes need the CA Administrator role; all\n"
     "land or none. Without options the roles are shown.\n"},
    {"ca", "enable", cmd_ca_enable, "ca enable TEMPLATE",
     "add a template to the CA's Certificate Templates to Issue",
     "Needs Manage CA. A Standard Edition CA cannot issue version 2 or later templates.\n"},
    {"ca", "disable", cmd_ca_disable, "ca disable TEMPLATE",
     "remove a template from the Certificate Templates to Issue (the template stays)", ""},
    {"ca", "templates", cmd_ca_templates, "ca templates", "list the Certificate Templates to Issue",
     ""},
    {"ca", "list", cmd_ca_list, "ca list issued|revoked|pending|failed|all [--filter TEXT]",
     "list the CA database's requests and certificates, as the console's views do",
     "  --filter TEXT   rows whose requester, template, serial, subject, common name or\n"
     "                  message contains TEXT (case-insensitive), or whose ID is TEXT\n"},
    {"ca", "approve", cmd_ca_approve, "ca approve REQUEST-ID",
     "issue a pending request (All Tasks > Issue); needs Issue and Manage Certificates",
     "A certificate requested with 'certcon enroll' goes into the requester's Personal store\n"
     "with the key kept since the request.\n"},
    {"ca", "deny", cmd_ca_deny, "ca deny REQUEST-ID",
     "deny a pending request (0x80094014); needs Issue and Manage Certificates", ""},
    {"ca", "revoke", cmd_ca_revoke, "ca revoke SERIAL [--reason REASON] [--effective TIME]",
     "revoke an issued certificate",
     "  --reason REASON   unspecified (default), keyCompromise, cACompromise,\n"
     "                    affiliationChanged, superseded, cessationOfOperation,\n"
     "                    certificateHold\n"
     "  --effective TIME  the revocation date on CRLs (default now): 2027-10-26 or\n"
     "                    2027-10-26T09:00:00Z; never before the certificate starts\n"
     "A certificate on hold may be revoked again with another reason. With\n"
     "'ca set publish-on-revoke on' a CRL is published at once (a delta CRL while\n"
     "deltas are on).\n"},
    {"ca", "unrevoke", cmd_ca_unrevoke, "ca unrevoke SERIAL",
     "release a certificate from hold (certificateHold only)", ""},
    {"enroll", NULL, cmd_enroll,
     "enroll --for P --template T [--cn CN] [--dns FQDN]... [--key TYPE] [--exportable]",
     "request a certificate as P: key, request, CA, and P's Personal store",
     "  --for P            the user or computer that enrolls (default: the acting account)\n"
     "  --template T       the template, by display name or template name\n"
     "  --cn CN            subject common name (templates that take the subject from the\n"
     "                     request)\n"
     "  --dns FQDN         a DNS name for the subject alternative name (repeatable);\n"
     "                     also --ip ADDRESS, --email ADDRESS, --upn NAME\n"
     "  --key TYPE         rsa:2048, rsa:3072, rsa:4096, ecdsa:p256, ecdsa:p384, ed25519;\n"
     "                     default: the key the template wants (its algorithm, else RSA\n"
     "                     of its minimum key size)\n"
     "  --exportable       mark the key exportable (the template must allow it; then it is\n"
     "                     the default)\n"
     "  --not-exportable   keep the key in the store even if the template allows export\n"
     "  --friendly-name N  the certificate's friendly name in the store\n"
     "  --out FILE         also write the certificate (PEM) to FILE\n"
     "  --force            replace FILE if it is a regular file (an existing FILE is\n"
     "                     refused without it; a directory, device, FIFO or link always)\n"
     "Prints: request ID, disposition (issued, pending, denied, failed), serial number,\n"
     "and the message when not issued. Exit 1 when the request is denied or failed.\n"},
    {"submit", NULL, cmd_submit,
     "submit --for P --template T CSR-FILE... [--out CERT-FILE | --out-dir DIR] [--force]",
     "submit PKCS #10 requests made elsewhere (openssl req, certreq) as P",
     "  --for P        the requester (default: the acting account)\n"
     "  --template T   the template (CertificateTemplate attribute); may be omitted when\n"
     "                 the requests carry the template extension\n"
     "  --out FILE     write the certificate of the one request to FILE\n"
     "  --out-dir DIR  write each certificate to DIR/NAME.pem (NAME.cer with --der)\n"
     "  --der, --pem   output encoding (default PEM)\n"
     "  --force        replace existing regular files (without it an existing file is\n"
     "                 refused; a directory, device, FIFO or link always)\n"
     "Each request is recorded in the CA database, also when it is malformed or refused.\n"
     "Prints one line per request: ID, disposition, serial, message when not issued.\n"},
    {"explain", NULL, cmd_explain, "explain --for P --template T",
     "why P can or cannot enroll for T: the CA's policy checks, one by one",
     "Below the checks: the groups P acts with, the template's Security entries that\n"
     "apply to P and those that do not, and groups P joined but does not act with\n"
     "until it restarts (not with --tsv).\n"
     "Exit status 0 when P could enroll, 1 when a check fails.\n"},
    {"store", "list", cmd_store_list, "store list [--for P] [--store personal|root|ca]",
     "list a user's or computer's certificate store (Certificates snap-in)",
     "Personal holds enrolled certificates with their keys; Trusted Root Certification\n"
     "Authorities holds the enterprise root CA for every domain member.\n"},
    {"export", NULL, cmd_export,
     "export [--for P] CERT --pfx|--der|--pem|--p7b FILE [--password-file F] [--chain] "
     "[--force]",
     "export a certificate from P's Personal store (Certificate Export Wizard)",
     "CERT is a serial number or SHA-1 thumbprint (hex), or a template name (the newest\n"
     "valid certificate from it).\n"
     "  --pfx FILE             PKCS #12 with the private key (only if it is exportable)\n"
     "  --der FILE, --pem FILE the certificate alone, DER or Base-64\n"
     "  --p7b FILE             PKCS #7 certificates\n"
     "  --chain                include the certification path (p7b, pfx)\n"
     "  --password-file F      the PFX password: first line of F\n"
     "  --password-env NAME    the PFX password: environment variable NAME\n"
     "                         (otherwise it is asked on the terminal, twice)\n"
     "  --legacy-pfx           TripleDES and SHA-1 for old importers (default: AES-256,\n"
     "                         SHA-256)\n"
     "  --friendly-name N      the friendly name in the PFX\n"
     "  --force                replace FILE if it is a regular file (an existing FILE is\n"
     "                         refused without it; a directory, device, FIFO or link always)\n"
     "FILE is written whole or not at all: a PFX with mode 0600, a certificate 0644.\n"},
    {"gpo", "create", cmd_gpo_create, "gpo create NAME [--link SCOPE]",
     "create a group policy object",
     "  --link SCOPE   link it at once, as \"Create a GPO in this domain, and Link it\n"
     "                 here\" does: both or neither (SCOPE as for gpo link)\n"},
    {"gpo", "link", cmd_gpo_link, "gpo link NAME SCOPE",
     "link a GPO to the domain (its DNS name) or to an OU",
     "SCOPE is the domain's DNS name (contoso.com) or an organizational unit\n"
     "(Servers or OU=Servers). GPOs linked to an OU win over the domain's.\n"},
    {"gpo", "unlink", cmd_gpo_unlink, "gpo unlink NAME SCOPE", "remove a GPO's link", ""},
    {"gpo", "autoenroll", cmd_gpo_autoenroll,
     "gpo autoenroll NAME --enable [--renew] [--update] | --disable | --not-configured [--user]",
     "set Certificate Services Client - Auto-Enrollment",
     "  --enable          Configuration Model: Enabled\n"
     "  --renew           Renew expired certificates, update pending certificates, and\n"
     "                    remove revoked certificates\n"
     "  --update          Update certificates that use certificate templates\n"
     "  --disable         Configuration Model: Disabled (autoenrollment off)\n"
     "  --not-configured  leave the decision to other GPOs\n"
     "  --user            the User Configuration setting (default: Computer Configuration)\n"},
    {"gpo", "filter", cmd_gpo_filter, "gpo filter NAME --add PRINCIPAL | --remove PRINCIPAL",
     "security filtering: apply the GPO only to these principals and groups",
     "With no entries the GPO applies to Authenticated Users.\n"},
    {"gpo", "list", cmd_gpo_list, "gpo list", "list group policy objects", ""},
    {"gpo", "show", cmd_gpo_show, "gpo show NAME", "show a GPO's links and settings", ""},
    {"gpo", "delete", cmd_gpo_delete, "gpo delete NAME", "delete a group policy object", ""},
    {"pulse", NULL, cmd_pulse, "pulse --for PRINCIPAL | --all [--explain] [--last]",
     "run the autoenrollment pulse (certutil -pulse) as a computer or user",
     "  --for P     one computer or user\n"
     "  --all       every computer, then every user\n"
     "  --explain   a table of every template: what the pulse did or why it did nothing\n"
     "  --last      show the last recorded pulse of P instead of running one\n"
     "Exit status 1 when an enrollment failed. The lab clock (--now) decides renewals.\n"},
    {"account", "map", cmd_account_map, "account map UNIXUSER ACCOUNT",
     "make a Unix user act as a directory account (CA Administrator)",
     "In a production database the acting account is the one the Unix user (the\n"
     "service's client, as the kernel names it) is mapped to; --as and certcon.conf\n"
     "do not change it. root and the user who ran init are mapped to Administrator.\n"},
    {"account", "unmap", cmd_account_unmap, "account unmap UNIXUSER",
     "remove a Unix user's mapping: it may no longer use the CA (CA Administrator)", ""},
    {"account", "list", cmd_account_list, "account list",
     "show which directory account each Unix user acts as", ""},
    {"ops", NULL, cmd_ops, "ops [OPERATION]",
     "list the CA's operations, the right each needs, and what it does",
     "Every verb and console action is one or more operations of this table; the\n"
     "service runs them for its clients and decides each one's right before it runs.\n"
     "With OPERATION (a name from the list, e.g. certificate.revoke), shows its\n"
     "arguments, result, right and whether it changes the CA in one transaction.\n"
     "'(decided per object)' means the right depends on the object: a template's\n"
     "permissions, the principal acted for.\n"},
    {"audit", "verify", cmd_audit_verify, "audit verify",
     "check the audit log's hash chain; name the first broken record",
     "Each record carries the SHA-256 of the record before it and of itself. Prints\n"
     "'audit log verified: N records' and the newest record's hash (keep it elsewhere:\n"
     "the chain alone cannot show that its newest records were removed), or names the\n"
     "first record that was altered, removed or reordered and exits 1.\n"},
    {"audit", NULL, cmd_audit,
     "audit [--refused] [--by PRINCIPAL] [--since TIME] [--object NAME] [--limit N]",
     "show the audit log: changes, refusals, issuance and key exports",
     "  --refused         only refusals (with the right that was missing)\n"
     "  --by PRINCIPAL    only what PRINCIPAL did (Administrator, CONTOSO\\jane, SERVER1)\n"
     "  --since TIME      only from TIME on: 2027-10-26 or 2027-10-26T09:00:00Z\n"
     "  --object NAME     only records about NAME (a template, serial, group, ...)\n"
     "  --limit N         the newest N records (default 50; 0: all), oldest first\n"
     "Columns: when, who, kind, object, what, old value, new value, the right the\n"
     "action needed and its result (ok or refused). A refusal is recorded even though\n"
     "the refused change is not.\n"},
    /* the training lab (src/cmd_lab.c) */
    {"lab", "list", cmd_lab_list, "lab list",
     "list the lab's exercises with how many of their steps are done",
     "The exercises follow the deployment guide's procedures; each step is checked\n"
     "against the lab's real state (certcon-exercises(5)).\n"},
    {"lab", "check", cmd_lab_check, "lab check [EXERCISE]",
     "check each step of the exercises (or of one): done, or why not",
     "Prints each step with a check mark, or a cross and what is missing (OK and FAIL\n"
     "where the locale's character set is not UTF-8). With --tsv: exercise, step,\n"
     "ok|fail, title, reason. Exit status 1 while any step checked is not done.\n"
     "Then the coaching notes that apply to the lab: what the guide warns against\n"
     "(a 2008 duplicate of a 2003 template, an exportable key it does not need, Enroll\n"
     "left on Domain or Enterprise Admins, a computer not restarted after its groups\n"
     "changed, version 2 templates on a Standard Edition CA), each with the guide's\n"
     "reason; with --tsv: coach, rule, note, text, reason. Notes do not change the\n"
     "exit status.\n"},
    {"lab", "bind", cmd_lab_bind, "lab bind --for COMPUTER CERT",
     "bind a certificate to the computer's web server (the lab's Edit Site Binding)",
     "CERT is a serial number, thumbprint or template name in COMPUTER's Personal store.\n"
     "Writes NAME-cert.pem, NAME-chain.pem (the lab root) and NAME-key.pem (mode 0600)\n"
     "beside the lab database, NAME being the computer's name in lower case, as its\n"
     "web server loads them; binding again replaces them. The key stays the\n"
     "computer's own, so the template's export setting does not apply.\n"},
    {"lab", "snapshot", cmd_lab_snapshot, "lab snapshot NAME [--out FILE [--force]]",
     "save the whole lab (database, CA key, key-store secret) as a snapshot",
     "  --out FILE  write the snapshot to FILE (to hand to a class) instead of keeping\n"
     "              it beside the database as NAME (DB.snapshots/NAME.snap)\n"
     "  --force     replace FILE if it is a regular file\n"
     "Snapshot files are written with mode 0600: they hold the CA's private key.\n"
     "Taking a named snapshot again replaces it. Only lab databases take snapshots.\n"},
    {"lab", "restore", cmd_lab_restore, "lab restore NAME | --from FILE",
     "bring the lab back, byte for byte, as a snapshot holds it",
     "  --from FILE  a snapshot file made with 'lab snapshot NAME --out FILE'\n"
     "A snapshot that is damaged or of another lab (another lab file or domain) is\n"
     "refused and nothing changes. Nobody else should use the lab while it is restored.\n"},
    {"lab", "reset", cmd_lab_reset, "lab reset",
     "bring the lab back as 'init --lab' made it (same CA, same keys)",
     "init --lab keeps a snapshot of the fresh lab for this (DB.snapshots/.init.snap).\n"},
    /* the CA service (src/serve.c, src/client.c) */
    {"serve", NULL, cmd_serve,
     "serve [--db PATH] [--socket PATH] [--http ADDR:PORT]... [--https ADDR:PORT]...",
     "run the CA service in the foreground: clients connect with --connect",
     "  --socket PATH  where to listen (default /run/certcon/certcon.sock as root,\n"
     "                 else $XDG_RUNTIME_DIR/certcon.sock)\n"
     "  --http ADDR:PORT  also answer HTTP at this IP address and port (repeatable;\n"
     "                 e.g. 127.0.0.1:8080 or [::1]:8080): the CA's CRLs at\n"
     "                 /crl/CA.crl and /crl/CA+.crl (delta) and its certificate at\n"
     "                 /aia/CA.crt, the paths its certificates name (ca set base-url);\n"
     "                 CRLs are published there on the CA's schedule\n"
     "  --https ADDR:PORT  the same over TLS, with a certificate the CA issues to its\n"
     "                 host from the Web Server template (the host's account, e.g.\n"
     "                 CA1$, needs Enroll there) naming the CA host and the base URL's\n"
     "                 host; kept in DB.https.pem and DB.https-key.pem and renewed\n"
     "                 when four fifths of its validity have passed\n"
     "The service owns the database, the CA key and the key-store secret: it refuses\n"
     "to start when any of them, or the database's directory, is open to group or\n"
     "others or owned by another user. Each client's command runs in a process of\n"
     "its own, as the Unix user the kernel names; the files a command reads or\n"
     "writes are opened by the client, with the client's rights. SIGTERM or SIGINT\n"
     "stops taking clients, lets those served finish and removes the socket.\n"
     "Through the service, --db and --config are refused, and --now (or\n"
     "CERTCON_NOW) is taken only by a lab database.\n"},
};

const size_t cli_command_count = sizeof cli_commands / sizeof cli_commands[0];
