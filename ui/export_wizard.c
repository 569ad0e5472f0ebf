/*
 * The Certificate Export Wizard (see export_wizard.h): Welcome -> Export
 * Private Key (only when the certificate has a key; "Yes" greyed with the
 * reason when the key is not exportable) -> Export File Format (PKCS #12
 * is the only format with "Yes" and is disabled with "No") -> Security
 * (PFX only) -> File to Export -> Completing. The format page has two
 * builds, one for each answer about the key; the one not shown waits in
 * the wizard and is swapped in when the answer changes. Passwords live
 * only in their (masked) fields and are wiped when the wizard closes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cert_view.h"
#include "dialog.h"
#include "directory.h"
#include "export.h"
#include "export_wizard.h"
#include "mem.h"
#include "ops.h"
#include "snap.h"
#include "status.h"
#include "util.h"

#define TITLE "Certificate Export Wizard"

enum { PG_WELCOME, PG_KEY, PG_FORMAT, PG_SECURITY, PG_FILE, PG_DONE };

enum {
    X_KEY = 1,
    X_FORMAT,
    X_CHAIN_P7B,
    X_CHAIN_PFX,
    X_PASSWORD,
    X_CONFIRM,
    X_CIPHER,
    X_FILE,
    X_SUM_FILE,
    X_SUM_KEYS,
    X_SUM_CHAIN,
    X_SUM_FORMAT,
};

struct export_wizard {
    struct ui_app *app;
    char *who; /* the store's owner as the console names it (F2's --for) */
    int act_for; /* a user node's: the store is read as the snap-in manages that account */
    struct certstore_entry e;
    int has_key, exportable;
    int with_key;          /* "Yes, export the private key" */
    int format_yes;        /* d->pages[PG_FORMAT] is the build for "Yes" */
    struct ui_page *spare; /* the other build of the format page */
    size_t last;           /* the page shown before */
};

static const char *const format_names[] = {
    "DER encoded binary X.509 (.CER)",
    "Base-64 encoded X.509 (.CER)",
    "Cryptographic Message Syntax Standard - PKCS #7 Certificates (.P7B)",
    "Personal Information Exchange - PKCS #12 (.PFX)",
};
static const char *const format_summary[] = {
    "DER Encoded Binary X.509 (*.cer)",
    "Base64 Encoded X.509 (*.cer)",
    "Cryptographic Message Syntax Standard (*.p7b)",
    "Personal Information Exchange (*.pfx)",
};
static const char *const ciphers[] = {"AES256-SHA256", "TripleDES-SHA1"};
static const char include_chain[] =
    "Include all certificates in the certification path if possible";

static enum export_format
chosen_format(struct ui_dialog *d)
{
    struct export_wizard *w = d->ctx;
    if (w->with_key)
        return EXPORT_PFX;
    switch (ui_dialog_field(d, X_FORMAT)->value) {
    case 1:
        return EXPORT_PEM;
    case 2:
        return EXPORT_P7B;
    default:
        return EXPORT_DER;
    }
}

static int
chosen_chain(struct ui_dialog *d)
{
    enum export_format f = chosen_format(d);
    if (f == EXPORT_PFX)
        return ui_dialog_field(d, X_CHAIN_PFX)->value;
    if (f == EXPORT_P7B)
        return ui_dialog_field(d, X_CHAIN_P7B)->value;
    return 0;
}

/* The file name typed, with the format's extension added when missing; allocated or NULL. */
static char *
chosen_path(struct ui_dialog *d)
{
    const char *name = ui_dialog_field(d, X_FILE)->text;
    if (name == NULL || *name == '\0')
        return NULL;
    const char *ext = export_extension(chosen_format(d));
    size_t n = strlen(name), e = strlen(ext);
    if (n > e && strcasecmp(name + n - e, ext) == 0)
        return ui_xstrdup(name);
    return ui_xasprintf("%s%s", name, ext);
}

