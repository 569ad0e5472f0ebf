/*
 * The CA's CRL dialogs (see crl_sheet.h), as certsrv.msc has them. Publish
 * asks what Windows asks — New CRL or Delta CRL only — and offers the delta
 * only while delta CRLs are on. The Revoked Certificates Properties sheet
 * edits a draft of the three publication settings and writes the
 * differences with ca.configure, the operation `ca set` calls, in one
 * transaction; the core decides who may, and a refusal is shown whole.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authority.h"
#include "crl.h"
#include "crl_sheet.h"
#include "dialog.h"
#include "mem.h"
#include "screen.h"
#include "ops.h"
#include "snap.h"
#include "status.h"
#include "template.h"

static const char *
when(time_t t, char *buf, size_t size)
{
    return ui_time_text(t, "%Y-%m-%d %H:%M UTC", buf, size);
}

/* ---------------- All Tasks -> Publish ---------------- */

enum { F_PUBLISH_KIND = 1 };

static void
publish_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct ui_app *app = d->layer.app;
    if (role != UI_BUTTON_OK) {
        ui_dialog_close(d);
        return;
    }
    enum crl_kind kind = ui_dialog_field(d, F_PUBLISH_KIND)->value == 1 ? CRL_DELTA : CRL_BASE;
    struct ops_crl_kind which = {kind};
    struct ops_crl crl;
    memset(&crl, 0, sizeof crl);
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_CRL_PUBLISH, &which, &crl, &cause);
    const struct crl_info info = crl.info;
    ops_crl_free(&crl);
    if (rc != CC_OK) {
        /* the dialog stays: another choice may do */
        ui_dialog_set_error(d, rc, cause);
        return;
    }
    ui_dialog_close(d);
    char next[32];
    char *msg =
        kind == CRL_DELTA
            ? ui_xasprintf("Published delta CRL number %lld (base CRL %lld) with %lld change%s; "
                           "next update %s.",
                           (long long)info.number, (long long)info.base, (long long)info.count,
                           info.count == 1 ? "" : "s", when(info.next_update, next, sizeof next))
            : ui_xasprintf("Published CRL number %lld with %lld revoked certificate%s; next "
                           "update %s.",
                           (long long)info.number, (long long)info.count,
                           info.count == 1 ? "" : "s", when(info.next_update, next, sizeof next));
    ui_message(app, "Publish CRL", msg);
    free(msg);
    ui_console_refresh(app);
}

/* F2: ca crl publishes one, as OK does (the PEM goes to standard output). */
static char *
publish_command(struct ui_dialog *d, char **why)
{
    (void)why;
    char *text = NULL;
    if (ui_dialog_field(d, F_PUBLISH_KIND)->value == 1)
        ui_command_add(&text, "ca", "crl", "--delta", (char *)NULL);
    else
        ui_command_add(&text, "ca", "crl", (char *)NULL);
    return text;
}

static const struct ui_dialog_ops publish_ops = {
    .command = publish_command,
    .button = publish_button,
};

void
ui_crl_publish_open(struct ui_app *app)
{
    static const char *const kinds[] = {"New CRL", "Delta CRL only"};
    struct ops_ca_info ca;
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_CA_SHOW, NULL, &ca, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Publish CRL", rc, cause);
        free(cause);
        return;
    }
    int deltas = ca.info.delta_period > 0;
    ops_ca_info_free(&ca);
    struct ui_dialog *d =
        ui_dialog_new(app, "Publish CRL", 64, 13, UI_DIALOG_PLAIN, &publish_ops, NULL);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    ui_page_label(p, 0, 0, 0, "Select the type of CRL to publish:");
    ui_page_radio(p, 2, 1, kinds, deltas ? 2 : 1, 0)->id = F_PUBLISH_KIND;
    ui_page_label(p, 0, 4, 0,
                  deltas ? "A new CRL lists every revoked certificate; a delta CRL only what "
                           "changed since the newest CRL."
                         : "A new CRL lists every revoked certificate. Delta CRLs are off "
                           "(Revoked Certificates -> Properties turns them on).")
        ->h = 2;
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

