/*
 * The console's entry point: certcon without a command opens the
 * full-screen console, which lives in ui/ (ui/app.c runs it). This file is
 * the one place the command line meets the console: it opens the store as
 * the acting account and hands the console a host (ui/host.h), so that the
 * console never sees a verb, an option or the service's protocol.
 */
#include "config.h"

#include <sys/types.h>

#include "app.h"
#include "console.h"
#include "ops.h"
#include "store.h"
#include "status.h"
#include "util.h"

static int
host_read(void *ctx, const char *path, size_t max, void **data, size_t *n, char **cause)
{
    return cli_read_file(ctx, path, max, data, n, cause);
}

static int
host_write(void *ctx, const char *path, const void *data, size_t n, int mode, int force,
           char **cause)
{
    return cli_write_file(ctx, path, data, n, mode, force, cause);
}

static int
host_stat(void *ctx, const char *path, int follow, unsigned *mode)
{
    return cli_stat_file(ctx, path, follow, mode);
}

static int
host_access(void *ctx, const char *path, int amode)
{
    return cli_access_file(ctx, path, amode);
}

/*
 * After lab.restore replaced the lab under the console's store: who the
 * caller is there is decided again, as opening the database decided it.
 */
static int
host_lab_restored(void *ctx, char **cause)
{
    struct cli *c = ctx;
    if (cli_resolve(c) != CLI_OK)
        return cc_fail(cause, CC_EIO, "the restored lab could not be opened again");
    return CC_OK;
}

/*
 * Stop Service: ca.service-stop decides who may (Manage CA; a refusal is
 * audited there), audits the stop and asks the service's main process to
 * end as `kill -TERM` would: it stops accepting, waits for the clients it
 * serves — this console included — and exits 0.
 */
static int
host_service_stop(void *ctx, char **cause)
{
    struct cli *c = ctx;
    struct ops_service_stop a = {c->service_pid};
    return ops_call(&c->cx, OP_CA_SERVICE_STOP, &a, NULL, cause);
}

int
console_host(struct cli *c, struct ui_host *h)
{
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    *h = (struct ui_host){
        .cx = &c->cx,
        .ascii = c->ascii,
        .conf = c->conf,
        .script = c->script,
        .record = c->record,
        .script_fd = c->files != NULL ? c->script_fd : -1,
        .datadir = c->datadir,
        .own_files = c->files == NULL,
        .read = host_read,
        .write = host_write,
        .stat = host_stat,
        .access = host_access,
        .lab_restored = c->served ? NULL : host_lab_restored,
        .service_stop = c->served ? host_service_stop : NULL,
        .ctx = c,
    };
    return CLI_OK;
}

int
console_main(struct cli *c)
{
    struct ui_host h;
    if (console_host(c, &h) != CLI_OK)
        return CLI_FAILED;
    return ui_app_run(&h);
}
