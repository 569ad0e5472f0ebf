/*
 * Template import: any bytes as a libconfig template file through
 * template_import (test_cx(parse), validate, insert, audit), acting as the lab's
 * Administrator on a contoso lab made once per process. Each input runs
 * inside an outer transaction that is rolled back, so every input meets
 * the same database and an import that succeeds does not make the next
 * one's name taken. The file is a memfd, named by its /proc path.
 */
#include "config.h"

#include <sys/mman.h>

#include "directory.h"
#include "fuzz.h"
#include "lab.h"
#include "store.h"
#include "template.h"

static struct store *st;
static int fd = -1;
static char path[64];

static void
close_store(void)
{
    store_close(st);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *datadir = fuzz_setup("template");
    char *db = fuzz_scratch_path("lab.db"), *cause = NULL;
    struct lab_def def = {0};
    if (store_open(db, STORE_CREATE, &st, &cause) != CC_OK ||
        lab_init(test_cx(st), datadir, "contoso", &def, &cause) != CC_OK)
        fuzz_die("the contoso lab: %s", cause ? cause : "?");
    lab_def_free(&def);
    free(db);
    atexit(close_store);
    struct dir_principal p = {0};
    if (dir_lookup(st, "Administrator", &p, &cause) != CC_OK)
        fuzz_die("Administrator: %s", cause ? cause : "?");
    char *q = dir_qualified_name(st, &p);
    test_act_id(st, p.id, q ? q : p.name);
    free(q);
    dir_principal_free(&p);
    fd = memfd_create("template.conf", 0);
    if (fd < 0)
        fuzz_die("memfd_create: %s", strerror(errno));
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(fd, 0) != 0 || (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
        fuzz_die("memfd: %s", strerror(errno));
    char *cause = NULL;
    if (store_begin(st, &cause) != CC_OK)
        fuzz_die("begin: %s", cause ? cause : "?");
    struct template t;
    memset(&t, 0, sizeof t);
    int rc = template_import(test_cx(st), path, &t, &cause);
    if (rc == CC_OK) {
        /* what was imported must read back and export */
        char *text = NULL;
        if (template_export(st, &t, &text, &cause) != CC_OK)
            fuzz_die("an imported template does not export: %s", cause ? cause : "?");
        free(text);
    }
    template_free(&t);
    free(cause);
    if (store_depth(st) != 1)
        fuzz_die("template_import left %d transactions open", store_depth(st) - 1);
    store_rollback(st);
    return 0;
}
