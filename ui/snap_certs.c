/*
 * Certificates (Local Computer) (certlm.msc): a computer's logical stores
 * (ADCS-SPEC 7.2) — Personal, Trusted Root Certification Authorities and
 * Intermediate Certification Authorities — each listing the store.list operation
 * with Issued To, Issued By, Expiration Date, Intended Purposes, Friendly
 * Name and Certificate Template. The node starts on the local computer
 * (the app's, meta key local_computer); "Connect to another computer..."
 * switches it to any computer of the directory. Personal -> All Tasks ->
 * Request New Certificate is the enrollment wizard of 7.3: the machine
 * templates the CA issues that the computer may enroll for, with the
 * subject asked for where the template takes it from the request, and a
 * results page per template from certificate.enroll. A certificate's All Tasks ->
 * Export... is the Certificate Export Wizard of 7.7 (export_wizard.c).
 *
 * Add Certificates Snap-in... asks what Windows' Add Snap-in asks ("This
 * snap-in will always manage certificates for: My user account / Service
 * account / Computer account", then which computer or which user) and adds
 * a node for the answer: "Certificates - Current User" (certmgr.msc) or
 * another user's or computer's. A user's node offers the user templates;
 * whether the console may manage another user's certificates is
 * authz_act_for's to say (any user in a lab database, where the
 * user's own account then acts; a CA Administrator elsewhere).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cadb.h"
#include "cert_view.h"
#include "certstore.h"
#include "dialog.h"
#include "directory.h"
#include "export_wizard.h"
#include "mem.h"
#include "screen.h"
#include "names.h"
#include "ops.h"
#include "picker.h"
#include "request_props.h"
#include "snap.h"
#include "status.h"
#include "template.h"

enum {
    CMD_CONNECT = 100,
    CMD_ALL_TASKS, /* the submenu's parent, never chosen */
    CMD_REQUEST,
    CMD_EXPORT,
    CMD_ADD_SNAPIN,
};

/* The snap-in's node: which computer's or user's stores it shows. */
struct certs {
    char *computer; /* the principal's name: CA1, SERVER1, or a user's */
    int local;      /* still the local computer; a user node: the console's own account */
    int user;       /* a user account's stores */
};

/*
 * Whose stores the node's operations read and enroll for: a user node's
 * account is managed as the snap-in's "another user" (authz_act_for: the
 * account's own context in a lab, the console's otherwise); a computer's
 * node acts under the console's own account, as it always has.
 */
static struct ops_target
certs_target(const struct certs *c)
{
    struct ops_target t = {.principal = c->computer, .act_for = c->user};
    return t;
}

struct store_node {
    struct certs *c;
    enum certstore_kind kind;
};

static const struct ui_column store_cols[] = {
    {"Issued To", 28},         {"Issued By", 20},     {"Expiration Date", 15},
    {"Intended Purposes", 30}, {"Friendly Name", 14}, {"Certificate Template", 26},
};

/* "CN=server1.contoso.com, O=..." -> "server1.contoso.com"; the DN when there is no CN. */
static const char *
common_name(const char *dn, char *buf, size_t size)
{
    const char *p = dn ? strstr(dn, "CN=") : NULL;
    if (p == NULL)
        return dn ? dn : "";
    p += 3;
    size_t n = strcspn(p, ",");
    if (n >= size)
        n = size - 1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}

static void
store_load(struct ui_node *n)
{
    struct store_node *sn = n->data;
    struct ui_app *app = n->app;
    ui_memsource_clear(n->rows);
    struct ops_store_list a = {.who = certs_target(sn->c), .kind = sn->kind};
    struct ops_store_rows r;
    memset(&r, 0, sizeof r);
    if (ops_call(app->cx, OP_STORE_LIST, &a, &r, NULL) != CC_OK)
        return;
    for (size_t i = 0; i < r.n; i++) {
        const struct certstore_entry *e = &r.v[i].e;
        char to[256], by[256], date[24];
        ui_time_text(e->not_after, "%Y-%m-%d", date, sizeof date);
        const char *row[] = {
            common_name(e->subject, to, sizeof to),
            common_name(e->issuer, by, sizeof by),
            date,
            r.v[i].purposes,
            e->friendly_name && *e->friendly_name ? e->friendly_name : "<None>",
            r.v[i].template,
        };
        ui_memsource_add(n->rows, e->id, row);
    }
    ops_store_rows_free(&r);
}

static void
store_destroy(struct ui_node *n)
{
    free(n->data);
}

/* ---------------- Request New Certificate ---------------- */

enum {
    F_CHECK = 1000,
    F_MORE = 2000,
    F_MORE_NOTE = 2500,
    F_RESULT = 3000,
    F_RESULT_VIEW = 3500, /* View Certificate, or the whole failure message */
    F_SHOW_ALL = 4000,
    F_UNAVAILABLE,
};
enum { PAGE_BEGIN, PAGE_REQUEST, PAGE_RESULTS };
enum { MAX_OFFERED = 6 };

struct request_wizard;

/* Which offer a Certificate Properties dialog edits. */
struct more_info {
    struct ui_dialog *wizard;
    size_t i;
};