/* Whether the directory of path exists and may be written. */
static int
dir_writable(const struct ui_host *h, const char *path)
{
    char *copy = ui_xstrdup(path);
    char *slash = strrchr(copy, '/');
    const char *dir = slash == NULL ? "." : slash == copy ? "/" : copy;
    if (slash != NULL && slash != copy)
        *slash = '\0';
    /* the user's files, through the client when the console is served */
    unsigned mode;
    int ok = h->stat(h->ctx, dir, 1, &mode) == 0 && S_ISDIR(mode) &&
             h->access(h->ctx, dir, W_OK) == 0;
    free(copy);
    return ok;
}

static void
wipe(struct ui_field *f)
{
    if (f != NULL && f->text != NULL)
        memset(f->text, 0, strlen(f->text));
}

static void
wizard_destroy(struct ui_dialog *d)
{
    struct export_wizard *w = d->ctx;
    wipe(ui_dialog_field(d, X_PASSWORD));
    wipe(ui_dialog_field(d, X_CONFIRM));
    /* the spare page goes back to the dialog, which frees its pages */
    d->pages[d->npages++] = w->spare;
    certstore_entry_free(&w->e);
    free(w->who);
    free(w);
}

static int
refuse(char **why, char *text)
{
    if (why != NULL)
        *why = text;
    else
        free(text);
    return 0;
}

static int
wizard_validate(struct ui_dialog *d, char **why)
{
    switch (d->cur) {
    case PG_SECURITY: {
        const char *a = ui_dialog_field(d, X_PASSWORD)->text;
        const char *b = ui_dialog_field(d, X_CONFIRM)->text;
        if (a == NULL || *a == '\0')
            return refuse(why, ui_xstrdup("Type a password"));
        if (b == NULL || strcmp(a, b) != 0)
            return refuse(why, ui_xstrdup("The passwords do not match"));
        return 1;
    }
    case PG_FILE: {
        char *path = chosen_path(d);
        if (path == NULL)
            return refuse(why, ui_xstrdup("Type the name of the file to export"));
        struct export_wizard *w = d->ctx;
        unsigned mode;
        int rc = 1;
        if (w->app->host->stat(w->app->host->ctx, path, 0, &mode) == 0)
            rc = refuse(why,
                        ui_xasprintf("The file %s already exists. Type another file name.", path));
        else if (!dir_writable(w->app->host, path))
            rc = refuse(why, ui_xasprintf("The folder of %s does not exist or cannot be "
                                          "written to.",
                                          path));
        free(path);
        return rc;
    }
    default:
        return 1;
    }
}

/* Only the chosen format's "Include all certificates" can be ticked. */
static void
format_changed(struct ui_dialog *d, struct ui_field *f)
{
    (void)f;
    struct ui_field *c = ui_dialog_field(d, X_CHAIN_P7B);
    if (c != NULL)
        c->disabled = chosen_format(d) != EXPORT_P7B;
}

static void
key_changed(struct ui_dialog *d, struct ui_field *f)
{
    struct export_wizard *w = d->ctx;
    w->with_key = w->exportable && f->value == 0;
    if (w->with_key != w->format_yes) {
        struct ui_page *p = d->pages[PG_FORMAT];
        d->pages[PG_FORMAT] = w->spare;
        w->spare = p;
        w->format_yes = w->with_key;
    }
}

static void
set_summary(struct ui_dialog *d, int id, const char *name, const char *value)
{
    char *s = ui_xasprintf("%-13s %s", name, value);
    ui_field_set_text(ui_dialog_field(d, id), s);
    free(s);
}

static void
wizard_page(struct ui_dialog *d)
{
    struct export_wizard *w = d->ctx;
    size_t from = w->last;
    int skip = (d->cur == PG_KEY && !w->has_key) || (d->cur == PG_SECURITY && !w->with_key);
    if (skip) {
        ui_dialog_set_page(d, d->cur > from ? d->cur + 1 : d->cur - 1);
        return;
    }
    w->last = d->cur;
    if (d->cur == PG_DONE) {
        char *path = chosen_path(d);
        enum export_format f = chosen_format(d);
        set_summary(d, X_SUM_FILE, "File Name:", path ? path : "");
        set_summary(d, X_SUM_KEYS, "Export Keys:", w->with_key ? "Yes" : "No");
        set_summary(d, X_SUM_CHAIN, "Include all certificates in the certification path:",
                    chosen_chain(d) ? "Yes" : "No");
        set_summary(d, X_SUM_FORMAT, "File Format:", format_summary[f]);
        free(path);
        /* Enter finishes, as the default button of the last page */
        for (size_t i = 0; i < d->nbuttons; i++)
            if (d->buttons[i]->value == UI_BUTTON_FINISH)
                ui_dialog_focus(d, d->buttons[i]);
    }
}

