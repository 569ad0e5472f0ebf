/*
 * Snap-ins: what the console tree holds. Each snap-in is one file that
 * adds its nodes to the tree (ui_snapin.build); each node has a type — a
 * small table of operations, as tig's views do — that fills the results
 * list, names what it lists, and offers and performs the actions of the
 * action menu. The console (console_view.c) knows nothing about templates
 * or groups; adding a snap-in is one file and one line in its table.
 */
#ifndef CERTCON_UI_SNAP_H
#define CERTCON_UI_SNAP_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "dialog.h"
#include "list.h"

/* Action ids every node type understands; snap-ins number their own from 100. */
enum {
    UI_CMD_PROPERTIES = 1,
    UI_CMD_DELETE = 2,
    UI_CMD_REFRESH = 3,
    UI_CMD_VIEW = 4, /* the view action: switch to the node's other view */
    UI_CMD_COLUMNS = 5, /* View -> Add/Remove Columns (the console handles it) */
};

struct ui_node;

struct ui_node_type {
    const char *name;
    const struct ui_column *cols; /* results columns */
    size_t ncols;
    const char *noun, *nouns; /* "template", "templates" for the status line */
    /*
     * Fills the node's results. The default source is n->rows (a memsource);
     * a node over a large table sets n->source/n->source_ctx instead.
     */
    void (*load)(struct ui_node *n);
    /* Frees n->data. May be NULL. */
    void (*destroy)(struct ui_node *n);
    /*
     * The action menu: for the selected row (has_row, its id) or for the
     * node itself. Returns the number of items; the items must stay valid
     * until the next call.
     */
    size_t (*menu)(struct ui_node *n, int has_row, int64_t row, const struct ui_menu_item **items);
    /* Performs a menu item or a UI_CMD_*. */
    void (*act)(struct ui_node *n, int has_row, int64_t row, int id);
    /* The results pane title; NULL: the node's label. */
    char *(*title)(struct ui_node *n);
    /* List the rows in the order load() adds them (a folder's children) until sorted. */
    int keep_order;
    /*
     * A node with a second view (Audit: refusals only) names it here for the
     * status line; the view action sends it UI_CMD_VIEW. NULL: no other view.
     */
    const char *view_hint;
};

struct ui_node {
    char *label;
    const struct ui_node_type *type;
    struct ui_app *app;
    struct ui_node *parent;
    struct ui_node **kids;
    size_t nkids, cap;
    int expanded;
    void *data;                          /* the snap-in's */
    struct ui_memsource *rows;           /* default results source */
    const struct ui_list_source *source; /* a node's own source, or NULL */
    void *source_ctx;
    unsigned hidden_cols; /* results columns left out (View -> Add/Remove Columns) */
};

struct ui_snapin {
    const char *name;
    /* Adds the snap-in's nodes under root. */
    void (*build)(struct ui_app *app, struct ui_node *root);
};

/* The snap-ins, in tree order (console_view.c holds the table). */
extern const struct ui_snapin ui_snapin_aduc;
extern const struct ui_snapin ui_snapin_templates;
extern const struct ui_snapin ui_snapin_ca;
extern const struct ui_snapin ui_snapin_certs;
extern const struct ui_snapin ui_snapin_gpo;
extern const struct ui_snapin ui_snapin_lab;

/* The console window, the bottom layer of the stack (console_view.c). */
struct ui_layer *ui_console_new(struct ui_app *app);

struct ui_node *ui_node_add(struct ui_node *parent, const char *label,
                            const struct ui_node_type *type, void *data);
void ui_node_free(struct ui_node *n);
/* Reloads the results of the node shown (after an action changed data). */
void ui_console_refresh(struct ui_app *app);
/* The node shown in the results pane. */
struct ui_node *ui_console_node(struct ui_app *app);
/*
 * Shows the top-level node with that label (another console, as Manage opens
 * the Certificate Templates console) with the focus on its results. Returns
 * the node, or NULL when there is none.
 */
struct ui_node *ui_console_goto(struct ui_app *app, const char *label);
/* Selects the results row with that id (after creating it). */
void ui_console_select_row(struct ui_app *app, int64_t id);

/* Adds the Audit node (snap_audit.c) under a CA's node. */
void ui_audit_node_add(struct ui_node *ca);
/* Adds the ACME node (snap_acme.c) under a CA's node, when the CA uses ACME. */
void ui_acme_node_add(struct ui_node *ca);

/* A node type whose results say "available in a later version". */
extern const struct ui_node_type ui_node_later;
/* A folder: its results list its children. */
extern const struct ui_node_type ui_node_folder;

/* Shows a core failure: the status message and the cause. */
void ui_show_error(struct ui_app *app, const char *title, int status, const char *cause);

#endif
