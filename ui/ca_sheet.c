/*
 * The CA's Properties sheet (see ca_sheet.h). Tabs as certsrv.msc has
 * them; where certcon has no setting behind a Windows control (the policy
 * module's request handling, restricted certificate managers, which events
 * to audit) the control shows what certcon does and cannot take the
 * focus, with one line saying why. The sheet holds a draft of what can
 * change — the base URL, the CDP and AIA locations and the role entries —
 * and a copy of what it started from; OK and Apply write the differences
 * with one operation (one transaction), and
 * the core decides who may: a refusal is shown whole and the draft stays.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "authority.h"
#include "ca_sheet.h"
#include "cert_view.h"
#include "certinfo.h"
#include "dialog.h"
#include "directory.h"
#include "mem.h"
#include "screen.h"
#include "ops.h"
#include "picker.h"
#include "principals.h"
#include "snap.h"
#include "status.h"

enum {
    F_VIEW_CERT = 1,
    F_BASE,
    F_CDP_MODE,
    F_CDP,
    F_CDP_NOW,
    F_AIA_MODE,
    F_AIA,
    F_AIA_NOW,
    F_OCSP_NOW,
    F_SEC_LIST,
    F_SEC_FOR,
    F_SEC_ADD,
    F_SEC_REMOVE,
    F_MANAGERS,
    F_GRID = 100, /* F_GRID + 2 * row (+ 1 for Deny) */
};

/* The Security tab's rows: the CA permissions, then the roles certcon keeps beside them. */
static const struct {
    unsigned right;
    const char *label;
} grid[] = {
    {CA_RIGHT_READ, "Read"},        {CA_RIGHT_OFFICER, "Issue and Manage Certificates"},
    {CA_RIGHT_MANAGE, "Manage CA"}, {CA_RIGHT_ENROLL, "Request Certificates"},
    {CA_RIGHT_AUDIT, "Auditor"},    {CA_RIGHT_BACKUP, "Backup Operator"},
};
#define NGRID (sizeof grid / sizeof grid[0])

struct ace {
    int64_t id;
    char *name;
    unsigned allow, deny;
};

struct casheet {
    struct ui_app *app;
    struct authority_info info;
    char *key_description;     /* from ca.show, may be NULL */
    char *database, *key_file; /* from ca.show: where the CA keeps its data and key */
    char *base, *cdp, *aia;    /* as stored; cdp and aia may be AUTHORITY_URL_AUTO */
    struct ace *orig, *draft;
    size_t norig, ndraft, cap;
    struct ui_principals sec; /* the Security tab's list: the draft's principals */
};

static void
aces_free(struct ace *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].name);
    free(v);
}

static struct ace *
ace_find(struct ace *v, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].id == id)
            return &v[i];
    return NULL;
}

static void
set_label(struct ui_dialog *d, int id, const char *text)
{
    struct ui_field *f = ui_dialog_field(d, id);
    if (f != NULL)
        ui_field_set_text(f, text);
}

/* ---------------- Extensions: the URLs, checked as they are typed ---------------- */

/*
 * The reason a URL cannot go into certificates, or NULL. Stricter than the
 * core's own check (an http, https or ldap URL): a host is needed, and
 * nothing a client would stop at (a space, a control character).
 */
static const char *
url_problem(const char *u)
{
    const char *rest = NULL;
    static const char *const schemes[] = {"http://", "https://", "ldap://"};
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        if (strncasecmp(u, schemes[i], strlen(schemes[i])) == 0)
            rest = u + strlen(schemes[i]);
    if (rest == NULL)
        return "must start with http://, https:// or ldap:// (choose None to leave the "
               "extension out)";
    if (*rest == '\0' || *rest == '/')
        return "needs a host name after the ://";
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return "cannot hold spaces or control characters (write a space as %20)";
    return NULL;
}

/* How a CDP or AIA location is chosen: the radio group's options. */
enum url_mode { URL_AUTO, URL_OWN, URL_NONE };