struct exported {
    struct ui_app *app;
    struct pkix_buf *der; /* the exported certificate */
};

static void
exported_answer(void *ctx, int view)
{
    struct exported *x = ctx;
    if (view)
        ui_cert_view_open(x->app, x->der->p, x->der->n);
    pkix_buf_free(x->der);
    free(x->der);
    free(x);
}

static char *wizard_command(struct ui_dialog *d, char **why);

static void
finish(struct ui_dialog *d)
{
    struct export_wizard *w = d->ctx;
    struct ui_app *app = w->app;
    char *path = chosen_path(d);
    unsigned mode;
    if (path == NULL || app->host->stat(app->host->ctx, path, 0, &mode) == 0) {
        /* created behind the wizard's back since the File to Export page */
        char *m = ui_xasprintf("The file %s already exists.", path ? path : "");
        ui_message(app, TITLE, m);
        free(m);
        free(path);
        return;
    }
    struct export_params p;
    memset(&p, 0, sizeof p);
    p.format = chosen_format(d);
    p.chain = chosen_chain(d);
    if (p.format == EXPORT_PFX) {
        p.password = ui_dialog_field(d, X_PASSWORD)->text;
        p.legacy = ui_dialog_field(d, X_CIPHER)->value == 1;
    }
    struct pkix_buf data = {0};
    char *cause = NULL, *why = NULL;
    /* a file written: the wizard records itself (a PFX's audit record alone would not say so) */
    char *record = wizard_command(d, &why);
    free(why);
    struct ops_export ex = {
        .pick = {.who = {.principal = w->who, .act_for = w->act_for},
                 .kind = w->e.kind,
                 .entry_id = w->e.id},
        .params = p,
    };
    int rc = ops_call(app->cx, OP_CERT_EXPORT, &ex, &data, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, TITLE, rc, cause);
        free(cause);
        free(path);
        free(record);
        pkix_buf_free(&data);
        return;
    }
    /* the File to Export page refused an existing file: never replace one here */
    rc = app->host->write(app->host->ctx, path, data.p, data.n, p.format == EXPORT_PFX ? 0600 : 0644, 0, &cause);
    pkix_buf_free(&data);
    if (rc != CC_OK) {
        char *m = ui_xasprintf("The export failed: %s.", cause ? cause : cc_strerror(rc));
        ui_message(app, TITLE, m);
        free(m);
        free(cause);
        free(path);
        free(record);
        return;
    }
    free(path);
    ui_record(app, TITLE, record);
    free(record);
    /* the result offers the certificate that was exported, as Windows' does */
    struct pkix_buf *der = ui_xcalloc(1, sizeof *der);
    der->p = ui_xmalloc(w->e.der.n ? w->e.der.n : 1);
    memcpy(der->p, w->e.der.p, w->e.der.n);
    der->n = w->e.der.n;
    struct exported *x = ui_xcalloc(1, sizeof *x);
    x->app = app;
    x->der = der;
    ui_dialog_close(d);
    ui_confirm(app, TITLE, "The export was successful.", "View Certificate", "OK", exported_answer,
               x);
}

static void
wizard_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    if (role == UI_BUTTON_FINISH)
        finish(d);
    else
        ui_dialog_close(d);
}

/*
 * F2: certcon export from the Personal store, the certificate named by its
 * thumbprint. The password is never shown: the command reads it from
 * PFX_PASSWORD, which a script sets first.
 */
