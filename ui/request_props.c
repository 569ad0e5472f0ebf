/*
 * Certificate Properties (request_props.h): the Windows dialog of the
 * Request New Certificate wizard, on a draft of one template's settings.
 * The subject the chosen values make is an RFC 4514 DN built here (each
 * value escaped), or the Full DN typed whole; a subject may stay empty when
 * alternative names are given, as the web server procedure's step 12 does.
 * Values are checked as they are typed (DNS names by the CA's own rules);
 * the CA checks the request again when it arrives.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "dialog.h"
#include "mem.h"
#include "names.h"
#include "request.h"
#include "request_props.h"
#include "status.h"
#include "util.h"

static const char *const subject_types[] = {
    "Common name", "Full DN", "Organization", "Organizational unit",
    "Locality",    "State",   "Country",      "E-mail",
};
/* the attribute each subject type writes (Full DN: the whole value) */
static const char *const subject_attrs[] = {"CN", NULL, "O", "OU", "L", "ST", "C", "EMAIL"};
static const char *const san_types[] = {"DNS", "E-mail", "UPN", "IP address"};
/* how the chosen list writes each alternative name */
static const char *const san_attrs[] = {"DNS", "E-mail", "UPN", "IP"};
enum { NSUBJECT = 8, NSAN = 4 };

enum {
    F_SUBJECT_TYPE = 1,
    F_SUBJECT_VALUE,
    F_SUBJECT_ADD,
    F_SAN_TYPE,
    F_SAN_VALUE,
    F_SAN_ADD,
    F_CHOSEN,
    F_REMOVE,
    F_FRIENDLY,
    F_KEY,
    F_EXPORTABLE,
};

/* ---------------- the settings ---------------- */

static void
names_add(struct req_props *p, int san, int type, const char *value)
{
    ui_xgrow(&p->v, &p->cap, p->n + 1, sizeof *p->v);
    p->v[p->n++] = (struct req_name){san, type, ui_xstrdup(value)};
}

static void
names_clear(struct req_props *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i].value);
    p->n = 0;
}

void
ui_req_props_free(struct req_props *p)
{
    names_clear(p);
    free(p->v);
    free(p->friendly);
    free(p->key_type);
    memset(p, 0, sizeof *p);
}

static void
props_copy(struct req_props *dst, const struct req_props *src)
{
    ui_req_props_free(dst);
    for (size_t i = 0; i < src->n; i++)
        names_add(dst, src->v[i].san, src->v[i].type, src->v[i].value);
    dst->friendly = ui_xstrdup(src->friendly);
    dst->key_type = ui_xstrdup(src->key_type);
    dst->exportable = src->exportable;
    dst->set = src->set;
}

/* An RFC 4514 attribute value: ',', '+', '"', '\', '<', '>', ';' escaped, and a leading '#' or
 * blank and a trailing blank. */
static void
dn_append(char **dn, const char *attr, const char *value)
{
    size_t n = strlen(value);
    char *v = ui_xmalloc(2 * n + 1), *q = v;
    for (size_t i = 0; i < n; i++) {
        char c = value[i];
        if (strchr(",+\"\\<>;=", c) != NULL || (i == 0 && (c == '#' || c == ' ')) ||
            (i + 1 == n && c == ' '))
            *q++ = '\\';
        *q++ = c;
    }
    *q = '\0';
    char *s = *dn ? ui_xasprintf("%s,%s=%s", *dn, attr, v) : ui_xasprintf("%s=%s", attr, v);
    free(*dn);
    free(v);
    *dn = s;
}

/* The subject DN the values make, or NULL for an empty subject; allocated. */
static char *
props_dn(const struct req_props *p)
{
    for (size_t i = 0; i < p->n; i++)
        if (!p->v[i].san && p->v[i].type == REQ_SUBJECT_DN)
            return ui_xstrdup(p->v[i].value);
    char *dn = NULL;
    /* most specific first, as Windows writes the request's subject */
    static const int order[] = {REQ_SUBJECT_CN, REQ_SUBJECT_E,  REQ_SUBJECT_OU, REQ_SUBJECT_O,
                                REQ_SUBJECT_L,  REQ_SUBJECT_ST, REQ_SUBJECT_C};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        for (size_t i = 0; i < p->n; i++)
            if (!p->v[i].san && p->v[i].type == order[k])
                dn_append(&dn, subject_attrs[order[k]], p->v[i].value);
    return dn;
}

