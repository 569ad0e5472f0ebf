/*
 * The template property sheet (see template_sheet.h). The controls of the
 * ordinary tabs are one table: each names the template setting it edits,
 * so drawing reads template_get() and a change calls template_set() — the
 * console cannot accept a value the command line would refuse, and a
 * refusal comes back with the core's reason, which the dialog shows. A
 * control whose setting the draft cannot take (a version 1 template, a
 * version 4 option on a version 2 template) is greyed by asking the core
 * whether the current value could be set.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "acl.h"
#include "dialog.h"
#include "directory.h"
#include "lint.h"
#include "mem.h"
#include "ops.h"
#include "picker.h"
#include "principals.h"
#include "snap.h"
#include "status.h"
#include "template_sheet.h"

enum ctl_kind { C_TEXT, C_CHECK, C_RADIO, C_DROP };
enum ctl_rule { R_NONE, R_NEEDS_BUILD, R_NEEDS_SUPPLY };

struct control {
    const char *tab;
    const char *setting;
    enum ctl_kind kind;
    const char *label;
    int x, y, label_w;
    const char *const *values; /* setting values of radio and drop-down options */
    const char *const *labels;
    size_t n;
    enum ctl_rule rule;
};

static const char *const compat_values[] = {"2003", "2008", "2008r2", "2012", "2012r2", "2016"};
static const char *const compat_labels[] = {"Windows Server 2003",    "Windows Server 2008",
                                            "Windows Server 2008 R2", "Windows Server 2012",
                                            "Windows Server 2012 R2", "Windows Server 2016"};
static const char *const recipient_values[] = {"xp", "vista", "win7", "win8", "win81", "win10"};
static const char *const recipient_labels[] = {
    "Windows XP / Server 2003", "Windows Vista / Server 2008",  "Windows 7 / Server 2008 R2",
    "Windows 8 / Server 2012",  "Windows 8.1 / Server 2012 R2", "Windows 10 / Server 2016"};
static const char *const purpose_values[] = {"encryption", "signature", "signature-and-encryption",
                                             "signature-and-smartcard"};
static const char *const purpose_labels[] = {"Encryption", "Signature", "Signature and encryption",
                                             "Signature and smartcard logon"};
static const char *const prompt_values[] = {"none", "prompt", "prompt-key"};
static const char *const prompt_labels[] = {
    "Enroll subject without requiring any user input", "Prompt the user during enrollment",
    "Prompt during enrollment; require input when the private key is used"};
static const char *const subject_values[] = {"supply", "build"};
static const char *const subject_labels[] = {"Supply in the request",
                                             "Build from this Active Directory information"};
static const char *const format_values[] = {"none", "cn", "dn", "dns"};
static const char *const format_labels[] = {"None", "Common name", "Fully distinguished name",
                                            "DNS name"};
static const char *const reenroll_values[] = {"same", "valid"};
static const char *const reenroll_labels[] = {"Same criteria as for enrollment",
                                              "Valid existing certificate"};

#define OPTS(v, l) v, l, sizeof v / sizeof v[0]

static const struct control controls[] = {
    /* General */
    {"General", "display-name", C_TEXT, "Template display name:", 0, 0, 24, NULL, NULL, 0, 0},
    {"General", "validity", C_TEXT, "Validity period:", 0, 4, 24, NULL, NULL, 0, 0},
    {"General", "renewal", C_TEXT, "Renewal period:", 0, 5, 24, NULL, NULL, 0, 0},
    {"General", "publish-in-ad", C_CHECK, "Publish certificate in Active Directory", 0, 7, 0, NULL,
     NULL, 0, 0},
    {"General", "no-reenroll-if-in-ad", C_CHECK,
     "Do not automatically reenroll if a duplicate certificate exists in AD", 4, 8, 0, NULL, NULL,
     0, 0},
    /* Compatibility */
    {"Compatibility", "compat", C_DROP, "Certification Authority:", 0, 1, 26,
     OPTS(compat_values, compat_labels), 0},
    {"Compatibility", "compat-recipient", C_DROP, "Certificate recipient:", 0, 3, 26,
     OPTS(recipient_values, recipient_labels), 0},
    /* Request Handling */
    {"Request Handling", "purpose", C_DROP, "Purpose:", 0, 0, 10,
     OPTS(purpose_values, purpose_labels), 0},
    {"Request Handling", "delete-revoked", C_CHECK,
     "Delete revoked or expired certificates (do not archive)", 4, 1, 0, NULL, NULL, 0, 0},
    {"Request Handling", "include-symmetric", C_CHECK,
     "Include symmetric algorithms allowed by the subject", 0, 2, 0, NULL, NULL, 0, 0},
    {"Request Handling", "archive-key", C_CHECK, "Archive subject's encryption private key", 0, 3,
     0, NULL, NULL, 0, 0},
    {"Request Handling", "exportable", C_CHECK, "Allow private key to be exported", 0, 4, 0, NULL,
     NULL, 0, 0},
    {"Request Handling", "renew-same-key", C_CHECK, "Renew with the same key", 0, 5, 0, NULL, NULL,
     0, 0},
    {"Request Handling", "prompt", C_RADIO, NULL, 0, 8, 0, OPTS(prompt_values, prompt_labels), 0},
    /* Cryptography */
    {"Cryptography", "min-key-size", C_TEXT, "Minimum key size:", 0, 2, 24, NULL, NULL, 0, 0},
    {"Cryptography", "csps", C_TEXT, "Providers:", 0, 4, 24, NULL, NULL, 0, 0},
    {"Cryptography", "alternate-signature", C_CHECK, "Use alternate signature format", 0, 6, 0,
     NULL, NULL, 0, 0},
    /* Subject Name */
    {"Subject Name", "subject", C_RADIO, NULL, 0, 0, 0, OPTS(subject_values, subject_labels), 0},
    {"Subject Name", "renewal-reuse-subject", C_CHECK,
     "Use subject information from existing certificates for renewal", 4, 1, 0, NULL, NULL, 0,
     R_NEEDS_SUPPLY},
    {"Subject Name", "subject-format", C_DROP, "Subject name format:", 4, 4, 22,
     OPTS(format_values, format_labels), R_NEEDS_BUILD},
    {"Subject Name", "email-in-subject", C_CHECK, "Include e-mail name in subject name", 4, 5, 0,
     NULL, NULL, 0, R_NEEDS_BUILD},
    {"Subject Name", "san-email", C_CHECK, "E-mail name", 6, 7, 0, NULL, NULL, 0, R_NEEDS_BUILD},
    {"Subject Name", "san-dns", C_CHECK, "DNS name", 6, 8, 0, NULL, NULL, 0, R_NEEDS_BUILD},
    {"Subject Name", "san-upn", C_CHECK, "User principal name (UPN)", 6, 9, 0, NULL, NULL, 0,
     R_NEEDS_BUILD},
    {"Subject Name", "san-spn", C_CHECK, "Service principal name (SPN)", 6, 10, 0, NULL, NULL, 0,
     R_NEEDS_BUILD},
    /* Issuance Requirements */
    {"Issuance Requirements", "approval", C_CHECK, "CA certificate manager approval", 0, 1, 0, NULL,
     NULL, 0, 0},
    {"Issuance Requirements", "signatures", C_TEXT, "This number of authorized signatures:", 0, 2,
     39, NULL, NULL, 0, 0},
    {"Issuance Requirements", "signature-app-policy", C_TEXT, "Application policy:", 4, 3, 22, NULL,
     NULL, 0, 0},
    {"Issuance Requirements", "signature-issuance-policies", C_TEXT, "Issuance policies:", 4, 4, 22,
     NULL, NULL, 0, 0},
    {"Issuance Requirements", "reenroll-requires", C_RADIO, NULL, 0, 7, 0,
     OPTS(reenroll_values, reenroll_labels), 0},
    {"Issuance Requirements", "key-based-renewal", C_CHECK, "Allow key based renewal", 4, 9, 0,
     NULL, NULL, 0, 0},
    /* Server */
    {"Server", "do-not-store", C_CHECK, "Do not store certificates and requests in the CA database",
     0, 1, 0, NULL, NULL, 0, 0},
    {"Server", "no-revocation-info", C_CHECK,
     "Do not include revocation information in issued certificates", 0, 2, 0, NULL, NULL, 0, 0},
};

#define NCONTROLS (sizeof controls / sizeof controls[0])

/* Tabs by schema version, ADCS-SPEC §1.0. */
static const char *const tabs_v1[] = {"General", "Request Handling", "Subject Name", "Extensions",
                                      "Security"};
static const char *const tabs_v2[] = {
    "Compatibility",        "General",      "Request Handling",
    "Cryptography",         "Subject Name", "Issuance Requirements",
    "Superseded Templates", "Extensions",   "Security"};
static const char *const tabs_v3[] = {"Compatibility",
                                      "General",
                                      "Request Handling",
                                      "Cryptography",
                                      "Subject Name",
                                      "Issuance Requirements",
                                      "Superseded Templates",
                                      "Extensions",
                                      "Security",
                                      "Server"};
static const char *const tabs_v4[] = {"Compatibility",
                                      "General",
                                      "Request Handling",
                                      "Cryptography",
                                      "Key Attestation",
                                      "Subject Name",
                                      "Issuance Requirements",
                                      "Superseded Templates",
                                      "Extensions",
                                      "Security",
                                      "Server"};