static enum url_mode
url_mode_of(const char *stored)
{
    if (strcmp(stored, AUTHORITY_URL_AUTO) == 0)
        return URL_AUTO;
    return *stored ? URL_OWN : URL_NONE;
}

/*
 * The value the draft would store for one location: 'auto', the URL
 * typed, or "". Points into the field; the word 'auto' is never typed.
 */
static const char *
url_draft(struct ui_dialog *d, int mode_id, int text_id)
{
    switch (ui_dialog_field(d, mode_id)->value) {
    case URL_AUTO:
        return AUTHORITY_URL_AUTO;
    case URL_OWN:
        return ui_dialog_field(d, text_id)->text;
    default:
        return "";
    }
}

/* Checks one location's own URL, which only "This URL" asks for. */
static void
url_check(struct ui_dialog *d, int mode_id, int text_id, const char *what)
{
    struct ui_field *f = ui_dialog_field(d, text_id);
    int own = ui_dialog_field(d, mode_id)->value == URL_OWN;
    f->disabled = !own;
    const char *why = !own ? NULL
                      : *f->text == '\0'
                          ? "is empty: type the URL, or choose None to leave the extension out"
                          : url_problem(f->text);
    if (why == NULL) {
        ui_field_set_error(f, NULL);
        return;
    }
    char *msg = ui_xasprintf("%s %s", what, why);
    ui_field_set_error(f, msg);
    free(msg);
}

/*
 * Shows the URLs the draft puts in certificates, computed by the core's
 * own authority_urls_get so that the sheet and `ca show` cannot differ.
 */
static void
urls_show(struct ui_dialog *d)
{
    struct casheet *s = d->ctx;
    struct ui_field *base = ui_dialog_field(d, F_BASE);
    char *cause = NULL;
    if (*base->text != '\0' && authority_base_url_check(base->text, &cause) != CC_OK) {
        ui_field_set_error(base, cause ? cause : "The base URL is not an http or https URL");
    } else {
        ui_field_set_error(base, NULL);
    }
    free(cause);
    url_check(d, F_CDP_MODE, F_CDP, "The CDP URL");
    url_check(d, F_AIA_MODE, F_AIA, "The AIA URL");
    struct authority_info draft = s->info;
    draft.base_url = base->text;
    draft.cdp_url = (char *)url_draft(d, F_CDP_MODE, F_CDP);
    draft.aia_url = (char *)url_draft(d, F_AIA_MODE, F_AIA);
    struct authority_urls u;
    memset(&u, 0, sizeof u);
    int ok = base->error == NULL && authority_urls_get(&draft, &u) == CC_OK;
    const char *none = ok ? "(none)" : "(fix the base URL first)";
    const char *bad = "(fix the URL above first)";
    char *line = ui_xasprintf("In effect: %s", ui_dialog_field(d, F_CDP)->error ? bad
                                               : u.cdp                          ? u.cdp
                                                                                : none);
    set_label(d, F_CDP_NOW, line);
    free(line);
    line = ui_xasprintf("In effect: %s", ui_dialog_field(d, F_AIA)->error ? bad
                                         : u.ca_issuers                   ? u.ca_issuers
                                                                          : none);
    set_label(d, F_AIA_NOW, line);
    free(line);
    line = ui_xasprintf("OCSP (from the base URL): %s", u.ocsp ? u.ocsp : none);
    set_label(d, F_OCSP_NOW, line);
    free(line);
    authority_urls_free(&u);
}

static void
url_changed(struct ui_dialog *d, struct ui_field *f)
{
    (void)f;
    urls_show(d);
}

/* ---------------- Security ---------------- */