struct offer {
    char *cn, *display;
    struct more_info more;
    int supplied;          /* the subject comes from the request */
    struct req_props props; /* what Certificate Properties set */
    struct pkix_buf cert;   /* the enrolled certificate (DER), for View Certificate */
    char *result;           /* the results line, whole */
    int failed;             /* the result is a failure */
};

struct request_wizard {
    struct ui_app *app;
    struct certs target; /* whose request (a copy: the node may be retargeted meanwhile) */
    char *computer;
    struct offer *v;
    size_t n;
    int enrolled;
};

static void
request_destroy(struct ui_dialog *d)
{
    struct request_wizard *w = d->ctx;
    for (size_t i = 0; i < w->n; i++) {
        free(w->v[i].cn);
        free(w->v[i].display);
        ui_req_props_free(&w->v[i].props);
        pkix_buf_free(&w->v[i].cert);
        free(w->v[i].result);
    }
    free(w->v);
    free(w->computer);
    free(w);
}

static int
request_validate(struct ui_dialog *d, char **why)
{
    struct request_wizard *w = d->ctx;
    if (d->cur != PAGE_REQUEST)
        return 1;
    size_t checked = 0;
    for (size_t i = 0; i < w->n; i++) {
        struct ui_field *f = ui_dialog_field(d, F_CHECK + (int)i);
        if (f == NULL || !f->value)
            continue;
        checked++;
        if (w->v[i].supplied && !ui_req_props_named(&w->v[i].props)) {
            if (why != NULL)
                *why = ui_xasprintf("%s needs more information: a subject name or an "
                                    "alternative name",
                                    w->v[i].display);
            return 0;
        }
    }
    if (checked == 0) {
        if (why != NULL)
            *why = ui_xstrdup(w->n ? "Select the certificates to request"
                                   : "No certificate types are available");
        return 0;
    }
    return 1;
}

/*
 * One template's enrollment; the results line (allocated). An issued
 * certificate's DER goes to *cert (the caller's), for View Certificate;
 * *failed says whether it failed. NULL when the request could not even be
 * made (the account or the CA unusable): *rc and *cause (allocated) say why.
 */
static char *
enroll_one(struct ui_app *app, const struct certs *target, const struct offer *o,
           struct pkix_buf *cert, int *failed, int *rc, char **cause)
{
    *failed = 1;
    struct ops_enroll a;
    memset(&a, 0, sizeof a);
    a.who = certs_target(target);
    a.params.template_name = o->cn;
    char *dn = NULL;
    if (o->props.set)
        ui_req_props_params(&o->props, &a.params, &dn);
    struct ops_enroll_result r;
    memset(&r, 0, sizeof r);
    *rc = ops_call(app->cx, OP_CERT_ENROLL, &a, &r, cause);
    const struct cadb_outcome *out = &r.outcome;
    char *line = NULL;
    if (*rc != CC_OK && !r.attempted) {
        line = NULL;
    } else if (*rc != CC_OK) {
        line = ui_xasprintf("%s  STATUS: Failed (0x%08x) %s", o->display, cc_hresult(*rc),
                            *cause ? *cause : cc_strerror(*rc));
    } else if (out->disposition == DISP_ISSUED || out->disposition == DISP_REVOKED) {
        line = ui_xasprintf("%s  STATUS: Succeeded (request %lld)", o->display,
                            (long long)out->request_id);
        *failed = 0;
        *cert = r.outcome.cert; /* the outcome gives up its certificate */
        r.outcome.cert = (struct pkix_buf){NULL, 0};
    } else if (out->disposition == DISP_PENDING) {
        line = ui_xasprintf("%s  STATUS: Enrollment pending (request %lld)", o->display,
                            (long long)out->request_id);
        *failed = 0;
    } else {
        int st = out->status != CC_OK ? out->status : CC_E_ADMIN_DENIED_REQUEST;
        line = ui_xasprintf("%s  STATUS: Failed (0x%08x) %s", o->display, cc_hresult(st),
                            out->message ? out->message : cc_strerror(st));
    }
    if (line != NULL) {
        free(*cause);
        *cause = NULL;
    }
    ops_enroll_result_free(&r);
    strlist_free(&a.params.dns);
    strlist_free(&a.params.email);
    strlist_free(&a.params.upn);
    strlist_free(&a.params.ip);
    free(dn);
    return line;
}

/* A result's button: View Certificate for an enrolled one, else the whole failure message. */
static void
result_pressed(struct ui_dialog *d, struct ui_field *f)
{
    struct request_wizard *w = d->ctx;
    const struct offer *o = &w->v[(size_t)f->tag];
    if (o->cert.p != NULL)
        ui_cert_view_open(w->app, o->cert.p, o->cert.n);
    else
        ui_message(w->app, o->display, o->result);
}