enum {
    F_CONTROL = 1000, /* + index in controls[] */
    F_TNAME = 1,
    F_VERSION,
    F_SCHEMA,
    F_PROVIDER,
    F_SUBJECT_WARN,
    F_SUPER_LIST,
    F_SUPER_ADD,
    F_SUPER_REMOVE,
    F_EXT_LIST,
    F_EXT_DESC,
    F_EXT_EDIT,
    F_SEC_LIST,
    F_SEC_ADD,
    F_SEC_REMOVE,
    F_SEC_FOR,
    F_RISKS,      /* the Risks... button */
    F_GRID = 100, /* + 2 * row (+ 1 for Deny) */
};

struct sheet {
    struct ui_app *app;
    struct template orig, draft;
    int is_new;
    char *src; /* new: the template duplicated */
    struct ui_principals sec; /* the Security tab's list: the ACL's principals and those added */
    struct ui_menu_item *super_items; /* the Add... menu of Superseded Templates */
    struct ops_template_list supers;  /* what the Add... menu offered */
    struct lint_finding *risks; /* the draft's findings, as template lint gives them; owned */
    size_t nrisks;
};

static const unsigned grid_rights[] = {ACL_FULL, ACL_READ, ACL_WRITE, ACL_ENROLL, ACL_AUTOENROLL};
#define NGRID (sizeof grid_rights / sizeof grid_rights[0])

static void sheet_sync(struct ui_dialog *d, struct ui_field *except);

/* ---------------- helpers ---------------- */

/*
 * The draft is edited through the template family's draft operations, so
 * the sheet takes exactly what `template set` takes and says why not in
 * the same words; nothing of it is saved until OK or Apply.
 */
static int
draft_set(struct sheet *s, struct template *t, const char *setting, const char *value, char **cause)
{
    struct ops_draft_set a = {t, setting, value};
    return ops_call(s->app->cx, OP_TEMPLATE_DRAFT_SET, &a, NULL, cause);
}

/* A setting of t as the command line shows it; allocated, NULL when it cannot be read. */
static char *
draft_get(struct sheet *s, const struct template *t, const char *setting)
{
    struct ops_draft_ref a = {t, setting};
    struct ops_template_text r = {NULL};
    if (ops_call(s->app->cx, OP_TEMPLATE_DRAFT_GET, &a, &r, NULL) != CC_OK)
        return NULL;
    return r.text;
}

/* The draft's entry for a principal replaced (allow and deny 0 remove it). */
static int
draft_acl(struct sheet *s, int64_t principal, const char *name, unsigned allow, unsigned deny)
{
    struct ops_draft_acl a = {&s->draft, principal, name, allow, deny};
    return ops_call(s->app->cx, OP_TEMPLATE_DRAFT_ACL, &a, NULL, NULL);
}

/* The display names of oids, in order; ends cleanly when memory runs out. */
static void
oid_names(struct sheet *s, const struct strlist *oids, struct strlist *names)
{
    struct ops_oid_names a = {oids};
    if (ops_call(s->app->cx, OP_OID_NAMES, &a, names, NULL) != CC_OK)
        ui_die("out of memory");
}

static int
can_set(struct sheet *s, const char *setting, const char *value)
{
    struct template t;
    memset(&t, 0, sizeof t);
    if (template_copy(&t, &s->draft) != CC_OK)
        ui_die("out of memory");
    int rc = draft_set(s, &t, setting, value, NULL);
    template_free(&t);
    return rc == CC_OK;
}

/* The core's template name for a display name; ends cleanly when memory runs out. */
static char *
name_for(const char *display)
{
    char *cn = template_name_for(display);
    if (cn == NULL)
        ui_die("out of memory");
    return cn;
}

static size_t
option_index(const struct control *c, const char *value)
{
    for (size_t i = 0; i < c->n; i++)
        if (value != NULL && strcasecmp(c->values[i], value) == 0)
            return i;
    return 0;
}

static void
set_label(struct ui_dialog *d, int id, const char *text)
{
    struct ui_field *f = ui_dialog_field(d, id);
    if (f != NULL)
        ui_field_set_text(f, text);
}

/* ---------------- the ordinary controls ---------------- */

static void
control_changed(struct ui_dialog *d, struct ui_field *f)
{
    struct sheet *s = d->ctx;
    const struct control *c = f->data;
    const char *value = NULL;
    switch (c->kind) {
    case C_TEXT:
        value = f->text;
        break;
    case C_CHECK:
        value = f->value ? "yes" : "no";
        break;
    case C_RADIO:
    case C_DROP:
        value = c->values[f->value];
        break;
    }
    char *cause = NULL;
    int rc = draft_set(s, &s->draft, c->setting, value, &cause);
    if (rc != CC_OK) {
        const char *why = cause ? cause : cc_strerror(rc);
        if (c->kind == C_TEXT) {
            /* keep what was typed; the field says why it is refused */
            ui_field_set_error(f, why);
        } else {
            char *msg = ui_xasprintf("! %s", why);
            ui_dialog_set_message(d, msg);
            free(msg);
            sheet_sync(d, NULL); /* the control goes back to the draft's value */
        }
        free(cause);
        return;
    }
    ui_field_set_error(f, NULL);
    ui_dialog_set_message(d, NULL);
    sheet_sync(d, f);
}

static void
control_sync(struct ui_dialog *d, struct ui_field *f)
{
    struct sheet *s = d->ctx;
    const struct control *c = f->data;
    char *v = draft_get(s, &s->draft, c->setting);
    switch (c->kind) {
    case C_TEXT:
        if (f->error == NULL)
            ui_field_set_text(f, v ? v : "");
        break;
    case C_CHECK:
        f->value = v != NULL && strcmp(v, "yes") == 0;
        break;
    case C_RADIO:
    case C_DROP:
        f->value = (int)option_index(c, v);
        break;
    }
    int supplied = template_subject_supplied(&s->draft);
    f->disabled = (c->rule == R_NEEDS_BUILD && supplied) ||
                  (c->rule == R_NEEDS_SUPPLY && !supplied) ||
                  (f->error == NULL && !can_set(s, c->setting, v ? v : ""));
    free(v);
}

/* ---------------- Superseded Templates ---------------- */

static void
superseded_fill(struct ui_dialog *d)
{
    struct sheet *s = d->ctx;
    struct ui_field *f = ui_dialog_field(d, F_SUPER_LIST);
    if (f == NULL)
        return;
    ui_memsource_clear(f->rows);
    struct ops_template_list all;
    memset(&all, 0, sizeof all);
    if (s->draft.supersede.n > 0)
        ops_call(s->app->cx, OP_TEMPLATE_LIST, NULL, &all, NULL);
    for (size_t i = 0; i < s->draft.supersede.n; i++) {
        const char *cn = s->draft.supersede.v[i];
        const struct template *t = NULL;
        for (size_t k = 0; t == NULL && k < all.n; k++)
            if (strcasecmp(all.v[k].cn, cn) == 0)
                t = &all.v[k];
        char *ver = t ? template_version_string(t) : NULL;
        const char *row[] = {t ? t->display_name : cn, ver ? ver : ""};
        ui_memsource_add(f->rows, (int64_t)i, row);
        free(ver);
    }
    ops_template_list_free(&all);
    ui_list_refresh(&f->list);
    struct ui_field *rm = ui_dialog_field(d, F_SUPER_REMOVE);
    int editable = can_set(s, "superseded", "none");
    rm->disabled = !editable || s->draft.supersede.n == 0;
    ui_dialog_field(d, F_SUPER_ADD)->disabled = !editable;
}

static void
superseded_set(struct ui_dialog *d, const struct strlist *cns)
{
    struct sheet *s = d->ctx;
    char *joined = cns->n ? strlist_join(cns, ",") : ui_xstrdup("none");
    char *cause = NULL;
    int rc = draft_set(s, &s->draft, "superseded", joined, &cause);
    free(joined);
    if (rc != CC_OK) {
        char *msg = ui_xasprintf("! %s", cause ? cause : cc_strerror(rc));
        ui_dialog_set_message(d, msg);
        free(msg);
    } else {
        ui_dialog_set_message(d, NULL);
    }
    free(cause);
    sheet_sync(d, NULL);
}

static void
superseded_chosen(void *ctx, int id)
{
    struct ui_dialog *d = ctx;
    struct sheet *s = d->ctx;
    if (id < 0 || (size_t)id >= s->supers.n)
        return;
    struct strlist cns = {0};
    if (strlist_copy(&cns, &s->draft.supersede) != CC_OK ||
        (strlist_find(&cns, s->supers.v[id].cn, 1) < 0 &&
         strlist_add(&cns, s->supers.v[id].cn) != CC_OK))
        ui_die("out of memory");
    superseded_set(d, &cns);
    strlist_free(&cns);
}

