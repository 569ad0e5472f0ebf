/*
 * certcon enroll, submit and explain: requesting certificates as a
 * principal (the Request New Certificate wizard, certreq -submit) and asking
 * the policy module why a principal can or cannot enroll.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "authority.h"
#include "cadb.h"
#include "cli.h"
#include "cmd_ca.h"
#include "directory.h"
#include "explain.h"
#include "ops.h"
#include "policy.h"
#include "request.h"
#include "status.h"

/*
 * Submissions committed together: files are written after each commit. The
 * batch is prepared (parsed, decided, signed) before its transaction begins.
 */
#define SUBMIT_BATCH 256

static int
write_cert(struct cli *c, const char *path, const struct pkix_buf *der, int as_der, int force)
{
    if (as_der)
        return cmd_ca_write_file(c, path, der->p, der->n, 0644, force);
    char *pem = NULL;
    if (request_pem_encode("CERTIFICATE", der->p, der->n, &pem, NULL) != CC_OK)
        return CLI_FAILED;
    int rc = cmd_ca_write_file(c, path, pem, strlen(pem), 0644, force);
    free(pem);
    return rc;
}

int
cmd_enroll(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("enroll", NULL);
    static const struct option opts[] = {
        {"for", required_argument, NULL, 'f'},
        {"template", required_argument, NULL, 't'},
        {"cn", required_argument, NULL, 'c'},
        {"dns", required_argument, NULL, 'd'},
        {"ip", required_argument, NULL, 'i'},
        {"email", required_argument, NULL, 'e'},
        {"upn", required_argument, NULL, 'u'},
        {"key", required_argument, NULL, 'k'},
        {"exportable", no_argument, NULL, 'x'},
        {"not-exportable", no_argument, NULL, 'n'},
        {"friendly-name", required_argument, NULL, 'F'},
        {"out", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'O'},
        {NULL, 0, NULL, 0},
    };
    struct cadb_enroll_params p = {0};
    const char *who = NULL, *out = NULL;
    int exportable = 0, force = 0, o, usage = CLI_OK;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'f': who = optarg; break;
        case 't': p.template_name = optarg; break;
        case 'c': p.cn = optarg; break;
        case 'd': strlist_add(&p.dns, optarg); break;
        case 'i': strlist_add(&p.ip, optarg); break;
        case 'e': strlist_add(&p.email, optarg); break;
        case 'u': strlist_add(&p.upn, optarg); break;
        case 'k': p.key_type = optarg; break;
        case 'x': exportable = 1; break;
        case 'n': p.not_exportable = 1; break;
        case 'F': p.friendly_name = optarg; break;
        case 'o': out = optarg; break;
        case 'O':
            force = 1;
            break;
        default: usage = cli_bad_option(c, cmd, argc, argv); break;
        }
        if (usage != CLI_OK)
            break;
    }
    if (usage == CLI_OK && cli_positional(c, cmd, argc, argv, 0, 0) != CLI_OK)
        usage = CLI_USAGE;
    if (usage == CLI_OK && p.template_name == NULL)
        usage = cli_usage_error(c, cmd, "--template is required");
    if (usage == CLI_OK && force && out == NULL)
        usage = cli_usage_error(c, cmd, "--force needs --out FILE");
    if (usage == CLI_OK && exportable && p.not_exportable)
        usage = cli_usage_error(c, cmd, "--exportable and --not-exportable contradict");
    struct request_keyspec ks;
    char *cause = NULL;
    if (usage == CLI_OK && p.key_type && request_keyspec_parse(p.key_type, &ks, &cause) != CC_OK) {
        usage = cli_usage_error(c, cmd, "%s", cause);
        free(cause);
        cause = NULL;
    }
    int result = usage;
    if (result != CLI_OK)
        goto out;
    result = CLI_FAILED;
    if ((out && cmd_ca_check_writable(c, out, force) != CLI_OK) || cli_open(c, 0) != CLI_OK)
        goto out;
    struct ops_enroll a = {.who = {.principal = who}, .params = p};
    struct ops_enroll_result r = {0};
    int rc = ops_call(&c->cx, OP_CERT_ENROLL, &a, &r, &cause);
    /* what the template does with the options given, before how the request went */
    if (r.template_known) {
        if (!r.subject_supplied && (p.cn || p.dns.n || p.ip.n || p.email.n || p.upn.n))
            cli_error("note: %s builds the subject from the directory; --cn, "
                      "--dns, --ip, --email and --upn are ignored",
                      r.template_display);
        if (exportable && !r.key_exportable)
            cli_error("note: %s does not allow private key export; the key will "
                      "not be exportable",
                      r.template_display);
    }
    if (rc != CC_OK) {
        result = cli_report(c, rc, cause);
        ops_enroll_result_free(&r);
        goto out;
    }
    struct cadb_outcome *oc = &r.outcome;
    cmd_ca_print_outcome(c, oc);
    if (oc->disposition == DISP_ISSUED) {
        result = out ? write_cert(c, out, &oc->cert, 0, force) : CLI_OK;
    } else {
        result = oc->disposition == DISP_PENDING ? CLI_OK : CLI_FAILED;
    }
    ops_enroll_result_free(&r);