static void
request_enroll(struct ui_dialog *d)
{
    struct request_wizard *w = d->ctx;
    struct ui_page *p = d->pages[PAGE_RESULTS];
    w->enrolled = 1;
    char *cause = NULL;
    int rc = CC_OK;
    int y = 2;
    for (size_t i = 0; rc == CC_OK && i < w->n; i++) {
        if (!ui_dialog_field(d, F_CHECK + (int)i)->value)
            continue;
        struct offer *o = &w->v[i];
        o->result = enroll_one(w->app, &w->target, o, &o->cert, &o->failed, &rc, &cause);
        if (o->result == NULL) {
            /* nothing could be requested: one line says why, for them all */
            char *line = ui_xasprintf("STATUS: Failed (0x%08x) %s", cc_hresult(rc),
                                      cause ? cause : cc_strerror(rc));
            ui_page_label(p, 0, y, 0, line)->h = 2;
            free(line);
            break;
        }
        rc = CC_OK;
        struct ui_field *f = ui_page_label(p, 0, y, 0, o->result);
        f->h = 2; /* a failure's reason is cut here: Details shows it whole */
        f->id = F_RESULT + (int)i;
        y += 2;
        /* Windows's Details: the certificate, or a failure's message whole (the label cuts it) */
        struct ui_field *b = NULL;
        if (o->cert.p != NULL)
            b = ui_page_button(p, 4, y++, "View Certificate", result_pressed);
        else if (o->failed)
            b = ui_page_button(p, 4, y++, "Details...", result_pressed);
        if (b != NULL) {
            b->id = F_RESULT_VIEW + (int)i;
            b->tag = (int64_t)i;
        }
    }
    free(cause);
    /* installed: there is no going back, and Cancel would undo nothing */
    for (size_t i = 0; i < d->nbuttons; i++)
        if (d->buttons[i]->value == UI_BUTTON_BACK || d->buttons[i]->value == UI_BUTTON_CANCEL)
            d->buttons[i]->disabled = 1;
    /* Enter still finishes, as before the results offered View Certificate; Tab reaches them */
    for (size_t i = 0; i < d->nbuttons; i++)
        if (d->buttons[i]->value == UI_BUTTON_FINISH)
            ui_dialog_focus(d, d->buttons[i]);
    ui_console_refresh(w->app);
}

static void
request_page(struct ui_dialog *d)
{
    struct request_wizard *w = d->ctx;
    for (size_t i = 0; i < d->nbuttons; i++) {
        struct ui_field *b = d->buttons[i];
        if (b->value == UI_BUTTON_NEXT) {
            free(b->label);
            b->label = ui_xstrdup(d->cur == PAGE_REQUEST ? "Enroll" : "Next >");
        }
    }
    if (d->cur == PAGE_RESULTS && !w->enrolled)
        request_enroll(d);
}

static void
request_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    (void)role;
    ui_dialog_close(d);
}

/* Appends " --OPT VALUE" (quoted) to *line for each value. */
static void
command_opts(char **line, const char *opt, const struct strlist *values)
{
    for (size_t i = 0; i < values->n; i++) {
        char *q = ui_shell_quote(values->v[i]);
        char *l = ui_xasprintf("%s --%s %s", *line, opt, q);
        free(q);
        free(*line);
        *line = l;
    }
}

/* F2: `certcon enroll` for each template ticked, with what Certificate Properties set. */
static char *
request_command(struct ui_dialog *d, char **why)
{
    struct request_wizard *w = d->ctx;
    struct strlist lines = {0};
    char *who = ui_shell_quote(w->computer);
    for (size_t i = 0; i < w->n; i++) {
        struct ui_field *f = ui_dialog_field(d, F_CHECK + (int)i);
        if (f == NULL || !f->value)
            continue;
        struct cadb_enroll_params p;
        memset(&p, 0, sizeof p);
        char *dn = NULL;
        if (w->v[i].props.set)
            ui_req_props_params(&w->v[i].props, &p, &dn);
        char *t = ui_shell_quote(w->v[i].display);
        char *line = ui_xasprintf("certcon enroll --for %s --template %s", who, t);
        free(t);
        const char *cn = p.cn;
        if (dn != NULL && strncmp(dn, "CN=", 3) == 0 && strchr(dn, ',') == NULL)
            cn = dn + 3; /* a subject of one common name is --cn */
        if (cn != NULL) {
            struct strlist one = {0};
            if (strlist_add(&one, cn) != CC_OK)
                ui_die("out of memory");
            command_opts(&line, "cn", &one);
            strlist_free(&one);
        }
        command_opts(&line, "dns", &p.dns);
        command_opts(&line, "ip", &p.ip);
        command_opts(&line, "email", &p.email);
        command_opts(&line, "upn", &p.upn);
        if (p.key_type != NULL) {
            char *l = ui_xasprintf("%s --key %s", line, p.key_type);
            free(line);
            line = l;
        }
        if (p.friendly_name != NULL) {
            struct strlist one = {0};
            if (strlist_add(&one, p.friendly_name) != CC_OK)
                ui_die("out of memory");
            command_opts(&line, "friendly-name", &one);
            strlist_free(&one);
        }
        struct ops_template_ref ref = {.name = w->v[i].cn};
        struct ops_template_view tm;
        memset(&tm, 0, sizeof tm);
        int may_export = ops_call(w->app->cx, OP_TEMPLATE_GET, &ref, &tm, NULL) == CC_OK &&
                         (tm.t.private_key_flag & CT_PK_EXPORTABLE_KEY);
        ops_template_view_free(&tm);
        /* the command's default is the template's: say only an opt-out it allows */
        if (w->v[i].props.set && p.not_exportable && may_export) {
            char *l = ui_xasprintf("%s --not-exportable", line);
            free(line);
            line = l;
        }
        if (strlist_add(&lines, line) != CC_OK)
            ui_die("out of memory");
        if (dn != NULL && cn != dn + 3) {
            char *note = ui_xasprintf("# the subject %s has no option of its own", dn);
            if (strlist_add(&lines, note) != CC_OK)
                ui_die("out of memory");
            free(note);
        }
        free(line);
        free(dn);
        strlist_free(&p.dns);
        strlist_free(&p.ip);
        strlist_free(&p.email);
        strlist_free(&p.upn);
    }
    free(who);
    char *text = lines.n ? strlist_join(&lines, "\n") : NULL;
    if (lines.n == 0)
        *why = ui_xstrdup("no certificate template is ticked");
    strlist_free(&lines);
    return text;
}