static void
superseded_add(struct ui_dialog *d, struct ui_field *f)
{
    (void)f;
    struct sheet *s = d->ctx;
    free(s->super_items);
    ops_template_list_free(&s->supers);
    s->super_items = NULL;
    char *cause = NULL;
    int rc = ops_call(s->app->cx, OP_TEMPLATE_LIST, NULL, &s->supers, &cause);
    if (rc != CC_OK) {
        ui_show_error(s->app, "Add Superseded Template", rc, cause);
        free(cause);
        return;
    }
    s->super_items = ui_xcalloc(s->supers.n ? s->supers.n : 1, sizeof *s->super_items);
    size_t n = 0;
    for (size_t i = 0; i < s->supers.n; i++) {
        if (s->draft.cn != NULL && strcasecmp(s->supers.v[i].cn, s->draft.cn) == 0)
            continue;
        s->super_items[n].label = s->supers.v[i].display_name;
        s->super_items[n].id = (int)i;
        n++;
    }
    ui_menu_open(s->app, "Add Superseded Template", -1, -1, s->super_items, n, superseded_chosen,
                 d);
}

static void
superseded_remove(struct ui_dialog *d, struct ui_field *f)
{
    (void)f;
    struct sheet *s = d->ctx;
    struct ui_field *l = ui_dialog_field(d, F_SUPER_LIST);
    size_t pos = ui_list_selected(&l->list);
    if (pos == UI_LIST_NONE)
        return;
    int64_t i = l->list.src->row_id(l->list.ctx, pos);
    struct strlist cns = {0};
    if (strlist_copy(&cns, &s->draft.supersede) != CC_OK)
        ui_die("out of memory");
    strlist_remove_at(&cns, (size_t)i);
    superseded_set(d, &cns);
    strlist_free(&cns);
}

/* ---------------- Extensions ---------------- */

enum { EXT_APP, EXT_BASIC, EXT_INFO, EXT_ISSUANCE, EXT_KU };

static const char *const ext_names[] = {"Application Policies", "Basic Constraints",
                                        "Certificate Template Information", "Issuance Policies",
                                        "Key Usage"};

static char *
policies_text(struct sheet *s, const struct strlist *oids)
{
    if (oids->n == 0)
        return ui_xstrdup("(none)");
    struct strlist names = {0};
    oid_names(s, oids, &names);
    char *j = strlist_join(&names, "\n");
    strlist_free(&names);
    return j ? j : ui_xstrdup("");
}

static const struct strlist *
app_policies_of(const struct template *t)
{
    return t->schema_version >= 2 && t->app_policies.n ? &t->app_policies : &t->eku;
}

static char *
ext_description(struct sheet *s, int ext)
{
    const struct template *t = &s->draft;
    char *body = NULL, *crit = NULL;
    const char *crit_setting = NULL;
    switch (ext) {
    case EXT_APP:
        body = policies_text(s, app_policies_of(t));
        crit_setting = "app-policies-critical";
        break;
    case EXT_ISSUANCE:
        body = policies_text(s, &t->cert_policies);
        crit_setting = "issuance-policies-critical";
        break;
    case EXT_KU: {
        char *v = draft_get(s, t, "key-usage");
        body = ui_xstrdup(v ? v : "");
        free(v);
        crit_setting = "key-usage-critical";
        break;
    }
    case EXT_BASIC: {
        char *v = draft_get(s, t, "basic-constraints");
        char *pl = draft_get(s, t, "path-length");
        int on = v && strcmp(v, "yes") == 0;
        body = on ? ui_xasprintf("Subject type: %s\nPath length constraint: %s",
                                 (t->flags & CT_FLAG_IS_CA) ? "CA" : "End entity", pl ? pl : "none")
                  : ui_xstrdup("(not included)");
        free(v);
        free(pl);
        crit_setting = "basic-constraints-critical";
        break;
    }
    case EXT_INFO:
    default: {
        char *ver = template_version_string(t);
        body = ui_xasprintf("Template: %s\nMajor version: %u  Minor version: %u\n"
                            "Object identifier:\n%s",
                            t->display_name, t->revision, t->minor_revision,
                            s->is_new ? "(assigned when the template is created)" : t->oid);
        free(ver);
        break;
    }
    }
    if (crit_setting != NULL) {
        char *v = draft_get(s, t, crit_setting);
        crit = ui_xasprintf("%s\n%s", body,
                            v && strcmp(v, "yes") == 0 ? "Critical extension" : "Non-critical");
        free(v);
        free(body);
        body = crit;
    }
    return body;
}

static void
extensions_sync(struct ui_dialog *d)
{
    struct sheet *s = d->ctx;
    struct ui_field *l = ui_dialog_field(d, F_EXT_LIST);
    if (l == NULL)
        return;
    size_t pos = ui_list_selected(&l->list);
    int ext = pos == UI_LIST_NONE ? 0 : (int)l->list.src->row_id(l->list.ctx, pos);
    char *desc = ext_description(s, ext);
    set_label(d, F_EXT_DESC, desc);
    free(desc);
    struct ui_field *edit = ui_dialog_field(d, F_EXT_EDIT);
    edit->disabled = ext == EXT_INFO || s->draft.schema_version < 2;
}

static void
ext_selected(struct ui_dialog *d, struct ui_field *f)
{
    (void)f;
    extensions_sync(d);
}

/* -- the policy editors (Application and Issuance Policies) -- */

enum { P_LIST = 1, P_ADD, P_NEW, P_REMOVE, P_CRIT, P_NAME, P_OID };

struct policy_editor {
    struct ui_dialog *sheet;
    enum oid_kind kind;
    const char *setting, *crit_setting, *noun;
    struct strlist oids;
};

static void
policy_fill(struct ui_dialog *d)
{
    struct policy_editor *pe = d->ctx;
    struct sheet *s = pe->sheet->ctx;
    struct ui_field *l = ui_dialog_field(d, P_LIST);
    ui_memsource_clear(l->rows);
    struct strlist names = {0};
    oid_names(s, &pe->oids, &names);
    for (size_t i = 0; i < pe->oids.n; i++) {
        const char *row[] = {names.v[i]};
        ui_memsource_add(l->rows, (int64_t)i, row);
    }
    strlist_free(&names);
    ui_list_refresh(&l->list);
    ui_dialog_field(d, P_REMOVE)->disabled = pe->oids.n == 0;
}

static void
policy_add_oid(struct ui_dialog *d, const char *oid)
{
    struct policy_editor *pe = d->ctx;
    if (strlist_find(&pe->oids, oid, 0) < 0 && strlist_add(&pe->oids, oid) != CC_OK)
        ui_die("out of memory");
    policy_fill(d);
    struct ui_field *l = ui_dialog_field(d, P_LIST);
    size_t pos = l->list.src->find_id(l->list.ctx, strlist_find(&pe->oids, oid, 0));
    if (pos != UI_LIST_NONE)
        ui_list_select(&l->list, pos);
}

/*
 * "Add Application Policy": the defined policies of the kind, as Windows
 * lists them, less those the extension already has. Typing in the filter
 * narrows the list by name or OID; OK (or Enter) adds the selected one.
 * New... defines a policy in the forest and selects it here.
 */
struct policy_add {
    struct ui_dialog *editor;
    struct strlist names, oids; /* oid.list: every defined policy of the kind */
};

/* "New Application Policy": a name and an OID, defined in the forest on OK. */
struct policy_new {
    struct ui_dialog *add;
};

static const struct ui_column policy_cols[] = {{"Name", 36}, {"Object identifier", 24}};

static int
policy_matches(const char *name, const char *oid, const char *filter)
{
    size_t nl = strlen(filter);
    if (nl == 0)
        return 1;
    for (const char *h = name; *h; h++)
        if (strncasecmp(h, filter, nl) == 0)
            return 1;
    return strncmp(oid, filter, nl) == 0;
}

/* Fills the list from the defined policies; selects select_oid when it is shown. */
static void
policy_add_fill(struct ui_dialog *d, const char *select_oid)
{
    struct policy_add *pa = d->ctx;
    struct policy_editor *pe = pa->editor->ctx;
    struct ui_field *filter = ui_dialog_field(d, P_NAME);
    struct ui_field *l = ui_dialog_field(d, P_LIST);
    ui_memsource_clear(l->rows);
    size_t pos = UI_LIST_NONE, count = 0;
    for (size_t i = 0; i < pa->names.n; i++) {
        if (strlist_find(&pe->oids, pa->oids.v[i], 0) >= 0 ||
            !policy_matches(pa->names.v[i], pa->oids.v[i], filter->text))
            continue;
        const char *row[] = {pa->names.v[i], pa->oids.v[i]};
        ui_memsource_add(l->rows, (int64_t)i, row);
        if (select_oid != NULL && strcmp(pa->oids.v[i], select_oid) == 0)
            pos = count;
        count++;
    }
    l->list.sel = 0;
    l->list.top = 0;
    ui_list_refresh(&l->list);
    if (pos != UI_LIST_NONE)
        ui_list_select(&l->list, pos);
}

/* Reads the defined policies again (after New...); 0, or -1 with the dialog's message set. */
static int
policy_add_load(struct ui_dialog *d)
{
    struct policy_add *pa = d->ctx;
    struct policy_editor *pe = pa->editor->ctx;
    struct sheet *s = pe->sheet->ctx;
    char *cause = NULL;
    struct ops_oid_kind a = {pe->kind, 0};
    struct ops_oid_list r;
    int rc = ops_call(s->app->cx, OP_OID_LIST, &a, &r, &cause);
    if (rc != CC_OK) {
        ui_dialog_set_error(d, rc, cause);
        return -1;
    }
    strlist_free(&pa->names);
    strlist_free(&pa->oids);
    pa->names = r.names;
    pa->oids = r.oids;
    return 0;
}