int
ui_req_props_named(const struct req_props *p)
{
    return p->n > 0;
}

char *
ui_req_props_summary(const struct req_props *p)
{
    char *dn = props_dn(p);
    char *s = ui_xasprintf("Subject: %s", dn ? dn : "(empty)");
    free(dn);
    for (int t = 0; t < NSAN; t++) {
        char *list = NULL;
        for (size_t i = 0; i < p->n; i++)
            if (p->v[i].san && p->v[i].type == t) {
                char *l = list ? ui_xasprintf("%s, %s", list, p->v[i].value)
                               : ui_xasprintf("%s: %s", san_types[t], p->v[i].value);
                free(list);
                list = l;
            }
        if (list != NULL) {
            char *n = ui_xasprintf("%s; %s", s, list);
            free(s);
            free(list);
            s = n;
        }
    }
    return s;
}

void
ui_req_props_params(const struct req_props *p, struct cadb_enroll_params *params, char **dn)
{
    *dn = props_dn(p);
    params->dn = *dn;
    params->cn = NULL;
    for (size_t i = 0; i < p->n; i++) {
        if (!p->v[i].san)
            continue;
        struct strlist *l = p->v[i].type == REQ_SAN_DNS     ? &params->dns
                            : p->v[i].type == REQ_SAN_EMAIL ? &params->email
                            : p->v[i].type == REQ_SAN_UPN   ? &params->upn
                                                            : &params->ip;
        if (strlist_add(l, p->v[i].value) != CC_OK)
            ui_die("out of memory");
    }
    params->friendly_name = p->friendly && *p->friendly ? p->friendly : NULL;
    params->key_type = p->key_type;
    params->not_exportable = !p->exportable;
}

/* ---------------- value checks ---------------- */

/* Why value is not a good value of that type, or NULL; allocated. */
static char *
value_problem(int san, int type, const char *value)
{
    if (!*value)
        return NULL;
    if (san && type == REQ_SAN_DNS)
        return ui_dns_name_problem(value, UI_DNS_WILDCARD);
    if (san && type == REQ_SAN_IP) {
        unsigned char buf[16];
        if (inet_pton(AF_INET, value, buf) == 1 || inet_pton(AF_INET6, value, buf) == 1)
            return NULL;
        return ui_xasprintf("\"%s\" is not an IPv4 or IPv6 address", value);
    }
    if ((san && (type == REQ_SAN_EMAIL || type == REQ_SAN_UPN)) ||
        (!san && type == REQ_SUBJECT_E)) {
        const char *at = strchr(value, '@');
        if (at == NULL || at == value || at[1] == '\0' || strchr(at + 1, '@') != NULL)
            return ui_xasprintf("\"%s\" is not a name@domain address", value);
        return NULL;
    }
    if (!san && type == REQ_SUBJECT_C) {
        if (strlen(value) != 2 || value[0] < 'A' || value[0] > 'Z' || value[1] < 'A' ||
            value[1] > 'Z')
            return ui_xstrdup("Country is a two-letter ISO 3166 code, such as US");
    }
    return NULL;
}

/* ---------------- the dialog ---------------- */

struct props_dialog {
    struct req_props draft;
    struct req_props *target;
    struct strlist keys; /* the key types offered */
    void (*done)(void *ctx);
    void *ctx;
    int changed;
};

static void
chosen_fill(struct ui_dialog *d)
{
    struct props_dialog *pd = d->ctx;
    struct ui_field *l = ui_dialog_field(d, F_CHOSEN);
    ui_memsource_clear(l->rows);
    /* subject names first, then alternative names, as the Windows list groups them */
    for (int san = 0; san < 2; san++)
        for (size_t i = 0; i < pd->draft.n; i++) {
            const struct req_name *nm = &pd->draft.v[i];
            if (nm->san != san)
                continue;
            char *v = nm->san ? ui_xasprintf("%s=%s", san_attrs[nm->type], nm->value)
                      : nm->type == REQ_SUBJECT_DN
                          ? ui_xstrdup(nm->value)
                          : ui_xasprintf("%s=%s", subject_attrs[nm->type], nm->value);
            const char *row[] = {v};
            ui_memsource_add(l->rows, (int64_t)i, row);
            free(v);
        }
    ui_list_refresh(&l->list);
}