static const struct ui_dialog_ops request_ops = {
    .validate = request_validate,
    .button = request_button,
    .page = request_page,
    .destroy = request_destroy,
    .command = request_command,
};

/* "More information is required...": Certificate Properties (request_props.c). */
static void
more_done(void *ctx)
{
    struct more_info *m = ctx;
    struct request_wizard *w = m->wizard->ctx;
    struct offer *o = &w->v[m->i];
    char *t = ui_req_props_summary(&o->props);
    ui_field_set_text(ui_dialog_field(m->wizard, F_MORE_NOTE + (int)m->i), t);
    free(t);
    ui_dialog_field(m->wizard, F_CHECK + (int)m->i)->value = 1;
}

static void
more_pressed(struct ui_dialog *wd, struct ui_field *f)
{
    struct request_wizard *w = wd->ctx;
    size_t i = (size_t)f->tag;
    struct more_info *m = &w->v[i].more;
    m->wizard = wd;
    m->i = i;
    struct ops_template_ref ref = {.name = w->v[i].cn};
    struct ops_template_view t;
    memset(&t, 0, sizeof t);
    char *cause = NULL;
    int rc = ops_call(w->app->cx, OP_TEMPLATE_GET, &ref, &t, &cause);
    if (rc == CC_OK)
        ui_req_props_open(w->app, &t.t, &w->v[i].props, more_done, m);
    else
        ui_show_error(w->app, "Certificate Properties", rc, cause);
    free(cause);
    ops_template_view_free(&t);
}

/* Show all templates: the templates not offered, each with why. */
static void
show_all_changed(struct ui_dialog *d, struct ui_field *f)
{
    struct request_wizard *w = d->ctx;
    struct ui_field *l = ui_dialog_field(d, F_UNAVAILABLE);
    ui_memsource_clear(l->rows);
    struct ops_enroll_templates a = {.who = {.principal = w->computer}, .user = w->target.user};
    struct ops_enroll_offers r;
    memset(&r, 0, sizeof r);
    if (f->value && ops_call(w->app->cx, OP_ENROLL_TEMPLATES, &a, &r, NULL) == CC_OK) {
        for (size_t i = 0; i < r.nunavailable; i++) {
            const char *row[] = {r.unavailable[i].display, r.unavailable[i].why};
            ui_memsource_add(l->rows, (int64_t)i, row);
        }
    }
    ops_enroll_offers_free(&r);
    ui_list_refresh(&l->list);
    l->disabled = !f->value;
}

/*
 * The templates the wizard offers: enabled on the CA, for machines (for
 * users on a user's node), Enroll allowed to the account.
 */
static void
offers_fill(struct ui_app *app, struct request_wizard *w)
{
    struct ops_enroll_templates a = {.who = {.principal = w->computer}, .user = w->target.user};
    struct ops_enroll_offers r;
    memset(&r, 0, sizeof r);
    if (ops_call(app->cx, OP_ENROLL_TEMPLATES, &a, &r, NULL) != CC_OK)
        return;
    w->v = ui_xcalloc(r.noffers + 1, sizeof *w->v);
    for (size_t i = 0; i < r.noffers && w->n < MAX_OFFERED; i++) {
        struct offer *o = &w->v[w->n++];
        o->cn = ui_xstrdup(r.offers[i].cn);
        o->display = ui_xstrdup(r.offers[i].display);
        o->supplied = r.offers[i].supplied;
    }
    /* by display name, as the wizard lists them */
    for (size_t i = 1; i < w->n; i++)
        for (size_t j = i; j > 0 && strcmp(w->v[j - 1].display, w->v[j].display) > 0; j--) {
            struct offer t = w->v[j];
            w->v[j] = w->v[j - 1];
            w->v[j - 1] = t;
        }
    ops_enroll_offers_free(&r);
}

