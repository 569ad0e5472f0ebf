/*
 * certcon ca ...: the Certification Authority console from the command
 * line: the CA's certificate and CRL, Certificate Templates to Issue, the
 * request views, and the certificate manager's actions.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "authority.h"
#include "cadb.h"
#include "cli.h"
#include "clock.h"
#include "cmd_ca.h"
#include "commands.h"
#include "crl.h"
#include "ops.h"
#include "request.h"
#include "status.h"
#include "template.h"

/* Prints a refused write, with the way out when the file only exists. */
static int
write_refused(const char *path, int rc, char *cause)
{
    if (rc == CC_EEXIST)
        cli_error("%s already exists: give --force to replace it", path);
    else
        cli_error("%s", cause ? cause : cc_strerror(rc));
    free(cause);
    return CLI_FAILED;
}

int
cmd_ca_write_file(struct cli *c, const char *path, const void *data, size_t n, int mode,
                  int force)
{
    char *cause = NULL;
    int rc = cli_write_file(c, path, data, n, mode, force, &cause);
    if (rc != CC_OK)
        return write_refused(path, rc, cause);
    return CLI_OK;
}

int
cmd_ca_check_target(struct cli *c, const char *path, int force)
{
    unsigned mode;
    if (cli_stat_file(c, path, 0, &mode) == 0) {
        if (!S_ISREG(mode)) {
            /* refused with or without --force, as cc_write_file would */
            cli_error("%s is %s: only a regular file is ever replaced", path,
                      cc_file_kind(mode));
            return CLI_FAILED;
        }
        if (!force)
            return write_refused(path, CC_EEXIST, NULL);
    }
    return CLI_OK;
}

int
cmd_ca_check_writable(struct cli *c, const char *path, int force)
{
    unsigned mode;
    if (cmd_ca_check_target(c, path, force) != CLI_OK)
        return CLI_FAILED;
    char *copy = xstrdup(path);
    char *slash = strrchr(copy, '/');
    const char *dir = slash == NULL ? "." : slash == copy ? "/" : copy;
    if (slash != NULL && slash != copy)
        *slash = '\0';
    int err = cli_stat_file(c, dir, 1, &mode);
    int ok = err == 0 && S_ISDIR(mode) && (err = cli_access_file(c, dir, W_OK)) == 0;
    if (!ok)
        cli_error("cannot write %s: %s", path, err ? strerror(err) : "not a writable directory");
    free(copy);
    return ok ? CLI_OK : CLI_FAILED;
}

int
cmd_ca_principal(struct cli *c, const char *name, struct dir_principal *out)
{
    char *cause = NULL;
    struct ops_dir_ref ref = {name == NULL ? c->cx.who : 0, name};
    int rc = ops_call(&c->cx, OP_DIR_GET, &ref, out, &cause);
    if (rc != CC_OK) {
        cli_fail(c, rc, cause);
        free(cause);
        return CLI_FAILED;
    }
    if (out->kind == DIR_GROUP || out->kind == DIR_WELLKNOWN) {
        cli_error("%s is a group; certificates are requested by users and "
                  "computers",
                  out->name);
        dir_principal_free(out);
        return CLI_FAILED;
    }
    return CLI_OK;
}

