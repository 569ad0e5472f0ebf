/*
 * Certification Authority (certsrv.msc): the CA with its Revoked, Issued,
 * Pending and Failed requests — four views of the one request table, each
 * with the columns of ADCS-SPEC §6.1 — and its Certificate Templates to
 * issue. Actions on rows: Pending → All Tasks → Issue / Deny; Issued →
 * All Tasks → Revoke Certificate (reason drop-down); Revoked → All Tasks →
 * Unrevoke Certificate (Certificate Hold only, the core says why not);
 * Issued and Revoked -> Open (the Certificate dialog, cert_view.c) and
 * All Tasks -> Export... (DER or Base-64 to a file);
 * Certificate Templates → New → Certificate Template to Issue, and Delete.
 * Every change is one core call; the views read their rows a window at a
 * time with the request.count and request.page operations.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authority.h"
#include "ca_sheet.h"
#include "cadb.h"
#include "cert_view.h"
#include "clock.h"
#include "crl.h"
#include "crl_sheet.h"
#include "dialog.h"
#include "mem.h"
#include "screen.h"
#include "ops.h"
#include "snap.h"
#include "status.h"
#include "request.h"
#include "template.h"
#include "util.h"

enum {
    CMD_ISSUE = 100,
    CMD_DENY,
    CMD_REVOKE,
    CMD_UNREVOKE,
    CMD_ALL_TASKS, /* the submenu's parent, never chosen */
    CMD_NEW,       /* the submenu's parent, never chosen */
    CMD_ENABLE,
    CMD_OPEN,
    CMD_EXPORT,
    CMD_MANAGE,
    CMD_PUBLISH_CRL,
    CMD_STOP_SERVICE,
};

/* ---------------- the request views ---------------- */

/*
 * A view is virtual over SQL: it keeps the number of rows and one window
 * of them (the rows on screen and a margin either side) and asks
 * request.page for another window when the list draws a row outside it, so
 * a view over a million issued certificates costs what one over ten does.
 * Sorting and the "/" filter become the ORDER BY and WHERE of that query.
 */
enum { WINDOW_ROWS = 192, WINDOW_BEFORE = 64 };

struct view {
    enum cadb_view which;
    struct ui_app *app;
    const signed char *sort; /* list column -> enum cadb_column */
    size_t ncols;
    int sort_col, descending; /* the query's, -1: request id */
    char *filter;             /* owned; NULL: none */
    size_t count;
    struct cadb_row *rows; /* owned: the window, positions win_at .. win_at + nrows - 1 */
    size_t win_at, nrows;
    int fetched;  /* the window was read since the last requery */
    size_t asked; /* the position row_id() last answered, where find_id() looks */
    /* template names (cn) and their display names, read at each requery */
    struct strlist tcn, tname;
};

static const struct ui_column issued_cols[] = {
    {"Request ID", 11},
    {"Requester Name", 22},
    {"Certificate Template", 22},
    {"Serial Number", 40},
    {"Certificate Effective Date", 17},
    {"Certificate Expiration Date", 17},
    {"Issued Common Name", 24},
};
static const signed char issued_sort[] = {
    CADB_COL_ID,         CADB_COL_REQUESTER, CADB_COL_TEMPLATE,    CADB_COL_SERIAL,
    CADB_COL_NOT_BEFORE, CADB_COL_NOT_AFTER, CADB_COL_COMMON_NAME,
};
static const struct ui_column revoked_cols[] = {
    {"Request ID", 11},        {"Revocation Date", 17},    {"Effective Revocation Date", 17},
    {"Revocation Reason", 20}, {"Requester Name", 22},     {"Certificate Template", 22},
    {"Serial Number", 40},     {"Issued Common Name", 24},
};
static const signed char revoked_sort[] = {
    CADB_COL_ID,
    CADB_COL_REVOKED_WHEN,
    CADB_COL_REVOKED_EFFECTIVE,
    CADB_COL_REVOKED_REASON,
    CADB_COL_REQUESTER,
    CADB_COL_TEMPLATE,
    CADB_COL_SERIAL,
    CADB_COL_COMMON_NAME,
};
static const struct ui_column request_cols[] = {
    {"Request ID", 11},
    {"Request Status Code", 11},
    {"Request Disposition Message", 30},
    {"Request Submission Date", 17},
    {"Requester Name", 22},
    {"Request Common Name", 24},
    {"Certificate Template", 22},
};
static const signed char request_sort[] = {
    CADB_COL_ID,        CADB_COL_STATUS,     CADB_COL_MESSAGE,  CADB_COL_SUBMITTED,
    CADB_COL_REQUESTER, CADB_COL_REQUEST_CN, CADB_COL_TEMPLATE,
};

static const char *
when(time_t t, char *buf, size_t size)
{
    return ui_time_text(t, "%Y-%m-%d %H:%M", buf, size);
}

static const char *
nz(const char *s)
{
    return s ? s : "";
}

static void
view_drop_window(struct view *v)
{
    cadb_rows_free(v->rows, v->nrows);
    v->rows = NULL;
    v->nrows = 0;
    v->win_at = 0;
    v->fetched = 0;
}