static void
request_open(struct ui_app *app, struct certs *c)
{
    struct ops_dir_ref ref = {.name = c->computer};
    struct dir_principal pr;
    memset(&pr, 0, sizeof pr);
    int known = ops_call(app->cx, OP_DIR_GET, &ref, &pr, NULL) == CC_OK;
    dir_principal_free(&pr);
    if (!known) {
        ui_message(app, "Certificate Enrollment", "The computer is not in the directory.");
        return;
    }
    struct request_wizard *w = ui_xcalloc(1, sizeof *w);
    w->app = app;
    w->computer = ui_xstrdup(c->computer);
    w->target = *c;
    w->target.computer = w->computer;
    offers_fill(app, w);
    const char *kind = c->user ? "user" : "computer";
    struct ui_dialog *d =
        ui_dialog_new(app, "Certificate Enrollment", 72, 22, UI_DIALOG_WIZARD, &request_ops, w);
    struct ui_page *p = ui_dialog_add_page(d, "Before You Begin");
    ui_page_label(p, 0, 0, 0,
                  "This wizard will help you request certificates, which are digital "
                  "credentials used to connect to wireless networks, protect content, "
                  "establish identity, and do other security-related tasks.")
        ->h = 3;
    char *who = ui_xasprintf("The certificates are requested for the %s %s and "
                             "installed in its Personal store.",
                             kind, c->computer);
    ui_page_label(p, 0, 4, 0, who)->h = 2;
    free(who);
    ui_page_label(p, 0, 7, 0, "Enrollment policy: Active Directory Enrollment Policy");

    p = ui_dialog_add_page(d, "Request Certificates");
    ui_page_label(p, 0, 0, 0,
                  "You can request the following types of certificates. Select the "
                  "certificates you want to request, and then click Enroll.")
        ->h = 2;
    int y = 3;
    for (size_t i = 0; i < w->n; i++) {
        char *label = ui_xasprintf("%-40s STATUS: Available", w->v[i].display);
        struct ui_field *f = ui_page_check(p, 0, y++, label, 0);
        free(label);
        f->id = F_CHECK + (int)i;
        if (w->v[i].supplied) {
            ui_page_label(p, 4, y++, 0,
                          "More information is required to enroll for this certificate.")
                ->id = F_MORE_NOTE + (int)i;
            struct ui_field *b =
                ui_page_button(p, 4, y++, "Click here to configure settings.", more_pressed);
            b->id = F_MORE + (int)i;
            b->tag = (int64_t)i;
        }
    }
    if (w->n == 0) {
        char *none = ui_xasprintf("No certificate types are available. The CA issues no %s "
                                  "template that this %s may enroll for.",
                                  c->user ? "user" : "machine", kind);
        ui_page_label(p, 0, y, 0, none)->h = 2;
        free(none);
        y += 2;
    }
    /* the others, with why each is unavailable, in a list that scrolls */
    struct ui_field *all = ui_page_check(p, 0, y, "Show all templates", 0);
    all->id = F_SHOW_ALL;
    all->changed = show_all_changed;
    static const struct ui_column unavailable_cols[] = {{"Unavailable template", 28},
                                                        {"Why", 36}};
    struct ui_field *ul = ui_page_list(p, 0, ++y, 0, 7, unavailable_cols, 2);
    ul->id = F_UNAVAILABLE;
    ul->disabled = 1;

    p = ui_dialog_add_page(d, "Certificate Installation Results");
    char *done = ui_xasprintf("The following certificates have been enrolled and installed %s.",
                              c->user ? "for this user" : "on this computer");
    ui_page_label(p, 0, 0, 0, done)->h = 2;
    free(done);
    ui_dialog_add_button(d, "< Back", UI_BUTTON_BACK, 2);
    ui_dialog_add_button(d, "Next >", UI_BUTTON_NEXT, 3);
    ui_dialog_add_button(d, "Finish", UI_BUTTON_FINISH, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

static const struct ui_menu_item request_items[] = {
    {"Request New Certificate...", CMD_REQUEST, NULL, 0},
};
static const struct ui_menu_item personal_menu[] = {
    {"All Tasks", CMD_ALL_TASKS, request_items, 1},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};
static const struct ui_menu_item store_menu_items[] = {
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};
/* A certificate of the results: All Tasks -> Export... (the Certificate Export Wizard). */
static const struct ui_menu_item cert_tasks[] = {
    {"Export...", CMD_EXPORT, NULL, 0},
};
enum { CMD_OPEN_CERT = 190 }; /* Open: the certificate viewer (cert_view.c) */
static const struct ui_menu_item cert_menu[] = {
    {"Open", CMD_OPEN_CERT, NULL, 0},
    {"All Tasks", CMD_ALL_TASKS, cert_tasks, 1},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};

static size_t
store_menu(struct ui_node *n, int has_row, int64_t row, const struct ui_menu_item **items)
{
    (void)row;
    struct store_node *sn = n->data;
    if (has_row) {
        *items = cert_menu;
        return sizeof cert_menu / sizeof cert_menu[0];
    }
    if (sn->kind == CERTSTORE_MY) {
        *items = personal_menu;
        return 2;
    }
    *items = store_menu_items;
    return 1;
}

static void
store_act(struct ui_node *n, int has_row, int64_t row, int id)
{
    struct store_node *sn = n->data;
    if (id == UI_CMD_REFRESH) {
        ui_console_refresh(n->app);
        return;
    }
    if (id == CMD_REQUEST && sn->kind == CERTSTORE_MY) {
        request_open(n->app, sn->c);
        return;
    }
    if (!has_row || (id != CMD_OPEN_CERT && id != CMD_EXPORT))
        return;
    if (id == CMD_OPEN_CERT)
        ui_cert_view_open_entry(n->app, sn->c->computer, sn->c->user, sn->kind, row);
    else
        ui_export_wizard_open(n->app, sn->c->computer, sn->c->user, sn->kind, row);
}

static const struct ui_node_type store_type = {
    .name = "certstore",
    .cols = store_cols,
    .ncols = sizeof store_cols / sizeof store_cols[0],
    .noun = "certificate",
    .nouns = "certificates",
    .load = store_load,
    .destroy = store_destroy,
    .menu = store_menu,
    .act = store_act,
};

/* ---------------- Certificate Enrollment Requests ---------------- */

/*
 * A user's Certificate Enrollment Requests store: the keys waiting for
 * requests the CA holds pending (they move to Personal when it issues),
 * each with its request's template and status as the CA records them.
 */
static const struct ui_column request_cols[] = {
    {"Request ID", 10}, {"Certificate Template", 30}, {"Status", 16}, {"Requested", 17}};

static void
requests_load(struct ui_node *n)
{
    struct store_node *sn = n->data;
    struct ui_app *app = n->app;
    ui_memsource_clear(n->rows);
    struct ops_store_list a = {.who = certs_target(sn->c)};
    struct ops_store_requests r;
    memset(&r, 0, sizeof r);
    if (ops_call(app->cx, OP_STORE_REQUESTS, &a, &r, NULL) != CC_OK)
        return;
    for (size_t i = 0; i < r.n; i++) {
        char id[24], when[24];
        snprintf(id, sizeof id, "%lld", (long long)r.v[i].request_id);
        ui_time_text(r.v[i].created, "%Y-%m-%d %H:%M", when, sizeof when);
        const char *row[] = {id, r.v[i].template, r.v[i].status, when};
        ui_memsource_add(n->rows, r.v[i].key_id, row);
    }
    ops_store_requests_free(&r);
}

static const struct ui_menu_item requests_menu_items[] = {
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};

static size_t
requests_menu(struct ui_node *n, int has_row, int64_t row, const struct ui_menu_item **items)
{
    (void)n;
    (void)has_row;
    (void)row;
    *items = requests_menu_items;
    return 1;
}

static void
requests_act(struct ui_node *n, int has_row, int64_t row, int id)
{
    (void)has_row;
    (void)row;
    if (id == UI_CMD_REFRESH)
        ui_console_refresh(n->app);
}

static const struct ui_node_type requests_type = {
    .name = "certrequests",
    .cols = request_cols,
    .ncols = sizeof request_cols / sizeof request_cols[0],
    .noun = "request",
    .nouns = "requests",
    .load = requests_load,
    .destroy = store_destroy,
    .menu = requests_menu,
    .act = requests_act,
};

/* ---------------- the snap-in's node ---------------- */

static char *
certs_label(const struct certs *c)
{
    if (c->user)
        return c->local ? ui_xstrdup("Certificates - Current User")
                        : ui_xasprintf("Certificates - User %s", c->computer);
    return c->local ? ui_xasprintf("Certificates (Local Computer: %s)", c->computer)
                    : ui_xasprintf("Certificates - %s", c->computer);
}

/*
 * Whether the console may manage p's certificates (authz_act_for's
 * rule); CC_OK, or the refusal shown to the person.
 */
static int
certs_may_manage(struct ui_app *app, const struct dir_principal *p)
{
    struct ops_target a = {.principal = p->name};
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_STORE_OPEN, &a, NULL, &cause);
    if (rc != CC_OK)
        ui_show_error(app, "Certificates", rc, cause);
    free(cause);
    return rc;
}

/* Whether p is the console's own account. */
static int
certs_is_actor(struct ui_app *app, const struct dir_principal *p)
{
    if (app->actor == NULL)
        return 0;
    struct ops_dir_ref ref = {.name = app->actor};
    struct dir_principal me;
    memset(&me, 0, sizeof me);
    int same = ops_call(app->cx, OP_DIR_GET, &ref, &me, NULL) == CC_OK && me.id == p->id;
    dir_principal_free(&me);
    return same;
}

static void
connect_picked(void *ctx, const struct dir_principal *p, const char *qualified)
{
    (void)qualified;
    struct ui_node *n = ctx;
    struct certs *c = n->data;
    if (c->user && certs_may_manage(n->app, p) != CC_OK)
        return;
    free(c->computer);
    c->computer = ui_xstrdup(p->name);
    c->local = c->user ? certs_is_actor(n->app, p)
                       : n->app->computer != NULL && strcmp(p->name, n->app->computer) == 0;
    free(n->label);
    n->label = certs_label(c);
    ui_console_refresh(n->app);
}

static const struct ui_menu_item certs_menu_items[] = {
    {"Connect to another computer...", CMD_CONNECT, NULL, 0},
    {"Add Certificates Snap-in...", CMD_ADD_SNAPIN, NULL, 0},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};
static const struct ui_menu_item user_certs_menu_items[] = {
    {"Connect to another user...", CMD_CONNECT, NULL, 0},
    {"Add Certificates Snap-in...", CMD_ADD_SNAPIN, NULL, 0},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};

static size_t
certs_menu(struct ui_node *n, int has_row, int64_t row, const struct ui_menu_item **items)
{
    (void)has_row;
    (void)row;
    struct certs *c = n->data;
    *items = c->user ? user_certs_menu_items : certs_menu_items;
    return 3;
}

static void add_snapin_open(struct ui_node *n);

static void
certs_act(struct ui_node *n, int has_row, int64_t row, int id)
{
    (void)has_row;
    (void)row;
    struct certs *c = n->data;
    if (id == UI_CMD_REFRESH)
        ui_console_refresh(n->app);
    else if (id == CMD_ADD_SNAPIN)
        add_snapin_open(n);
    else if (id == CMD_CONNECT)
        ui_picker_open(n->app, c->user ? "Select User" : "Select Computer",
                       1u << (c->user ? DIR_USER : DIR_COMPUTER), connect_picked, n);
}

static void
certs_destroy(struct ui_node *n)
{
    struct certs *c = n->data;
    free(c->computer);
    free(c);
}

static char *
certs_title(struct ui_node *n)
{
    return ui_xstrdup(n->label);
}

static void
certs_load(struct ui_node *n)
{
    ui_node_folder.load(n);
}

static const struct ui_node_type certs_type = {
    .name = "certs",
    .cols = NULL, /* set from the folder's in certs_build */
    .ncols = 1,
    .noun = "item",
    .nouns = "items",
    .load = certs_load,
    .destroy = certs_destroy,
    .menu = certs_menu,
    .act = certs_act,
    .title = certs_title,
    .keep_order = 1,
};
static struct ui_node_type certs_node_type;

/* A Certificates node with its logical stores under parent; c becomes the node's. */
static struct ui_node *
certs_node_add(struct ui_node *parent, struct certs *c)
{
    char *label = certs_label(c);
    struct ui_node *n = ui_node_add(parent, label, &certs_node_type, c);
    free(label);
    static const enum certstore_kind kinds[] = {CERTSTORE_MY, CERTSTORE_ROOT, CERTSTORE_CA};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        struct store_node *sn = ui_xcalloc(1, sizeof *sn);
        sn->c = c;
        sn->kind = kinds[i];
        ui_node_add(n, certstore_display_name(kinds[i]), &store_type, sn);
    }
    if (c->user) {
        struct store_node *sn = ui_xcalloc(1, sizeof *sn);
        sn->c = c;
        ui_node_add(n, "Certificate Enrollment Requests", &requests_type, sn);
    }
    return n;
}