/* The grid shows the rights of the principal selected in the list. */
static void
sec_selected(struct ui_dialog *d)
{
    struct casheet *s = d->ctx;
    int64_t sel = ui_principals_selected(&s->sec, NULL);
    const struct ace *e = sel != 0 ? ace_find(s->draft, s->ndraft, sel) : NULL;
    char *lab = e ? ui_xasprintf("Permissions for %s", e->name) : ui_xstrdup("Permissions");
    set_label(d, F_SEC_FOR, lab);
    free(lab);
    for (size_t r = 0; r < NGRID; r++) {
        struct ui_field *a = ui_dialog_field(d, F_GRID + 2 * (int)r);
        struct ui_field *n = ui_dialog_field(d, F_GRID + 2 * (int)r + 1);
        a->value = e && (e->allow & grid[r].right);
        n->value = e && (e->deny & grid[r].right);
        a->disabled = n->disabled = e == NULL;
    }
}

static void
grid_changed(struct ui_dialog *d, struct ui_field *f)
{
    struct casheet *s = d->ctx;
    struct ace *e = ace_find(s->draft, s->ndraft, ui_principals_selected(&s->sec, NULL));
    if (e == NULL)
        return;
    int idx = f->id - F_GRID;
    unsigned bit = grid[idx / 2].right;
    unsigned *mine = idx % 2 ? &e->deny : &e->allow, *other = idx % 2 ? &e->allow : &e->deny;
    if (f->value) {
        *mine |= bit;
        *other &= ~bit; /* Allow and Deny of one right exclude each other */
    } else {
        *mine &= ~bit;
    }
    ui_principals_fill(&s->sec);
}

static void
draft_add(struct casheet *s, int64_t id, const char *name, unsigned allow, unsigned deny)
{
    ui_xgrow(&s->draft, &s->cap, s->ndraft + 1, sizeof *s->draft);
    s->draft[s->ndraft++] = (struct ace){id, ui_xstrdup(name), allow, deny};
}

/* Add... chose p: the list shows the name the picker qualified, as the entry keeps it. */
static const char *
sec_picked(struct ui_dialog *d, const struct dir_principal *p, const char *qualified)
{
    struct casheet *s = d->ctx;
    const char *name = qualified ? qualified : p->name;
    if (ace_find(s->draft, s->ndraft, p->id) == NULL) {
        /* a principal added to the list may read the CA, as Windows does */
        draft_add(s, p->id, name, CA_RIGHT_READ, 0);
    }
    return name;
}

static void
sec_removed(struct ui_dialog *d, int64_t id)
{
    struct casheet *s = d->ctx;
    for (size_t i = 0; i < s->ndraft; i++)
        if (s->draft[i].id == id) {
            free(s->draft[i].name);
            memmove(&s->draft[i], &s->draft[i + 1], (s->ndraft - i - 1) * sizeof *s->draft);
            s->ndraft--;
            break;
        }
}

/* The list shows the draft's principals (again after Apply). */
static void
sec_load(struct casheet *s)
{
    ui_principals_clear(&s->sec);
    for (size_t i = 0; i < s->ndraft; i++)
        ui_principals_load_id(&s->sec, s->draft[i].id, s->draft[i].name, DIR_USER);
}

/* ---------------- Certificate Managers: who holds the role now ---------------- */

static void
managers_fill(struct ui_dialog *d)
{
    struct casheet *s = d->ctx;
    struct ui_field *l = ui_dialog_field(d, F_MANAGERS);
    ui_memsource_clear(l->rows);
    for (size_t i = 0; i < s->norig; i++)
        if ((s->orig[i].allow & CA_RIGHT_OFFICER) && !(s->orig[i].deny & CA_RIGHT_OFFICER)) {
            const char *row[] = {s->orig[i].name};
            ui_memsource_add(l->rows, s->orig[i].id, row);
        }
    ui_list_refresh(&l->list);
}

/* ---------------- the sheet ---------------- */

static int
urls_changed(const struct casheet *s, struct ui_dialog *d)
{
    return strcmp(ui_dialog_field(d, F_BASE)->text, s->base) != 0 ||
           strcmp(url_draft(d, F_CDP_MODE, F_CDP), s->cdp) != 0 ||
           strcmp(url_draft(d, F_AIA_MODE, F_AIA), s->aia) != 0;
}