out:
    strlist_free(&p.dns);
    strlist_free(&p.ip);
    strlist_free(&p.email);
    strlist_free(&p.upn);
    return result;
}

/*
 * Reads a request file; on failure *why (allocated) says why, to be told
 * in its place among the batch's other refusals.
 */
static int
read_request_file(struct cli *c, const char *path, struct pkix_buf *out, char **why)
{
    void *data = NULL;
    size_t n = 0;
    char *cause = NULL;
    /* past 2 MiB the CA refuses it: read no further than that */
    int rc = cli_read_file(c, path, 2u << 20, &data, &n, &cause);
    if (rc != CC_OK) {
        *why = cause ? cause : xstrdup(cc_strerror(rc));
        return CLI_FAILED;
    }
    out->p = data;
    out->n = n;
    return CLI_OK;
}

/* DIR/NAME.cer for the request file NAME.csr (or NAME.req, NAME.pem). */
static char *
out_name(const char *dir, const char *request, int as_der)
{
    char *copy = xstrdup(request);
    char *base = basename(copy);
    char *dot = strrchr(base, '.');
    if (dot != NULL && dot != base)
        *dot = '\0';
    char *p = xasprintf("%s/%s.%s", dir, base, as_der ? "cer" : "pem");
    free(copy);
    return p;
}

/*
 * Before anything is recorded: every request file readable and, with
 * --out-dir, every certificate's file free (or, with force, a regular file).
 * Through the CA service each check is a question to the client, so they go
 * in batches: one round trip per CHECK_BATCH files, not three per file.
 */
#define CHECK_BATCH 256

static int
check_batch(struct cli *c, const char *out_dir, char **files, int nfiles, int as_der, int force)
{
    if (out_dir != NULL && nfiles > 0) {
        /* the directory once, with the first file */
        char *first = out_name(out_dir, files[0], as_der);
        int w = cmd_ca_check_writable(c, first, force);
        free(first);
        if (w != CLI_OK)
            return CLI_FAILED;
    }
    const char *paths[CHECK_BATCH];
    char *owned[CHECK_BATCH];
    struct cli_probe pr[CHECK_BATCH];
    int result = CLI_OK;
    for (int at = 0; at < nfiles && result == CLI_OK; at += CHECK_BATCH) {
        size_t n = (size_t)(nfiles - at < CHECK_BATCH ? nfiles - at : CHECK_BATCH);
        char *cause = NULL;
        for (size_t k = 0; k < n; k++)
            paths[k] = files[at + (int)k];
        int rc = cli_probe_files(c, paths, n, R_OK, pr, &cause);
        for (size_t k = 0; rc == CC_OK && k < n && result == CLI_OK; k++)
            if (pr[k].access_err != 0) {
                cli_error("cannot read %s: %s", paths[k], strerror(pr[k].access_err));
                result = CLI_FAILED;
            }
        if (rc == CC_OK && result == CLI_OK && out_dir != NULL) {
            for (size_t k = 0; k < n; k++)
                paths[k] = owned[k] = out_name(out_dir, files[at + (int)k], as_der);
            rc = cli_probe_files(c, paths, n, 0, pr, &cause);
            for (size_t k = 0; rc == CC_OK && k < n && result == CLI_OK; k++) {
                if (pr[k].stat_err != 0)
                    continue;
                if (!S_ISREG(pr[k].mode)) {
                    /* refused with or without --force, as cc_write_file would */
                    cli_error("%s is %s: only a regular file is ever replaced", paths[k],
                              cc_file_kind(pr[k].mode));
                    result = CLI_FAILED;
                } else if (!force) {
                    cli_error("%s already exists: give --force to replace it", paths[k]);
                    result = CLI_FAILED;
                }
            }
            for (size_t k = 0; k < n; k++)
                free(owned[k]);
        }
        if (rc != CC_OK) {
            cli_report(c, rc, cause);
            result = CLI_FAILED;
        }
    }
    return result;
}