const char *
cmd_ca_time(time_t t, char *buf, size_t size)
{
    struct tm tm;
    if (t == 0) {
        snprintf(buf, size, "-");
        return buf;
    }
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

int
cmd_ca_passphrase(struct cli *c, const char *passphrase_file, char **out, char **cause)
{
    char *pass = NULL;
    *out = NULL;
    const char *file = passphrase_file ? passphrase_file : getenv("CERTCON_CA_PASSPHRASE_FILE");
    if (file == NULL || *file == '\0')
        return CC_OK;
    void *data = NULL;
    size_t len = 0;
    int r = cli_read_file(c, file, 4096, &data, &len, NULL);
    pass = data;
    if (r == CC_OK) {
        len = strcspn(pass, "\n"); /* the first line, as getline gave it */
        pass[len] = '\0';
    }
    if (r != CC_OK || len == 0) {
        free(pass);
        return cc_fail(cause, CC_EIO, "cannot read the CA passphrase from %s", file);
    }
    while (len > 0 && pass[len - 1] == '\r')
        pass[--len] = '\0';
    *out = pass;
    return CC_OK;
}

int
cmd_ca_show(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("ca", "show");
    if (cli_args(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_ca_info r;
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_CA_SHOW, NULL, &r, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    const struct authority_info *info = &r.info;
    char a[32], b[32];
    struct cli_table t;
    static const char *headers[] = {"Property", "Value"};
    cli_table_init(&t, 2, headers);
    char *ntemp = xasprintf("%zu", r.templates);
    char *crln = xasprintf("%lld", (long long)info->crl_number);
    char *host = xasprintf("%s", info->host);
    cli_table_add(&t, "Name", info->name);
    cli_table_add(&t, "Host", host);
    cli_table_add(&t, "Edition", info->edition);
    cli_table_add(&t, "Subject", r.subject);
    cli_table_add(&t, "Serial number", r.serial);
    cli_table_add(&t, "Thumbprint", r.thumbprint);
    cli_table_add(&t, "Valid from", cmd_ca_time(info->not_before, a, sizeof a));
    cli_table_add(&t, "Valid to", cmd_ca_time(info->not_after, b, sizeof b));
    cli_table_add(&t, "Key", r.key_description ? r.key_description : info->key_type);
    char *prot;
    if (strncmp(info->key_ref, "pkcs11:", 7) == 0)
        prot = xstrdup("PKCS #11 token");
    else if (r.key_mode_rc != CC_OK)
        prot = xasprintf("file%s (cannot be read)",
                         info->key_encrypted ? ", passphrase-encrypted" : "");
    else
        prot = xasprintf("file%s (mode %04o%s)",
                         info->key_encrypted ? ", passphrase-encrypted" : "", r.key_mode,
                         (r.key_mode & 077) ? ": group or others have access, run chmod 600" : "");
    cli_table_add(&t, "Key protection", prot);
    free(prot);
    const struct authority_urls *urls = &r.urls;
    const char *from_base = " (from the base URL)";
    char *cdp =
        xasprintf("%s%s", urls->cdp ? urls->cdp : "(none)",
                  urls->cdp && strcmp(info->cdp_url, AUTHORITY_URL_AUTO) == 0 ? from_base : "");
    char *aia = xasprintf(
        "%s%s", urls->ca_issuers ? urls->ca_issuers : "(none)",
        urls->ca_issuers && strcmp(info->aia_url, AUTHORITY_URL_AUTO) == 0 ? from_base : "");
    char *crlp = template_period_format(info->crl_period);
    char *deltap = info->delta_period > 0 ? template_period_format(info->delta_period)
                                          : xstrdup("0 (no delta CRLs)");
    cli_table_add(&t, "Base URL", *info->base_url ? info->base_url : "(none)");
    cli_table_add(&t, "CRL distribution point", cdp);
    cli_table_add(&t, "Delta CRL (Freshest CRL)", urls->delta ? urls->delta : "(none)");
    cli_table_add(&t, "Authority information access", aia);
    cli_table_add(&t, "OCSP", urls->ocsp ? urls->ocsp : "(none)");
    cli_table_add(&t, "CRL period", crlp ? crlp : "?");
    cli_table_add(&t, "Delta CRL period", deltap ? deltap : "?");
    cli_table_add(&t, "Publish on revoke", info->publish_on_revoke ? "on" : "off");
    cli_table_add(&t, "Templates to issue", ntemp);
    cli_table_add(&t, "Last CRL number", crln);
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    free(ntemp);
    free(crln);
    free(cdp);
    free(aia);
    free(crlp);
    free(deltap);
    free(host);
    ops_ca_info_free(&r);
    return CLI_OK;
}

/* --out F and --der/--pem for cert and crl; --delta for crl only (delta non-NULL). */
static int
out_options(struct cli *c, const struct cli_command *cmd, int argc, char **argv, const char **out,
            int *der, int *force, int *delta)
{
    static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
                                         {"der", no_argument, NULL, 'd'},
                                         {"pem", no_argument, NULL, 'p'},
                                         {"force", no_argument, NULL, 'F'},
                                         {"delta", no_argument, NULL, 'D'},
                                         {NULL, 0, NULL, 0}};
    int o;
    optind = 0;
    opterr = 0;
    *out = NULL;
    *der = 0;
    *force = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'o': *out = optarg; break;
        case 'd': *der = 1; break;
        case 'p': *der = 0; break;
        case 'F':
            *force = 1;
            break;
        case 'D':
            if (delta == NULL)
                return cli_bad_option(c, cmd, argc, argv);
            *delta = 1;
            break;
        default: return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (*der && *out == NULL)
        return cli_usage_error(c, cmd, "--der needs --out FILE");
    if (*force && *out == NULL)
        return cli_usage_error(c, cmd, "--force needs --out FILE");
    return cli_positional(c, cmd, argc, argv, 0, 0);
}

static int
emit(struct cli *c, const char *label, const struct pkix_buf *der, const char *out, int as_der, int force)
{
    char *pem = NULL;
    if (!as_der && request_pem_encode(label, der->p, der->n, &pem, NULL) != CC_OK) {
        cli_error("out of memory");
        return CLI_FAILED;
    }
    int rc = CLI_OK;
    if (out == NULL)
        fputs(pem, stdout);
    else
        rc = cmd_ca_write_file(c, out, as_der ? (const void *)der->p : pem,
                               as_der ? der->n : strlen(pem), 0644, force);
    free(pem);
    return rc;
}

int
cmd_ca_get(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("ca", "get");
    static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
                                         {"der", no_argument, NULL, 'd'},
                                         {"pem", no_argument, NULL, 'p'},
                                         {"force", no_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    const char *out = NULL;
    int der = 0, force = 0, o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'o': out = optarg; break;
        case 'd': der = 1; break;
        case 'p': der = 0; break;
        case 'f': force = 1; break;
        default: return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (cli_positional(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (der && out == NULL)
        return cli_usage_error(c, cmd, "--der needs --out FILE");
    if ((out && cmd_ca_check_writable(c, out, force) != CLI_OK) || cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_cert_retrieve a = {argv[optind]};
    struct ops_cert cert;
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_CERT_RETRIEVE, &a, &cert, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    int r = emit(c, "CERTIFICATE", &cert.der, out, der, force);
    ops_cert_free(&cert);
    return r;
}

int
cmd_ca_cert(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("ca", "cert");
    const char *out;
    int der, force;
    if (out_options(c, cmd, argc, argv, &out, &der, &force, NULL) != CLI_OK)
        return CLI_USAGE;
    if ((out && cmd_ca_check_writable(c, out, force) != CLI_OK) || cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_ca_info ca;
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_CA_SHOW, NULL, &ca, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    int r = emit(c, "CERTIFICATE", &ca.info.cert, out, der, force);
    ops_ca_info_free(&ca);
    return r;
}

int
cmd_ca_crl(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("ca", "crl");
    const char *out;
    int der, force, delta = 0;
    if (out_options(c, cmd, argc, argv, &out, &der, &force, &delta) != CLI_OK)
        return CLI_USAGE;
    if ((out && cmd_ca_check_writable(c, out, force) != CLI_OK) || cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_crl_kind which = {delta ? CRL_DELTA : CRL_BASE};
    struct ops_crl crl;
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_CRL_PUBLISH, &which, &crl, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    const struct crl_info info = crl.info;
    int r = emit(c, "X509 CRL", &crl.der, out, der, force);
    if (r == CLI_OK && out != NULL) {
        char a[32], base[48] = "";
        if (delta)
            snprintf(base, sizeof base, " (delta of base CRL %lld)", (long long)info.base);
        cli_fprintf(c, c->tsv ? stderr : stdout,
                    "Published %sCRL number %lld%s with %lld %s; next update %s.\n",
                    delta ? "delta " : "", (long long)info.number, base, (long long)info.count,
                    delta ? (info.count == 1 ? "change" : "changes")
                          : (info.count == 1 ? "revoked certificate" : "revoked certificates"),
                    cmd_ca_time(info.next_update, a, sizeof a));
    }
    ops_crl_free(&crl);
    return r;
}

static int
enable_disable(struct cli *c, const char *verb, int argc, char **argv, int enable)
{
    const struct cli_command *cmd = cli_find("ca", verb);
    if (cli_args(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    const char *name = argv[optind];
    struct ops_template_names a = {&name, 1};
    int rc = ops_call(&c->cx, enable ? OP_TEMPLATE_ENABLE : OP_TEMPLATE_DISABLE, &a, NULL, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    return CLI_OK;
}

int
cmd_ca_set(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("ca", "set");
    if (cli_args(c, cmd, argc, argv, 2, 2) != CLI_OK)
        return CLI_USAGE;
    if (strcmp(argv[optind], "role-separation") == 0)
        return cmd_ca_role_separation(c, argv[optind + 1]);
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_ca_setting set = {argv[optind], argv[optind + 1]};
    struct ops_ca_configure a = {.settings = &set, .nsettings = 1};
    int rc = ops_call(&c->cx, OP_CA_CONFIGURE, &a, NULL, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    return CLI_OK;
}

int
cmd_ca_enable(struct cli *c, int argc, char **argv)
{
    return enable_disable(c, "enable", argc, argv, 1);
}

int
cmd_ca_disable(struct cli *c, int argc, char **argv)
{
    return enable_disable(c, "disable", argc, argv, 0);
}

int
cmd_ca_templates(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("ca", "templates");
    if (cli_args(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_template_list l;
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_TEMPLATE_LIST, NULL, &l, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    static const char *headers[] = {"Name", "Template", "Intended Purpose"};
    struct cli_table t;
    cli_table_init(&t, 3, headers);
    for (size_t i = 0; i < l.ca_cns.n; i++) {
        const char *cn = l.ca_cns.v[i];
        size_t k = 0;
        while (k < l.n && strcmp(l.v[k].cn, cn) != 0)
            k++;
        if (k == l.n)
            cli_table_add(&t, cn, cn, "(template deleted)");
        else
            cli_table_add(&t, l.v[k].display_name, l.v[k].cn,
                          *l.purposes[k] ? l.purposes[k] : "<All>");
    }
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    ops_template_list_free(&l);
    return CLI_OK;
}

int
cmd_ca_list(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("ca", "list");
    static const struct option opts[] = {{"filter", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    const char *filter = NULL;
    int o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'f')
            filter = optarg;
        else
            return cli_bad_option(c, cmd, argc, argv);
    }
    if (cli_positional(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    enum cadb_view view;
    char *cause = NULL;
    if (cadb_view_parse(argv[optind], &view, &cause) != CC_OK) {
        int r = cli_usage_error(c, cmd, "%s", cause);
        free(cause);
        return r;
    }
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_request_view args = {.view = view, .filter = filter};
    struct ops_request_rows list;
    int rc = ops_call(&c->cx, OP_REQUEST_LIST, &args, &list, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    const struct cadb_row *rows = list.rows;
    size_t n = list.n;
    struct cli_table t;
    char a[32], b[32], d[32], id[32], st[16];
    if (view == CADB_ISSUED) {
        static const char *h[] = {"Request ID", "Requester Name", "Certificate Template",
                                  "Serial Number", "Certificate Effective Date",
                                  "Certificate Expiration Date", "Issued Common Name"};
        cli_table_init(&t, 7, h);
        for (size_t i = 0; i < n; i++) {
            snprintf(id, sizeof id, "%lld", (long long)rows[i].id);
            cli_table_add(&t, id, rows[i].requester, rows[i].template_cn, rows[i].serial,
                          cmd_ca_time(rows[i].not_before, a, sizeof a),
                          cmd_ca_time(rows[i].not_after, b, sizeof b), rows[i].common_name);
        }
    } else if (view == CADB_REVOKED) {
        static const char *h[] = {"Request ID", "Revocation Date", "Effective Revocation Date",
                                  "Revocation Reason", "Requester Name", "Certificate Template",
                                  "Serial Number", "Issued Common Name"};
        cli_table_init(&t, 8, h);
        for (size_t i = 0; i < n; i++) {
            snprintf(id, sizeof id, "%lld", (long long)rows[i].id);
            cli_table_add(&t, id, cmd_ca_time(rows[i].revoked_when, a, sizeof a),
                          cmd_ca_time(rows[i].revoked_effective, b, sizeof b),
                          cadb_reason_name(rows[i].revoked_reason), rows[i].requester,
                          rows[i].template_cn, rows[i].serial, rows[i].common_name);
        }
    } else {
        static const char *h[] = {"Request ID", "Request Status Code", "Request Disposition",
                                  "Request Disposition Message", "Request Submission Date",
                                  "Requester Name", "Request Common Name",
                                  "Certificate Template"};
        cli_table_init(&t, 8, h);
        for (size_t i = 0; i < n; i++) {
            snprintf(id, sizeof id, "%lld", (long long)rows[i].id);
            snprintf(st, sizeof st, "0x%08x", rows[i].status);
            cli_table_add(&t, id, st, cadb_disposition_name(rows[i].disposition),
                          rows[i].message, cmd_ca_time(rows[i].submitted, d, sizeof d),
                          rows[i].requester, rows[i].request_cn, rows[i].template_cn);
        }
    }
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    ops_request_rows_free(&list);
    return CLI_OK;
}

static int
parse_id(struct cli *c, const struct cli_command *cmd, const char *s, int64_t *id)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v <= 0)
        return cli_usage_error(c, cmd, "'%s' is not a request ID", s);
    *id = v;
    return CLI_OK;
}

void
cmd_ca_print_outcome(struct cli *c, const struct cadb_outcome *o)
{
    const char *disp = cadb_disposition_name(o->disposition);
    /* an issued request has a message only when the CA has more to say ("Issued. The ...") */
    const char *note = o->disposition == DISP_ISSUED && o->message ? strstr(o->message, ". ") : NULL;
    if (c->tsv) {
        cli_printf(c, "%lld\t%s\t%s\t%s\n", (long long)o->request_id, disp,
                   *o->serial ? o->serial : "",
                   o->disposition == DISP_ISSUED ? (note ? o->message : "")
                                                 : (o->message ? o->message : ""));
        return;
    }
    if (o->disposition == DISP_ISSUED && o->request_id == 0)
        cli_printf(c, "Request not stored (the template says so): issued, serial %s%s\n",
                   o->serial, note ? note : "");
    else if (o->disposition == DISP_ISSUED)
        cli_printf(c, "Request %lld: issued, serial %s%s\n", (long long)o->request_id,
                   o->serial, note ? note : "");
    else
        cli_printf(c, "Request %lld: %s: %s\n", (long long)o->request_id, disp,
                   o->message ? o->message : "");
}

int
cmd_ca_approve(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("ca", "approve");
    int64_t id = 0;
    if (cli_args(c, cmd, argc, argv, 1, 1) != CLI_OK ||
        parse_id(c, cmd, argv[optind], &id) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_request_issue a = {id};
    struct cadb_outcome o;
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_REQUEST_ISSUE, &a, &o, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    cmd_ca_print_outcome(c, &o);
    int r = o.disposition == DISP_ISSUED ? CLI_OK : CLI_FAILED;
    cadb_outcome_free(&o);
    return r;
}

int
cmd_ca_deny(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("ca", "deny");
    int64_t id = 0;
    if (cli_args(c, cmd, argc, argv, 1, 1) != CLI_OK ||
        parse_id(c, cmd, argv[optind], &id) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_request_deny a = {id};
    int rc = ops_call(&c->cx, OP_REQUEST_DENY, &a, NULL, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    return CLI_OK;
}

/* ca set publish-on-revoke on: the revocation is done; a failed publication is reported. */
static int
publish_on_revoke(struct cli *c, const struct ops_revoke_result *r)
{
    if (r->publish_error != CC_OK) {
        cli_error("the certificate is revoked, but no CRL was published: %s", r->publish_cause);
        return CLI_FAILED;
    }
    if (r->published)
        cli_fprintf(c, c->tsv ? stderr : stdout, "Published %sCRL number %lld.\n",
                    r->crl.base ? "delta " : "", (long long)r->crl.number);
    return CLI_OK;
}

int
cmd_ca_revoke(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("ca", "revoke");
    static const struct option opts[] = {{"reason", required_argument, NULL, 'r'},
                                         {"effective", required_argument, NULL, 'e'},
                                         {NULL, 0, NULL, 0}};
    const char *reason = "unspecified", *effective = NULL;
    int o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'r': reason = optarg; break;
        case 'e': effective = optarg; break;
        default: return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (cli_positional(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    char *cause = NULL;
    int r;
    time_t when = CADB_NOW;
    if (cadb_reason_parse(reason, &r, &cause) != CC_OK ||
        (effective && cc_time_parse(effective, &when, &cause) != CC_OK)) {
        int u = cli_usage_error(c, cmd, "%s", cause);
        free(cause);
        return u;
    }
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_revoke a = {argv[optind], r, when};
    struct ops_revoke_result res;
    int rc = ops_call(&c->cx, OP_CERT_REVOKE, &a, &res, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    int out = publish_on_revoke(c, &res);
    ops_revoke_result_free(&res);
    return out;
}

int
cmd_ca_unrevoke(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("ca", "unrevoke");
    if (cli_args(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_revoke a = {.serial = argv[optind]};
    int rc = ops_call(&c->cx, OP_CERT_UNREVOKE, &a, NULL, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    return CLI_OK;
}
