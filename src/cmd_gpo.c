/*
 * `certcon gpo …` and `certcon pulse`: Group Policy Management's
 * autoenrollment setting, and running the autoenrollment pulse that a
 * computer runs when it starts or a user at logon.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autoenroll.h"
#include "cli.h"
#include "clock.h"
#include "commands.h"
#include "directory.h"
#include "ops.h"
#include "status.h"

int
cmd_gpo_create(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("gpo", "create");
    static const struct option opts[] = {{"link", required_argument, NULL, 'l'},
                                         {NULL, 0, NULL, 0}};
    const char *scope = NULL;
    int o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o != 'l')
            return cli_bad_option(c, cmd, argc, argv);
        scope = optarg;
    }
    if (cli_positional(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_gpo_name a = {argv[optind], scope};
    int rc = ops_call(&c->cx, OP_GPO_CREATE, &a, NULL, &cause);
    return cli_report(c, rc, cause);
}

int
cmd_gpo_delete(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("gpo", "delete");
    if (cli_args(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_gpo_name a = {argv[optind], NULL};
    int rc = ops_call(&c->cx, OP_GPO_DELETE, &a, NULL, &cause);
    return cli_report(c, rc, cause);
}

static int
link_command(struct cli *c, const char *verb, int add, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("gpo", verb);
    if (cli_args(c, cmd, argc, argv, 2, 2) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_gpo_name a = {argv[optind], argv[optind + 1]};
    int rc = ops_call(&c->cx, add ? OP_GPO_LINK : OP_GPO_UNLINK, &a, NULL, &cause);
    return cli_report(c, rc, cause);
}

int
cmd_gpo_link(struct cli *c, int argc, char **argv)
{
    return link_command(c, "link", 1, argc, argv);
}

int
cmd_gpo_unlink(struct cli *c, int argc, char **argv)
{
    return link_command(c, "unlink", 0, argc, argv);
}

int
cmd_gpo_autoenroll(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("gpo", "autoenroll");
    static const struct option opts[] = {
        {"enable", no_argument, NULL, 'e'},   {"disable", no_argument, NULL, 'd'},
        {"not-configured", no_argument, NULL, 'n'}, {"renew", no_argument, NULL, 'r'},
        {"update", no_argument, NULL, 'u'},   {"user", no_argument, NULL, 'U'},
        {NULL, 0, NULL, 0},
    };
    struct gpo_settings s = {.model = AE_NOT_CONFIGURED};
    int models = 0, user = 0, o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'e': s.model = AE_ENABLED; models++; break;
        case 'd': s.model = AE_DISABLED; models++; break;
        case 'n': s.model = AE_NOT_CONFIGURED; models++; break;
        case 'r': s.renew = 1; break;
        case 'u': s.update = 1; break;
        case 'U': user = 1; break;
        default: return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (cli_positional(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (models != 1)
        return cli_usage_error(c, cmd, "choose one of --enable, --disable, --not-configured");
    if (s.model != AE_ENABLED && (s.renew || s.update))
        return cli_usage_error(c, cmd, "--renew and --update go with --enable");
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_gpo_autoenroll a = {argv[optind], user, s};
    int rc = ops_call(&c->cx, OP_GPO_AUTOENROLL, &a, NULL, &cause);
    return cli_report(c, rc, cause);
}

static int
filter_command(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("gpo", "filter");
    static const struct option opts[] = {{"add", required_argument, NULL, 'a'},
                                         {"remove", required_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    const char *who = NULL;
    int add = 0, o, n = 0;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o != 'a' && o != 'r')
            return cli_bad_option(c, cmd, argc, argv);
        add = o == 'a';
        who = optarg;
        n++;
    }
    if (cli_positional(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (n != 1)
        return cli_usage_error(c, cmd, "give one --add PRINCIPAL or --remove PRINCIPAL");
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_gpo_filter a = {.name = argv[optind], .principal = who};
    int rc = ops_call(&c->cx, add ? OP_GPO_FILTER_ADD : OP_GPO_FILTER_REMOVE, &a, NULL, &cause);
    return cli_report(c, rc, cause);
}

int
cmd_gpo_filter(struct cli *c, int argc, char **argv)
{
    return filter_command(c, argc, argv);
}

int
cmd_gpo_list(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("gpo", "list");
    if (cli_args(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_gpo_list l;
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_GPO_LIST, NULL, &l, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    const struct gpo *v = l.v;
    size_t n = l.n;
    static const char *headers[] = {"Name", "Links", "Computer autoenrollment",
                                    "User autoenrollment", "Security filtering"};
    struct cli_table t;
    cli_table_init(&t, 5, headers);
    for (size_t i = 0; i < n; i++) {
        char *links = strlist_join(&v[i].links, ", "), *filter = strlist_join(&v[i].filter, ", ");
        char cs[GPO_SETTINGS_TEXT_MAX], us[GPO_SETTINGS_TEXT_MAX];
        cli_table_add(&t, v[i].name, links, gpo_settings_text(&v[i].computer, cs, sizeof cs),
                      gpo_settings_text(&v[i].user, us, sizeof us),
                      v[i].filter.n ? filter : "Authenticated Users");
        free(links);
        free(filter);
    }
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    ops_gpo_list_free(&l);
    return CLI_OK;
}

int
cmd_gpo_show(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("gpo", "show");
    if (cli_args(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_gpo_name a = {argv[optind], NULL};
    struct gpo g;
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_GPO_GET, &a, &g, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    static const char *headers[] = {"Setting", "Value"};
    struct cli_table t;
    cli_table_init(&t, 2, headers);
    char *links = strlist_join(&g.links, ", "), *filter = strlist_join(&g.filter, ", ");
    cli_table_add(&t, "name", g.name);
    cli_table_add(&t, "guid", g.guid);
    cli_table_add(&t, "links", links);
    cli_table_add(&t, "security filtering", g.filter.n ? filter : "Authenticated Users");
    const struct gpo_settings *ctx[2] = {&g.computer, &g.user};
    static const char *names[2] = {"computer", "user"};
    for (int i = 0; i < 2; i++) {
        char key[64], *v;
        snprintf(key, sizeof key, "%s: configuration model", names[i]);
        cli_table_add(&t, key, gpo_model_name(ctx[i]->model));
        snprintf(key, sizeof key, "%s: renew expired, update pending, remove revoked", names[i]);
        cli_table_add(&t, key, ctx[i]->renew ? "yes" : "no");
        snprintf(key, sizeof key, "%s: update certificates that use templates", names[i]);
        cli_table_add(&t, key, ctx[i]->update ? "yes" : "no");
        unsigned bits = gpo_policy_bits(ctx[i]);
        v = xasprintf("0x%X", bits);
        snprintf(key, sizeof key, "%s: AEPolicy", names[i]);
        cli_table_add(&t, key, v);
        free(v);
    }
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    free(links);
    free(filter);
    gpo_free(&g);
    return CLI_OK;
}

static void
print_report(struct cli *c, const struct pulse_report *r, const char *who, int explain)
{
    char when[32];
    cc_time_format(r->at, when, sizeof when);
    if (explain) {
        if (!c->tsv)
            cli_printf(c, "Pulse of %s at %s: AEPolicy 0x%X%s%s%s\n", r->principal_name, when,
                       r->policy, r->source && *r->source ? " from '" : "",
                       r->source && *r->source ? r->source : "",
                       r->source && *r->source ? "'" : "");
        static const char *headers[] = {"Template", "Action", "Request", "Serial", "Why"};
        struct cli_table t;
        cli_table_init(&t, 5, headers);
        for (size_t i = 0; i < r->n; i++) {
            char id[24] = "";
            if (r->v[i].request_id)
                snprintf(id, sizeof id, "%lld", (long long)r->v[i].request_id);
            cli_table_add(&t, *r->v[i].template ? r->v[i].template : "(policy)",
                          r->v[i].action, id, r->v[i].serial, r->v[i].reason);
        }
        cli_table_print(c, &t, stdout);
        cli_table_free(&t);
        return;
    }
    int acted = 0;
    for (size_t i = 0; i < r->n; i++) {
        const char *a = r->v[i].action;
        if (!strcmp(a, "none") || !strcmp(a, "skipped"))
            continue;
        acted++;
        if (c->tsv)
            cli_printf(c, "%s\t%s\t%s\t%lld\t%s\t%s\n", r->principal_name, r->v[i].template, a,
                       (long long)r->v[i].request_id, r->v[i].serial, r->v[i].reason);
        else
            cli_printf(c, "%s: %s %s%s%s — %s\n", r->principal_name, a, r->v[i].template,
                       *r->v[i].serial ? ", serial " : "", r->v[i].serial, r->v[i].reason);
    }
    if (acted == 0 && !c->tsv)
        cli_printf(c, "%s: nothing to do ('certcon pulse --for %s --explain' says why)\n",
                   r->principal_name, who);
}

int
cmd_pulse_print(struct cli *c, struct pulse_report *r, const char *principal, int explain)
{
    print_report(c, r, principal, explain);
    int failed = pulse_report_failed(r);
    pulse_report_free(r);
    return failed ? CLI_FAILED : CLI_OK;
}

/* pulse --all: each principal's pulse printed as soon as it has run */
struct pulse_all {
    struct cli *c;
    int explain;
    int status;
};