static char *
wizard_command(struct ui_dialog *d, char **why)
{
    struct export_wizard *w = d->ctx;
    if (w->e.kind != CERTSTORE_MY) {
        *why = ui_xstrdup("the command line exports from a Personal store only");
        return NULL;
    }
    char *path = chosen_path(d);
    if (path == NULL) {
        *why = ui_xstrdup("no file name yet (File to Export)");
        return NULL;
    }
    static const char *const opt[] = {[EXPORT_DER] = "--der",
                                      [EXPORT_PEM] = "--pem",
                                      [EXPORT_P7B] = "--p7b",
                                      [EXPORT_PFX] = "--pfx"};
    enum export_format f = chosen_format(d);
    const char *a[5] = {NULL};
    size_t n = 0;
    if (chosen_chain(d))
        a[n++] = "--chain";
    if (f == EXPORT_PFX) {
        a[n++] = "--password-env";
        a[n++] = "PFX_PASSWORD";
        if (ui_dialog_field(d, X_CIPHER)->value == 1)
            a[n++] = "--legacy-pfx";
    }
    char *text = NULL;
    ui_command_add(&text, "export", "--for", w->who, w->e.thumbprint, opt[f], path, a[0], a[1],
                   a[2], a[3], (char *)NULL);
    free(path);
    return text;
}

static const struct ui_dialog_ops wizard_ops = {
    .command = wizard_command,
    .validate = wizard_validate,
    .button = wizard_button,
    .page = wizard_page,
    .destroy = wizard_destroy,
};

/* A greyed radio option that cannot be chosen. */
static struct ui_field *
greyed(struct ui_page *p, int x, int y, const char *text)
{
    char *s = ui_xasprintf("( ) %s", text);
    struct ui_field *f = ui_page_label(p, x, y, 0, s);
    free(s);
    f->disabled = 1;
    return f;
}

static void
format_page_intro(struct ui_page *p)
{
    ui_page_label(p, 0, 0, 0, "Certificates can be exported in a variety of file formats.");
    ui_page_label(p, 0, 2, 0, "Select the format you want to use:");
}

/* The format page when the private key stays behind: every format but PKCS #12. */
static void
format_page_no(struct ui_page *p)
{
    format_page_intro(p);
    struct ui_field *f = ui_page_radio(p, 0, 3, format_names, 3, 0);
    f->id = X_FORMAT;
    f->changed = format_changed;
    f = ui_page_check(p, 4, 6, include_chain, 0);
    f->id = X_CHAIN_P7B;
    f->disabled = 1;
    greyed(p, 0, 7, format_names[3]);
    ui_page_check(p, 4, 8, include_chain, 0)->disabled = 1;
}

/* The format page when the private key goes too: PKCS #12 only. */
static void
format_page_yes(struct ui_page *p)
{
    format_page_intro(p);
    for (int i = 0; i < 3; i++)
        greyed(p, 0, 3 + i, format_names[i]);
    ui_page_check(p, 4, 6, include_chain, 0)->disabled = 1;
    ui_page_radio(p, 0, 7, format_names + 3, 1, 0)->id = X_FORMAT;
    ui_page_check(p, 4, 8, include_chain, 0)->id = X_CHAIN_PFX;
}

