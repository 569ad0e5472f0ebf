/*
 * The Lab: the exercises of the lab this database was made from and their
 * checks. The view arrives with the lab exercises; until then the node
 * lists one row saying so. Replace this file to add it.
 */
#include "config.h"

#include "snap.h"

static void
lab_build(struct ui_app *app, struct ui_node *root)
{
    (void)app;
    struct ui_node *n = ui_node_add(root, "Lab", &ui_node_folder, NULL);
    ui_node_add(n, "Exercises", &ui_node_later, NULL);
}

const struct ui_snapin ui_snapin_lab = {"Lab", lab_build};