static void
policy_filter_changed(struct ui_dialog *d, struct ui_field *f)
{
    (void)f;
    policy_add_fill(d, NULL);
}

static int
policy_add_validate(struct ui_dialog *d, char **why)
{
    struct policy_add *pa = d->ctx;
    struct policy_editor *pe = pa->editor->ctx;
    struct ui_field *l = ui_dialog_field(d, P_LIST);
    if (l->list.count > 0)
        return 1;
    if (why != NULL) {
        const char *filter = ui_dialog_field(d, P_NAME)->text;
        *why = *filter ? ui_xasprintf("No %s policy matches '%s'; New... defines one",
                                      pe->kind == OID_KIND_APPLICATION ? "application" : "issuance",
                                      filter)
                       : ui_xstrdup("Every defined policy is already in the extension");
    }
    return 0;
}

static void
policy_add_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct policy_add *pa = d->ctx;
    struct ui_dialog *editor = pa->editor;
    struct ui_field *l = ui_dialog_field(d, P_LIST);
    size_t pos = ui_list_selected(&l->list);
    ui_dialog_close(d);
    if (role != UI_BUTTON_OK || pos == UI_LIST_NONE)
        return;
    int64_t i = l->list.src->row_id(l->list.ctx, pos);
    if (i >= 0 && (size_t)i < pa->oids.n) {
        policy_add_oid(editor, pa->oids.v[i]);
        ui_dialog_focus(editor, ui_dialog_field(editor, P_LIST));
    }
}

static void
policy_add_destroy(struct ui_dialog *d)
{
    struct policy_add *pa = d->ctx;
    strlist_free(&pa->names);
    strlist_free(&pa->oids);
    free(pa);
}

static const struct ui_dialog_ops policy_add_ops = {
    .validate = policy_add_validate,
    .button = policy_add_button,
    .destroy = policy_add_destroy,
};

static void
policy_new_oid_changed(struct ui_dialog *d, struct ui_field *f)
{
    (void)d;
    ui_field_set_error(f, *f->text && !oid_is_valid(f->text)
                              ? "Object identifier: not a valid OID (such as 1.2.3.4)"
                              : NULL);
}

static int
policy_new_validate(struct ui_dialog *d, char **why)
{
    const char *msg = NULL;
    if (*ui_dialog_field(d, P_NAME)->text == '\0')
        msg = "Enter a name for the policy";
    else if (*ui_dialog_field(d, P_OID)->text == '\0')
        msg = "Enter the object identifier";
    if (msg != NULL && why != NULL)
        *why = ui_xstrdup(msg);
    return msg == NULL;
}

static void
policy_new_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct policy_new *pn = d->ctx;
    struct ui_dialog *add = pn->add;
    struct policy_add *pa = add->ctx;
    struct policy_editor *pe = pa->editor->ctx;
    struct sheet *s = pe->sheet->ctx;
    if (role != UI_BUTTON_OK) {
        ui_dialog_close(d);
        return;
    }
    const char *oid = ui_dialog_field(d, P_OID)->text;
    char *cause = NULL;
    struct ops_oid_add a = {ui_dialog_field(d, P_NAME)->text, oid, pe->kind};
    int rc = ops_call(s->app->cx, OP_OID_ADD, &a, NULL, &cause);
    if (rc != CC_OK) {
        ui_dialog_set_error(d, rc, cause);
        return;
    }
    /* the new policy is shown and selected: OK in the Add dialog adds it */
    struct ui_field *filter = ui_dialog_field(add, P_NAME);
    ui_field_set_text(filter, "");
    if (policy_add_load(add) == 0)
        ui_dialog_set_message(add, NULL);
    policy_add_fill(add, oid);
    ui_dialog_focus(add, ui_dialog_field(add, P_LIST));
    ui_dialog_close(d);
}

static void
policy_new_destroy(struct ui_dialog *d)
{
    free(d->ctx);
}

/* F2: oid add NAME OID (--issuance for an issuance policy): OK defines it at once. */
static char *
policy_new_command(struct ui_dialog *d, char **why)
{
    struct policy_new *pn = d->ctx;
    struct policy_add *pa = pn->add->ctx;
    struct policy_editor *pe = pa->editor->ctx;
    if (!policy_new_validate(d, why))
        return NULL;
    char *text = NULL;
    ui_command_add(&text, "oid", "add", ui_dialog_field(d, P_NAME)->text,
                   ui_dialog_field(d, P_OID)->text,
                   pe->kind == OID_KIND_ISSUANCE ? "--issuance" : (char *)NULL, (char *)NULL);
    return text;
}

static const struct ui_dialog_ops policy_new_ops = {
    .validate = policy_new_validate,
    .button = policy_new_button,
    .destroy = policy_new_destroy,
    .command = policy_new_command,
};

static void
policy_new_pressed(struct ui_dialog *add, struct ui_field *f)
{
    (void)f;
    struct policy_add *pa = add->ctx;
    struct policy_editor *pe = pa->editor->ctx;
    struct sheet *s = pe->sheet->ctx;
    struct policy_new *pn = ui_xcalloc(1, sizeof *pn);
    pn->add = add;
    char *title = ui_xasprintf("New %s Policy", pe->noun);
    struct ui_dialog *d =
        ui_dialog_new(s->app, title, 66, 11, UI_DIALOG_PLAIN, &policy_new_ops, pn);
    free(title);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    ui_page_text(p, 0, 0, "Name:", 20, 0, "")->id = P_NAME;
    /* a fresh OID under the forest arc, as Windows offers */
    struct ops_oid_kind a = {pe->kind, 1};
    struct ops_oid_list fresh;
    memset(&fresh, 0, sizeof fresh);
    ops_call(s->app->cx, OP_OID_LIST, &a, &fresh, NULL);
    struct ui_field *o =
        ui_page_text(p, 0, 1, "Object identifier:", 20, 0, fresh.fresh ? fresh.fresh : "");
    o->id = P_OID;
    o->changed = policy_new_oid_changed;
    ops_oid_list_free(&fresh);
    ui_page_label(p, 0, 3, 0, "The policy is defined in the forest at once.");
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

static void
policy_open_add(struct ui_dialog *editor)
{
    struct policy_editor *pe = editor->ctx;
    struct sheet *s = pe->sheet->ctx;
    struct policy_add *pa = ui_xcalloc(1, sizeof *pa);
    pa->editor = editor;
    char *title = ui_xasprintf("Add %s Policy", pe->noun);
    struct ui_dialog *d =
        ui_dialog_new(s->app, title, 70, 18, UI_DIALOG_PLAIN, &policy_add_ops, pa);
    free(title);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    char *lab = ui_xasprintf("%s policies (typing filters by name or OID):", pe->noun);
    ui_page_label(p, 0, 0, 0, lab);
    free(lab);
    struct ui_field *filter = ui_page_text(p, 0, 1, "", 0, 0, "");
    filter->id = P_NAME;
    filter->changed = policy_filter_changed;
    ui_page_list(p, 0, 2, 0, 9, policy_cols, 2)->id = P_LIST;
    ui_page_button(p, 0, 11, "New...", policy_new_pressed)->id = P_NEW;
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    policy_add_load(d);
    policy_add_fill(d, NULL);
    ui_dialog_show(d);
}

static void
policy_add_pressed(struct ui_dialog *d, struct ui_field *f)
{
    (void)f;
    policy_open_add(d);
}

static void
policy_remove_pressed(struct ui_dialog *d, struct ui_field *f)
{
    (void)f;
    struct policy_editor *pe = d->ctx;
    struct ui_field *l = ui_dialog_field(d, P_LIST);
    size_t pos = ui_list_selected(&l->list);
    if (pos == UI_LIST_NONE)
        return;
    strlist_remove_at(&pe->oids, (size_t)l->list.src->row_id(l->list.ctx, pos));
    policy_fill(d);
}

/* Sets a setting of the sheet's draft from an editor; 0, or -1 with the editor's message set. */
static int
editor_set(struct ui_dialog *d, struct sheet *s, const char *setting, const char *value)
{
    char *cause = NULL;
    int rc = draft_set(s, &s->draft, setting, value, &cause);
    if (rc != CC_OK) {
        ui_dialog_set_error(d, rc, cause);
        return -1;
    }
    return 0;
}

static void
policy_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct policy_editor *pe = d->ctx;
    struct sheet *s = pe->sheet->ctx;
    if (role != UI_BUTTON_OK) {
        ui_dialog_close(d);
        return;
    }
    /* both settings or neither: work on a copy */
    struct template keep;
    memset(&keep, 0, sizeof keep);
    if (template_copy(&keep, &s->draft) != CC_OK)
        ui_die("out of memory");
    char *joined = pe->oids.n ? strlist_join(&pe->oids, ",") : ui_xstrdup("none");
    int ok =
        editor_set(d, s, pe->setting, joined) == 0 &&
        editor_set(d, s, pe->crit_setting, ui_dialog_field(d, P_CRIT)->value ? "yes" : "no") == 0;
    free(joined);
    if (!ok) {
        template_free(&s->draft);
        s->draft = keep;
        return;
    }
    template_free(&keep);
    ui_dialog_close(d);
    sheet_sync(pe->sheet, NULL);
}