/* ---------------- Revoked Certificates -> Properties ---------------- */

enum {
    F_CRL_NUM = 1,
    F_CRL_UNIT,
    F_DELTA_ON,
    F_DELTA_NUM,
    F_DELTA_UNIT,
    F_ON_REVOKE,
};

/* The units a period is shown in, as Windows lists them, with `ca set`'s letters. */
static const char *const unit_names[] = {"Hours", "Days", "Weeks", "Months", "Years"};
static const char unit_letters[] = "hdwmy";
static const int64_t unit_secs[] = {PERIOD_HOUR, PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH,
                                    PERIOD_YEAR};
#define NUNITS (sizeof unit_names / sizeof unit_names[0])

struct crlsheet {
    int64_t crl_period, delta_period; /* as stored; delta 0: off */
    int on_revoke;
};

/* A period as a number of the largest unit that divides it (1 week, not 7 days). */
static void
period_split(int64_t secs, long long *n, int *unit)
{
    *unit = 0;
    for (int u = (int)NUNITS - 1; u >= 0; u--)
        if (secs > 0 && secs % unit_secs[u] == 0) {
            *unit = u;
            break;
        }
    *n = secs > 0 ? (long long)(secs / unit_secs[*unit]) : 1;
}

/* The draft's period from a number field and its unit; 0 and *why when it is no period. */
static int64_t
period_of(struct ui_dialog *d, int num_id, int unit_id, char **why)
{
    char spec[64];
    int unit = ui_dialog_field(d, unit_id)->value;
    snprintf(spec, sizeof spec, "%s%c", ui_dialog_field(d, num_id)->text,
             unit_letters[unit >= 0 && (size_t)unit < NUNITS ? unit : 0]);
    int64_t secs = 0;
    if (template_period_parse(spec, &secs, why) != CC_OK)
        return 0;
    return secs;
}

static void
interval_check(struct ui_dialog *d, int num_id, int unit_id, const char *what)
{
    struct ui_field *f = ui_dialog_field(d, num_id);
    char *why = NULL;
    const char *t = f->text;
    int digits = *t != '\0';
    for (; *t; t++)
        digits &= *t >= '0' && *t <= '9';
    if (f->disabled || (digits && period_of(d, num_id, unit_id, &why) > 0)) {
        ui_field_set_error(f, NULL);
    } else {
        char *msg = ui_xasprintf("The %s must be a whole number of %s from 1 up (at most 100 "
                                 "years in all)",
                                 what, unit_names[ui_dialog_field(d, unit_id)->value]);
        ui_field_set_error(f, msg);
        free(msg);
    }
    free(why);
}

static void
crl_changed(struct ui_dialog *d, struct ui_field *f)
{
    (void)f;
    int on = ui_dialog_field(d, F_DELTA_ON)->value;
    ui_dialog_field(d, F_DELTA_NUM)->disabled = !on;
    ui_dialog_field(d, F_DELTA_UNIT)->disabled = !on;
    interval_check(d, F_CRL_NUM, F_CRL_UNIT, "CRL publication interval");
    interval_check(d, F_DELTA_NUM, F_DELTA_UNIT, "delta CRL publication interval");
}

/* The draft's three settings; *ok is 0 while an interval is not a period. */
static void
crl_draft(struct ui_dialog *d, int64_t *crl, int64_t *delta, int *on_revoke)
{
    *crl = period_of(d, F_CRL_NUM, F_CRL_UNIT, NULL);
    *delta = ui_dialog_field(d, F_DELTA_ON)->value ? period_of(d, F_DELTA_NUM, F_DELTA_UNIT, NULL)
                                                   : 0;
    *on_revoke = ui_dialog_field(d, F_ON_REVOKE)->value;
}