/* The row at pos, reading the window around it when pos is outside; NULL past the end. */
static const struct cadb_row *
view_row(struct view *v, size_t pos)
{
    if (pos >= v->count)
        return NULL;
    if (!v->fetched || pos < v->win_at || pos >= v->win_at + v->nrows) {
        view_drop_window(v);
        size_t at = pos > WINDOW_BEFORE ? pos - WINDOW_BEFORE : 0;
        size_t limit = v->count - at < WINDOW_ROWS ? v->count - at : WINDOW_ROWS;
        size_t after = v->count - at - limit;
        int col = v->sort_col >= 0 && (size_t)v->sort_col < v->ncols ? v->sort[v->sort_col] : -1;
        /*
         * OFFSET costs the rows it skips: a window nearer the end (End in
         * a million rows) is read from the end in the other order and
         * turned round, so that none costs more than half the view.
         */
        int backwards = after < at;
        struct ops_request_view a = {
            v->which, v->filter, col, v->descending != backwards, backwards ? after : at, limit};
        struct ops_request_rows page;
        if (ops_call(v->app->cx, OP_REQUEST_PAGE, &a, &page, NULL) != CC_OK)
            return NULL;
        v->rows = page.rows; /* the window owns them now */
        v->nrows = page.n;
        for (size_t i = 0; backwards && i < v->nrows / 2; i++) {
            struct cadb_row t = v->rows[i];
            v->rows[i] = v->rows[v->nrows - 1 - i];
            v->rows[v->nrows - 1 - i] = t;
        }
        v->win_at = backwards ? at + limit - v->nrows : at;
        v->fetched = 1;
    }
    if (pos < v->win_at || pos >= v->win_at + v->nrows)
        return NULL; /* the table shrank under us; the next requery recounts */
    return &v->rows[pos - v->win_at];
}

static void
view_requery(void *ctx, const struct ui_list_query *q)
{
    struct view *v = ctx;
    v->sort_col = q->sort_col;
    v->descending = q->descending;
    free(v->filter);
    v->filter = q->filter && *q->filter ? ui_xstrdup(q->filter) : NULL;
    view_drop_window(v);
    struct ops_request_view a = {.view = v->which, .filter = v->filter};
    struct ops_request_rows counted;
    v->count =
        ops_call(v->app->cx, OP_REQUEST_COUNT, &a, &counted, NULL) == CC_OK ? counted.count : 0;
    /* a few dozen templates: a display name per cell costs a scan of them, not a query */
    strlist_free(&v->tcn);
    strlist_free(&v->tname);
    struct ops_template_list l;
    if (ops_call(v->app->cx, OP_TEMPLATE_LIST, NULL, &l, NULL) == CC_OK) {
        for (size_t i = 0; i < l.n; i++)
            if (strlist_add(&v->tcn, l.v[i].cn) != CC_OK ||
                strlist_add(&v->tname, l.v[i].display_name) != CC_OK)
                ui_die("out of memory");
        ops_template_list_free(&l);
    }
}

/* The display name of the template a request named; the name itself when it is gone. */
static const char *
view_template_name(const struct view *v, const char *cn)
{
    for (size_t i = 0; cn != NULL && i < v->tcn.n; i++)
        if (strcmp(v->tcn.v[i], cn) == 0)
            return v->tname.v[i];
    return nz(cn);
}

static size_t
view_count(void *ctx)
{
    return ((struct view *)ctx)->count;
}

static const char *
view_cell(void *ctx, size_t pos, int col, char *buf, size_t size)
{
    struct view *v = ctx;
    const struct cadb_row *r = view_row(v, pos);
    if (r == NULL || col < 0 || (size_t)col >= v->ncols)
        return "";
    switch (v->sort[col]) {
    case CADB_COL_ID:
        snprintf(buf, size, "%lld", (long long)r->id);
        return buf;
    case CADB_COL_REQUESTER:
        return nz(r->requester);
    case CADB_COL_TEMPLATE:
        return view_template_name(v, r->template_cn);
    case CADB_COL_SERIAL:
        return nz(r->serial);
    case CADB_COL_NOT_BEFORE:
        return when(r->not_before, buf, size);
    case CADB_COL_NOT_AFTER:
        return when(r->not_after, buf, size);
    case CADB_COL_COMMON_NAME:
        return nz(r->common_name);
    case CADB_COL_REVOKED_WHEN:
        return when(r->revoked_when, buf, size);
    case CADB_COL_REVOKED_EFFECTIVE:
        return when(r->revoked_effective, buf, size);
    case CADB_COL_REVOKED_REASON:
        return nz(cadb_reason_name(r->revoked_reason));
    case CADB_COL_STATUS:
        snprintf(buf, size, "0x%08x", r->status);
        return buf;
    case CADB_COL_MESSAGE:
        return nz(r->message);
    case CADB_COL_SUBMITTED:
        return when(r->submitted, buf, size);
    case CADB_COL_REQUEST_CN:
        return nz(r->request_cn);
    default:
        return "";
    }
}

static int64_t
view_row_id(void *ctx, size_t pos)
{
    struct view *v = ctx;
    const struct cadb_row *r = view_row(v, pos);
    v->asked = pos;
    return r ? r->id : 0;
}

/*
 * After a requery (a refresh, an action) the selected row is looked for in
 * the window around where it was: a row that left the view, or moved
 * further than the margin, leaves the selection at its position.
 */
static size_t
view_find_id(void *ctx, int64_t id)
{
    struct view *v = ctx;
    if (v->count == 0 || view_row(v, v->asked < v->count ? v->asked : v->count - 1) == NULL)
        return UI_LIST_NONE;
    for (size_t i = 0; i < v->nrows; i++)
        if (v->rows[i].id == id)
            return v->win_at + i;
    return UI_LIST_NONE;
}

static const struct ui_list_source view_source = {
    .requery = view_requery,
    .count = view_count,
    .cell = view_cell,
    .row_id = view_row_id,
    .find_id = view_find_id,
};

static void
view_load(struct ui_node *n)
{
    struct view *v = n->data;
    /* the list's requery, which follows every load, reads the rows */
    v->app = n->app;
    n->source = &view_source;
    n->source_ctx = v;
    view_drop_window(v);
}