static void
pulse_told(void *arg, const struct ops_pulse_item *it)
{
    struct pulse_all *p = arg;
    if (it->rc != CC_OK) {
        cli_fail(p->c, it->rc, it->cause);
        p->status = CLI_FAILED;
        return;
    }
    print_report(p->c, &it->report, it->principal, p->explain);
    if (pulse_report_failed(&it->report))
        p->status = CLI_FAILED;
    fflush(stdout);
}

int
cmd_pulse_run(struct cli *c, const char *principal, int explain)
{
    struct ops_pulse a = {.principal = principal};
    struct ops_pulse_result r = {0};
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_AUTOENROLL_PULSE, &a, &r, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    int result = cmd_pulse_print(c, &r.v[0].report, principal, explain);
    ops_pulse_result_free(&r);
    return result;
}

int
cmd_pulse(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("pulse", NULL);
    static const struct option opts[] = {{"for", required_argument, NULL, 'f'},
                                         {"all", no_argument, NULL, 'a'},
                                         {"explain", no_argument, NULL, 'e'},
                                         {"last", no_argument, NULL, 'l'},
                                         {NULL, 0, NULL, 0}};
    const char *who = NULL;
    int all = 0, explain = 0, last = 0, o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'f': who = optarg; break;
        case 'a': all = 1; break;
        case 'e': explain = 1; break;
        case 'l': last = 1; break;
        default: return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (cli_positional(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if ((who == NULL) == (all == 0))
        return cli_usage_error(c, cmd, "give --for PRINCIPAL or --all");
    if (last && who == NULL)
        return cli_usage_error(c, cmd, "--last needs --for PRINCIPAL");
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    if (last) {
        struct ops_pulse a = {.principal = who};
        struct ops_pulse_result r = {0};
        char *cause = NULL;
        int rc = ops_call(&c->cx, OP_AUTOENROLL_LAST_PULSE, &a, &r, &cause);
        if (rc != CC_OK)
            return cli_report(c, rc, cause);
        print_report(c, &r.v[0].report, who, 1);
        ops_pulse_result_free(&r);
        return CLI_OK;
    }
    if (who != NULL)
        return cmd_pulse_run(c, who, explain);
    /* --all: every computer, then every user, each told as its pulse ran */
    struct pulse_all p = {c, explain, CLI_OK};
    struct ops_pulse a = {.all = 1, .each = pulse_told, .arg = &p};
    struct ops_pulse_result r = {0};
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_AUTOENROLL_PULSE, &a, &r, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    int status = p.status;
    ops_pulse_result_free(&r);
    return status;
}