static int
crl_unsaved(struct ui_dialog *d)
{
    struct crlsheet *s = d->ctx;
    int64_t crl, delta;
    int on_revoke;
    crl_draft(d, &crl, &delta, &on_revoke);
    return crl != s->crl_period || delta != s->delta_period || on_revoke != s->on_revoke;
}

static int
crl_commit(struct ui_dialog *d, char **cause)
{
    struct crlsheet *s = d->ctx;
    int64_t crl, delta;
    int on_revoke;
    crl_draft(d, &crl, &delta, &on_revoke);
    char cv[32], dv[32];
    struct ops_ca_setting set[3];
    size_t n = 0;
    if (crl != s->crl_period) {
        snprintf(cv, sizeof cv, "%lldh", (long long)(crl / PERIOD_HOUR));
        set[n++] = (struct ops_ca_setting){"crl-period", cv};
    }
    if (delta != s->delta_period) {
        snprintf(dv, sizeof dv, "%lldh", (long long)(delta / PERIOD_HOUR));
        set[n++] = (struct ops_ca_setting){"delta-period", delta ? dv : "0"};
    }
    if (on_revoke != s->on_revoke)
        set[n++] = (struct ops_ca_setting){"publish-on-revoke", on_revoke ? "on" : "off"};
    struct ops_ca_configure a = {.settings = set, .nsettings = n};
    return n == 0 ? CC_OK : ops_call(d->layer.app->cx, OP_CA_CONFIGURE, &a, NULL, cause);
}

static void
crl_load(struct crlsheet *s, const struct authority_info *info)
{
    s->crl_period = info->crl_period;
    s->delta_period = info->delta_period;
    s->on_revoke = info->publish_on_revoke;
}

static void
crl_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct crlsheet *s = d->ctx;
    struct ui_app *app = d->layer.app;
    if (role == UI_BUTTON_CANCEL) {
        ui_dialog_close(d);
        return;
    }
    char *cause = NULL;
    struct ops_ca_info ca;
    int rc = crl_unsaved(d) ? crl_commit(d, &cause) : CC_OK;
    if (rc == CC_OK)
        rc = ops_call(app->cx, OP_CA_SHOW, NULL, &ca, &cause);
    if (rc != CC_OK) {
        /* the whole refusal, in a box of its own; the draft stays for another try */
        ui_show_error(app, "Revoked Certificates Properties", rc, cause);
        free(cause);
        return;
    }
    crl_load(s, &ca.info);
    ops_ca_info_free(&ca);
    if (role == UI_BUTTON_OK)
        ui_dialog_close(d);
}

static void
crl_destroy(struct ui_dialog *d)
{
    free(d->ctx);
}

/* One interval as `ca set` takes it: the number typed and its unit's letter ("2w"). */
static char *
interval_text(struct ui_dialog *d, int num_id, int unit_id)
{
    int unit = ui_dialog_field(d, unit_id)->value;
    return ui_xasprintf("%s%c", ui_dialog_field(d, num_id)->text,
                        unit_letters[unit >= 0 && (size_t)unit < NUNITS ? unit : 0]);
}

/* F2: one ca set per setting changed, as OK writes them. */
static char *
crl_command(struct ui_dialog *d, char **why)
{
    struct crlsheet *s = d->ctx;
    int64_t crl, delta;
    int on_revoke;
    crl_draft(d, &crl, &delta, &on_revoke);
    if (crl == 0 || (ui_dialog_field(d, F_DELTA_ON)->value && delta == 0)) {
        *why = ui_xstrdup("an interval is not a period yet");
        return NULL;
    }
    char *text = NULL;
    if (crl != s->crl_period) {
        char *v = interval_text(d, F_CRL_NUM, F_CRL_UNIT);
        ui_command_add(&text, "ca", "set", "crl-period", v, (char *)NULL);
        free(v);
    }
    if (delta != s->delta_period) {
        char *v = delta ? interval_text(d, F_DELTA_NUM, F_DELTA_UNIT) : ui_xstrdup("0");
        ui_command_add(&text, "ca", "set", "delta-period", v, (char *)NULL);
        free(v);
    }
    if (on_revoke != s->on_revoke)
        ui_command_add(&text, "ca", "set", "publish-on-revoke", on_revoke ? "on" : "off",
                       (char *)NULL);
    if (text == NULL)
        *why = ui_xstrdup("nothing has changed since the dialog opened or was applied");
    return text;
}

