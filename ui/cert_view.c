/*
 * The Certificate dialog (see cert_view.h): a layout of what the
 * certificate.decode operation (certinfo_decode() and certinfo_path())
 * finds in the certificate; nothing is decoded here. Details -> Copy to File... writes the
 * certificate as DER or Base-64 through the host's write (cc_write_file() in this process, or in
 * the service's client), which replaces an existing file only
 * when asked and leaves everything as it was on failure.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cert_view.h"
#include "certinfo.h"
#include "clock.h"
#include "dialog.h"
#include "export_wizard.h"
#include "mem.h"
#include "ops.h"
#include "pkix.h"
#include "request.h"
#include "status.h"
#include "util.h"

enum { F_DETAILS = 1, F_VALUE, F_PATH, F_PATH_STATUS };

static const struct ui_column detail_cols[] = {{"Field", 26}, {"Value", 40}};
static const struct ui_column path_cols[] = {{"", 60}};

/* The dialog's: the certificate, its decoded fields and its path. */
struct cert_view {
    struct pkix_buf der;
    struct ops_cert_decoded dec;
};

static char *
when(time_t t)
{
    struct tm tm;
    char buf[32] = "";
    if (t != (time_t)-1 && gmtime_r(&t, &tm) != NULL)
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return ui_xstrdup(buf);
}

static void
details_changed(struct ui_dialog *d, struct ui_field *f)
{
    struct cert_view *cv = d->ctx;
    size_t pos = ui_list_selected(&f->list);
    if (pos == UI_LIST_NONE)
        return;
    int64_t id = f->list.src->row_id(f->list.ctx, pos);
    if (id >= 0 && (size_t)id < cv->dec.info.nfields)
        ui_field_set_text(ui_dialog_field(d, F_VALUE), cv->dec.info.fields[id].value);
}

static void
path_changed(struct ui_dialog *d, struct ui_field *f)
{
    struct cert_view *cv = d->ctx;
    size_t pos = ui_list_selected(&f->list);
    if (pos == UI_LIST_NONE)
        return;
    int64_t id = f->list.src->row_id(f->list.ctx, pos);
    if (id >= 0 && (size_t)id < cv->dec.npath)
        ui_field_set_text(ui_dialog_field(d, F_PATH_STATUS), cv->dec.path[id].text);
}

/* ---------------- Copy to File... ---------------- */

enum { F_COPY_FORMAT = 1, F_COPY_FILE, F_COPY_REPLACE };

static const char *const copy_formats[] = {
    "DER encoded binary X.509 (.CER)",
    "Base-64 encoded X.509 (.CER)",
};

static int
copy_validate(struct ui_dialog *d, char **why)
{
    if (*ui_dialog_field(d, F_COPY_FILE)->text)
        return 1;
    if (why != NULL)
        *why = ui_xstrdup("Type the name of the file to write");
    return 0;
}

static void
copy_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct cert_view *cv = d->ctx;
    /* where the person's files are: this process's, or the service's client's */
    const struct ui_host *h = d->layer.app->host;
    if (role != UI_BUTTON_OK) {
        ui_dialog_close(d);
        return;
    }
    const char *path = ui_dialog_field(d, F_COPY_FILE)->text;
    int pem = ui_dialog_field(d, F_COPY_FORMAT)->value == 1;
    int force = ui_dialog_field(d, F_COPY_REPLACE)->value;
    char *text = NULL, *cause = NULL;
    int rc = pem ? request_pem_encode("CERTIFICATE", cv->der.p, cv->der.n, &text, &cause) : CC_OK;
    if (rc == CC_OK)
        rc = h->write(h->ctx, path, pem ? (const void *)text : cv->der.p,
                      pem ? strlen(text) : cv->der.n, 0644, force, &cause);
    free(text);
    if (rc != CC_OK) {
        ui_dialog_set_error(d, rc, cause);
        return;
    }
    ui_dialog_close(d);
}

static const struct ui_dialog_ops copy_ops = {
    .validate = copy_validate,
    .button = copy_button,
};