static const struct ui_menu_item pending_tasks[] = {
    {"Issue", CMD_ISSUE, NULL, 0},
    {"Deny", CMD_DENY, NULL, 0},
};
static const struct ui_menu_item issued_tasks[] = {
    {"Revoke Certificate", CMD_REVOKE, NULL, 0},
    {"Export...", CMD_EXPORT, NULL, 0},
};
static const struct ui_menu_item revoked_tasks[] = {
    {"Unrevoke Certificate", CMD_UNREVOKE, NULL, 0},
    {"Export...", CMD_EXPORT, NULL, 0},
};
/* Open on a request shows it whole: its message is cut in the list */
static const struct ui_menu_item pending_menu[] = {
    {"Open", CMD_OPEN, NULL, 0},
    {"All Tasks", CMD_ALL_TASKS, pending_tasks, 2},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};
static const struct ui_menu_item failed_menu[] = {
    {"Open", CMD_OPEN, NULL, 0},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};
static const struct ui_menu_item issued_menu[] = {
    {"Open", CMD_OPEN, NULL, 0},
    {"All Tasks", CMD_ALL_TASKS, issued_tasks, 2},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};
static const struct ui_menu_item revoked_menu[] = {
    {"Open", CMD_OPEN, NULL, 0},
    {"All Tasks", CMD_ALL_TASKS, revoked_tasks, 2},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};
static const struct ui_menu_item refresh_menu[] = {
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};
/* the Revoked Certificates node itself: its Properties are the CRL publication settings */
static const struct ui_menu_item revoked_node_menu[] = {
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
    {"Properties", UI_CMD_PROPERTIES, NULL, 0},
};

static size_t
view_menu(struct ui_node *n, int has_row, int64_t row, const struct ui_menu_item **items)
{
    (void)row;
    struct view *v = n->data;
    if (has_row && v->which == CADB_PENDING) {
        *items = pending_menu;
        return sizeof pending_menu / sizeof pending_menu[0];
    }
    if (has_row && v->which == CADB_FAILED) {
        *items = failed_menu;
        return sizeof failed_menu / sizeof failed_menu[0];
    }
    if (has_row && v->which == CADB_ISSUED) {
        *items = issued_menu;
        return sizeof issued_menu / sizeof issued_menu[0];
    }
    if (has_row && v->which == CADB_REVOKED) {
        *items = revoked_menu;
        return sizeof revoked_menu / sizeof revoked_menu[0];
    }
    if (!has_row && v->which == CADB_REVOKED) {
        *items = revoked_node_menu;
        return sizeof revoked_node_menu / sizeof revoked_node_menu[0];
    }
    *items = refresh_menu;
    return 1;
}

/* A pending or failed request whole, the message the list cuts included. */
static void
open_request(struct ui_app *app, const struct view *v, int64_t id)
{
    struct cadb_row *r = ui_xcalloc(1, sizeof *r);
    char *cause = NULL;
    struct ops_request_get a = {id};
    int rc = ops_call(app->cx, OP_REQUEST_GET, &a, r, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Request", rc, cause);
        free(cause);
        cadb_rows_free(r, 1);
        return;
    }
    char when_buf[24];
    char *text =
        ui_xasprintf("Request ID: %lld\nRequester: %s\nCertificate template: %s\n"
                     "Submitted: %s\nRequest common name: %s\nStatus code: 0x%08x\n"
                     "Disposition message: %s",
                     (long long)r->id, nz(r->requester), view_template_name(v, r->template_cn),
                     when(r->submitted, when_buf, sizeof when_buf), nz(r->request_cn), r->status,
                     nz(r->message));
    char *title = ui_xasprintf("Request %lld", (long long)r->id);
    ui_message(app, title, text);
    free(title);
    free(text);
    cadb_rows_free(r, 1);
}

/* -- Issue, Deny, Unrevoke -- */

/* A recorded session keeps `ca VERB ID` for an action on a request. */
static void
record_request(struct ui_app *app, const char *title, const char *verb, int64_t id)
{
    char key[24], *cmd = NULL;
    snprintf(key, sizeof key, "%lld", (long long)id);
    ui_command_add(&cmd, "ca", verb, key, (char *)NULL);
    ui_record(app, title, cmd);
    free(cmd);
}

static void
issue_request(struct ui_app *app, int64_t id)
{
    struct ops_request_issue a = {id};
    struct cadb_outcome out;
    memset(&out, 0, sizeof out);
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_REQUEST_ISSUE, &a, &out, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Issue", rc, cause);
    } else if (out.status != CC_OK) {
        char *msg = ui_xasprintf("Request %lld was not issued: %s", (long long)id,
                                 out.message ? out.message : cc_strerror(out.status));
        ui_message(app, "Issue", msg);
        free(msg);
    } else {
        record_request(app, "Issue", "approve", id);
    }
    free(cause);
    cadb_outcome_free(&out);
    ui_console_refresh(app);
}

struct deny {
    struct ui_app *app;
    int64_t id;
};

static void
deny_answer(void *ctx, int yes)
{
    struct deny *dn = ctx;
    if (yes) {
        char *cause = NULL;
        struct ops_request_deny a = {dn->id};
        int rc = ops_call(dn->app->cx, OP_REQUEST_DENY, &a, NULL, &cause);
        if (rc != CC_OK)
            ui_show_error(dn->app, "Deny", rc, cause);
        else
            record_request(dn->app, "Deny", "deny", dn->id);
        free(cause);
        ui_console_refresh(dn->app);
    }
    free(dn);
}

/* -- Revoke Certificate: a reason and "now" -- */

static const int revoke_reasons[] = {0, 1, 2, 3, 4, 5, 6};
static const char *const revoke_labels[] = {
    "Unspecified", "Key Compromise",     "CA Compromise",    "Change of Affiliation",
    "Superseded",  "Cease of Operation", "Certificate Hold",
};
#define NREASONS (sizeof revoke_reasons / sizeof revoke_reasons[0])

enum { F_REASON = 1 };

struct revoke {
    char *serial;
};

