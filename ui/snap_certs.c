/*
 * Certificates (Local Computer): the local computer's logical stores. The
 * views arrive with the Certificates snap-in; until then each lists one row
 * saying so. Replace this file to add them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "snap.h"

static void
certs_build(struct ui_app *app, struct ui_node *root)
{
    char *label = ui_xasprintf("Certificates (Local Computer: %s)", app->computer);
    struct ui_node *n = ui_node_add(root, label, &ui_node_folder, NULL);
    free(label);
    static const char *const stores[] = {"Personal", "Trusted Root Certification Authorities",
                                         "Intermediate Certification Authorities"};
    for (size_t i = 0; i < sizeof stores / sizeof stores[0]; i++)
        ui_node_add(n, stores[i], &ui_node_later, NULL);
}

const struct ui_snapin ui_snapin_certs = {"Certificates", certs_build};
