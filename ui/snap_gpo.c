/*
 * Group Policy Management: the domain's group policy objects and their
 * autoenrollment setting. The views arrive with autoenrollment; until then
 * the node lists one row saying so. Replace this file to add them.
 */
#include "config.h"

#include "snap.h"

static void
gpo_build(struct ui_app *app, struct ui_node *root)
{
    struct ui_node *n = ui_node_add(root, "Group Policy Management", &ui_node_folder, NULL);
    struct ui_node *d = ui_node_add(n, app->domain, &ui_node_folder, NULL);
    ui_node_add(d, "Group Policy Objects", &ui_node_later, NULL);
}

const struct ui_snapin ui_snapin_gpo = {"Group Policy Management", gpo_build};