static void
value_changed(struct ui_dialog *d, struct ui_field *f)
{
    int san = f->id == F_SAN_VALUE;
    int type = ui_dialog_field(d, san ? F_SAN_TYPE : F_SUBJECT_TYPE)->value;
    char *why = value_problem(san, type, f->text);
    ui_field_set_error(f, why);
    free(why);
}

static void
type_changed(struct ui_dialog *d, struct ui_field *f)
{
    value_changed(d, ui_dialog_field(d, f->id == F_SAN_TYPE ? F_SAN_VALUE : F_SUBJECT_VALUE));
}

static void
add_pressed(struct ui_dialog *d, struct ui_field *b)
{
    struct props_dialog *pd = d->ctx;
    int san = b->id == F_SAN_ADD;
    struct ui_field *v = ui_dialog_field(d, san ? F_SAN_VALUE : F_SUBJECT_VALUE);
    int type = ui_dialog_field(d, san ? F_SAN_TYPE : F_SUBJECT_TYPE)->value;
    if (v->error != NULL) {
        ui_dialog_focus(d, v);
        return;
    }
    if (!*v->text) {
        ui_dialog_set_message(d, "Type a value, then Add");
        ui_dialog_focus(d, v);
        return;
    }
    for (size_t i = 0; i < pd->draft.n; i++)
        if (pd->draft.v[i].san == san && pd->draft.v[i].type == type &&
            cc_strcaseeq(pd->draft.v[i].value, v->text)) {
            ui_dialog_set_message(d, "That value is listed already");
            return;
        }
    names_add(&pd->draft, san, type, v->text);
    pd->changed = 1;
    ui_dialog_set_message(d, NULL);
    ui_field_set_text(v, "");
    chosen_fill(d);
    ui_dialog_focus(d, v);
}

static void
remove_pressed(struct ui_dialog *d, struct ui_field *b)
{
    (void)b;
    struct props_dialog *pd = d->ctx;
    struct ui_field *l = ui_dialog_field(d, F_CHOSEN);
    size_t pos = ui_list_selected(&l->list);
    if (pos == UI_LIST_NONE)
        return;
    size_t i = (size_t)l->list.src->row_id(l->list.ctx, pos);
    free(pd->draft.v[i].value);
    memmove(&pd->draft.v[i], &pd->draft.v[i + 1], (pd->draft.n - i - 1) * sizeof *pd->draft.v);
    pd->draft.n--;
    pd->changed = 1;
    chosen_fill(d);
}

static int
props_validate(struct ui_dialog *d, char **why)
{
    struct props_dialog *pd = d->ctx;
    if (pd->draft.n > 0)
        return 1;
    if (why != NULL)
        *why = ui_xstrdup("Add a subject name or an alternative name");
    return 0;
}

static int
props_unsaved(struct ui_dialog *d)
{
    return ((struct props_dialog *)d->ctx)->changed;
}

static void
props_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct props_dialog *pd = d->ctx;
    if (role == UI_BUTTON_OK) {
        free(pd->draft.friendly);
        free(pd->draft.key_type);
        pd->draft.friendly = ui_xstrdup(ui_dialog_field(d, F_FRIENDLY)->text);
        struct ui_field *k = ui_dialog_field(d, F_KEY);
        pd->draft.key_type = k != NULL && pd->keys.n ? ui_xstrdup(pd->keys.v[k->value]) : NULL;
        struct ui_field *x = ui_dialog_field(d, F_EXPORTABLE);
        pd->draft.exportable = x != NULL && x->value;
        pd->draft.set = 1;
        props_copy(pd->target, &pd->draft);
        if (pd->done != NULL)
            pd->done(pd->ctx);
    }
    ui_dialog_close(d);
}

static void
props_destroy(struct ui_dialog *d)
{
    struct props_dialog *pd = d->ctx;
    ui_req_props_free(&pd->draft);
    strlist_free(&pd->keys);
    free(pd);
}

static const struct ui_dialog_ops props_ops = {
    .validate = props_validate,
    .unsaved = props_unsaved,
    .button = props_button,
    .destroy = props_destroy,
};