int
cmd_submit(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("submit", NULL);
    static const struct option opts[] = {
        {"for", required_argument, NULL, 'f'}, {"template", required_argument, NULL, 't'},
        {"out", required_argument, NULL, 'o'}, {"out-dir", required_argument, NULL, 'O'},
        {"der", no_argument, NULL, 'd'},       {"pem", no_argument, NULL, 'p'},
        {"force", no_argument, NULL, 'F'},     {NULL, 0, NULL, 0},
    };
    const char *who = NULL, *tmpl = NULL, *out = NULL, *out_dir = NULL;
    int as_der = 0, force = 0, o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'f': who = optarg; break;
        case 't': tmpl = optarg; break;
        case 'o': out = optarg; break;
        case 'O': out_dir = optarg; break;
        case 'd': as_der = 1; break;
        case 'p': as_der = 0; break;
        case 'F':
            force = 1;
            break;
        default: return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (cli_positional(c, cmd, argc, argv, 1, -1) != CLI_OK)
        return CLI_USAGE;
    int nfiles = argc - optind;
    if (force && out == NULL && out_dir == NULL)
        return cli_usage_error(c, cmd, "--force needs --out FILE or --out-dir DIR");
    if (out && out_dir)
        return cli_usage_error(c, cmd, "give --out or --out-dir, not both");
    if (out && nfiles > 1)
        return cli_usage_error(c, cmd, "--out takes one request; use --out-dir for several");
    unsigned mode;
    if (out_dir && (cli_stat_file(c, out_dir, 1, &mode) != 0 || !S_ISDIR(mode))) {
        cli_error("--out-dir %s is not a directory", out_dir);
        return CLI_FAILED;
    }
    if (out && cmd_ca_check_writable(c, out, force) != CLI_OK)
        return CLI_FAILED;
    if (check_batch(c, out_dir, argv + optind, nfiles, as_der, force) != CLI_OK)
        return CLI_FAILED;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    int result = CLI_OK;
    struct pkix_buf *reqs = xcalloc(SUBMIT_BATCH, sizeof *reqs);
    char **unread = xcalloc(SUBMIT_BATCH, sizeof *unread);
    int *which = xcalloc(SUBMIT_BATCH, sizeof *which);
    for (int first = optind; first < argc && result != -1;) {
        /*
         * A batch of requests read, then one operation that decides and
         * signs them with no lock held and records them in one short
         * transaction: other writers wait only for the inserts.
         */
        size_t nr = 0;
        int i, last = first;
        for (i = first; i < argc && i - first < SUBMIT_BATCH; i++) {
            last = i + 1;
            unread[i - first] = NULL;
            if (read_request_file(c, argv[i], &reqs[nr], &unread[i - first]) != CLI_OK) {
                result = CLI_FAILED;
                continue;
            }
            which[nr++] = i;
        }
        struct ops_submit a = {
            .who = {.principal = who}, .template = tmpl, .requests = reqs, .n = nr};
        struct ops_submit_result r = {0};
        char *cause = NULL;
        int rc = ops_call(&c->cx, OP_REQUEST_SUBMIT, &a, &r, &cause);
        for (size_t k = 0; k < nr; k++)
            pkix_buf_free(&reqs[k]);
        /* in file order, as they were found: unreadable files and requests the CA refused */
        for (size_t k = 0, at = 0; r.looked && first + (int)at < last; at++) {
            if (unread[at] != NULL) {
                cli_error("%s", unread[at]);
                continue;
            }
            struct ops_submit_item *it = &r.v[k++];
            if (it->failed == OPS_SUBMIT_PREPARE) {
                /* name the file and go on: the others in the batch are not lost with it */
                cli_error("%s: %s", argv[which[k - 1]],
                          it->cause ? it->cause : cc_strerror(it->rc));
                result = CLI_FAILED;
            }
        }
        for (int at = 0; at < last - first; at++) {
            free(unread[at]);
            unread[at] = NULL;
        }
        /*
         * Requests the CA could not even record (each rolled back alone):
         * named, and the requests before and after them are not lost.
         */
        for (size_t k = 0; k < r.n; k++)
            if (r.v[k].failed == OPS_SUBMIT_RECORD) {
                cli_error("%s: %s", argv[which[k]],
                          r.v[k].cause ? r.v[k].cause : cc_strerror(r.v[k].rc));
                result = CLI_FAILED;
            }
        if (rc != CC_OK) {
            cli_report(c, rc, cause);
            ops_submit_result_free(&r);
            result = -1;
            break;
        }
        for (size_t k = 0; k < r.n; k++) {
            struct cadb_outcome *oc = &r.v[k].outcome;
            if (r.v[k].rc != CC_OK)
                continue;
            cmd_ca_print_outcome(c, oc);
            if (oc->disposition == DISP_ISSUED && (out || out_dir)) {
                char *path = out ? xstrdup(out) : out_name(out_dir, argv[which[k]], as_der);
                if (write_cert(c, path, &oc->cert, as_der, force) != CLI_OK)
                    result = CLI_FAILED;
                free(path);
            } else if (oc->disposition != DISP_ISSUED && oc->disposition != DISP_PENDING) {
                /* the request fails alone: name its file, go on with the others */
                cli_error("%s: request %lld %s (0x%08x)", argv[which[k]],
                          (long long)oc->request_id, cadb_disposition_name(oc->disposition),
                          cc_hresult(oc->status));
                result = CLI_FAILED;
            }
        }
        ops_submit_result_free(&r);
        fflush(stdout);
        first = i;
    }
    free(reqs);
    free(unread);
    free(which);
    return result == -1 ? CLI_FAILED : result;
}

