/*
 * The Audit node under a certification authority: the newest records of the
 * audit log (when, who, kind, object, what, and old -> new, or for a refusal
 * the right that was missing), newest first. The view action (F3) switches
 * between every record and refusals only; the action menu verifies the
 * log's hash chain and shows the result in a dialog, and Properties shows
 * one record whole (the columns do not fit an 80-column screen).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "dialog.h"
#include "mem.h"
#include "screen.h"
#include "ops.h"
#include "snap.h"
#include "status.h"

/* The records one view lists: the newest; the command line reads further back. */
enum { AUDIT_ROWS = 1000 };

enum {
    CMD_VERIFY = 100,
};

struct audit_node {
    int refused;              /* the refusals-only view */
    struct audit_entry *list; /* the records listed, owned; row id: the record's id */
    size_t n;
};

static const struct ui_column audit_cols[] = {
    {"When", 16}, {"Who", 16}, {"What", 18}, {"Kind", 10}, {"Object", 18}, {"Change", 40},
};

static void
audit_load(struct ui_node *n)
{
    struct audit_node *an = n->data;
    ui_memsource_clear(n->rows);
    audit_list_free(an->list, an->n);
    an->list = NULL;
    an->n = 0;
    struct audit_filter f = {.refused = an->refused, .limit = AUDIT_ROWS};
    struct ops_audit_entries r;
    if (ops_call(n->app->cx, OP_AUDIT_READ, &f, &r, NULL) != CC_OK)
        return;
    an->list = r.v;
    an->n = r.n;
    for (size_t i = 0; i < an->n; i++) {
        const struct audit_entry *e = &an->list[i];
        char when[24];
        ui_time_text(e->at, "%Y-%m-%d %H:%M", when, sizeof when);
        char *change;
        if (e->result != NULL && strcmp(e->result, "refused") == 0)
            change = ui_xasprintf("refused: needs %s", e->right ? e->right : "a right");
        else if (e->old_value != NULL && e->new_value != NULL)
            change = ui_xasprintf("%s \xe2\x86\x92 %s", e->old_value, e->new_value);
        else
            change = ui_xstrdup(e->old_value  ? e->old_value
                                : e->new_value ? e->new_value
                                               : "");
        const char *row[] = {when,
                             e->actor ? e->actor : "",
                             e->field ? e->field : "",
                             e->kind ? e->kind : "",
                             e->object ? e->object : "",
                             change};
        ui_memsource_add(n->rows, e->id, row);
        free(change);
    }
}

static void
audit_destroy(struct ui_node *n)
{
    struct audit_node *an = n->data;
    audit_list_free(an->list, an->n);
    free(an);
}

static char *
audit_title(struct ui_node *n)
{
    struct audit_node *an = n->data;
    return ui_xstrdup(an->refused ? "Audit (refusals only)" : "Audit");
}

/* Menus with a record selected start with Properties; the node's own lack it. */
static const struct ui_menu_item all_menu[] = {
    {"Properties", UI_CMD_PROPERTIES, NULL, 0},
    {"Verify Audit Log", CMD_VERIFY, NULL, 0},
    {"Refusals Only", UI_CMD_VIEW, NULL, 0},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};
static const struct ui_menu_item refused_menu[] = {
    {"Properties", UI_CMD_PROPERTIES, NULL, 0},
    {"Verify Audit Log", CMD_VERIFY, NULL, 0},
    {"All Records", UI_CMD_VIEW, NULL, 0},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};

static size_t
audit_menu(struct ui_node *n, int has_row, int64_t row, const struct ui_menu_item **items)
{
    (void)row;
    struct audit_node *an = n->data;
    *items = an->refused ? refused_menu : all_menu;
    if (!has_row) {
        (*items)++;
        return 3;
    }
    return 4;
}

/* Properties: one record whole, every field on its own line. */
static void
audit_properties(struct ui_app *app, const struct audit_node *an, int64_t id)
{
    const struct audit_entry *e = NULL;
    for (size_t i = 0; i < an->n && e == NULL; i++)
        if (an->list[i].id == id)
            e = &an->list[i];
    if (e == NULL)
        return;
    char when[32];
    ui_time_text(e->at, "%Y-%m-%d %H:%M:%S UTC", when, sizeof when);
    char *text = ui_xasprintf("Record:  %lld\nWhen:    %s\nWho:     %s\nObject:  %s %s\n"
                              "What:    %s\nOld:     %s\nNew:     %s\nRight:   %s\n"
                              "Result:  %s",
                              (long long)e->id, when, e->actor ? e->actor : "",
                              e->kind ? e->kind : "", e->object ? e->object : "",
                              e->field ? e->field : "", e->old_value ? e->old_value : "",
                              e->new_value ? e->new_value : "", e->right ? e->right : "",
                              e->result ? e->result : "");
    ui_message(app, "Audit Record", text);
    free(text);
}

/* Verify Audit Log: the walk's outcome in a dialog. */
static void
audit_verify_show(struct ui_app *app)
{
    struct audit_verdict v;
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_AUDIT_VERIFY, NULL, &v, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Verify Audit Log", rc, cause);
        free(cause);
        return;
    }
    char *text;
    if (!v.broken) {
        text = ui_xasprintf("The audit log verified: %zu records, each linked to the one "
                            "before it.\n\nNewest hash: %s",
                            v.records, v.head);
    } else {
        char when[24];
        ui_time_text(v.bad.at, "%Y-%m-%d %H:%M:%S", when, sizeof when);
        text = ui_xasprintf("The audit log is broken at record %lld (%s, %s: %s %s %s): %s.\n\n"
                            "%zu records before it verified.",
                            (long long)v.bad.id, when, v.bad.actor ? v.bad.actor : "?",
                            v.bad.kind ? v.bad.kind : "", v.bad.object ? v.bad.object : "",
                            v.bad.field ? v.bad.field : "", v.why, v.records);
    }
    ui_message(app, "Verify Audit Log", text);
    free(text);
    audit_verdict_free(&v);
}

static void
audit_act(struct ui_node *n, int has_row, int64_t row, int id)
{
    struct audit_node *an = n->data;
    if (id == UI_CMD_PROPERTIES && has_row) {
        audit_properties(n->app, an, row);
    } else if (id == UI_CMD_VIEW) {
        an->refused = !an->refused;
        ui_console_refresh(n->app);
    } else if (id == UI_CMD_REFRESH) {
        ui_console_refresh(n->app);
    } else if (id == CMD_VERIFY) {
        audit_verify_show(n->app);
    }
}

static const struct ui_node_type audit_type = {
    .name = "audit",
    .cols = audit_cols,
    .ncols = sizeof audit_cols / sizeof audit_cols[0],
    .noun = "record",
    .nouns = "records",
    .load = audit_load,
    .destroy = audit_destroy,
    .menu = audit_menu,
    .act = audit_act,
    .title = audit_title,
    .keep_order = 1,
    .view_hint = "refusals",
};

void
ui_audit_node_add(struct ui_node *ca)
{
    ui_node_add(ca, "Audit", &audit_type, ui_xcalloc(1, sizeof(struct audit_node)));
}