/* ---------------- Add Certificates Snap-in ---------------- */

enum { F_FOR = 5000, F_WHICH, F_OTHER, F_BROWSE };
enum { FOR_USER, FOR_SERVICE, FOR_COMPUTER };

struct add_snapin {
    struct ui_node *from; /* the Certificates node the menu was opened on */
};

static const char *const for_options[] = {"My user account", "Service account", "Computer account"};

/* Page 2 asks about the computer or the user page 1 chose. */
static void
add_snapin_page(struct ui_dialog *d)
{
    if (d->cur != 1)
        return;
    struct ui_app *app = d->layer.app;
    int user = ui_dialog_field(d, F_FOR)->value == FOR_USER;
    struct ui_field *which = ui_dialog_field(d, F_WHICH);
    for (size_t i = 0; i < which->noptions; i++)
        free(which->options[i]);
    which->options[0] = user ? ui_xasprintf("My user account: %s", app->actor ? app->actor : "")
                             : ui_xstrdup("Local computer: (the computer this console is "
                                          "running on)");
    which->options[1] = ui_xstrdup(user ? "Another user:" : "Another computer:");
    free(d->pages[1]->title);
    d->pages[1]->title = ui_xstrdup(user ? "Select User" : "Select Computer");
    struct ui_field *label = d->pages[1]->f[0];
    ui_field_set_text(label, user ? "Select the user whose certificates this snap-in will "
                                    "manage."
                                  : "Select the computer you want this snap-in to manage.");
}