static void
policy_destroy(struct ui_dialog *d)
{
    struct policy_editor *pe = d->ctx;
    strlist_free(&pe->oids);
    free(pe);
}

/*
 * F2: the two template set lines for the list and its critical flag, with
 * the values as template show gives them. OK here only changes the
 * sheet's draft; the sheet's own OK saves it (its F2 shows it again).
 */
static char *
policy_command(struct ui_dialog *d, char **why)
{
    struct policy_editor *pe = d->ctx;
    struct sheet *s = pe->sheet->ctx;
    struct template t;
    memset(&t, 0, sizeof t);
    if (template_copy(&t, &s->draft) != CC_OK)
        ui_die("out of memory");
    char *joined = pe->oids.n ? strlist_join(&pe->oids, ",") : ui_xstrdup("none");
    const char *crit = ui_dialog_field(d, P_CRIT)->value ? "yes" : "no";
    int rc = draft_set(s, &t, pe->setting, joined, why);
    if (rc == CC_OK)
        rc = draft_set(s, &t, pe->crit_setting, crit, why);
    free(joined);
    char *text = NULL;
    if (rc == CC_OK) {
        const char *settings[] = {pe->setting, pe->crit_setting};
        for (size_t i = 0; i < 2; i++) {
            char *v = draft_get(s, &t, settings[i]);
            ui_command_add(&text, "template", "set", s->draft.display_name, settings[i], v ? v : "",
                           (char *)NULL);
            free(v);
        }
    }
    template_free(&t);
    return text;
}

static const struct ui_dialog_ops policy_ops = {
    .button = policy_button,
    .destroy = policy_destroy,
    .command = policy_command,
};

static void
policy_editor_open(struct ui_dialog *sheet, enum oid_kind kind)
{
    struct sheet *s = sheet->ctx;
    struct policy_editor *pe = ui_xcalloc(1, sizeof *pe);
    pe->sheet = sheet;
    pe->kind = kind;
    int app = kind == OID_KIND_APPLICATION;
    pe->setting = app ? "app-policies" : "issuance-policies";
    pe->crit_setting = app ? "app-policies-critical" : "issuance-policies-critical";
    pe->noun = app ? "Application" : "Issuance";
    if (strlist_copy(&pe->oids, app ? app_policies_of(&s->draft) : &s->draft.cert_policies) !=
        CC_OK)
        ui_die("out of memory");
    char *title = ui_xasprintf("Edit %s Policies Extension", pe->noun);
    struct ui_dialog *d = ui_dialog_new(s->app, title, 64, 18, UI_DIALOG_PLAIN, &policy_ops, pe);
    free(title);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    char *lab = ui_xasprintf("An %s policy defines how a certificate can be used.",
                             app ? "application" : "issuance");
    ui_page_label(p, 0, 0, 0, lab);
    free(lab);
    static const struct ui_column cols[] = {{"", 40}};
    char *heading = ui_xasprintf("%s policies:", pe->noun);
    ui_page_label(p, 0, 1, 0, heading);
    free(heading);
    ui_page_list(p, 0, 2, 0, 7, cols, 1)->id = P_LIST;
    ui_page_button(p, 0, 9, "Add...", policy_add_pressed)->id = P_ADD;
    ui_page_button(p, 12, 9, "Remove", policy_remove_pressed)->id = P_REMOVE;
    char *crit = draft_get(s, &s->draft, pe->crit_setting);
    ui_page_check(p, 0, 11, "Make this extension critical", crit && strcmp(crit, "yes") == 0)->id =
        P_CRIT;
    free(crit);
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    policy_fill(d);
    ui_dialog_show(d);
}

/* -- Key Usage and Basic Constraints -- */

static const struct {
    const char *name, *label;
} ku_bits[] = {
    {"digitalSignature", "Digital signature"},
    {"nonRepudiation", "Signature is proof of origin (nonrepudiation)"},
    {"keyCertSign", "Certificate signing"},
    {"cRLSign", "CRL signing"},
    {"keyAgreement", "Allow key exchange without key encryption (key agreement)"},
    {"keyEncipherment", "Allow key exchange only with key encryption (key encipherment)"},
    {"dataEncipherment", "Allow encryption of user data"},
};
#define NKU (sizeof ku_bits / sizeof ku_bits[0])

enum { K_BIT = 1, K_CRIT = 50, B_ENABLE, B_PATH, B_CRIT };

struct small_editor {
    struct ui_dialog *sheet;
    int which; /* EXT_KU or EXT_BASIC */
};

static void
small_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct small_editor *se = d->ctx;
    struct sheet *s = se->sheet->ctx;
    if (role != UI_BUTTON_OK) {
        ui_dialog_close(d);
        return;
    }
    struct template keep;
    memset(&keep, 0, sizeof keep);
    if (template_copy(&keep, &s->draft) != CC_OK)
        ui_die("out of memory");
    int ok;
    if (se->which == EXT_KU) {
        struct strlist names = {0};
        for (size_t i = 0; i < NKU; i++)
            if (ui_dialog_field(d, K_BIT + (int)i)->value)
                strlist_add(&names, ku_bits[i].name);
        char *v = names.n ? strlist_join(&names, ",") : ui_xstrdup("none");
        strlist_free(&names);
        ok = editor_set(d, s, "key-usage", v) == 0 &&
             editor_set(d, s, "key-usage-critical",
                        ui_dialog_field(d, K_CRIT)->value ? "yes" : "no") == 0;
        free(v);
    } else {
        struct ui_field *path = ui_dialog_field(d, B_PATH);
        ok = editor_set(d, s, "basic-constraints",
                        ui_dialog_field(d, B_ENABLE)->value ? "yes" : "no") == 0 &&
             editor_set(d, s, "basic-constraints-critical",
                        ui_dialog_field(d, B_CRIT)->value ? "yes" : "no") == 0 &&
             (path == NULL || editor_set(d, s, "path-length", path->text) == 0);
    }
    if (!ok) {
        template_free(&s->draft);
        s->draft = keep;
        return;
    }
    template_free(&keep);
    ui_dialog_close(d);
    sheet_sync(se->sheet, NULL);
}

static void
small_destroy(struct ui_dialog *d)
{
    free(d->ctx);
}

/*
 * F2: the template set lines the editor puts in the sheet's draft (saved by
 * the sheet's OK), with the values template show gives.
 */
static char *
small_command(struct ui_dialog *d, char **why)
{
    struct small_editor *se = d->ctx;
    struct sheet *s = se->sheet->ctx;
    struct template t;
    memset(&t, 0, sizeof t);
    if (template_copy(&t, &s->draft) != CC_OK)
        ui_die("out of memory");
    const char *settings[3];
    size_t n = 0;
    int rc;
    if (se->which == EXT_KU) {
        struct strlist names = {0};
        for (size_t i = 0; i < NKU; i++)
            if (ui_dialog_field(d, K_BIT + (int)i)->value)
                strlist_add(&names, ku_bits[i].name);
        char *v = names.n ? strlist_join(&names, ",") : ui_xstrdup("none");
        strlist_free(&names);
        rc = draft_set(s, &t, "key-usage", v, why);
        if (rc == CC_OK)
            rc = draft_set(s, &t, "key-usage-critical",
                           ui_dialog_field(d, K_CRIT)->value ? "yes" : "no", why);
        free(v);
        settings[n++] = "key-usage";
        settings[n++] = "key-usage-critical";
    } else {
        struct ui_field *path = ui_dialog_field(d, B_PATH);
        rc = draft_set(s, &t, "basic-constraints",
                       ui_dialog_field(d, B_ENABLE)->value ? "yes" : "no", why);
        if (rc == CC_OK)
            rc = draft_set(s, &t, "basic-constraints-critical",
                           ui_dialog_field(d, B_CRIT)->value ? "yes" : "no", why);
        if (rc == CC_OK && path != NULL)
            rc = draft_set(s, &t, "path-length", path->text, why);
        settings[n++] = "basic-constraints";
        settings[n++] = "basic-constraints-critical";
        if (path != NULL)
            settings[n++] = "path-length";
    }
    char *text = NULL;
    for (size_t i = 0; rc == CC_OK && i < n; i++) {
        char *v = draft_get(s, &t, settings[i]);
        ui_command_add(&text, "template", "set", s->draft.display_name, settings[i], v ? v : "",
                       (char *)NULL);
        free(v);
    }
    template_free(&t);
    return text;
}

static const struct ui_dialog_ops small_ops = {
    .button = small_button,
    .destroy = small_destroy,
    .command = small_command,
};

static int
setting_is(struct sheet *s, const char *setting, const char *value)
{
    char *v = draft_get(s, &s->draft, setting);
    int r = v != NULL && strcmp(v, value) == 0;
    free(v);
    return r;
}