static int
roles_changed(const struct casheet *s)
{
    if (s->norig != s->ndraft)
        return 1;
    for (size_t i = 0; i < s->ndraft; i++) {
        struct ace *o = ace_find(s->orig, s->norig, s->draft[i].id);
        if (o == NULL || o->allow != s->draft[i].allow || o->deny != s->draft[i].deny)
            return 1;
    }
    return 0;
}

static int
sheet_unsaved(struct ui_dialog *d)
{
    struct casheet *s = d->ctx;
    return urls_changed(s, d) || roles_changed(s);
}

static int
sheet_validate(struct ui_dialog *d, char **why)
{
    (void)d;
    (void)why;
    return 1; /* the URL fields carry their own errors */
}

/*
 * Writes the draft: every difference, in one operation (one transaction).
 * Settings and the entries with them are ca.configure; entries alone are
 * ca.permissions, whose refusal names what was asked.
 */
static int
sheet_commit(struct ui_dialog *d, char **cause)
{
    struct casheet *s = d->ctx;
    const char *base = ui_dialog_field(d, F_BASE)->text;
    const char *cdp = url_draft(d, F_CDP_MODE, F_CDP), *aia = url_draft(d, F_AIA_MODE, F_AIA);
    struct ops_ca_setting set[3];
    size_t nset = 0;
    if (strcmp(base, s->base) != 0)
        set[nset++] = (struct ops_ca_setting){"base-url", base};
    if (strcmp(cdp, s->cdp) != 0)
        set[nset++] = (struct ops_ca_setting){"cdp-url", cdp};
    if (strcmp(aia, s->aia) != 0)
        set[nset++] = (struct ops_ca_setting){"aia-url", aia};
    struct ops_ca_ace *aces = ui_xcalloc(s->ndraft + s->norig + 1, sizeof *aces);
    size_t naces = 0;
    for (size_t i = 0; i < s->ndraft; i++) {
        struct ace *o = ace_find(s->orig, s->norig, s->draft[i].id);
        if (o == NULL || o->allow != s->draft[i].allow || o->deny != s->draft[i].deny)
            aces[naces++] =
                (struct ops_ca_ace){s->draft[i].id, s->draft[i].allow, s->draft[i].deny};
    }
    for (size_t i = 0; i < s->norig; i++)
        if (ace_find(s->draft, s->ndraft, s->orig[i].id) == NULL)
            aces[naces++] = (struct ops_ca_ace){s->orig[i].id, 0, 0};
    struct ops_ca_configure a = {set, nset, aces, naces};
    int rc =
        nset + naces == 0
            ? CC_OK
            : ops_call(s->app->cx, nset > 0 ? OP_CA_CONFIGURE : OP_CA_PERMISSIONS, &a, NULL, cause);
    free(aces);
    return rc;
}

/* Reads what the sheet starts from (again after Apply). */
static int
sheet_load(struct casheet *s, char **cause)
{
    struct ops_ca_info ca;
    int rc = ops_call(s->app->cx, OP_CA_SHOW, NULL, &ca, cause);
    if (rc != CC_OK)
        return rc;
    authority_info_free(&s->info);
    free(s->key_description);
    free(s->database);
    free(s->key_file);
    /* the sheet keeps the configuration and what its tabs show, the rest goes */
    s->info = ca.info;
    s->key_description = ca.key_description;
    s->database = ca.database;
    s->key_file = ca.key_file;
    memset(&ca.info, 0, sizeof ca.info);
    ca.key_description = ca.database = ca.key_file = NULL;
    ops_ca_info_free(&ca);
    free(s->base);
    free(s->cdp);
    free(s->aia);
    s->base = ui_xstrdup(s->info.base_url ? s->info.base_url : "");
    s->cdp = ui_xstrdup(s->info.cdp_url ? s->info.cdp_url : "");
    s->aia = ui_xstrdup(s->info.aia_url ? s->info.aia_url : "");
    struct ops_ca_roles roles;
    if ((rc = ops_call(s->app->cx, OP_CA_ROLES, NULL, &roles, cause)) != CC_OK)
        return rc;
    const struct authority_ace *v = roles.aces;
    size_t n = roles.n;
    aces_free(s->orig, s->norig);
    aces_free(s->draft, s->ndraft);
    s->orig = ui_xcalloc(n ? n : 1, sizeof *s->orig);
    s->norig = n;
    s->draft = NULL;
    s->ndraft = s->cap = 0;
    for (size_t i = 0; i < n; i++) {
        s->orig[i] = (struct ace){v[i].principal, ui_xstrdup(v[i].name ? v[i].name : "?"),
                                  v[i].allow, v[i].deny};
        draft_add(s, v[i].principal, s->orig[i].name, v[i].allow, v[i].deny);
    }
    ops_ca_roles_free(&roles);
    sec_load(s);
    return CC_OK;
}