static void
revoke_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct revoke *rv = d->ctx;
    struct ui_app *app = d->layer.app;
    if (role != UI_BUTTON_OK) {
        ui_dialog_close(d);
        return;
    }
    int reason = revoke_reasons[ui_dialog_field(d, F_REASON)->value];
    char *cause = NULL;
    struct ops_revoke a = {rv->serial, reason, CADB_NOW};
    struct ops_revoke_result res;
    int rc = ops_call(app->cx, OP_CERT_REVOKE, &a, &res, &cause);
    if (rc != CC_OK) {
        ui_dialog_set_error(d, rc, cause);
        return;
    }
    ui_dialog_close(d);
    ui_console_refresh(app);
    /* as `ca revoke` says: a CA that publishes on revoke has published */
    if (res.publish_error != CC_OK) {
        char *text = ui_xasprintf("The certificate is revoked, but no CRL was published: %s",
                                  res.publish_cause);
        ui_message(app, "Revoke Certificate", text);
        free(text);
    } else if (res.published) {
        char *text = ui_xasprintf("The certificate is revoked. Published %sCRL number %lld.",
                                  res.crl.base ? "delta " : "", (long long)res.crl.number);
        ui_message(app, "Revoke Certificate", text);
        free(text);
    }
    ops_revoke_result_free(&res);
    free(cause);
}

static void
revoke_destroy(struct ui_dialog *d)
{
    struct revoke *rv = d->ctx;
    free(rv->serial);
    free(rv);
}

/* F2: ca revoke SERIAL --reason R, with the reason's name as the verb takes it. */
static char *
revoke_command(struct ui_dialog *d, char **why)
{
    (void)why;
    static const char *const names[] = {
        "unspecified", "keyCompromise",        "cACompromise",   "affiliationChanged",
        "superseded",  "cessationOfOperation", "certificateHold"};
    struct revoke *rv = d->ctx;
    int i = ui_dialog_field(d, F_REASON)->value;
    char *text = NULL;
    ui_command_add(&text, "ca", "revoke", rv->serial, "--reason",
                   names[i >= 0 && (size_t)i < NREASONS ? i : 0], (char *)NULL);
    return text;
}

static const struct ui_dialog_ops revoke_ops = {
    .button = revoke_button,
    .destroy = revoke_destroy,
    .command = revoke_command,
};

static void
revoke_open(struct ui_app *app, const struct cadb_row *r)
{
    struct revoke *rv = ui_xcalloc(1, sizeof *rv);
    rv->serial = ui_xstrdup(nz(r->serial));
    struct ui_dialog *d =
        ui_dialog_new(app, "Certificate Revocation", 64, 12, UI_DIALOG_PLAIN, &revoke_ops, rv);
    d->default_no = 1; /* revoking cannot be undone (but for a hold) */
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    char *line = ui_xasprintf("Revoke request %lld, serial %s", (long long)r->id, rv->serial);
    ui_page_label(p, 0, 0, 0, line);
    free(line);
    ui_page_drop(p, 0, 2, "Reason code:", 14, 14 + 26, revoke_labels, NREASONS, 0)->id = F_REASON;
    char buf[24];
    line =
        ui_xasprintf("Date and time: now (lab clock %s)", when(ctx_now(app->cx), buf, sizeof buf));
    ui_page_label(p, 0, 4, 0, line);
    free(line);
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

/* -- Open and Export...: the certificate through certificate.retrieve, which checks the rights --
 */

/* The DER of request id's certificate into der; CC_OK, or shown as an error. */
static int
fetch_certificate(struct ui_app *app, const char *title, int64_t id, struct pkix_buf *der)
{
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)id);
    char *cause = NULL;
    struct ops_cert_retrieve a = {key};
    struct ops_cert cert;
    int rc = ops_call(app->cx, OP_CERT_RETRIEVE, &a, &cert, &cause);
    if (rc != CC_OK)
        ui_show_error(app, title, rc, cause);
    else
        *der = cert.der; /* the caller owns it now */
    free(cause);
    return rc;
}

static void
open_certificate(struct ui_app *app, int64_t id)
{
    struct pkix_buf der = {NULL, 0};
    if (fetch_certificate(app, "Certificate", id, &der) == CC_OK)
        ui_cert_view_open(app, der.p, der.n);
    pkix_buf_free(&der);
}

/*
 * Export Binary Data: the certificate as DER or Base-64 to a file. The
 * file is written by cc_write_file(), so an existing one is replaced only
 * with "Replace" checked, and a failure leaves everything as it was.
 */
enum { F_EXPORT_FORMAT = 1, F_EXPORT_FILE, F_EXPORT_REPLACE };

static const char *const export_formats[] = {
    "DER encoded binary X.509 (.cer)",
    "Base-64 encoded X.509 (.cer)",
};

struct export
{
    struct pkix_buf der;
    int64_t id; /* the request */
};

/* F2: ca get ID --out FILE, in the format chosen, replacing a file only when told to. */
static char *
export_command(struct ui_dialog *d, char **why)
{
    struct export *ex = d->ctx;
    const char *path = ui_dialog_field(d, F_EXPORT_FILE)->text;
    if (*path == '\0') {
        *why = ui_xstrdup("no file name yet");
        return NULL;
    }
    char key[24], *text = NULL;
    snprintf(key, sizeof key, "%lld", (long long)ex->id);
    int der = ui_dialog_field(d, F_EXPORT_FORMAT)->value == 0;
    int force = ui_dialog_field(d, F_EXPORT_REPLACE)->value;
    ui_command_add(&text, "ca", "get", key, "--out", path, der ? "--der" : "--pem",
                   force ? "--force" : (char *)NULL, (char *)NULL);
    return text;
}

