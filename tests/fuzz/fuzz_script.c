/*
 * The console's script mode: any bytes as a key script (keys.h notation,
 * :resize and :dump commands) run by the real console on a contoso lab
 * made once per process with `certcon init --lab contoso`. The screen size
 * it starts at follows the input's length (80x24, 64x18 — the smallest the
 * console draws — or 160x50); scripts resize further themselves. Every
 * :dump goes to /dev/null whatever its path says.
 *
 * Each input runs inside an outer transaction rolled back afterwards: the
 * console's own transactions nest in it as savepoints, so every input meets
 * the same database without copying it, and a console path that leaves a
 * transaction open is caught here. A file the console is told to write (an
 * export) lands in the working directory: tests/fuzz/run and replay.sh run
 * the harness in a scratch directory.
 */
#include "config.h"

#include "app.h"
#include "cli.h"
#include "console.h"
#include "fuzz.h"
#include "store.h"

static struct cli c = {.prog = "certcon", .tokens_at_restart = 1};
static FILE *devnull;
static struct ui_host host;

static void
close_store(void)
{
    if (c.st != NULL)
        store_close(c.st);
    c.st = NULL;
    ctx_free(&c.cx);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    c.datadir = fuzz_setup("script");
    c.clock = test_cx_.clock;
    c.db_path = fuzz_scratch_path("lab.db");
    const struct cli_command *init = cli_find("init", NULL);
    char *args[] = {"init", "--lab", "contoso", NULL};
    if (init == NULL || init->run(&c, 3, args) != CLI_OK)
        fuzz_die("certcon init --lab contoso failed");
    /* open again as the console does: the acting account is the lab's default */
    close_store();
    if (console_host(&c, &host) != CLI_OK)
        fuzz_die("cannot open the lab");
    /*
     * Every input runs in a transaction that is rolled back afterwards; a
     * snapshot restored would replace the database (and the store handle)
     * under it, so this host restores none, as a served console does not.
     */
    host.lab_restored = NULL;
    atexit(close_store);
    devnull = fopen("/dev/null", "w");
    if (devnull == NULL)
        fuzz_die("/dev/null: %s", strerror(errno));
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int sizes[][2] = {{80, 24}, {64, 18}, {160, 50}};
    const int *wh = sizes[size % 3];
    char *cause = NULL;
    if (store_begin(c.st, &cause) != CC_OK)
        fuzz_die("begin: %s", cause ? cause : "?");
    ui_app_run_script(&host, "fuzz input", (const char *)data, size, wh[0], wh[1], devnull);
    if (store_depth(c.st) != 1)
        fuzz_die("the console left %d transactions open", store_depth(c.st) - 1);
    store_rollback(c.st);
    return 0;
}