static void
sheet_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct casheet *s = d->ctx;
    if (role == UI_BUTTON_CANCEL) {
        ui_dialog_close(d);
        return;
    }
    char *cause = NULL;
    int rc = sheet_unsaved(d) ? sheet_commit(d, &cause) : CC_OK;
    if (rc == CC_OK)
        rc = sheet_load(s, &cause);
    if (rc != CC_OK) {
        /* the whole refusal, in a box of its own; the draft stays for another try */
        ui_show_error(s->app, "Certification Authority", rc, cause);
        free(cause);
        return;
    }
    ui_dialog_set_message(d, NULL);
    ui_principals_fill(&s->sec);
    managers_fill(d);
    urls_show(d);
    ui_console_refresh(s->app);
    if (role == UI_BUTTON_OK)
        ui_dialog_close(d);
}

static void
sheet_free(struct casheet *s)
{
    authority_info_free(&s->info);
    free(s->key_description);
    free(s->database);
    free(s->key_file);
    free(s->base);
    free(s->cdp);
    free(s->aia);
    aces_free(s->orig, s->norig);
    aces_free(s->draft, s->ndraft);
    ui_principals_free(&s->sec);
    free(s);
}

static void
sheet_destroy(struct ui_dialog *d)
{
    sheet_free(d->ctx);
}

/* Role names as `ca roles` takes them, in the grid's order. */
static char *
roles_text(unsigned rights)
{
    static const struct {
        unsigned right;
        const char *name;
    } names[] = {
        {CA_RIGHT_READ, "Read"},
        {CA_RIGHT_OFFICER, "Certificate Manager"},
        {CA_RIGHT_MANAGE, "CA Administrator"},
        {CA_RIGHT_ENROLL, "Enrollee"},
        {CA_RIGHT_AUDIT, "Auditor"},
        {CA_RIGHT_BACKUP, "Backup Operator"},
    };
    char *text = ui_xstrdup("");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(rights & names[i].right))
            continue;
        char *t = ui_xasprintf("%s%s%s", text, *text ? "," : "", names[i].name);
        free(text);
        text = t;
    }
    return text;
}

/*
 * The options of `ca roles` that turn an entry into another: the verb
 * grants, then denies, then revokes, whatever their order, so rights the
 * entry keeps are never cleared on the way.
 */
static void
role_options(char **cmd, const char *name, unsigned a0, unsigned d0, unsigned allow, unsigned deny)
{
    const char *opt[3] = {"--grant", "--deny", "--revoke"};
    unsigned bits[3] = {(allow & ~a0) || (d0 & allow) ? allow : 0,
                        (deny & ~d0) || (a0 & deny) ? deny : 0, (a0 | d0) & ~allow & ~deny};
    for (int k = 0; k < 3; k++) {
        if (bits[k] == 0)
            continue;
        char *r = roles_text(bits[k]);
        char *spec = ui_xasprintf("%s:%s", name, r);
        char *q = ui_shell_quote(spec);
        char *t = ui_xasprintf("%s %s %s", *cmd, opt[k], q);
        free(*cmd);
        *cmd = t;
        free(q);
        free(spec);
        free(r);
    }
}

