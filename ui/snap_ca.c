/*
 * Certification Authority (certsrv.msc): the CA with its Revoked, Issued,
 * Pending and Failed requests and its Certificate Templates to issue. The
 * views arrive with the CA console; until then each lists one row saying
 * so. Replace this file to add them: the tree and the snap-in table stay.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "authority.h"
#include "mem.h"
#include "snap.h"
#include "status.h"

static void
ca_build(struct ui_app *app, struct ui_node *root)
{
    struct ui_node *ca = ui_node_add(root, "Certification Authority", &ui_node_folder, NULL);
    char *name = NULL;
    struct authority_info info;
    memset(&info, 0, sizeof info);
    if (authority_exists(app->st) && authority_info_load(app->st, &info, NULL) == CC_OK)
        name = ui_xstrdup(info.name);
    authority_info_free(&info);
    if (name == NULL)
        return;
    struct ui_node *n = ui_node_add(ca, name, &ui_node_folder, NULL);
    static const char *const views[] = {"Revoked Certificates", "Issued Certificates",
                                        "Pending Requests", "Failed Requests",
                                        "Certificate Templates"};
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
        ui_node_add(n, views[i], &ui_node_later, NULL);
    ca->expanded = 1;
    n->expanded = 1;
    free(name);
}

const struct ui_snapin ui_snapin_ca = {"Certification Authority", ca_build};