static int
export_validate(struct ui_dialog *d, char **why)
{
    if (*ui_dialog_field(d, F_EXPORT_FILE)->text)
        return 1;
    if (why != NULL)
        *why = ui_xstrdup("Type the name of the file to export to");
    return 0;
}

static void
export_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct export *ex = d->ctx;
    if (role != UI_BUTTON_OK) {
        ui_dialog_close(d);
        return;
    }
    const char *path = ui_dialog_field(d, F_EXPORT_FILE)->text;
    int pem = ui_dialog_field(d, F_EXPORT_FORMAT)->value == 1;
    int force = ui_dialog_field(d, F_EXPORT_REPLACE)->value;
    char *text = NULL, *cause = NULL;
    int rc = pem ? request_pem_encode("CERTIFICATE", ex->der.p, ex->der.n, &text, &cause) : CC_OK;
    if (rc == CC_OK)
        rc = d->layer.app->host->write(d->layer.app->host->ctx, path, pem ? (const void *)text : ex->der.p,
                            pem ? strlen(text) : ex->der.n, 0644, force, &cause);
    free(text);
    if (rc != CC_OK) {
        ui_dialog_set_error(d, rc, cause);
        return;
    }
    /* a file written changes nothing in the store: recorded here */
    char *why = NULL, *cmd = export_command(d, &why);
    ui_record(d->layer.app, d->title, cmd);
    free(cmd);
    free(why);
    ui_dialog_close(d);
}

static void
export_destroy(struct ui_dialog *d)
{
    struct export *ex = d->ctx;
    pkix_buf_free(&ex->der);
    free(ex);
}

static const struct ui_dialog_ops export_ops = {
    .validate = export_validate,
    .button = export_button,
    .destroy = export_destroy,
    .command = export_command,
};