/* F2: one `ca set` per location changed, then one `ca roles` for the Security tab. */
static char *
sheet_command(struct ui_dialog *d, char **why)
{
    struct casheet *s = d->ctx;
    char *text = NULL;
    const char *base = ui_dialog_field(d, F_BASE)->text;
    const char *cdp = url_draft(d, F_CDP_MODE, F_CDP), *aia = url_draft(d, F_AIA_MODE, F_AIA);
    if (strcmp(base, s->base) != 0)
        ui_command_add(&text, "ca", "set", "base-url", base, (char *)NULL);
    if (strcmp(cdp, s->cdp) != 0)
        ui_command_add(&text, "ca", "set", "cdp-url", cdp, (char *)NULL);
    if (strcmp(aia, s->aia) != 0)
        ui_command_add(&text, "ca", "set", "aia-url", aia, (char *)NULL);
    char *roles = NULL;
    for (size_t i = 0; i < s->ndraft; i++) {
        struct ace *o = ace_find(s->orig, s->norig, s->draft[i].id);
        if (o == NULL || o->allow != s->draft[i].allow || o->deny != s->draft[i].deny) {
            if (roles == NULL)
                ui_command_add(&roles, "ca", "roles", (char *)NULL);
            role_options(&roles, s->draft[i].name, o ? o->allow : 0, o ? o->deny : 0,
                         s->draft[i].allow, s->draft[i].deny);
        }
    }
    for (size_t i = 0; i < s->norig; i++)
        if (ace_find(s->draft, s->ndraft, s->orig[i].id) == NULL) {
            if (roles == NULL)
                ui_command_add(&roles, "ca", "roles", (char *)NULL);
            role_options(&roles, s->orig[i].name, s->orig[i].allow, s->orig[i].deny, 0, 0);
        }
    if (roles != NULL) {
        char *t = text ? ui_xasprintf("%s\n%s", text, roles) : ui_xstrdup(roles);
        free(text);
        free(roles);
        text = t;
    }
    if (text == NULL)
        *why = ui_xstrdup("nothing has changed since the sheet opened or was applied");
    return text;
}

static const struct ui_dialog_ops sheet_ops = {
    .validate = sheet_validate,
    .unsaved = sheet_unsaved,
    .button = sheet_button,
    .destroy = sheet_destroy,
    .command = sheet_command,
};

static void
view_certificate(struct ui_dialog *d, struct ui_field *f)
{
    (void)f;
    struct casheet *s = d->ctx;
    ui_cert_view_open(s->app, s->info.cert.p, s->info.cert.n);
}

static const char *
day(time_t t, char *buf, size_t size)
{
    return ui_time_text(t, "%Y-%m-%d %H:%M UTC", buf, size);
}

static void
tab_general(struct ui_dialog *d, struct casheet *s)
{
    struct ui_page *p = ui_dialog_add_page(d, "General");
    char *line = ui_xasprintf("Certification authority (CA)   Name: %s", s->info.name);
    ui_page_label(p, 0, 0, 0, line);
    free(line);
    line = ui_xasprintf("Host: %s    %s root CA", s->info.host,
                        s->info.edition ? s->info.edition : "");
    ui_page_label(p, 0, 1, 0, line);
    free(line);
    ui_page_label(p, 0, 3, 0, "CA certificates:");
    struct ops_cert_decode cert = {s->info.cert.p, s->info.cert.n};
    struct ops_cert_decoded dec;
    char a[32], b[32];
    if (ops_call(s->app->cx, OP_CERT_DECODE, &cert, &dec, NULL) == CC_OK) {
        const struct certinfo ci = dec.info;
        line = ui_xasprintf("  Certificate #0   issued to %s", ci.issued_to);
        ui_page_label(p, 0, 4, 0, line);
        free(line);
        line = ui_xasprintf("  Valid from %s to %s", day(ci.not_before, a, sizeof a),
                            day(ci.not_after, b, sizeof b));
        ui_page_label(p, 0, 5, 0, line);
        free(line);
        line = ui_xasprintf("  Thumbprint %s", ci.thumbprint ? ci.thumbprint : "");
        ui_page_label(p, 0, 6, 0, line);
        free(line);
        ops_cert_decoded_free(&dec);
    }
    line = ui_xasprintf("  Key %s", s->key_description ? s->key_description : s->info.key_type);
    ui_page_label(p, 0, 7, 0, line);
    free(line);
    ui_page_button(p, 0, 9, "View Certificate", view_certificate)->id = F_VIEW_CERT;
}

