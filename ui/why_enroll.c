/*
 * The "Why Can't ... Enroll?" dialogs (see why_enroll.h). The explanation
 * is one scrolling list, so every check and every entry is reachable at
 * 80x24; Enter on a line shows it whole, and the verdict stays on the
 * dialog's message line.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dialog.h"
#include "mem.h"
#include "ops.h"
#include "picker.h"
#include "snap.h"
#include "status.h"
#include "why_enroll.h"

enum { F_LINES = 1, F_TEMPLATES = 2 };

static const struct ui_column why_cols[] = {{"Result", 17}, {"Check, and what was found", 60}};
static const struct ui_column tmpl_cols[] = {{"Template Display Name", 40}, {"Template Name", 30}};

/* Enter on a line of the explanation: the line whole, which the list may cut. */
static void
why_line(struct ui_dialog *d, struct ui_field *f)
{
    size_t pos = ui_list_selected(&f->list);
    if (pos == UI_LIST_NONE)
        return;
    char rb[64], lb[1024];
    const char *result = f->list.src->cell(f->list.ctx, pos, 0, rb, sizeof rb);
    const char *line = f->list.src->cell(f->list.ctx, pos, 1, lb, sizeof lb);
    if (*line == '\0')
        return;
    ui_message(d->layer.app, *result ? result : "Why Can't ... Enroll?", line);
}

/* What the explanation is about, for F2. */
struct why {
    char *principal; /* its account name */
    char *template;
};

static char *
why_command(struct ui_dialog *d, char **why)
{
    (void)why;
    struct why *w = d->ctx;
    char *p = ui_shell_quote(w->principal), *t = ui_shell_quote(w->template);
    char *text = ui_xasprintf("certcon explain --for %s --template %s", p, t);
    free(p);
    free(t);
    return text;
}

static void
why_destroy(struct ui_dialog *d)
{
    struct why *w = d->ctx;
    free(w->principal);
    free(w->template);
    free(w);
}

static const struct ui_dialog_ops why_ops = {
    .destroy = why_destroy,
    .command = why_command,
};

void
ui_why_enroll_show(struct ui_app *app, const struct dir_principal *p, const char *template)
{
    struct ops_enroll_explain a = {.who = {.principal = p->sam ? p->sam : p->name},
                                   .template = template};
    struct explain_report r;
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_ENROLL_EXPLAIN, &a, &r, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Why Can't ... Enroll?", rc, cause);
        free(cause);
        return;
    }
    char *title = ui_xasprintf("Why can't %s enroll?", p->name);
    int h = app->rows - 2;
    struct why *w = ui_xcalloc(1, sizeof *w);
    w->principal = ui_xstrdup(p->sam ? p->sam : p->name);
    w->template = ui_xstrdup(template);
    struct ui_dialog *d = ui_dialog_new(app, title, 76, h, UI_DIALOG_PLAIN, &why_ops, w);
    free(title);
    struct ui_page *pg = ui_dialog_add_page(d, NULL);
    int lh = h - 7 > 4 ? h - 7 : 4;
    struct ui_field *f = ui_page_list(pg, 0, 0, 0, lh, why_cols, 2);
    f->id = F_LINES;
    f->pressed = why_line;
    int64_t id = 0;
    for (size_t i = 0; i < r.check.n; i++) {
        char *line = *r.detail.v[i] ? ui_xasprintf("%s: %s", r.check.v[i], r.detail.v[i])
                                    : ui_xstrdup(r.check.v[i]);
        const char *row[] = {r.result.v[i], line};
        ui_memsource_add(f->rows, id++, row);
        free(line);
    }
    const char *blank[] = {"", ""};
    if (r.access.n > 0)
        ui_memsource_add(f->rows, id++, blank);
    for (size_t i = 0; i < r.access.n; i++) {
        const char *row[] = {"", r.access.v[i]};
        ui_memsource_add(f->rows, id++, row);
    }
    ui_memsource_add(f->rows, id++, blank);
    const char *last[] = {r.can ? "can enroll" : "cannot", r.verdict};
    ui_memsource_add(f->rows, id++, last);
    ui_list_refresh(&f->list);
    ui_dialog_add_button(d, "Close", UI_BUTTON_OK, 0);
    ui_dialog_set_message(d, r.verdict);
    explain_report_free(&r);
    ui_dialog_show(d);
}

/* ---- from a template: pick the principal --------------------------------- */