/* The account page 2 names: CC_OK with *out filled, or why not in *why (allocated). */
static int
add_snapin_target(struct ui_dialog *d, struct dir_principal *out, char **why)
{
    struct ui_app *app = d->layer.app;
    int user = ui_dialog_field(d, F_FOR)->value == FOR_USER;
    int other = ui_dialog_field(d, F_WHICH)->value == 1;
    const char *name = other  ? ui_dialog_field(d, F_OTHER)->text
                       : user ? app->actor
                              : app->computer;
    memset(out, 0, sizeof *out);
    if (name == NULL || *name == '\0') {
        if (why)
            *why = ui_xasprintf("Type the %s's name, or Browse...", user ? "user" : "computer");
        return CC_EINVAL;
    }
    char *cause = NULL;
    struct ops_dir_ref ref = {.name = name};
    int rc = ops_call(app->cx, OP_DIR_GET, &ref, out, &cause);
    if (rc == CC_OK && out->kind != (user ? DIR_USER : DIR_COMPUTER)) {
        rc = CC_EINVAL;
        free(cause);
        cause = ui_xasprintf("%s is a %s, not a %s", out->name, dir_kind_name(out->kind),
                             user ? "user" : "computer");
        dir_principal_free(out);
    }
    if (rc != CC_OK && why)
        *why = ui_xstrdup(cause ? cause : cc_strerror(rc));
    free(cause);
    return rc;
}

/* "Another ..." takes a name; the other choice greys the name out. */
static void
add_snapin_which_changed(struct ui_dialog *d, struct ui_field *f)
{
    int off = f->value != 1;
    ui_dialog_field(d, F_OTHER)->disabled = off;
    ui_dialog_field(d, F_BROWSE)->disabled = off;
}