static void
copy_open(struct ui_dialog *viewer, struct ui_field *f)
{
    (void)f;
    /* the viewer stays below until this closes, so its certificate outlives the dialog */
    struct ui_dialog *d = ui_dialog_new(viewer->layer.app, "Certificate Export", 66, 13,
                                        UI_DIALOG_PLAIN, &copy_ops, viewer->ctx);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    ui_page_label(p, 0, 0, 0, "Export file format:");
    ui_page_radio(p, 2, 1, copy_formats, 2, 0)->id = F_COPY_FORMAT;
    ui_page_text(p, 0, 4, "File name:", 11, 0, "")->id = F_COPY_FILE;
    ui_page_check(p, 0, 5, "Replace an existing file", 0)->id = F_COPY_REPLACE;
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

/* ---------------- the dialog ---------------- */

static void
cert_view_destroy(struct ui_dialog *d)
{
    struct cert_view *cv = d->ctx;
    ops_cert_decoded_free(&cv->dec);
    pkix_buf_free(&cv->der);
    free(cv);
}

static const struct ui_dialog_ops cert_view_ops = {
    .destroy = cert_view_destroy,
};

static void
label_line(struct ui_page *p, int x, int y, const char *fmt, const char *value)
{
    char *line = ui_xasprintf(fmt, value);
    ui_page_label(p, x, y, 0, line);
    free(line);
}

static void
general_page(struct ui_page *p, const struct certinfo *ci, const struct certinfo_link *leaf)
{
    ui_page_label(p, 0, 0, 0, "Certificate Information");
    int y = 2;
    if (ci->purposes.n == 0) {
        ui_page_label(p, 2, y++, 0, "This certificate has no stated purposes: it is good for all.");
    } else {
        ui_page_label(p, 2, y++, 0, "This certificate is intended for the following purpose(s):");
        /* room for three; the rest are one Tab away on Details */
        for (size_t i = 0; i < ci->purposes.n && i < 3; i++)
            label_line(p, 4, y++, "* %s", ci->purposes.v[i]);
        if (ci->purposes.n > 3) {
            char *more = ui_xasprintf("... and %zu more (see Details)", ci->purposes.n - 3);
            ui_page_label(p, 4, y++, 0, more);
            free(more);
        }
    }
    y++;
    label_line(p, 2, y++, "Issued to:  %s", ci->issued_to);
    label_line(p, 2, y++, "Issued by:  %s", ci->issued_by);
    char *from = when(ci->not_before), *until = when(ci->not_after);
    char *valid = ui_xasprintf("Valid from %s to %s", from, until);
    ui_page_label(p, 2, y++, 0, valid);
    free(valid);
    free(from);
    free(until);
    label_line(p, 2, y++, "Template:   %s", ci->template_name ? ci->template_name : "(none)");
    if (leaf != NULL)
        label_line(p, 2, y + 1, "Status:     %s", leaf->text);
}

static void
details_page(struct ui_page *p, struct cert_view *cv)
{
    struct ui_field *list = ui_page_list(p, 0, 0, 0, 10, detail_cols, 2);
    list->id = F_DETAILS;
    list->changed = details_changed;
    for (size_t i = 0; i < cv->dec.info.nfields; i++) {
        const char *row[] = {cv->dec.info.fields[i].name, cv->dec.info.fields[i].value};
        ui_memsource_add(list->rows, (int64_t)i, row);
    }
    ui_list_refresh(&list->list);
    ui_page_button(p, 0, 10, "Copy to File...", copy_open);
    struct ui_field *value =
        ui_page_label(p, 0, 11, 0, cv->dec.info.nfields ? cv->dec.info.fields[0].value : "");
    value->id = F_VALUE;
    value->h = 3;
}

static void
path_page(struct ui_page *p, struct cert_view *cv)
{
    ui_page_label(p, 0, 0, 0, "Certification path:");
    struct ui_field *list = ui_page_list(p, 0, 1, 0, 7, path_cols, 1);
    list->id = F_PATH;
    list->changed = path_changed;
    for (size_t i = 0; i < cv->dec.npath; i++) {
        char *row0 =
            ui_xasprintf("%*s%s%s", (int)(2 * i), "",
                         cv->dec.path[i].status == CERTINFO_OK ? "" : "(!) ", cv->dec.path[i].name);
        const char *row[] = {row0};
        ui_memsource_add(list->rows, (int64_t)i, row);
        free(row0);
    }
    ui_list_refresh(&list->list);
    if (cv->dec.npath > 0)
        ui_list_select(&list->list, cv->dec.npath - 1); /* the certificate itself, as Windows */
    ui_page_label(p, 0, 8, 0, "Certificate status:");
    struct ui_field *status =
        ui_page_label(p, 2, 9, 0, cv->dec.npath ? cv->dec.path[cv->dec.npath - 1].text : "");
    status->id = F_PATH_STATUS;
    status->h = 2;
}

void
ui_cert_view_open(struct ui_app *app, const void *der, size_t n)
{
    struct cert_view *cv = ui_xcalloc(1, sizeof *cv);
    char *cause = NULL;
    struct ops_cert_decode a = {.der = der, .n = n};
    int rc = ops_call(app->cx, OP_CERT_DECODE, &a, &cv->dec, &cause);
    if (rc == CC_OK && pkix_buf_set(&cv->der, der, n) != CC_OK)
        rc = CC_ENOMEM;
    if (rc != CC_OK) {
        char *msg =
            ui_xasprintf("The certificate cannot be shown: %s.", cause ? cause : cc_strerror(rc));
        ui_message(app, "Certificate", msg);
        free(msg);
        free(cause);
        ops_cert_decoded_free(&cv->dec);
        pkix_buf_free(&cv->der);
        free(cv);
        return;
    }
    free(cause);
    struct ui_dialog *d =
        ui_dialog_new(app, "Certificate", 76, 20, UI_DIALOG_TABS, &cert_view_ops, cv);
    general_page(ui_dialog_add_page(d, "General"), &cv->dec.info,
                 cv->dec.npath ? &cv->dec.path[cv->dec.npath - 1] : NULL);
    details_page(ui_dialog_add_page(d, "Details"), cv);
    path_page(ui_dialog_add_page(d, "Certification Path"), cv);
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_show(d);
}

void
ui_cert_view_open_entry(struct ui_app *app, const char *principal, int act_for,
                        enum certstore_kind kind, int64_t entry_id)
{
    struct certstore_entry e;
    memset(&e, 0, sizeof e);
    char *cause = NULL;
    struct ops_store_pick a = {
        .who = {.principal = principal, .act_for = act_for}, .kind = kind, .entry_id = entry_id};
    int rc = ops_call(app->cx, OP_STORE_CERTIFICATE, &a, &e, &cause);
    if (rc == CC_OK)
        ui_cert_view_open(app, e.der.p, e.der.n);
    else
        ui_message(app, "Certificate", cause ? cause : cc_strerror(rc));
    free(cause);
    certstore_entry_free(&e);
}
