/*
 * lab: the training lab's exercises (list, check), the web server binding
 * of the web server exercise, and snapshots (snapshot, restore, reset).
 * The exercises and their checks are core data and functions
 * (ca/exercise.c, ca/labsnap.c); this file parses arguments and prints.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "clock.h"
#include "coach.h"
#include "commands.h"
#include "exercise.h"
#include "labsnap.h"
#include "ops.h"
#include "status.h"
#include "util.h"

/* ✓ and ✗ where the terminal's character set has them; else OK and FAIL. */
static int
utf8_locale(void)
{
    setlocale(LC_CTYPE, "");
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static int
load(struct cli *c, struct exercise_set *set)
{
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_lab_dir a = {c->datadir};
    int rc = ops_call(&c->cx, OP_LAB_EXERCISES, &a, set, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    return CLI_OK;
}

/* Steps done of one exercise; CLI_FAILED when the lab could not be read. */
static int
progress(struct cli *c, const struct exercise *e, size_t *done)
{
    *done = 0;
    for (size_t i = 0; i < e->nsteps; i++) {
        struct ops_lab_step a = {&e->steps[i]};
        struct ops_lab_step_state st;
        char *cause = NULL;
        int rc = ops_call(&c->cx, OP_LAB_STEP, &a, &st, &cause);
        if (rc != CC_OK)
            return cli_report(c, rc, cause);
        free(st.reason);
        *done += st.done;
    }
    return CLI_OK;
}

int
cmd_lab_list(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("lab", "list");
    if (cli_args(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    struct exercise_set set = {0};
    if (load(c, &set) != CLI_OK)
        return CLI_FAILED;
    static const char *headers[] = {"Exercise", "Done", "Title"};
    struct cli_table t;
    cli_table_init(&t, 3, headers);
    int rc = CLI_OK;
    for (size_t i = 0; rc == CLI_OK && i < set.n; i++) {
        size_t done;
        rc = progress(c, &set.v[i], &done);
        char frac[32];
        snprintf(frac, sizeof frac, "%zu/%zu", done, set.v[i].nsteps);
        cli_table_add(&t, set.v[i].id, frac, set.v[i].title);
    }
    if (rc == CLI_OK)
        cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    exercise_set_free(&set);
    return rc;
}

/*
 * The coaching notes that apply to the whole lab, after the steps: what was
 * found and the guide's reason. A note is advice, not a failed step, so it
 * leaves the exit status alone.
 */
static int
print_coaching(struct cli *c, const struct exercise_set *set)
{
    struct coach_notes notes;
    char *cause = NULL;
    struct ops_lab_set a = {set};
    int rc = ops_call(&c->cx, OP_LAB_COACH, &a, &notes, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    if (notes.n > 0 && !c->tsv)
        cli_printf(c, "Coaching:\n");
    for (size_t i = 0; i < notes.n; i++) {
        if (c->tsv)
            cli_printf(c, "coach\t%s\tnote\t%s\t%s\n", notes.v[i].rule, notes.v[i].text,
                       notes.v[i].reason);
        else
            cli_printf(c, "  ! %s\n      %s\n", notes.v[i].text, notes.v[i].reason);
    }
    coach_notes_free(&notes);
    return CLI_OK;
}

int
cmd_lab_check(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("lab", "check");
    if (cli_args(c, cmd, argc, argv, 0, 1) != CLI_OK)
        return CLI_USAGE;
    struct exercise_set set = {0};
    if (load(c, &set) != CLI_OK)
        return CLI_FAILED;
    const char *want = argc > 1 ? argv[1] : NULL;
    if (want != NULL && exercise_find(&set, want) == NULL) {
        cli_error("this lab has no exercise '%s' ('certcon lab list' shows them)", want);
        exercise_set_free(&set);
        return CLI_FAILED;
    }
    int utf8 = utf8_locale(), rc = CLI_OK, failing = 0;
    for (size_t i = 0; rc == CLI_OK && i < set.n; i++) {
        const struct exercise *e = &set.v[i];
        if (want != NULL && e != exercise_find(&set, want))
            continue;
        if (!c->tsv)
            cli_printf(c, "%s: %s\n", e->id, e->title);
        for (size_t k = 0; rc == CLI_OK && k < e->nsteps; k++) {
            struct ops_lab_step a = {&e->steps[k]};
            struct ops_lab_step_state state;
            char *cause = NULL;
            int r = ops_call(&c->cx, OP_LAB_STEP, &a, &state, &cause);
            if (r != CC_OK) {
                rc = cli_report(c, r, cause);
                break;
            }
            int ok = state.done;
            char *reason = state.reason;
            failing += !ok;
            if (c->tsv)
                cli_printf(c, "%s\t%zu\t%s\t%s\t%s\n", e->id, k + 1, ok ? "ok" : "fail",
                           e->steps[k].title, reason ? reason : "");
            else if (ok)
                cli_printf(c, utf8 ? "  \u2713 %zu. %s\n" : "  OK   %zu. %s\n", k + 1,
                           e->steps[k].title);
            else
                cli_printf(c, utf8 ? "  \u2717 %zu. %s\n      %s\n" : "  FAIL %zu. %s\n      %s\n",
                           k + 1, e->steps[k].title, reason);
            free(reason);
        }
    }
    if (rc == CLI_OK)
        rc = print_coaching(c, &set);
    exercise_set_free(&set);
    if (rc != CLI_OK)
        return rc;
    return failing ? CLI_FAILED : CLI_OK;
}

int
cmd_lab_bind(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("lab", "bind");
    static const struct option opts[] = {{"for", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
    const char *who = NULL;
    int o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'f')
            who = optarg;
        else
            return cli_bad_option(c, cmd, argc, argv);
    }
    if (cli_positional(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (who == NULL)
        return cli_usage_error(c, cmd, "name the computer with --for");
    if (c->served) {
        cli_error("lab bind writes the lab's own files: run it on the lab's machine, not through "
                  "the CA service");
        return CLI_FAILED;
    }
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_lab_bind a = {who, argv[optind]};
    struct ops_lab_files bound;
    int rc = ops_call(&c->cx, OP_LAB_BIND, &a, &bound, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    char *files = bound.files;
    cli_printf(c, "Bound to %s's web server:\n", who);
    char *save = NULL;
    for (char *f = strtok_r(files, "\n", &save); f != NULL; f = strtok_r(NULL, "\n", &save))
        cli_printf(c, "  %s\n", f);
    free(files);
    return CLI_OK;
}

/* Snapshot commands replace or read files of the lab itself: never through the service. */
static int
local_only(struct cli *c, const char *what)
{
    if (!c->served)
        return CLI_OK;
    cli_error("lab %s works on the lab's own files: run it on the lab's machine, not through "
              "the CA service",
              what);
    return CLI_FAILED;
}

int
cmd_lab_snapshot(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("lab", "snapshot");
    static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
                                         {"force", no_argument, NULL, 'F'},
                                         {NULL, 0, NULL, 0}};
    const char *out = NULL;
    int force = 0, o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'o')
            out = optarg;
        else if (o == 'F')
            force = 1;
        else
            return cli_bad_option(c, cmd, argc, argv);
    }
    if (cli_positional(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (local_only(c, "snapshot") != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    const char *name = argv[optind];
    if (labsnap_name_ok(name, &cause) != CC_OK) {
        cli_error("%s", cause);
        free(cause);
        return CLI_USAGE;
    }
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_lab_snapshot a = {name, out, force};
    struct ops_lab_files written;
    int rc = ops_call(&c->cx, OP_LAB_SNAPSHOT, &a, &written, &cause);
    if (rc == CC_OK) {
        cli_printf(c, "Snapshot '%s' of the lab written to %s.\n", name, written.files);
        free(written.files);
    }
    return cli_report(c, rc, cause);
}

/* Restores the lab from the snapshot file at path; missing names what was looked for. */
static int
restore_bytes(struct cli *c, const char *path, const char *what, const char *missing)
{
    void *data = NULL;
    size_t n = 0;
    char *cause = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0 && errno == ENOENT) {
        cli_error("there is no %s", missing);
        return CLI_FAILED;
    }
    int rc = cli_read_file(c, path, (size_t)1 << 32, &data, &n, &cause);
    struct ops_lab_restored done = {0};
    if (rc == CC_OK && n > (size_t)1 << 32)
        rc = cc_fail(&cause, CC_EINVAL, "%s is too large to be a lab snapshot", path);
    struct ops_lab_restore a = {NULL, data, n};
    if (rc == CC_OK)
        rc = ops_call(&c->cx, OP_LAB_RESTORE, &a, &done, &cause);
    free(data);
    if (rc == CC_OK) {
        char when[32];
        cli_printf(c, "Restored the lab from %s (taken at lab time %s).\n", what,
                   cc_time_format(done.info.taken, when, sizeof when));
    }
    ops_lab_restored_free(&done);
    return cli_report(c, rc, cause);
}

/*
 * Restores a snapshot kept beside the database (NULL: the lab as init made
 * it). The command ends here, so its caller is not decided again in the
 * restored lab (cli_resolve): nothing more is done as them.
 */
static int
restore_named(struct cli *c, const char *name)
{
    struct ops_lab_restore a = {name, NULL, 0};
    struct ops_lab_restored done = {0};
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_LAB_RESTORE, &a, &done, &cause);
    if (rc == CC_OK) {
        char when[32];
        cc_time_format(done.info.taken, when, sizeof when);
        if (name != NULL)
            cli_printf(c, "Restored the lab from snapshot '%s' (taken at lab time %s).\n", name,
                       when);
        else
            cli_printf(c, "Reset the lab as init made it (at lab time %s).\n", when);
    }
    ops_lab_restored_free(&done);
    return cli_report(c, rc, cause);
}

int
cmd_lab_restore(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("lab", "restore");
    static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    const char *from = NULL;
    int o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'f')
            from = optarg;
        else
            return cli_bad_option(c, cmd, argc, argv);
    }
    if (cli_positional(c, cmd, argc, argv, from ? 0 : 1, from ? 0 : 1) != CLI_OK)
        return CLI_USAGE;
    if (local_only(c, "restore") != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    if (from == NULL && labsnap_name_ok(argv[optind], &cause) != CC_OK) {
        cli_error("%s", cause);
        free(cause);
        return CLI_USAGE;
    }
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    if (from != NULL)
        return restore_bytes(c, from, from, from);
    return restore_named(c, argv[optind]);
}

int
cmd_lab_reset(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("lab", "reset");
    if (cli_args(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if (local_only(c, "reset") != CLI_OK)
        return CLI_FAILED;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    return restore_named(c, NULL);
}