static int
add_snapin_validate(struct ui_dialog *d, char **why)
{
    if (d->cur == 0) {
        if (ui_dialog_field(d, F_FOR)->value == FOR_SERVICE) {
            if (why)
                *why = ui_xstrdup("This directory keeps no service accounts: a service's "
                                  "certificates are the computer's (Computer account)");
            return 0;
        }
        return 1;
    }
    struct dir_principal p;
    int rc = add_snapin_target(d, &p, why);
    dir_principal_free(&p);
    return rc == CC_OK;
}

static void
add_snapin_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct add_snapin *as = d->ctx;
    struct ui_app *app = d->layer.app;
    if (role != UI_BUTTON_FINISH) {
        ui_dialog_close(d);
        return;
    }
    struct dir_principal p;
    char *why = NULL;
    if (add_snapin_target(d, &p, &why) != CC_OK) {
        ui_dialog_set_message(d, why);
        free(why);
        return;
    }
    int user = p.kind == DIR_USER;
    if (user && certs_may_manage(app, &p) != CC_OK) {
        dir_principal_free(&p);
        return;
    }
    struct certs *c = ui_xcalloc(1, sizeof *c);
    c->computer = ui_xstrdup(p.name);
    c->user = user;
    c->local = user ? certs_is_actor(app, &p)
                    : app->computer != NULL && strcmp(p.name, app->computer) == 0;
    dir_principal_free(&p);
    char *label = certs_label(c);
    ui_dialog_close(d);
    /* a snap-in already in the console is shown, not added twice */
    if (ui_console_goto(app, label) != NULL) {
        free(label);
        free(c->computer);
        free(c);
        return;
    }
    struct ui_node *root = as->from->parent;
    struct ui_node *n = certs_node_add(root, c);
    /* beside the Certificates node it was added from, as MMC lists added snap-ins */
    size_t at = 0;
    while (at < root->nkids && root->kids[at] != as->from)
        at++;
    for (size_t k = root->nkids - 1; k > at + 1; k--) {
        struct ui_node *t = root->kids[k];
        root->kids[k] = root->kids[k - 1];
        root->kids[k - 1] = t;
    }
    (void)n;
    ui_console_goto(app, label);
    free(label);
}

static void
add_snapin_browsed(void *ctx, const struct dir_principal *p, const char *qualified)
{
    (void)qualified;
    struct ui_dialog *d = ctx;
    ui_field_set_text(ui_dialog_field(d, F_OTHER), p->name);
}

static void
add_snapin_browse(struct ui_dialog *d, struct ui_field *f)
{
    (void)f;
    int user = ui_dialog_field(d, F_FOR)->value == FOR_USER;
    ui_picker_open(d->layer.app, user ? "Select User" : "Select Computer",
                   1u << (user ? DIR_USER : DIR_COMPUTER), add_snapin_browsed, d);
}

static void
add_snapin_destroy(struct ui_dialog *d)
{
    free(d->ctx);
}

static const struct ui_dialog_ops add_snapin_ops = {
    .validate = add_snapin_validate,
    .button = add_snapin_button,
    .page = add_snapin_page,
    .destroy = add_snapin_destroy,
};

/* The question Windows' Add Snap-in asks for Certificates, as a wizard of two pages. */
static void
add_snapin_open(struct ui_node *n)
{
    struct add_snapin *as = ui_xcalloc(1, sizeof *as);
    as->from = n;
    struct ui_dialog *d = ui_dialog_new(n->app, "Certificates snap-in", 70, 16, UI_DIALOG_WIZARD,
                                        &add_snapin_ops, as);
    struct ui_page *p = ui_dialog_add_page(d, "Certificates snap-in");
    ui_page_label(p, 0, 0, 0, "This snap-in will always manage certificates for:");
    ui_page_radio(p, 2, 2, for_options, 3, FOR_USER)->id = F_FOR;
    p = ui_dialog_add_page(d, "Select Computer");
    ui_page_label(p, 0, 0, 0, "Select the computer you want this snap-in to manage.");
    static const char *const which[] = {"Local computer", "Another computer:"};
    struct ui_field *wf = ui_page_radio(p, 2, 2, which, 2, 0);
    wf->id = F_WHICH;
    wf->changed = add_snapin_which_changed;
    struct ui_field *other = ui_page_text(p, 6, 5, "", 0, 36, "");
    other->id = F_OTHER;
    other->disabled = 1;
    struct ui_field *browse = ui_page_button(p, 44, 5, "Browse...", add_snapin_browse);
    browse->id = F_BROWSE;
    browse->disabled = 1;
    ui_dialog_add_button(d, "< Back", UI_BUTTON_BACK, 2);
    ui_dialog_add_button(d, "Next >", UI_BUTTON_NEXT, 3);
    ui_dialog_add_button(d, "Finish", UI_BUTTON_FINISH, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

static void
certs_build(struct ui_app *app, struct ui_node *root)
{
    certs_node_type = certs_type;
    certs_node_type.cols = ui_node_folder.cols;
    struct certs *c = ui_xcalloc(1, sizeof *c);
    c->computer = ui_xstrdup(app->computer ? app->computer : "");
    c->local = 1;
    certs_node_add(root, c);
}

const struct ui_snapin ui_snapin_certs = {"Certificates", certs_build};