static void
small_editor_open(struct ui_dialog *sheet, int which)
{
    struct sheet *s = sheet->ctx;
    struct small_editor *se = ui_xcalloc(1, sizeof *se);
    se->sheet = sheet;
    se->which = which;
    struct ui_dialog *d;
    if (which == EXT_KU) {
        d = ui_dialog_new(s->app, "Edit Key Usage Extension", 74, 17, UI_DIALOG_PLAIN, &small_ops,
                          se);
        struct ui_page *p = ui_dialog_add_page(d, NULL);
        char *ku = draft_get(s, &s->draft, "key-usage");
        struct strlist have = {0};
        strlist_split(&have, ku ? ku : "", ",");
        free(ku);
        ui_page_label(p, 0, 0, 0, "Signature");
        int y = 1;
        for (size_t i = 0; i < NKU; i++) {
            if (i == 4)
                ui_page_label(p, 0, ++y, 0, "Encryption"), y++;
            ui_page_check(p, 2, y++, ku_bits[i].label, strlist_find(&have, ku_bits[i].name, 1) >= 0)
                ->id = K_BIT + (int)i;
        }
        strlist_free(&have);
        ui_page_check(p, 0, y + 1, "Make this extension critical",
                      setting_is(s, "key-usage-critical", "yes"))
            ->id = K_CRIT;
    } else {
        d = ui_dialog_new(s->app, "Edit Basic Constraints Extension", 64, 12, UI_DIALOG_PLAIN,
                          &small_ops, se);
        struct ui_page *p = ui_dialog_add_page(d, NULL);
        ui_page_check(p, 0, 0, "Enable this extension", setting_is(s, "basic-constraints", "yes"))
            ->id = B_ENABLE;
        if (s->draft.flags & CT_FLAG_IS_CA) {
            char *pl = draft_get(s, &s->draft, "path-length");
            ui_page_text(p, 0, 2, "Path length (none or N):", 26, 40, pl)->id = B_PATH;
            free(pl);
        }
        ui_page_check(p, 0, 4, "Make this extension critical",
                      setting_is(s, "basic-constraints-critical", "yes"))
            ->id = B_CRIT;
    }
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

static void
ext_edit(struct ui_dialog *d, struct ui_field *f)
{
    (void)f;
    struct ui_field *l = ui_dialog_field(d, F_EXT_LIST);
    size_t pos = ui_list_selected(&l->list);
    if (pos == UI_LIST_NONE)
        return;
    int ext = (int)l->list.src->row_id(l->list.ctx, pos);
    if (ext == EXT_APP)
        policy_editor_open(d, OID_KIND_APPLICATION);
    else if (ext == EXT_ISSUANCE)
        policy_editor_open(d, OID_KIND_ISSUANCE);
    else if (ext == EXT_KU || ext == EXT_BASIC)
        small_editor_open(d, ext);
}

/* ---------------- Security ---------------- */

/*
 * -- Risks: template lint over the draft, redone whenever a setting or an
 * entry of the Security tab changes. A line above the buttons names the
 * findings and the Risks... button, shown only while there are any, opens
 * each one's why and fix; a template without findings looks as before.
 */

static void
risks_pressed(struct ui_dialog *d, struct ui_field *f)
{
    (void)f;
    struct sheet *s = d->ctx;
    char *text = ui_xstrdup("");
    for (size_t i = 0; i < s->nrisks; i++) {
        char *more = ui_xasprintf("%s%s%s (%s)\nWhy: %s\nFix: %s", text, i ? "\n\n" : "",
                                  s->risks[i].id, lint_severity_name(s->risks[i].severity),
                                  s->risks[i].why, s->risks[i].fix);
        free(text);
        text = more;
    }
    ui_message(s->app, "Risks of this template", text);
    free(text);
}

static void
risks_sync(struct ui_dialog *d)
{
    struct sheet *s = d->ctx;
    lint_findings_free(s->risks, s->nrisks);
    s->risks = NULL;
    s->nrisks = 0;
    char *cause = NULL;
    struct ops_template_lint a = {NULL, &s->draft};
    struct ops_template_lint_result r;
    int rc = ops_call(s->app->cx, OP_TEMPLATE_LINT, &a, &r, &cause);
    if (rc == CC_OK) {
        /* the draft's findings move to the sheet */
        s->risks = r.findings[0];
        s->nrisks = r.nfindings[0];
        r.findings[0] = NULL;
        r.nfindings[0] = 0;
        ops_template_lint_result_free(&r);
    }
    char *line = NULL;
    if (rc != CC_OK) {
        line = ui_xasprintf("Risks could not be checked: %s", cause ? cause : cc_strerror(rc));
    } else if (s->nrisks > 0) {
        line = ui_xstrdup("Risks:");
        for (size_t i = 0; i < s->nrisks; i++) {
            char *more = ui_xasprintf("%s%s %s (%s)", line, i ? "," : "", s->risks[i].id,
                                      lint_severity_name(s->risks[i].severity));
            free(line);
            line = more;
        }
        char *more = ui_xasprintf("%s. Risks... says why and how to fix.", line);
        free(line);
        line = more;
    }
    free(cause);
    struct ui_field *b = NULL;
    for (size_t i = 0; i < d->nbuttons; i++)
        if (d->buttons[i]->id == F_RISKS)
            b = d->buttons[i];
    if (b != NULL)
        b->hidden = s->nrisks == 0;
    /* a refused save ("! ...") keeps the line until a value changes */
    if (d->message == NULL || strncmp(d->message, "! ", 2) != 0)
        ui_dialog_set_message(d, line);
    free(line);
}

/* The list shown again; the grid follows its selection (sec_selected). */
static void
security_sync(struct ui_dialog *d)
{
    struct sheet *s = d->ctx;
    if (s->sec.list == NULL)
        return;
    ui_principals_fill(&s->sec);
}

/* The grid shows the draft's entry for the principal selected in the list. */
static void
sec_selected(struct ui_dialog *d)
{
    struct sheet *s = d->ctx;
    const char *name;
    int64_t sel = ui_principals_selected(&s->sec, &name);
    int have = name != NULL;
    const struct acl_entry *e = have ? acl_find(&s->draft.acl, sel) : NULL;
    char *lab = have ? ui_xasprintf("Permissions for %s", name) : ui_xstrdup("Permissions");
    set_label(d, F_SEC_FOR, lab);
    free(lab);
    for (size_t r = 0; r < NGRID; r++) {
        struct ui_field *a = ui_dialog_field(d, F_GRID + 2 * (int)r);
        struct ui_field *n = ui_dialog_field(d, F_GRID + 2 * (int)r + 1);
        unsigned allow = e ? e->allow : 0, deny = e ? e->deny : 0;
        /* Full Control carries every right */
        a->value = (allow & grid_rights[r]) || (allow & ACL_FULL);
        n->value = (deny & grid_rights[r]) || (deny & ACL_FULL);
        a->disabled = n->disabled = !have;
    }
    /* every change of a setting or an entry comes through here */
    risks_sync(d);
}

static void
grid_changed(struct ui_dialog *d, struct ui_field *f)
{
    struct sheet *s = d->ctx;
    int idx = f->id - F_GRID;
    unsigned bit = grid_rights[idx / 2];
    int deny_col = idx % 2;
    const char *name;
    int64_t sel = ui_principals_selected(&s->sec, &name);
    const struct acl_entry *e = acl_find(&s->draft.acl, sel);
    unsigned allow = e ? e->allow : 0, deny = e ? e->deny : 0;
    /* Full Control as separate rights, so unticking one right clears it */
    if (allow & ACL_FULL)
        allow = ACL_ALL;
    if (deny & ACL_FULL)
        deny = ACL_ALL;
    unsigned *mine = deny_col ? &deny : &allow, *other = deny_col ? &allow : &deny;
    unsigned bits = bit == ACL_FULL ? ACL_ALL : bit;
    if (f->value) {
        *mine |= bits;
        *other &= ~bits; /* Allow and Deny of one right exclude each other */
    } else {
        *mine &= ~bits;
        if (bit != ACL_FULL)
            *mine &= ~ACL_FULL;
    }
    unsigned rights = ACL_READ | ACL_WRITE | ACL_ENROLL | ACL_AUTOENROLL;
    if ((allow & rights) == rights)
        allow |= ACL_FULL;
    if ((deny & rights) == rights)
        deny |= ACL_FULL;
    if (draft_acl(s, sel, name ? name : "", allow, deny) != CC_OK)
        ui_die("out of memory");
    security_sync(d);
}

/* Add... chose p: the list shows it by its own name. */
static const char *
sec_picked(struct ui_dialog *d, const struct dir_principal *p, const char *qualified)
{
    (void)qualified;
    struct sheet *s = d->ctx;
    /* a principal added to the list can read the template, as Windows does */
    if (acl_find(&s->draft.acl, p->id) == NULL &&
        draft_acl(s, p->id, p->name, ACL_READ, 0) != CC_OK)
        ui_die("out of memory");
    return NULL;
}

static void
sec_removed(struct ui_dialog *d, int64_t id)
{
    draft_acl(d->ctx, id, NULL, 0, 0);
}

/* ---------------- the whole sheet ---------------- */

static void
sheet_sync(struct ui_dialog *d, struct ui_field *except)
{
    struct sheet *s = d->ctx;
    for (size_t pg = 0; pg < d->npages; pg++)
        for (size_t i = 0; i < d->pages[pg]->n; i++) {
            struct ui_field *f = d->pages[pg]->f[i];
            if (f->id >= F_CONTROL && f != except)
                control_sync(d, f);
        }
    char *cn = s->is_new ? name_for(s->draft.display_name) : ui_xstrdup(s->draft.cn);
    char *line = ui_xasprintf("Template name:          %s", cn);
    set_label(d, F_TNAME, line);
    free(line);
    free(cn);
    line = ui_xasprintf("Version: %u.%u    Schema version: %d%s", s->draft.revision,
                        s->draft.minor_revision, s->draft.schema_version,
                        s->draft.schema_version == 1
                            ? "    (version 1: only Security can change; duplicate it to "
                              "customise)"
                            : "");
    set_label(d, F_VERSION, line);
    free(line);
    line = ui_xasprintf("Template schema version: %d. Raising compatibility cannot be undone "
                        "once the template is saved.",
                        s->draft.schema_version);
    set_label(d, F_SCHEMA, line);
    free(line);
    set_label(d, F_PROVIDER,
              s->draft.schema_version >= 3
                  ? "Provider category: Key Storage Provider"
                  : "Provider category: Legacy Cryptographic Service Provider");
    set_label(d, F_SUBJECT_WARN,
              template_subject_supplied(&s->draft)
                  ? "Warning: any enrollee can put any name in the request. Grant Enroll only "
                    "to those who should."
                  : "");
    superseded_fill(d);
    extensions_sync(d);
    security_sync(d);
}

static int
sheet_validate(struct ui_dialog *d, char **why)
{
    struct sheet *s = d->ctx;
    char *cause = NULL;
    struct ops_draft_ref v = {&s->draft, NULL};
    int rc = ops_call(s->app->cx, OP_TEMPLATE_DRAFT_VALIDATE, &v, NULL, &cause);
    if (rc != CC_OK) {
        if (why)
            *why = cause ? cause : ui_xstrdup(cc_strerror(rc));
        else
            free(cause);
        return 0;
    }
    return 1;
}

static int
sheet_unsaved(struct ui_dialog *d)
{
    struct sheet *s = d->ctx;
    if (s->is_new)
        return 1;
    if (!acl_equal(&s->orig.acl, &s->draft.acl))
        return 1;
    size_t n;
    const struct template_setting *set = template_settings(&n);
    for (size_t i = 0; i < n; i++) {
        char *a = draft_get(s, &s->orig, set[i].name);
        char *b = draft_get(s, &s->draft, set[i].name);
        int differ = (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
        free(a);
        free(b);
        if (differ)
            return 1;
    }
    return 0;
}

/*
 * Creates the new template from the draft: one core call that validates,
 * stores and audits it. The template name follows the display name until
 * then, as in Windows.
 */
static int
sheet_create(struct sheet *s, char **cause)
{
    struct ops_template_create a = {&s->draft, s->src};
    struct template stored;
    int rc = ops_call(s->app->cx, OP_TEMPLATE_CREATE, &a, &stored, cause);
    if (rc == CC_OK) {
        template_free(&s->draft);
        s->draft = stored;
        s->is_new = 0;
    }
    return rc;
}

/* Saves the draft beside others' saves since the sheet opened (template.save). */
static int
sheet_save(struct sheet *s, char **cause)
{
    struct ops_template_save a = {&s->orig, &s->draft};
    struct template saved;
    int rc = ops_call(s->app->cx, OP_TEMPLATE_SAVE, &a, &saved, cause);
    if (rc == CC_OK) {
        template_free(&s->draft);
        s->draft = saved;
    }
    return rc;
}

static void
sheet_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    struct sheet *s = d->ctx;
    if (b->id == F_RISKS) {
        risks_pressed(d, b);
        return;
    }
    if (role == UI_BUTTON_CANCEL) {
        ui_dialog_close(d);
        return;
    }
    char *cause = NULL;
    /* others' saves since the sheet opened stay, unless they changed the same setting */
    int rc = s->is_new ? sheet_create(s, &cause) : sheet_save(s, &cause);
    if (rc != CC_OK) {
        const char *why = cause ? cause : cc_strerror(rc);
        if (rc == CC_ECONFLICT) {
            char *msg = ui_xasprintf("%s\n\nYour changes are still in this dialog. Cancel "
                                     "discards them; reopen the template to start again from "
                                     "the current version.",
                                     why);
            ui_message(s->app, "Template changed by someone else", msg);
            free(msg);
        } else {
            char *msg = ui_xasprintf("! %s", why);
            ui_dialog_set_message(d, msg);
            free(msg);
        }
        free(cause);
        return;
    }
    template_free(&s->orig);
    if (template_copy(&s->orig, &s->draft) != CC_OK)
        ui_die("out of memory");
    free(d->title);
    d->title = ui_xasprintf("%s Properties", s->draft.display_name);
    ui_dialog_set_message(d, NULL);
    sheet_sync(d, NULL);
    ui_console_refresh(s->app);
    ui_console_select_row(s->app, s->draft.id);
    if (role == UI_BUTTON_OK)
        ui_dialog_close(d);
}

static void
sheet_destroy(struct ui_dialog *d)
{
    struct sheet *s = d->ctx;
    template_free(&s->orig);
    template_free(&s->draft);
    free(s->src);
    ui_principals_free(&s->sec);
    free(s->super_items);
    ops_template_list_free(&s->supers);
    lint_findings_free(s->risks, s->nrisks);
    free(s);
}

/*
 * The template ACL verb's options that turn the entry a principal had into
 * the one it has now. Grants go first and leftover rights are removed
 * after, so an entry that stays is never dropped and re-added.
 */
static void
acl_entry_command(char **text, const char *tname, const struct acl_entry *was,
                  const struct acl_entry *now)
{
    if (now == NULL) {
        ui_command_add(text, "template", "acl", tname, "--remove", was->name, (char *)NULL);
        return;
    }
    /* (a, d): the entry as the options given so far leave it (acl_grant's rules) */
    unsigned a = was ? was->allow : 0, d = was ? was->deny : 0;
    char *opts[6];
    size_t n = 0;
    if ((now->allow & ~a) || (d & now->allow)) {
        char *r = acl_rights_format(now->allow);
        opts[n++] = ui_xstrdup("--allow");
        opts[n++] = ui_xasprintf("%s:%s", now->name, r);
        free(r);
        a |= now->allow;
        d &= ~now->allow;
    }
    if ((now->deny & ~d) || (a & now->deny)) {
        char *r = acl_rights_format(now->deny);
        opts[n++] = ui_xstrdup("--deny");
        opts[n++] = ui_xasprintf("%s:%s", now->name, r);
        free(r);
        a &= ~now->deny;
        d |= now->deny;
    }
    unsigned extra = (a & ~now->allow) | (d & ~now->deny);
    if (extra) {
        char *r = acl_rights_format(extra);
        opts[n++] = ui_xstrdup("--remove");
        opts[n++] = ui_xasprintf("%s:%s", now->name, r);
        free(r);
    }
    if (n == 2)
        ui_command_add(text, "template", "acl", tname, opts[0], opts[1], (char *)NULL);
    else if (n == 4)
        ui_command_add(text, "template", "acl", tname, opts[0], opts[1], opts[2], opts[3],
                       (char *)NULL);
    else if (n == 6)
        ui_command_add(text, "template", "acl", tname, opts[0], opts[1], opts[2], opts[3], opts[4],
                       opts[5], (char *)NULL);
    for (size_t i = 0; i < n; i++)
        free(opts[i]);
}

/*
 * F2: what OK would do, as commands. A new template is `template
 * duplicate` at the compatibility the sheet opened with, then one `template
 * set` per setting the sheet changed (compatibility first: it decides what
 * the others may be; the display name last: the other commands name the
 * template by it), then the permissions that changed.
 */
static char *
sheet_command(struct ui_dialog *d, char **why)
{
    struct sheet *s = d->ctx;
    char *text = NULL;
    const char *tname = s->orig.display_name;
    if (s->is_new) {
        char *compat = draft_get(s, &s->orig, "compat");
        ui_command_add(&text, "template", "duplicate", s->src, s->draft.display_name, "--compat",
                       compat ? compat : "2003", (char *)NULL);
        free(compat);
        tname = s->draft.display_name;
    }
    size_t n;
    const struct template_setting *set = template_settings(&n);
    for (int pass = 0; pass < 3; pass++) {
        for (size_t i = 0; i < n; i++) {
            int is_compat = strcmp(set[i].name, "compat") == 0;
            int is_name = strcmp(set[i].name, "display-name") == 0;
            if ((pass == 0) != is_compat || (pass == 2) != is_name)
                continue;
            if (is_name && s->is_new)
                continue;
            char *a = draft_get(s, &s->orig, set[i].name);
            char *b = draft_get(s, &s->draft, set[i].name);
            if (b != NULL && (a == NULL || strcmp(a, b) != 0))
                ui_command_add(&text, "template", "set", tname, set[i].name, b, (char *)NULL);
            free(a);
            free(b);
        }
    }
    if (!acl_equal(&s->orig.acl, &s->draft.acl)) {
        /* after the display name changed */
        const char *aname = s->draft.display_name;
        for (size_t i = 0; i < s->orig.acl.n; i++) {
            const struct acl_entry *was = &s->orig.acl.v[i];
            const struct acl_entry *now = acl_find(&s->draft.acl, was->principal);
            if (now == NULL || now->allow != was->allow || now->deny != was->deny)
                acl_entry_command(&text, aname, was, now);
        }
        for (size_t i = 0; i < s->draft.acl.n; i++)
            if (acl_find(&s->orig.acl, s->draft.acl.v[i].principal) == NULL)
                acl_entry_command(&text, aname, NULL, &s->draft.acl.v[i]);
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
build_tab(struct ui_dialog *d, struct sheet *s, const char *tab)
{
    struct ui_page *p = ui_dialog_add_page(d, tab);
    for (size_t i = 0; i < NCONTROLS; i++) {
        const struct control *c = &controls[i];
        if (strcmp(c->tab, tab) != 0)
            continue;
        /* version 1 templates keep the minimum key size on Request Handling */
        struct ui_field *f = NULL;
        switch (c->kind) {
        case C_TEXT:
            f = ui_page_text(p, c->x, c->y, c->label, c->label_w, 0, "");
            break;
        case C_CHECK:
            f = ui_page_check(p, c->x, c->y, c->label, 0);
            break;
        case C_RADIO:
            f = ui_page_radio(p, c->x, c->y, c->labels, c->n, 0);
            /* the renewal check box belongs under "Supply in the request" */
            if (strcmp(c->setting, "subject") == 0)
                ui_radio_gap(f, 1, 1);
            break;
        case C_DROP:
            f = ui_page_drop(p, c->x, c->y, c->label, c->label_w, c->label_w + 34, c->labels, c->n,
                             0);
            break;
        }
        f->id = F_CONTROL + (int)i;
        f->data = (void *)c;
        f->changed = control_changed;
    }
    if (strcmp(tab, "General") == 0) {
        ui_page_label(p, 0, 1, 0, "")->id = F_TNAME;
        ui_page_label(p, 0, 10, 0, "")->id = F_VERSION;
    } else if (strcmp(tab, "Compatibility") == 0) {
        ui_page_label(p, 0, 0, 0, "Compatibility settings");
        ui_page_label(p, 0, 5, 0, "")->id = F_SCHEMA;
        ui_field_set_text(ui_dialog_field(d, F_SCHEMA), "");
        ui_dialog_field(d, F_SCHEMA)->h = 2;
    } else if (strcmp(tab, "Request Handling") == 0) {
        ui_page_label(p, 0, 7, 0, "When the subject is enrolled and when its private key is used:");
        if (s->draft.schema_version == 1) {
            char *line = ui_xasprintf("Minimum key size: %u", s->draft.min_key_size);
            ui_page_label(p, 0, 12, 0, line);
            free(line);
        }
    } else if (strcmp(tab, "Cryptography") == 0) {
        ui_page_label(p, 0, 0, 0, "")->id = F_PROVIDER;
    } else if (strcmp(tab, "Subject Name") == 0) {
        ui_page_label(p, 4, 3, 0, "Build from Active Directory:");
        ui_page_label(p, 4, 6, 0, "Include this information in alternate subject name:");
        struct ui_field *w = ui_page_label(p, 0, 12, 0, "");
        w->id = F_SUBJECT_WARN;
        w->h = 2;
    } else if (strcmp(tab, "Issuance Requirements") == 0) {
        ui_page_label(p, 0, 0, 0, "Require the following for enrollment:");
        ui_page_label(p, 0, 6, 0, "Require the following for reenrollment:");
    } else if (strcmp(tab, "Superseded Templates") == 0) {
        static const struct ui_column cols[] = {{"Template Display Name", 40}, {"Version", 10}};
        ui_page_label(p, 0, 0, 0, "Templates superseded by this template:");
        ui_page_list(p, 0, 1, 0, 8, cols, 2)->id = F_SUPER_LIST;
        ui_page_button(p, 0, 9, "Add...", superseded_add)->id = F_SUPER_ADD;
        ui_page_button(p, 12, 9, "Remove", superseded_remove)->id = F_SUPER_REMOVE;
    } else if (strcmp(tab, "Extensions") == 0) {
        static const struct ui_column cols[] = {{"", 40}};
        ui_page_label(p, 0, 0, 0, "Extensions included in this template:");
        struct ui_field *l = ui_page_list(p, 0, 1, 0, 7, cols, 1);
        l->id = F_EXT_LIST;
        l->changed = ext_selected;
        l->pressed = ext_edit;
        for (size_t i = 0; i < sizeof ext_names / sizeof ext_names[0]; i++) {
            const char *row[] = {ext_names[i]};
            ui_memsource_add(l->rows, (int64_t)i, row);
        }
        ui_list_refresh(&l->list);
        ui_page_button(p, 0, 8, "Edit...", ext_edit)->id = F_EXT_EDIT;
        ui_page_label(p, 0, 9, 0, "Description:");
        struct ui_field *desc = ui_page_label(p, 2, 10, 0, "");
        desc->id = F_EXT_DESC;
        desc->h = 5;
    } else if (strcmp(tab, "Security") == 0) {
        static const struct ui_column cols[] = {{"", 40}};
        ui_page_label(p, 0, 0, 0, "Group or user names:");
        s->sec.pick_title = "Select Users, Computers, or Groups";
        s->sec.pick_kinds = UI_PICK_SECURITY;
        s->sec.sorted = 1;
        s->sec.selected = sec_selected;
        s->sec.picked = sec_picked;
        s->sec.removed = sec_removed;
        ui_principals_place(&s->sec, d, p, 1, 6, cols, F_SEC_LIST, F_SEC_ADD, F_SEC_REMOVE);
        ui_page_label(p, 0, 8, 36, "")->id = F_SEC_FOR;
        ui_page_label(p, 37, 8, 0, "Allow   Deny");
        for (size_t r = 0; r < NGRID; r++) {
            ui_page_label(p, 2, 9 + (int)r, 30, acl_right_name(grid_rights[r]));
            struct ui_field *a = ui_page_check(p, 38, 9 + (int)r, "", 0);
            a->id = F_GRID + 2 * (int)r;
            a->changed = grid_changed;
            struct ui_field *n = ui_page_check(p, 46, 9 + (int)r, "", 0);
            n->id = F_GRID + 2 * (int)r + 1;
            n->changed = grid_changed;
        }
    } else if (strcmp(tab, "Key Attestation") == 0) {
        ui_page_label(p, 0, 0, 0, "Key attestation: None")->h = 1;
        ui_page_label(p, 0, 2, 0,
                      "certcon does not implement TPM key attestation; this tab is read-only.");
    }
}

static void
sheet_open(struct ui_app *app, struct sheet *s)
{
    s->app = app;
    for (size_t i = 0; i < s->draft.acl.n; i++)
        ui_principals_load_id(&s->sec, s->draft.acl.v[i].principal, s->draft.acl.v[i].name,
                              DIR_USER);
    const char *const *tabs;
    size_t ntabs;
    switch (s->draft.schema_version) {
    case 1:
        tabs = tabs_v1, ntabs = sizeof tabs_v1 / sizeof *tabs_v1;
        break;
    case 2:
        tabs = tabs_v2, ntabs = sizeof tabs_v2 / sizeof *tabs_v2;
        break;
    case 3:
        tabs = tabs_v3, ntabs = sizeof tabs_v3 / sizeof *tabs_v3;
        break;
    default:
        tabs = tabs_v4, ntabs = sizeof tabs_v4 / sizeof *tabs_v4;
        break;
    }
    char *title = s->is_new ? ui_xstrdup("Properties of New Template")
                            : ui_xasprintf("%s Properties", s->draft.display_name);
    struct ui_dialog *d = ui_dialog_new(app, title, 76, 22, UI_DIALOG_TABS, &sheet_ops, s);
    free(title);
    size_t general = 0;
    for (size_t i = 0; i < ntabs; i++) {
        build_tab(d, s, tabs[i]);
        if (strcmp(tabs[i], "General") == 0)
            general = i;
    }
    ui_dialog_add_button(d, "Risks...", UI_BUTTON_OTHER, F_RISKS)->hidden = 1;
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_add_button(d, "Apply", UI_BUTTON_APPLY, 2);
    sheet_sync(d, NULL);
    d->cur = general;
    ui_dialog_show(d);
}

void
ui_template_sheet_open(struct ui_app *app, const struct template *t)
{
    struct sheet *s = ui_xcalloc(1, sizeof *s);
    if (template_copy(&s->orig, t) != CC_OK || template_copy(&s->draft, t) != CC_OK)
        ui_die("out of memory");
    sheet_open(app, s);
}

void
ui_template_sheet_new(struct ui_app *app, const char *src, enum template_compat compat)
{
    /* the draft exists only in the dialog until OK (template.create): Cancel leaves nothing */
    struct ops_template_draft a = {src, compat};
    struct ops_template_draft_result r;
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_TEMPLATE_DRAFT, &a, &r, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Duplicate Template", rc, cause);
        free(cause);
        return;
    }
    struct sheet *s = ui_xcalloc(1, sizeof *s);
    s->is_new = 1;
    s->src = r.src_cn;
    s->draft = r.draft;
    if (template_copy(&s->orig, &s->draft) != CC_OK)
        ui_die("out of memory");
    sheet_open(app, s);
}