/* The key types of request_key_types() the template accepts, its default first. */
static void
keys_fill(const struct template *t, struct strlist *out)
{
    struct strlist all = {0};
    if (strlist_split(&all, request_key_types(), "|") != CC_OK ||
        strlist_add(out, template_default_key(t)) != CC_OK)
        ui_die("out of memory");
    for (size_t i = 0; i < all.n; i++) {
        struct request_keyspec ks;
        if (request_keyspec_parse(all.v[i], &ks, NULL) != CC_OK ||
            cc_strcaseeq(all.v[i], out->v[0]))
            continue;
        int family = ks.pk == GNUTLS_PK_RSA     ? TEMPLATE_KEY_RSA
                     : ks.pk == GNUTLS_PK_ECDSA ? TEMPLATE_KEY_EC
                                                : TEMPLATE_KEY_ED25519;
        if (template_key_accepts(t, family, ks.bits) && strlist_add(out, all.v[i]) != CC_OK)
            ui_die("out of memory");
    }
    strlist_free(&all);
}

void
ui_req_props_open(struct ui_app *app, const struct template *t, struct req_props *target,
                  void (*done)(void *ctx), void *ctx)
{
    struct props_dialog *pd = ui_xcalloc(1, sizeof *pd);
    pd->target = target;
    pd->done = done;
    pd->ctx = ctx;
    props_copy(&pd->draft, target);
    if (!target->set)
        pd->draft.exportable = template_exportable(t);
    keys_fill(t, &pd->keys);
    char *title = ui_xasprintf("Certificate Properties - %s",
                               t->display_name ? t->display_name : t->cn);
    struct ui_dialog *d = ui_dialog_new(app, title, 78, 22, UI_DIALOG_TABS, &props_ops, pd);
    free(title);

    struct ui_page *p = ui_dialog_add_page(d, "Subject");
    ui_page_label(p, 0, 0, 0, "Subject of certificate: the values it is issued to.");
    ui_page_label(p, 0, 1, 34, "Subject name:");
    struct ui_field *f =
        ui_page_drop(p, 0, 2, "Type:", 7, 34, subject_types, NSUBJECT, REQ_SUBJECT_CN);
    f->id = F_SUBJECT_TYPE;
    f->changed = type_changed;
    f = ui_page_text(p, 0, 3, "Value:", 7, 34, "");
    f->id = F_SUBJECT_VALUE;
    f->changed = value_changed;
    ui_page_button(p, 7, 4, "Add >", add_pressed)->id = F_SUBJECT_ADD;
    ui_page_label(p, 0, 6, 34, "Alternative name:");
    f = ui_page_drop(p, 0, 7, "Type:", 7, 34, san_types, NSAN, REQ_SAN_DNS);
    f->id = F_SAN_TYPE;
    f->changed = type_changed;
    f = ui_page_text(p, 0, 8, "Value:", 7, 34, "");
    f->id = F_SAN_VALUE;
    f->changed = value_changed;
    ui_page_button(p, 7, 9, "Add >", add_pressed)->id = F_SAN_ADD;
    static const struct ui_column chosen_cols[] = {{"Chosen values", 34}};
    f = ui_page_list(p, 36, 1, 0, 10, chosen_cols, 1);
    f->id = F_CHOSEN;
    ui_page_button(p, 36, 11, "< Remove", remove_pressed)->id = F_REMOVE;

    p = ui_dialog_add_page(d, "General");
    ui_page_label(p, 0, 0, 0, "A friendly name makes the certificate easier to tell apart "
                              "in the store.")
        ->h = 2;
    ui_page_text(p, 0, 3, "Friendly name:", 15, 0, target->friendly ? target->friendly : "")->id =
        F_FRIENDLY;

    p = ui_dialog_add_page(d, "Private Key");
    ui_page_label(p, 0, 0, 0, "Key options: the key types this template accepts.");
    int sel = 0;
    for (size_t i = 0; i < pd->keys.n; i++)
        if (target->key_type != NULL && cc_strcaseeq(target->key_type, pd->keys.v[i]))
            sel = (int)i;
    f = ui_page_drop(p, 0, 2, "Key type and size:", 20, 36, (const char *const *)pd->keys.v,
                     pd->keys.n, sel);
    f->id = F_KEY;
    if (template_exportable(t)) {
        ui_page_check(p, 0, 4, "Make private key exportable", pd->draft.exportable)->id =
            F_EXPORTABLE;
    } else {
        ui_page_label(p, 0, 4, 0, "The template does not allow the private key to be "
                                  "exported.")
            ->h = 2;
    }
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
    chosen_fill(d);
}