void
ui_export_wizard_open(struct ui_app *app, const char *computer, int act_for,
                      enum certstore_kind kind, int64_t entry_id)
{
    struct export_wizard *w = ui_xcalloc(1, sizeof *w);
    char *cause = NULL;
    struct ops_store_pick a = {
        .who = {.principal = computer, .act_for = act_for}, .kind = kind, .entry_id = entry_id};
    int rc = ops_call(app->cx, OP_STORE_CERTIFICATE, &a, &w->e, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, TITLE, rc, cause);
        free(cause);
        free(w);
        return;
    }
    w->app = app;
    w->who = ui_xstrdup(computer);
    w->act_for = act_for;
    w->has_key = w->e.key_id > 0;
    w->exportable = w->has_key && w->e.exportable;

    struct ui_dialog *d = ui_dialog_new(app, TITLE, 78, 22, UI_DIALOG_WIZARD, &wizard_ops, w);
    struct ui_page *p = ui_dialog_add_page(d, "Welcome to the Certificate Export Wizard");
    ui_page_label(p, 0, 0, 0,
                  "This wizard helps you copy certificates, certificate trust lists and "
                  "certificate revocation lists from a certificate store to your disk.")
        ->h = 2;
    ui_page_label(p, 0, 3, 0,
                  "A certificate, which is issued by a certification authority, is a "
                  "confirmation of your identity and contains information used to protect "
                  "data or to establish secure network connections. A certificate store is "
                  "the system area where certificates are kept.")
        ->h = 4;
    char *s = ui_xasprintf("Certificate: %s", *w->e.subject ? w->e.subject : "(empty subject)");
    ui_page_label(p, 0, 8, 0, s);
    free(s);
    ui_page_label(p, 0, 10, 0, "To continue, click Next.");

    p = ui_dialog_add_page(d, "Export Private Key");
    ui_page_label(p, 0, 0, 0,
                  "You can choose to export the private key with the certificate. Private keys "
                  "are password protected. If you want to export the private key with the "
                  "certificate, you must type a password on a later page.")
        ->h = 3;
    ui_page_label(p, 0, 4, 0, "Do you want to export the private key with the certificate?");
    static const char *const key_options[] = {"Yes, export the private key",
                                              "No, do not export the private key"};
    if (w->exportable) {
        struct ui_field *f = ui_page_radio(p, 2, 6, key_options, 2, 1);
        f->id = X_KEY;
        f->changed = key_changed;
    } else {
        greyed(p, 2, 6, key_options[0]);
        ui_page_radio(p, 2, 7, key_options + 1, 1, 0)->id = X_KEY;
        ui_page_label(p, 0, 9, 0,
                      "Note: The associated private key is marked as not exportable. Only the "
                      "certificate can be exported.")
            ->h = 2;
    }

    format_page_no(ui_dialog_add_page(d, "Export File Format"));

    p = ui_dialog_add_page(d, "Security");
    ui_page_label(p, 0, 0, 0,
                  "To maintain security, you must protect the private key with a password.")
        ->h = 2;
    struct ui_field *f = ui_page_text(p, 2, 3, "Password:", 19, 50, "");
    f->id = X_PASSWORD;
    f->secret = 1;
    f = ui_page_text(p, 2, 4, "Confirm password:", 19, 50, "");
    f->id = X_CONFIRM;
    f->secret = 1;
    ui_page_drop(p, 2, 6, "Encryption:", 19, 40, ciphers, 2, 0)->id = X_CIPHER;

    p = ui_dialog_add_page(d, "File to Export");
    ui_page_label(p, 0, 0, 0, "Specify the name of the file you want to export.");
    ui_page_text(p, 0, 2, "File name:", 11, 0, "")->id = X_FILE;
    ui_page_label(p, 0, 4, 0,
                  "The extension of the format (.cer, .p7b or .pfx) is added when the name "
                  "has none.")
        ->h = 2;

    p = ui_dialog_add_page(d, "Completing the Certificate Export Wizard");
    ui_page_label(p, 0, 0, 0, "You have successfully completed the Certificate Export wizard.");
    ui_page_label(p, 0, 2, 0, "You have specified the following settings:");
    for (int id = X_SUM_FILE; id <= X_SUM_FORMAT; id++)
        ui_page_label(p, 2, 3 + id - X_SUM_FILE, 0, "")->id = id;
    ui_page_label(p, 0, 8, 0, "To export the certificate, click Finish.");

    /* the format page for "Yes" waits outside the dialog's pages */
    format_page_yes(ui_dialog_add_page(d, "Export File Format"));
    w->spare = d->pages[--d->npages];

    ui_dialog_add_button(d, "< Back", UI_BUTTON_BACK, 2);
    ui_dialog_add_button(d, "Next >", UI_BUTTON_NEXT, 3);
    ui_dialog_add_button(d, "Finish", UI_BUTTON_FINISH, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}