static void
export_open(struct ui_app *app, int64_t id)
{
    struct export *ex = ui_xcalloc(1, sizeof *ex);
    ex->id = id;
    if (fetch_certificate(app, "Export", id, &ex->der) != CC_OK) {
        free(ex);
        return;
    }
    struct ui_dialog *d =
        ui_dialog_new(app, "Export Binary Data", 70, 13, UI_DIALOG_PLAIN, &export_ops, ex);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    char *line = ui_xasprintf("Save the certificate of request %lld to a file.", (long long)id);
    ui_page_label(p, 0, 0, 0, line);
    free(line);
    ui_page_label(p, 0, 2, 0, "Format:");
    ui_page_radio(p, 2, 3, export_formats, 2, 1)->id = F_EXPORT_FORMAT;
    ui_page_text(p, 0, 6, "File name:", 11, 0, "")->id = F_EXPORT_FILE;
    ui_page_check(p, 0, 7, "Replace an existing file", 0)->id = F_EXPORT_REPLACE;
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

static void
view_act(struct ui_node *n, int has_row, int64_t row, int id)
{
    struct ui_app *app = n->app;
    if (id == UI_CMD_REFRESH) {
        ui_console_refresh(app);
        return;
    }
    if (!has_row) {
        if (id == UI_CMD_PROPERTIES && ((struct view *)n->data)->which == CADB_REVOKED)
            ui_crl_sheet_open(app);
        return;
    }
    if (id == CMD_OPEN) {
        struct view *v = n->data;
        if (v->which == CADB_PENDING || v->which == CADB_FAILED)
            open_request(app, v, row);
        else
            open_certificate(app, row);
        return;
    }
    if (id == CMD_EXPORT) {
        export_open(app, row);
        return;
    }
    if (id == CMD_ISSUE) {
        issue_request(app, row);
        return;
    }
    if (id == CMD_DENY) {
        struct deny *dn = ui_xcalloc(1, sizeof *dn);
        dn->app = app;
        dn->id = row;
        char *msg = ui_xasprintf("Deny request %lld? The requester gets no certificate; a CA "
                                 "administrator can still issue it later.",
                                 (long long)row);
        ui_confirm(app, "Deny", msg, "Deny", "Cancel", deny_answer, dn);
        free(msg);
        return;
    }
    if (id != CMD_REVOKE && id != CMD_UNREVOKE)
        return;
    /* on the heap: cadb_rows_free() frees a row's fields and the array */
    struct cadb_row *r = ui_xcalloc(1, sizeof *r);
    char *cause = NULL;
    struct ops_request_get get = {row};
    int rc = ops_call(app->cx, OP_REQUEST_GET, &get, r, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Certification Authority", rc, cause);
    } else if (id == CMD_REVOKE) {
        revoke_open(app, r);
    } else {
        struct ops_revoke a = {.serial = nz(r->serial)};
        rc = ops_call(app->cx, OP_CERT_UNREVOKE, &a, NULL, &cause);
        if (rc != CC_OK) {
            ui_show_error(app, "Unrevoke Certificate", rc, cause);
        } else {
            char *cmd = NULL;
            ui_command_add(&cmd, "ca", "unrevoke", nz(r->serial), (char *)NULL);
            ui_record(app, "Unrevoke Certificate", cmd);
            free(cmd);
        }
        ui_console_refresh(app);
    }
    free(cause);
    cadb_rows_free(r, 1);
}

static void
view_destroy(struct ui_node *n)
{
    struct view *v = n->data;
    view_drop_window(v);
    free(v->filter);
    strlist_free(&v->tcn);
    strlist_free(&v->tname);
    free(v);
}

#define VIEW_TYPE(var, nm, c, sg, pl)                                                              \
    static const struct ui_node_type var = {                                                       \
        .name = nm,                                                                                \
        .cols = c,                                                                                 \
        .ncols = sizeof c / sizeof c[0],                                                           \
        .noun = sg,                                                                                \
        .nouns = pl,                                                                               \
        .load = view_load,                                                                         \
        .destroy = view_destroy,                                                                   \
        .menu = view_menu,                                                                         \
        .act = view_act,                                                                           \
    }

VIEW_TYPE(revoked_type, "revoked", revoked_cols, "certificate", "certificates");
VIEW_TYPE(issued_type, "issued", issued_cols, "certificate", "certificates");
VIEW_TYPE(pending_type, "pending", request_cols, "request", "requests");
VIEW_TYPE(failed_type, "failed", request_cols, "request", "requests");

/* ---------------- Certificate Templates to issue ---------------- */

static const struct ui_column issue_cols[] = {{"Name", 32}, {"Intended Purpose", 30}};

/* Fills rows with the templates enabled (or, enabled 0, not enabled) on the CA; id: index. */
static void
templates_fill(struct ui_app *app, struct ui_memsource *rows, int enabled, struct strlist *cns)
{
    struct ops_template_list l;
    ui_memsource_clear(rows);
    if (ops_call(app->cx, OP_TEMPLATE_LIST, NULL, &l, NULL) != CC_OK)
        return;
    for (size_t i = 0; i < l.n; i++) {
        if (l.enabled[i] != enabled)
            continue;
        const char *row[] = {l.v[i].display_name, l.purposes[i]};
        ui_memsource_add(rows, (int64_t)cns->n, row);
        if (strlist_add(cns, l.v[i].cn) != CC_OK)
            ui_die("out of memory");
    }
    ops_template_list_free(&l);
}

struct issue_node {
    struct strlist cns; /* row id i: the template's cn */
};

static void
issue_load(struct ui_node *n)
{
    struct issue_node *in = n->data;
    strlist_free(&in->cns);
    templates_fill(n->app, n->rows, 1, &in->cns);
}

static void
issue_destroy(struct ui_node *n)
{
    struct issue_node *in = n->data;
    strlist_free(&in->cns);
    free(in);
}

static const struct ui_menu_item new_items[] = {
    {"Certificate Template to Issue", CMD_ENABLE, NULL, 0},
};
/* Manage opens the Certificate Templates console, as certsrv.msc's does. */
static const struct ui_menu_item issue_node_menu[] = {
    {"Manage", CMD_MANAGE, NULL, 0},
    {"New", CMD_NEW, new_items, 1},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};
static const struct ui_menu_item issue_row_menu[] = {
    {"Delete", UI_CMD_DELETE, NULL, 0},
    {"New", CMD_NEW, new_items, 1},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};

static size_t
issue_menu(struct ui_node *n, int has_row, int64_t row, const struct ui_menu_item **items)
{
    (void)n;
    (void)row;
    *items = has_row ? issue_row_menu : issue_node_menu;
    return 3; /* both menus */
}

/*
 * "Enable Certificate Templates": the templates the CA does not issue yet.
 * Space marks a row ("[x]"), so several can be enabled at once; OK enables
 * every marked template (or the selected one when none is marked) in one
 * transaction: all of them, or none and the CA's reason.
 */
enum { F_ENABLE_LIST = 1 };

static const struct ui_column enable_cols[] = {{"", 4}, {"Name", 32}, {"Intended Purpose", 30}};

struct enable {
    struct strlist cns;      /* row id i: the template's cn */
    struct strlist purposes; /* and its purposes */
    struct strlist names;    /* and its display name */
    unsigned char *marked;   /* per row id */
};

/* Fills the list from en's templates, keeping the selection. */
static void
enable_fill(struct ui_field *l, struct enable *en)
{
    size_t pos = ui_list_selected(&l->list);
    int64_t id = pos != UI_LIST_NONE ? l->list.src->row_id(l->list.ctx, pos) : -1;
    ui_memsource_clear(l->rows);
    for (size_t i = 0; i < en->cns.n; i++) {
        const char *row[] = {en->marked[i] ? "[x]" : "[ ]", en->names.v[i], en->purposes.v[i]};
        ui_memsource_add(l->rows, (int64_t)i, row);
    }
    ui_list_refresh(&l->list);
    pos = id >= 0 ? l->list.src->find_id(l->list.ctx, id) : UI_LIST_NONE;
    if (pos != UI_LIST_NONE)
        ui_list_select(&l->list, pos);
}

static void
enable_toggled(struct ui_dialog *d, struct ui_field *l)
{
    struct enable *en = d->ctx;
    size_t pos = ui_list_selected(&l->list);
    if (pos == UI_LIST_NONE)
        return;
    int64_t i = l->list.src->row_id(l->list.ctx, pos);
    en->marked[i] = !en->marked[i];
    enable_fill(l, en);
    size_t n = 0;
    for (size_t k = 0; k < en->cns.n; k++)
        n += en->marked[k];
    char *msg = n ? ui_xasprintf("%zu template%s marked; OK enables %s", n, n == 1 ? "" : "s",
                                 n == 1 ? "it" : "them")
                  : NULL;
    ui_dialog_set_message(d, msg);
    free(msg);
}

static int
enable_validate(struct ui_dialog *d, char **why)
{
    if (ui_dialog_field(d, F_ENABLE_LIST)->list.count > 0)
        return 1;
    if (why != NULL)
        *why = ui_xstrdup("The CA already issues every template");
    return 0;
}

static void
enable_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct enable *en = d->ctx;
    struct ui_app *app = d->layer.app;
    if (role != UI_BUTTON_OK) {
        ui_dialog_close(d);
        return;
    }
    struct ui_field *l = ui_dialog_field(d, F_ENABLE_LIST);
    size_t marked = 0;
    for (size_t k = 0; k < en->cns.n; k++)
        marked += en->marked[k];
    if (marked == 0) {
        size_t pos = ui_list_selected(&l->list);
        if (pos == UI_LIST_NONE)
            return;
        en->marked[l->list.src->row_id(l->list.ctx, pos)] = 1;
    }
    /* all of them in one operation: every one enabled, or none */
    const char **names = ui_xcalloc(en->cns.n ? en->cns.n : 1, sizeof *names);
    struct ops_template_names a = {names, 0};
    for (size_t k = 0; k < en->cns.n; k++)
        if (en->marked[k])
            names[a.n++] = en->cns.v[k];
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_TEMPLATE_ENABLE, &a, NULL, &cause);
    free(names);
    if (marked == 0)
        memset(en->marked, 0, en->cns.n);
    if (rc != CC_OK) {
        ui_show_error(app, "Enable Certificate Templates", rc, cause);
        free(cause);
        return;
    }
    ui_dialog_close(d);
    ui_console_refresh(app);
}