static void
tab_policy(struct ui_dialog *d)
{
    static const char *const handling[] = {
        "Set the request status to pending; an administrator must issue it",
        "Follow the template's settings; otherwise issue automatically",
    };
    struct ui_page *p = ui_dialog_add_page(d, "Policy Module");
    ui_page_label(p, 0, 0, 0, "Active policy module: Enterprise policy (certcon)");
    ui_page_label(p, 0, 1, 0, "Checks every request as an enterprise CA's policy module does.");
    ui_page_label(p, 0, 3, 0, "Request handling:");
    ui_page_radio(p, 2, 4, handling, 2, 1)->disabled = 1;
    struct ui_field *l = ui_page_label(
        p, 0, 7, 0,
        "certcon has no CA-wide pending setting: a request waits for a certificate manager "
        "when its template asks for CA certificate manager approval (the template's Issuance "
        "Requirements tab, or `certcon template set T approval yes`).");
    l->h = 4;
}

/* One location (CDP or AIA): derived from the base URL, a URL of one's own, or none. */
static void
url_choice(struct ui_page *p, int y, const char *title, const char *stored, int mode_id,
           int text_id, int now_id)
{
    static const char *const modes[] = {
        "Derive from the base URL",
        "This URL:",
        "None: leave the extension out of certificates",
    };
    enum url_mode m = url_mode_of(stored);
    ui_page_label(p, 0, y, 0, title);
    struct ui_field *r = ui_page_radio(p, 2, y + 1, modes, 3, (int)m);
    ui_radio_gap(r, 2, 1); /* the URL's own field sits under "This URL:" */
    r->id = mode_id;
    r->changed = url_changed;
    struct ui_field *f = ui_page_text(p, 6, y + 3, "", 0, 0, m == URL_OWN ? stored : "");
    f->id = text_id;
    f->changed = url_changed;
    ui_page_label(p, 4, y + 5, 0, "")->id = now_id;
}

static void
tab_extensions(struct ui_dialog *d, struct casheet *s)
{
    struct ui_page *p = ui_dialog_add_page(d, "Extensions");
    struct ui_field *f = ui_page_text(p, 0, 0, "Base URL:", 10, 0, s->base);
    f->id = F_BASE;
    f->changed = url_changed;
    url_choice(p, 1, "CRL Distribution Point (CDP), in certificates issued from now on:", s->cdp,
               F_CDP_MODE, F_CDP, F_CDP_NOW);
    url_choice(p, 7, "Authority Information Access (AIA), CA issuers:", s->aia, F_AIA_MODE, F_AIA,
               F_AIA_NOW);
    ui_page_label(p, 4, 13, 0, "")->id = F_OCSP_NOW;
}

static void
tab_storage(struct ui_dialog *d, struct casheet *s)
{
    struct ui_page *p = ui_dialog_add_page(d, "Storage");
    ui_page_label(p, 0, 0, 0, "Configuration data and the certificate database:");
    ui_page_label(p, 2, 1, 0, s->database ? s->database : "");
    ui_page_label(p, 0, 3, 0, "CA private key:");
    ui_page_label(p, 2, 4, 0, s->key_file ? s->key_file : s->info.key_ref);
    ui_page_label(p, 0, 6, 0,
                  "One SQLite file holds the CA's requests, certificates, CRLs, templates, "
                  "directory and audit log; the key is a file beside it (mode 0600) or a "
                  "PKCS #11 token.")
        ->h = 3;
}