int
cmd_explain(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("explain", NULL);
    static const struct option opts[] = {{"for", required_argument, NULL, 'f'},
                                         {"template", required_argument, NULL, 't'},
                                         {NULL, 0, NULL, 0}};
    const char *who = NULL, *tmpl = NULL;
    int o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'f': who = optarg; break;
        case 't': tmpl = optarg; break;
        default: return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (cli_positional(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if (tmpl == NULL)
        return cli_usage_error(c, cmd, "--template is required");
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_enroll_explain a = {.who = {.principal = who}, .template = tmpl};
    struct explain_report r;
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_ENROLL_EXPLAIN, &a, &r, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    static const char *headers[] = {"Result", "Check", "Detail"};
    struct cli_table t;
    cli_table_init(&t, 3, headers);
    for (size_t i = 0; i < r.check.n; i++)
        cli_table_add(&t, r.result.v[i], r.check.v[i], r.detail.v[i]);
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    if (!c->tsv) {
        for (size_t i = 0; i < r.access.n; i++)
            cli_printf(c, "%s%s\n", i ? "" : "\n", r.access.v[i]);
        cli_printf(c, "\n%s\n", r.verdict);
    }
    int result = r.can ? CLI_OK : CLI_FAILED;
    explain_report_free(&r);
    return result;
}