static const struct ui_dialog_ops crl_ops = {
    .command = crl_command,
    .unsaved = crl_unsaved,
    .button = crl_button,
    .destroy = crl_destroy,
};

/* "Next update: ..." of the newest CRL of a kind, or why there is none. */
static char *
next_update(struct ui_app *app, enum crl_kind kind)
{
    struct ops_crl_kind which = {kind};
    struct ops_crl latest;
    memset(&latest, 0, sizeof latest);
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_CRL_LATEST, &which, &latest, &cause);
    free(cause);
    const struct crl_info ci = latest.info;
    ops_crl_free(&latest);
    char buf[32];
    if (rc == CC_OK)
        return ui_xasprintf("Next update: %s (CRL number %lld)", when(ci.next_update, buf, sizeof buf),
                            (long long)ci.number);
    return ui_xstrdup(rc == CC_ENOTFOUND ? "Next update: none published yet"
                                         : "Next update: cannot be read");
}

static void
interval_row(struct ui_page *p, int y, const char *label, int64_t secs, int num_id, int unit_id)
{
    long long n;
    int unit;
    period_split(secs, &n, &unit);
    char num[24];
    snprintf(num, sizeof num, "%lld", n);
    struct ui_field *f = ui_page_text(p, 2, y, label, 27, 27 + 8, num);
    f->id = num_id;
    f->changed = crl_changed;
    f = ui_page_drop(p, 39, y, "", 0, 12, unit_names, NUNITS, unit);
    f->id = unit_id;
    f->changed = crl_changed;
}

void
ui_crl_sheet_open(struct ui_app *app)
{
    struct ops_ca_info ca;
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_CA_SHOW, NULL, &ca, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Revoked Certificates Properties", rc, cause);
        free(cause);
        return;
    }
    const struct authority_info info = ca.info;
    struct crlsheet *s = ui_xcalloc(1, sizeof *s);
    crl_load(s, &info);
    struct ui_dialog *d = ui_dialog_new(app, "Revoked Certificates Properties", 72, 18,
                                        UI_DIALOG_TABS, &crl_ops, s);
    struct ui_page *p = ui_dialog_add_page(d, "CRL Publishing Parameters");
    ui_page_label(p, 0, 0, 0, "A Certificate Revocation List (CRL) describes certificates that "
                              "clients should consider invalid.")
        ->h = 2;
    interval_row(p, 2, "CRL publication interval:", info.crl_period, F_CRL_NUM, F_CRL_UNIT);
    char *line = next_update(app, CRL_BASE);
    ui_page_label(p, 4, 3, 0, line);
    free(line);
    ui_page_check(p, 2, 5, "Publish Delta CRLs", info.delta_period > 0)->id = F_DELTA_ON;
    ui_dialog_field(d, F_DELTA_ON)->changed = crl_changed;
    /* off: the field offers AD CS's default of one day for when it is turned on */
    interval_row(p, 6, "Publication interval:", info.delta_period > 0 ? info.delta_period : PERIOD_DAY,
                 F_DELTA_NUM, F_DELTA_UNIT);
    line = info.delta_period > 0 ? next_update(app, CRL_DELTA) : ui_xstrdup("");
    ui_page_label(p, 4, 7, 0, line);
    free(line);
    ui_page_check(p, 2, 9, "Publish a CRL at once after each revocation", info.publish_on_revoke)
        ->id = F_ON_REVOKE;
    ui_dialog_field(d, F_ON_REVOKE)->changed = crl_changed;
    ops_ca_info_free(&ca);
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_add_button(d, "Apply", UI_BUTTON_APPLY, 2);
    crl_changed(d, NULL);
    ui_dialog_show(d);
}