static void
enable_destroy(struct ui_dialog *d)
{
    struct enable *en = d->ctx;
    strlist_free(&en->cns);
    strlist_free(&en->purposes);
    strlist_free(&en->names);
    free(en->marked);
    free(en);
}

/* F2: `certcon ca enable T` for every marked template, or the selected one. */
static char *
enable_command(struct ui_dialog *d, char **why)
{
    struct enable *en = d->ctx;
    struct ui_field *l = ui_dialog_field(d, F_ENABLE_LIST);
    size_t pos = ui_list_selected(&l->list);
    int64_t sel = pos != UI_LIST_NONE ? l->list.src->row_id(l->list.ctx, pos) : -1;
    struct strlist lines = {0};
    size_t marked = 0;
    for (size_t k = 0; k < en->cns.n; k++)
        marked += en->marked[k];
    for (size_t k = 0; k < en->cns.n; k++) {
        if (marked ? !en->marked[k] : (int64_t)k != sel)
            continue;
        char *q = ui_shell_quote(en->names.v[k]);
        char *line = ui_xasprintf("certcon ca enable %s", q);
        if (strlist_add(&lines, line) != CC_OK)
            ui_die("out of memory");
        free(line);
        free(q);
    }
    char *text = lines.n ? strlist_join(&lines, "\n") : NULL;
    if (lines.n == 0)
        *why = ui_xstrdup("no template is selected");
    strlist_free(&lines);
    return text;
}

static const struct ui_dialog_ops enable_ops = {
    .validate = enable_validate,
    .button = enable_button,
    .destroy = enable_destroy,
    .command = enable_command,
};

static void
enable_open(struct ui_app *app)
{
    struct enable *en = ui_xcalloc(1, sizeof *en);
    struct ops_template_list tl;
    if (ops_call(app->cx, OP_TEMPLATE_LIST, NULL, &tl, NULL) == CC_OK) {
        for (size_t i = 0; i < tl.n; i++) {
            if (tl.enabled[i])
                continue;
            if (strlist_add(&en->cns, tl.v[i].cn) != CC_OK ||
                strlist_add(&en->names, tl.v[i].display_name) != CC_OK ||
                strlist_add(&en->purposes, tl.purposes[i]) != CC_OK)
                ui_die("out of memory");
        }
        ops_template_list_free(&tl);
    }
    en->marked = ui_xcalloc(en->cns.n ? en->cns.n : 1, 1);
    struct ui_dialog *d = ui_dialog_new(app, "Enable Certificate Templates", 72, 20,
                                        UI_DIALOG_PLAIN, &enable_ops, en);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    ui_page_label(p, 0, 0, 0, "Select the Certificate Templates to enable on this CA: Space")->h =
        1;
    ui_page_label(p, 0, 1, 0, "marks one, typing jumps to a name, Enter enables the marked:");
    struct ui_field *l = ui_page_list(p, 0, 2, 0, 11, enable_cols, 3);
    l->id = F_ENABLE_LIST;
    l->toggled = enable_toggled;
    l->list.q.sort_col = 1; /* by name, and type-ahead on the name */
    enable_fill(l, en);
    ui_list_select(&l->list, 0);
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

struct disable {
    struct ui_app *app;
    char *cn;
};

static void
disable_answer(void *ctx, int yes)
{
    struct disable *ds = ctx;
    if (yes) {
        char *cause = NULL;
        const char *name = ds->cn;
        struct ops_template_names a = {&name, 1};
        int rc = ops_call(ds->app->cx, OP_TEMPLATE_DISABLE, &a, NULL, &cause);
        if (rc != CC_OK) {
            ui_show_error(ds->app, "Delete", rc, cause);
        } else {
            char *cmd = NULL;
            ui_command_add(&cmd, "ca", "disable", ds->cn, (char *)NULL);
            ui_record(ds->app, "Disable certificate templates", cmd);
            free(cmd);
        }
        free(cause);
        ui_console_refresh(ds->app);
    }
    free(ds->cn);
    free(ds);
}

static void
issue_act(struct ui_node *n, int has_row, int64_t row, int id)
{
    struct issue_node *in = n->data;
    struct ui_app *app = n->app;
    if (id == UI_CMD_REFRESH) {
        ui_console_refresh(app);
    } else if (id == CMD_ENABLE) {
        enable_open(app);
    } else if (id == CMD_MANAGE) {
        ui_console_goto(app, "Certificate Templates");
    } else if (id == UI_CMD_DELETE && has_row && row >= 0 && (size_t)row < in->cns.n) {
        struct disable *ds = ui_xcalloc(1, sizeof *ds);
        ds->app = app;
        ds->cn = ui_xstrdup(in->cns.v[row]);
        char *msg = ui_xasprintf("Stop issuing %s from this CA? The template itself stays.",
                                 in->cns.v[row]);
        ui_confirm(app, "Disable certificate templates", msg, "Yes", "No", disable_answer, ds);
        free(msg);
    }
}

static const struct ui_node_type issue_type = {
    .name = "ca-templates",
    .cols = issue_cols,
    .ncols = 2,
    .noun = "template",
    .nouns = "templates",
    .load = issue_load,
    .destroy = issue_destroy,
    .menu = issue_menu,
    .act = issue_act,
};

/* ---------------- the CA itself ---------------- */

/*
 * The CA's node: a folder of the views, with the CA's own menu —
 * Properties (ca_sheet.c) and All Tasks -> Publish (crl_sheet.c), and Stop
 * Service when the console is a client of `certcon serve` (the host says).
 * Start Service is not offered: a stopped service has no console to ask.
 */
static void
ca_load(struct ui_node *n)
{
    ui_memsource_clear(n->rows);
    for (size_t i = 0; i < n->nkids; i++) {
        const char *row[] = {n->kids[i]->label};
        ui_memsource_add(n->rows, (int64_t)i, row);
    }
}

static const struct ui_menu_item ca_tasks[] = {
    {"Publish", CMD_PUBLISH_CRL, NULL, 0},
    {"Stop Service", CMD_STOP_SERVICE, NULL, 0},
};
static const struct ui_menu_item ca_menu_items[] = {
    {"All Tasks", CMD_ALL_TASKS, ca_tasks, 1},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
    {"Properties", UI_CMD_PROPERTIES, NULL, 0},
};
/* a client of `certcon serve`: the service this console runs in can be stopped */
static const struct ui_menu_item ca_menu_served[] = {
    {"All Tasks", CMD_ALL_TASKS, ca_tasks, 2},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
    {"Properties", UI_CMD_PROPERTIES, NULL, 0},
};

static size_t
ca_menu(struct ui_node *n, int has_row, int64_t row, const struct ui_menu_item **items)
{
    (void)row;
    if (has_row)
        return 0; /* a view in the results pane: open it from the tree */
    if (n->app->host->service_stop != NULL) {
        *items = ca_menu_served;
        return sizeof ca_menu_served / sizeof ca_menu_served[0];
    }
    *items = ca_menu_items;
    return sizeof ca_menu_items / sizeof ca_menu_items[0];
}

/* After a stop: the service waits for this console to end, so it ends once told. */
static void
stopped_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    (void)role;
    d->layer.app->quit = 1;
    ui_dialog_close(d);
}