static void
tab_managers(struct ui_dialog *d)
{
    static const char *const restrict_opts[] = {
        "Do not restrict certificate managers",
        "Restrict certificate managers",
    };
    static const struct ui_column cols[] = {{"Certificate managers", 40}};
    struct ui_page *p = ui_dialog_add_page(d, "Certificate Managers");
    ui_page_radio(p, 0, 0, restrict_opts, 2, 0)->disabled = 1;
    ui_page_label(p, 0, 3, 0,
                  "certcon does not restrict managers to some requesters: every holder of "
                  "Issue and Manage Certificates (Security tab) manages every request.")
        ->h = 2;
    struct ui_field *l = ui_page_list(p, 0, 6, 0, 7, cols, 1);
    l->id = F_MANAGERS;
    l->list.q.sort_col = 0;
}

static void
tab_auditing(struct ui_dialog *d)
{
    static const char *const events[] = {
        "Back up and restore the CA database",  "Change CA configuration",
        "Change CA security settings",          "Issue and manage certificate requests",
        "Revoke certificates and publish CRLs", "Store and retrieve archived keys",
        "Start and stop the CA service",
    };
    struct ui_page *p = ui_dialog_add_page(d, "Auditing");
    ui_page_label(p, 0, 0, 0, "Events to audit:");
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
        ui_page_check(p, 2, 1 + (int)i, events[i], 1)->disabled = 1;
    ui_page_label(p, 0, 9, 0,
                  "certcon records every change, refusal, issuance and key export in its "
                  "hash-chained audit log (the CA's Audit node); none can be turned off.")
        ->h = 2;
}

static void
tab_security(struct ui_dialog *d, struct casheet *s)
{
    static const struct ui_column cols[] = {{"", 40}};
    struct ui_page *p = ui_dialog_add_page(d, "Security");
    ui_page_label(p, 0, 0, 0, "Group or user names:");
    s->sec.pick_title = "Select Users, Computers, or Groups";
    s->sec.pick_kinds = UI_PICK_SECURITY;
    s->sec.sorted = 1;
    s->sec.selected = sec_selected;
    s->sec.picked = sec_picked;
    s->sec.removed = sec_removed;
    ui_principals_place(&s->sec, d, p, 1, 5, cols, F_SEC_LIST, F_SEC_ADD, F_SEC_REMOVE);
    ui_page_label(p, 0, 7, 50, "")->id = F_SEC_FOR;
    ui_page_label(p, 51, 7, 0, "Allow   Deny");
    for (size_t r = 0; r < NGRID; r++) {
        ui_page_label(p, 2, 8 + (int)r, 40, grid[r].label);
        struct ui_field *a = ui_page_check(p, 52, 8 + (int)r, "", 0);
        a->id = F_GRID + 2 * (int)r;
        a->changed = grid_changed;
        struct ui_field *n = ui_page_check(p, 60, 8 + (int)r, "", 0);
        n->id = F_GRID + 2 * (int)r + 1;
        n->changed = grid_changed;
    }
}

void
ui_ca_sheet_open(struct ui_app *app)
{
    struct casheet *s = ui_xcalloc(1, sizeof *s);
    s->app = app;
    char *cause = NULL;
    int rc = sheet_load(s, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Certification Authority", rc, cause);
        free(cause);
        sheet_free(s);
        return;
    }
    char *title = ui_xasprintf("%s Properties", s->info.name);
    struct ui_dialog *d = ui_dialog_new(app, title, 78, 22, UI_DIALOG_TABS, &sheet_ops, s);
    free(title);
    tab_general(d, s);
    tab_policy(d);
    tab_extensions(d, s);
    tab_storage(d, s);
    tab_managers(d);
    tab_auditing(d);
    tab_security(d, s);
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_add_button(d, "Apply", UI_BUTTON_APPLY, 2);
    ui_principals_fill(&s->sec);
    managers_fill(d);
    urls_show(d);
    ui_dialog_show(d);
}