/*
 * The template the picker is asked about. The picker calls nothing on
 * Cancel, so the name is kept here until the next question replaces it
 * (one picker is open at a time: it is modal).
 */
static char *asked_template;

static void
principal_picked(void *ctx, const struct dir_principal *p, const char *qualified)
{
    (void)qualified;
    struct ui_app *app = ctx;
    if (asked_template != NULL)
        ui_why_enroll_show(app, p, asked_template);
}

void
ui_why_enroll_for_template(struct ui_app *app, const char *template)
{
    free(asked_template);
    asked_template = ui_xstrdup(template);
    ui_picker_open(app, "Why Can't ... Enroll? Select a User or Computer",
                   (1u << DIR_USER) | (1u << DIR_COMPUTER), principal_picked, app);
}

/* ---- from a principal: choose the template -------------------------------- */

struct chooser {
    char *principal;
    struct strlist cns;   /* the CA's templates, row id = index */
    struct strlist names; /* their display names (the command names them so) */
};

static void
chooser_pick(struct ui_dialog *d)
{
    struct chooser *ch = d->ctx;
    struct ui_field *list = ui_dialog_field(d, F_TEMPLATES);
    size_t pos = ui_list_selected(&list->list);
    if (pos == UI_LIST_NONE)
        return;
    int64_t i = list->list.src->row_id(list->list.ctx, pos);
    if (i < 0 || (size_t)i >= ch->cns.n)
        return;
    struct ui_app *app = d->layer.app;
    struct ops_dir_ref ref = {.name = ch->principal};
    struct dir_principal p = {0};
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_DIR_GET, &ref, &p, &cause);
    char *tmpl = ui_xstrdup(ch->names.v[i]);
    ui_dialog_close(d);
    if (rc == CC_OK)
        ui_why_enroll_show(app, &p, tmpl);
    else
        ui_show_error(app, "Why Can't ... Enroll?", rc, cause);
    free(tmpl);
    free(cause);
    dir_principal_free(&p);
}

static void
chooser_pressed(struct ui_dialog *d, struct ui_field *f)
{
    (void)f;
    chooser_pick(d);
}

static void
chooser_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    if (role == UI_BUTTON_OK)
        chooser_pick(d);
    else
        ui_dialog_close(d);
}

static void
chooser_destroy(struct ui_dialog *d)
{
    struct chooser *ch = d->ctx;
    free(ch->principal);
    strlist_free(&ch->cns);
    strlist_free(&ch->names);
    free(ch);
}

static const struct ui_dialog_ops chooser_ops = {
    .button = chooser_button,
    .destroy = chooser_destroy,
};

void
ui_why_enroll_for_principal(struct ui_app *app, const struct dir_principal *p)
{
    struct ops_template_list l;
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_TEMPLATE_LIST, NULL, &l, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Why Can't ... Enroll?", rc, cause);
        free(cause);
        return;
    }
    struct chooser *ch = ui_xcalloc(1, sizeof *ch);
    /* the account name is unique where a user and a computer may share a name */
    ch->principal = ui_xstrdup(p->sam ? p->sam : p->name);
    char *title = ui_xasprintf("Why can't %s enroll? Select a Template", p->name);
    struct ui_dialog *d = ui_dialog_new(app, title, 72, 18, UI_DIALOG_PLAIN, &chooser_ops, ch);
    free(title);
    struct ui_page *pg = ui_dialog_add_page(d, NULL);
    ui_page_label(pg, 0, 0, 0, "The templates the CA issues:");
    struct ui_field *f = ui_page_list(pg, 0, 1, 0, 11, tmpl_cols, 2);
    f->id = F_TEMPLATES;
    f->pressed = chooser_pressed;
    /* the CA's templates in the CA's order, by display name while the template exists */
    for (size_t i = 0; i < l.ca_cns.n; i++) {
        const char *cn = l.ca_cns.v[i], *display = cn;
        for (size_t j = 0; j < l.n; j++)
            if (strcasecmp(l.v[j].cn, cn) == 0)
                display = l.v[j].display_name;
        const char *row[] = {display, cn};
        ui_memsource_add(f->rows, (int64_t)i, row);
        if (strlist_add(&ch->cns, cn) != CC_OK || strlist_add(&ch->names, display) != CC_OK)
            ui_die("out of memory");
    }
    ops_template_list_free(&l);
    ui_list_refresh(&f->list);
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}