static const struct ui_dialog_ops stopped_ops = {
    .button = stopped_button,
};

static void
stop_answer(void *ctx, int yes)
{
    struct ui_app *app = ctx;
    if (!yes)
        return;
    char *cause = NULL;
    int rc = app->host->service_stop(app->host->ctx, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Stop Service", rc, cause);
        free(cause);
        return;
    }
    struct ui_dialog *d =
        ui_dialog_new(app, "Stop Service", 64, 10, UI_DIALOG_PLAIN, &stopped_ops, NULL);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    ui_page_label(p, 0, 0, 0,
                  "The CA service is stopping: it takes no new clients and ends once the "
                  "clients it serves have finished. This console ends now.")
        ->h = 3;
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_show(d);
}

static void
stop_service(struct ui_app *app)
{
    char *msg = ui_xasprintf("Stop Active Directory Certificate Services on %s? Nobody can "
                             "request certificates or reach the CA until it is started again "
                             "(certcon serve).",
                             app->computer ? app->computer : "this host");
    ui_confirm(app, "Stop Service", msg, "Stop", "Cancel", stop_answer, app);
    free(msg);
}

static void
ca_act(struct ui_node *n, int has_row, int64_t row, int id)
{
    (void)has_row;
    (void)row;
    if (id == UI_CMD_REFRESH)
        ui_console_refresh(n->app);
    else if (id == UI_CMD_PROPERTIES)
        ui_ca_sheet_open(n->app);
    else if (id == CMD_PUBLISH_CRL)
        ui_crl_publish_open(n->app);
    else if (id == CMD_STOP_SERVICE && n->app->host->service_stop != NULL)
        stop_service(n->app);
}

static const struct ui_node_type ca_type = {
    .name = "ca",
    .cols = (const struct ui_column[]){{"Name", 30}},
    .ncols = 1,
    .noun = "item",
    .nouns = "items",
    .load = ca_load,
    .menu = ca_menu,
    .act = ca_act,
    .keep_order = 1,
};

/* ---------------- the tree ---------------- */

static void
add_view(struct ui_node *ca, const char *label, const struct ui_node_type *type,
         enum cadb_view which)
{
    struct view *v = ui_xcalloc(1, sizeof *v);
    v->which = which;
    v->sort = which == CADB_ISSUED    ? issued_sort
              : which == CADB_REVOKED ? revoked_sort
                                      : request_sort;
    v->ncols = type->ncols;
    ui_node_add(ca, label, type, v);
}

static void
ca_build(struct ui_app *app, struct ui_node *root)
{
    struct ui_node *ca = ui_node_add(root, "Certification Authority", &ui_node_folder, NULL);
    char *name = NULL;
    struct ops_ca_info info;
    if (ops_call(app->cx, OP_CA_SHOW, NULL, &info, NULL) == CC_OK) {
        name = ui_xstrdup(info.info.name);
        ops_ca_info_free(&info);
    }
    if (name == NULL)
        return;
    struct ui_node *n = ui_node_add(ca, name, &ca_type, NULL);
    add_view(n, "Revoked Certificates", &revoked_type, CADB_REVOKED);
    add_view(n, "Issued Certificates", &issued_type, CADB_ISSUED);
    add_view(n, "Pending Requests", &pending_type, CADB_PENDING);
    add_view(n, "Failed Requests", &failed_type, CADB_FAILED);
    ui_node_add(n, "Certificate Templates", &issue_type, ui_xcalloc(1, sizeof(struct issue_node)));
    ui_audit_node_add(n);
    ui_acme_node_add(n);
    ca->expanded = 1;
    n->expanded = 1;
    free(name);
}

const struct ui_snapin ui_snapin_ca = {"Certification Authority", ca_build};
