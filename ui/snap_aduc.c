/*
 * Active Directory Users and Computers: the domain with its Users,
 * Computers and Groups containers and its organizational units, each
 * listing what it holds (an object moved to an OU leaves its default
 * container, as in AD); New Group / User / Computer / Organizational Unit;
 * Move... of a user or computer to an OU or back; group Properties with
 * the Members tab (Add... through the principal picker, Remove); user and
 * computer Properties; Restart of a computer, which takes its group token
 * afresh as a Windows restart does. Every change is one operation, which
 * is one transaction (group members: the whole Members tab; a new object
 * in an OU: its creation and its move).
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "autoenroll.h"
#include "dialog.h"
#include "directory.h"
#include "mem.h"
#include "names.h"
#include "ops.h"
#include "picker.h"
#include "principals.h"
#include "snap.h"
#include "status.h"
#include "why_enroll.h"

enum {
    CMD_NEW_GROUP = 100,
    CMD_NEW_USER,
    CMD_NEW_COMPUTER,
    CMD_RESTART,
    CMD_NEW, /* the submenu's parent, never chosen */
    CMD_NEW_OU,
    CMD_MOVE,
    CMD_WHY, /* Why Can't ... Enroll? (why_enroll.c) */
};

/* A default container (ou NULL: the principals of one kind in no OU) or an OU. */
struct container {
    enum dir_kind kind;
    char *ou;
};

static const struct ui_column user_cols[] = {
    {"Name", 24}, {"Type", 6}, {"User logon name", 26}, {"E-mail", 20}};
static const struct ui_column computer_cols[] = {{"Name", 24}, {"Type", 10}, {"DNS name", 30}};
static const struct ui_column group_cols[] = {{"Name", 28}, {"Type", 15}, {"Description", 30}};
static const struct ui_column ou_cols[] = {{"Name", 24}, {"Type", 15}, {"Description", 30}};

#define OU_KINDS ((1u << DIR_USER) | (1u << DIR_COMPUTER) | (1u << DIR_GROUP))

static const char *
kind_type(enum dir_kind k)
{
    return k == DIR_USER ? "User" : k == DIR_COMPUTER ? "Computer" : "Security Group";
}

static void
container_load(struct ui_node *n)
{
    struct container *c = n->data;
    ui_memsource_clear(n->rows);
    /* Users also holds the groups made there; Groups holds the others */
    struct ops_dir_list_args a = {
        .kinds = c->ou ? OU_KINDS : (1u << c->kind) | (c->kind == DIR_USER ? 1u << DIR_GROUP : 0)};
    struct ops_dir_list l;
    if (ops_call(n->app->cx, OP_DIR_LIST, &a, &l, NULL) != CC_OK)
        return;
    for (size_t i = 0; i < l.n; i++) {
        const struct dir_principal *p = &l.v[i];
        const char *where = p->ou ? p->ou : "";
        if (c->ou ? strcasecmp(where, c->ou) != 0 : *where != '\0')
            continue;
        if (c->ou == NULL && p->kind == DIR_GROUP &&
            (strcasecmp(p->container, "Users") == 0) != (c->kind == DIR_USER))
            continue;
        const char *row[4] = {p->name, kind_type(p->kind), "", ""};
        if (c->ou != NULL) {
            row[2] = p->description ? p->description : "";
        } else if (c->kind == DIR_USER && p->kind == DIR_GROUP) {
            row[2] = "";
        } else if (c->kind == DIR_USER) {
            row[2] = p->upn ? p->upn : "";
            row[3] = p->mail ? p->mail : "";
        } else if (c->kind == DIR_COMPUTER) {
            row[2] = p->dns ? p->dns : "";
        } else {
            row[2] = p->description ? p->description : "";
        }
        ui_memsource_add(n->rows, p->id, row);
    }
    ops_dir_list_free(&l);
}

static const struct ui_menu_item new_items[] = {
    {"Group", CMD_NEW_GROUP, NULL, 0},
    {"User", CMD_NEW_USER, NULL, 0},
    {"Computer", CMD_NEW_COMPUTER, NULL, 0},
    {"Organizational Unit", CMD_NEW_OU, NULL, 0},
};
#define NNEW (sizeof new_items / sizeof new_items[0])

static const struct ui_menu_item node_menu[] = {
    {"New", CMD_NEW, new_items, NNEW},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};
static const struct ui_menu_item computer_menu[] = {
    {"Restart", CMD_RESTART, NULL, 0},    {"Properties", UI_CMD_PROPERTIES, NULL, 0},
    {"Move...", CMD_MOVE, NULL, 0},       {"New", CMD_NEW, new_items, NNEW},
    {"Refresh", UI_CMD_REFRESH, NULL, 0}, {"Why Can't ... Enroll?", CMD_WHY, NULL, 0},
};
static const struct ui_menu_item user_menu[] = {
    {"Properties", UI_CMD_PROPERTIES, NULL, 0},  {"Move...", CMD_MOVE, NULL, 0},
    {"New", CMD_NEW, new_items, NNEW},           {"Refresh", UI_CMD_REFRESH, NULL, 0},
    {"Why Can't ... Enroll?", CMD_WHY, NULL, 0},
};
static const struct ui_menu_item item_menu[] = {
    {"Properties", UI_CMD_PROPERTIES, NULL, 0},
    {"New", CMD_NEW, new_items, NNEW},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};

static size_t
container_menu(struct ui_node *n, int has_row, int64_t row, const struct ui_menu_item **items)
{
    struct container *c = n->data;
    if (!has_row) {
        *items = node_menu;
        return sizeof node_menu / sizeof node_menu[0];
    }
    enum dir_kind kind = c->kind;
    if (c->ou != NULL || c->kind == DIR_USER) {
        /* an OU holds every kind, Users holds groups too: the row says which */
        struct ops_dir_ref ref = {.id = row};
        struct dir_principal p;
        memset(&p, 0, sizeof p);
        kind = ops_call(n->app->cx, OP_DIR_GET, &ref, &p, NULL) == CC_OK ? p.kind : DIR_GROUP;
        dir_principal_free(&p);
    }
    if (kind == DIR_COMPUTER) {
        *items = computer_menu;
        return sizeof computer_menu / sizeof computer_menu[0];
    }
    if (kind == DIR_USER) {
        *items = user_menu;
        return sizeof user_menu / sizeof user_menu[0];
    }
    *items = item_menu;
    return sizeof item_menu / sizeof item_menu[0];
}

/* ---------------- New Group / User / Computer ---------------- */

enum { F_NAME = 1, F_DESC, F_DNS, F_FULL, F_MAIL, F_UPN_SUFFIX };

struct new_object {
    enum dir_kind kind;
    int in_users;        /* a group made from the Users container lives there */
    int dns_edited;      /* the DNS name follows the computer name until edited */
    char *ou;            /* create in this OU, or NULL: the default container */
    struct ui_node *dom; /* New Organizational Unit: the domain node gets its node */
};

static void domain_sync_ous(struct ui_node *dom);

static int
text_empty(const char *s)
{
    while (s && isspace((unsigned char)*s))
        s++;
    return s == NULL || *s == '\0';
}

static int
new_validate(struct ui_dialog *d, char **why)
{
    struct new_object *no = d->ctx;
    struct ui_field *name = ui_dialog_field(d, F_NAME);
    if (text_empty(name->text)) {
        if (why)
            *why = ui_xasprintf("Enter the %s name", no->dom != NULL         ? "organizational unit"
                                                     : no->kind == DIR_GROUP ? "group"
                                                     : no->kind == DIR_USER  ? "user logon"
                                                                             : "computer");
        return 0;
    }
    if (no->kind == DIR_COMPUTER && text_empty(ui_dialog_field(d, F_DNS)->text)) {
        if (why)
            *why = ui_xstrdup("Enter the computer's DNS name");
        return 0;
    }
    return 1;
}

/*
 * The operation that creates the object of a New dialog, placed in its OU
 * (or a group in Users) in the same transaction.
 */
static int
new_create(struct ui_dialog *d, struct new_object *no, const char *name, int64_t *id, char **cause)
{
    struct ui_app *app = d->layer.app;
    struct ops_dir_add a = {.name = name, .ou = no->ou, .container = no->in_users ? "Users" : NULL};
    if (no->kind == DIR_GROUP) {
        const char *desc = ui_dialog_field(d, F_DESC)->text;
        a.description = *desc ? desc : NULL;
        return ops_call(app->cx, OP_DIR_ADD_GROUP, &a, id, cause);
    }
    if (no->kind == DIR_USER) {
        const char *full = ui_dialog_field(d, F_FULL)->text;
        const char *mail = ui_dialog_field(d, F_MAIL)->text;
        char *upn = ui_xasprintf("%s@%s", name, app->domain);
        /* the full name is the object's cn, as AD's is: the Name column and a certificate's CN */
        a.cn = *full ? full : name;
        a.upn = upn;
        a.mail = *mail ? mail : NULL;
        a.display = *full ? full : NULL;
        int rc = ops_call(app->cx, OP_DIR_ADD_USER, &a, id, cause);
        free(upn);
        return rc;
    }
    a.dns = ui_dialog_field(d, F_DNS)->text;
    return ops_call(app->cx, OP_DIR_ADD_COMPUTER, &a, id, cause);
}

static void
new_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct new_object *no = d->ctx;
    struct ui_app *app = d->layer.app;
    if (role == UI_BUTTON_CANCEL) {
        ui_dialog_close(d);
        return;
    }
    const char *name = ui_dialog_field(d, F_NAME)->text;
    char *cause = NULL;
    int64_t id = 0;
    int rc;
    if (no->dom != NULL) {
        const char *desc = ui_dialog_field(d, F_DESC)->text;
        struct ops_dir_add a = {.name = name, .description = *desc ? desc : NULL};
        rc = ops_call(app->cx, OP_DIR_ADD_OU, &a, NULL, &cause);
        if (rc != CC_OK) {
            ui_dialog_set_message(d, cause ? cause : cc_strerror(rc));
            free(cause);
            return;
        }
        ui_dialog_close(d);
        domain_sync_ous(no->dom);
        ui_console_refresh(app);
        return;
    }
    rc = new_create(d, no, name, &id, &cause);
    if (rc != CC_OK) {
        /* the dialog stays open with what was typed */
        ui_dialog_set_message(d, cause ? cause : cc_strerror(rc));
        free(cause);
        return;
    }
    ui_dialog_close(d);
    ui_console_refresh(app);
    ui_console_select_row(app, id);
}

static void
new_destroy(struct ui_dialog *d)
{
    struct new_object *no = d->ctx;
    free(no->ou);
    free(no);
}

/* F2: the dir verb that creates the object, and dir set to place it as OK does. */
static char *
new_command(struct ui_dialog *d, char **why)
{
    struct new_object *no = d->ctx;
    if (!new_validate(d, why))
        return NULL;
    const char *name = ui_dialog_field(d, F_NAME)->text;
    char *text = NULL;
    if (no->dom != NULL || no->kind == DIR_GROUP) {
        const char *desc = ui_dialog_field(d, F_DESC)->text;
        const char *verb = no->dom != NULL ? "add-ou" : "add-group";
        if (*desc)
            ui_command_add(&text, "dir", verb, name, "--description", desc, (char *)NULL);
        else
            ui_command_add(&text, "dir", verb, name, (char *)NULL);
        if (no->dom != NULL)
            return text;
    } else if (no->kind == DIR_USER) {
        const char *full = ui_dialog_field(d, F_FULL)->text;
        const char *mail = ui_dialog_field(d, F_MAIL)->text;
        if (*full && *mail)
            ui_command_add(&text, "dir", "add-user", name, "--full-name", full, "--mail", mail,
                           (char *)NULL);
        else if (*full)
            ui_command_add(&text, "dir", "add-user", name, "--full-name", full, (char *)NULL);
        else if (*mail)
            ui_command_add(&text, "dir", "add-user", name, "--mail", mail, (char *)NULL);
        else
            ui_command_add(&text, "dir", "add-user", name, (char *)NULL);
    } else {
        ui_command_add(&text, "dir", "add-computer", name, "--dns", ui_dialog_field(d, F_DNS)->text,
                       (char *)NULL);
    }
    char *who = ui_xasprintf("%s%s", name, no->kind == DIR_COMPUTER ? "$" : "");
    if (no->ou != NULL)
        ui_command_add(&text, "dir", "set", who, "ou", no->ou, (char *)NULL);
    else if (no->in_users)
        ui_command_add(&text, "dir", "set", who, "container", "Users", (char *)NULL);
    free(who);
    return text;
}

static const struct ui_dialog_ops new_ops = {
    .validate = new_validate,
    .button = new_button,
    .destroy = new_destroy,
    .command = new_command,
};

static void
computer_name_changed(struct ui_dialog *d, struct ui_field *f)
{
    struct new_object *no = d->ctx;
    if (no->dns_edited)
        return;
    char *lower = ui_xstrdup(f->text);
    for (char *p = lower; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    char *dns = *lower ? ui_xasprintf("%s.%s", lower, d->layer.app->domain) : ui_xstrdup("");
    struct ui_field *df = ui_dialog_field(d, F_DNS);
    ui_field_set_text(df, dns);
    ui_field_check_dns(df, UI_DNS_EMPTY_OK);
    free(dns);
    free(lower);
}

static void
dns_changed(struct ui_dialog *d, struct ui_field *f)
{
    ((struct new_object *)d->ctx)->dns_edited = 1;
    ui_field_check_dns(f, UI_DNS_EMPTY_OK);
}

static void
upn_follow(struct ui_dialog *d, struct ui_field *f)
{
    char *t = ui_xasprintf("User principal name: %s@%s", f->text, d->layer.app->domain);
    ui_field_set_text(ui_dialog_field(d, F_UPN_SUFFIX), t);
    free(t);
}

/* New Organizational Unit: a name and a description, directly under the domain. */
static void
new_ou_open(struct ui_app *app, struct ui_node *dom)
{
    struct new_object *no = ui_xcalloc(1, sizeof *no);
    no->dom = dom;
    struct ui_dialog *d = ui_dialog_new(app, "New Object - Organizational Unit", 64, 12,
                                        UI_DIALOG_PLAIN, &new_ops, no);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    char *where = ui_xasprintf("Create in: %s/", app->domain);
    ui_page_label(p, 0, 0, 0, where);
    free(where);
    ui_page_text(p, 0, 2, "Name:", 14, 0, "")->id = F_NAME;
    ui_page_text(p, 0, 3, "Description:", 14, 0, "")->id = F_DESC;
    ui_page_label(p, 0, 5, 0, "Group policy can be linked to an organizational unit.");
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

/* from: the container the New menu was opened on (DIR_USER: Users), or 0. */
static void
new_object_open(struct ui_app *app, enum dir_kind kind, const char *ou, enum dir_kind from)
{
    struct new_object *no = ui_xcalloc(1, sizeof *no);
    no->kind = kind;
    no->ou = ou ? ui_xstrdup(ou) : NULL;
    no->in_users = ou == NULL && kind == DIR_GROUP && from == DIR_USER;
    char *where = ui_xasprintf("Create in: %s/%s", app->domain,
                               ou                                 ? ou
                               : kind == DIR_USER || no->in_users ? "Users"
                               : kind == DIR_COMPUTER             ? "Computers"
                                                                  : "Groups");
    struct ui_dialog *d;
    if (kind == DIR_GROUP) {
        d = ui_dialog_new(app, "New Object - Group", 64, 12, UI_DIALOG_PLAIN, &new_ops, no);
        struct ui_page *p = ui_dialog_add_page(d, NULL);
        ui_page_label(p, 0, 0, 0, where);
        ui_page_text(p, 0, 2, "Group name:", 14, 0, "")->id = F_NAME;
        ui_page_text(p, 0, 3, "Description:", 14, 0, "")->id = F_DESC;
        ui_page_label(p, 0, 5, 0, "Group scope: Global    Group type: Security");
        ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    } else if (kind == DIR_USER) {
        /* a wizard, as Windows' New Object - User is */
        d = ui_dialog_new(app, "New Object - User", 64, 14, UI_DIALOG_WIZARD, &new_ops, no);
        struct ui_page *p = ui_dialog_add_page(d, "Name");
        ui_page_label(p, 0, 0, 0, where);
        ui_page_text(p, 0, 2, "Full name:", 18, 0, "")->id = F_FULL;
        struct ui_field *n = ui_page_text(p, 0, 3, "User logon name:", 18, 0, "");
        n->id = F_NAME;
        n->changed = upn_follow;
        ui_page_label(p, 0, 4, 0, "")->id = F_UPN_SUFFIX;
        struct ui_page *p2 = ui_dialog_add_page(d, "E-mail");
        ui_page_text(p2, 0, 0, "E-mail:", 18, 0, "")->id = F_MAIL;
        ui_page_label(p2, 0, 2, 0,
                      "Templates that build the subject from Active Directory need an e-mail "
                      "address when they include the e-mail name.")
            ->h = 2;
        ui_dialog_add_button(d, "< Back", UI_BUTTON_BACK, 2);
        ui_dialog_add_button(d, "Next >", UI_BUTTON_NEXT, 3);
        ui_dialog_add_button(d, "Finish", UI_BUTTON_FINISH, 1);
    } else {
        d = ui_dialog_new(app, "New Object - Computer", 64, 12, UI_DIALOG_PLAIN, &new_ops, no);
        struct ui_page *p = ui_dialog_add_page(d, NULL);
        ui_page_label(p, 0, 0, 0, where);
        struct ui_field *n = ui_page_text(p, 0, 2, "Computer name:", 16, 0, "");
        n->id = F_NAME;
        n->changed = computer_name_changed;
        struct ui_field *dns = ui_page_text(p, 0, 3, "DNS name:", 16, 0, "");
        dns->id = F_DNS;
        dns->changed = dns_changed;
        ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    }
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    free(where);
    ui_dialog_show(d);
}

/* ---------------- group Properties: Members ---------------- */

enum { F_MEMBERS = 10, F_ADD, F_REMOVE };

struct group_sheet {
    struct dir_principal group;
    struct ui_principals members; /* the Members tab: the draft and the names saved */
};

static int
group_unsaved(struct ui_dialog *d)
{
    struct group_sheet *gs = d->ctx;
    return ui_principals_unsaved(&gs->members);
}

/* Applies the draft in one transaction; 0 or -1 (the dialog shows why). */
static int
group_apply(struct ui_dialog *d)
{
    struct group_sheet *gs = d->ctx;
    struct strlist gone = {0}, added = {0};
    ui_principals_removed(&gs->members, &gone);
    ui_principals_added(&gs->members, &added);
    struct ops_dir_update a = {.principal = gs->group.name, .remove = &gone, .add = &added};
    char *cause = NULL;
    int rc = ops_call(d->layer.app->cx, OP_DIR_UPDATE, &a, NULL, &cause);
    strlist_free(&gone);
    strlist_free(&added);
    if (rc != CC_OK) {
        ui_dialog_set_message(d, cause ? cause : cc_strerror(rc));
        free(cause);
        return -1;
    }
    ui_principals_saved(&gs->members);
    ui_dialog_set_message(d, NULL);
    return 0;
}

static void
group_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    if (role == UI_BUTTON_CANCEL) {
        ui_dialog_close(d);
        return;
    }
    if (group_apply(d) != 0)
        return;
    ui_console_refresh(d->layer.app);
    if (role == UI_BUTTON_OK)
        ui_dialog_close(d);
}

static void
group_destroy(struct ui_dialog *d)
{
    struct group_sheet *gs = d->ctx;
    dir_principal_free(&gs->group);
    ui_principals_free(&gs->members);
    free(gs);
}

/* F2: dir remove-member and add-member for each change of the Members list. */
static char *
group_command(struct ui_dialog *d, char **why)
{
    struct group_sheet *gs = d->ctx;
    struct strlist gone = {0}, added = {0};
    ui_principals_removed(&gs->members, &gone);
    ui_principals_added(&gs->members, &added);
    char *text = NULL;
    for (size_t i = 0; i < gone.n; i++)
        ui_command_add(&text, "dir", "remove-member", gs->group.name, gone.v[i], (char *)NULL);
    for (size_t i = 0; i < added.n; i++)
        ui_command_add(&text, "dir", "add-member", gs->group.name, added.v[i], (char *)NULL);
    strlist_free(&gone);
    strlist_free(&added);
    if (text == NULL)
        *why = ui_xstrdup("the members are as they were");
    return text;
}

static const struct ui_dialog_ops group_ops = {
    .unsaved = group_unsaved,
    .button = group_button,
    .destroy = group_destroy,
    .command = group_command,
};

static void
group_properties(struct ui_app *app, const struct dir_principal *g)
{
    struct group_sheet *gs = ui_xcalloc(1, sizeof *gs);
    gs->members.pick_title = "Select Users, Computers, or Groups";
    gs->members.pick_kinds = UI_PICK_ACCOUNTS;
    gs->members.label = kind_type;
    struct ops_dir_ref ref = {.id = g->id};
    char *cause = NULL;
    if (ops_call(app->cx, OP_DIR_GET, &ref, &gs->group, &cause) != CC_OK) {
        ui_show_error(app, "Properties", CC_ENOTFOUND, cause);
        free(cause);
        free(gs);
        return;
    }
    struct ops_dir_list m;
    if (ops_call(app->cx, OP_DIR_MEMBERS, &ref, &m, &cause) != CC_OK) {
        ui_show_error(app, "Properties", CC_EDB, cause);
        free(cause);
        group_destroy(&(struct ui_dialog){.ctx = gs});
        return;
    }
    for (size_t i = 0; i < m.n; i++)
        ui_principals_load(&gs->members, m.v[i].name, m.v[i].kind);
    ops_dir_list_free(&m);

    char *title = ui_xasprintf("%s Properties", g->name);
    struct ui_dialog *d = ui_dialog_new(app, title, 70, 20, UI_DIALOG_TABS, &group_ops, gs);
    free(title);
    struct ui_page *gen = ui_dialog_add_page(d, "General");
    char *line = ui_xasprintf("Group name:   %s", g->name);
    ui_page_label(gen, 0, 0, 0, line);
    free(line);
    line = ui_xasprintf("Description:  %s", g->description ? g->description : "");
    ui_page_label(gen, 0, 1, 0, line);
    free(line);
    line = ui_xasprintf("SID:          %s", g->sid ? g->sid : "");
    ui_page_label(gen, 0, 2, 0, line);
    free(line);
    ui_page_label(gen, 0, 4, 0, "Group scope: Global    Group type: Security");
    struct ui_page *mem = ui_dialog_add_page(d, "Members");
    static const struct ui_column cols[] = {{"Name", 30}, {"Type", 16}};
    ui_page_label(mem, 0, 0, 0, "Members:");
    ui_principals_place(&gs->members, d, mem, 1, 8, cols, F_MEMBERS, F_ADD, F_REMOVE);
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_add_button(d, "Apply", UI_BUTTON_APPLY, 2);
    ui_dialog_show(d);
}

/* ---------------- user and computer Properties ---------------- */

/*
 * A user's or computer's Properties: General (display name, e-mail and UPN
 * of a user; DNS name, other DNS names and UPN of a computer) and Member Of
 * (Add... a group through the picker, Remove). The sheet edits a draft,
 * every value is checked as it is typed with the directory's own rules
 * (DNS names with the CA's), and OK or Apply writes the changed attributes
 * and memberships in one transaction, or nothing with the reason shown.
 */
enum {
    F_P_DISPLAY = 30,
    F_P_MAIL,
    F_P_UPN,
    F_P_DNS,
    F_P_EXTRA,
    F_P_EXTRA_NEW,
    F_P_EXTRA_ADD,
    F_P_EXTRA_REMOVE,
    F_P_GROUPS,
    F_P_GROUP_ADD,
    F_P_GROUP_REMOVE,
};

struct principal_sheet {
    struct dir_principal p; /* as it was when the sheet opened (or last applied) */
    struct strlist extra;   /* the draft's other DNS names */
    struct ui_principals groups; /* the Member Of tab: the draft and the names saved */
};

/* The attributes a sheet of this kind edits, and their fields. */
static const struct {
    const char *attribute;
    int field;
    unsigned kinds;
} sheet_attrs[] = {
    {"display", F_P_DISPLAY, 1u << DIR_USER},
    {"mail", F_P_MAIL, 1u << DIR_USER},
    {"upn", F_P_UPN, (1u << DIR_USER) | (1u << DIR_COMPUTER)},
    {"dns", F_P_DNS, 1u << DIR_COMPUTER},
};
#define NSHEET_ATTRS (sizeof sheet_attrs / sizeof sheet_attrs[0])

static const char *
sheet_attr_value(const struct dir_principal *p, const char *attribute)
{
    const char *v = !strcmp(attribute, "display") ? p->display
                    : !strcmp(attribute, "mail")  ? p->mail
                    : !strcmp(attribute, "upn")   ? p->upn
                                                  : p->dns;
    return v ? v : "";
}

static int
strlist_same(const struct strlist *a, const struct strlist *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strlist_find(b, a->v[i], 1) < 0)
            return 0;
    return 1;
}

static int
sheet_unsaved(struct ui_dialog *d)
{
    struct principal_sheet *ps = d->ctx;
    for (size_t i = 0; i < NSHEET_ATTRS; i++) {
        struct ui_field *f = ui_dialog_field(d, sheet_attrs[i].field);
        if (f != NULL && strcmp(f->text, sheet_attr_value(&ps->p, sheet_attrs[i].attribute)))
            return 1;
    }
    if (ps->p.kind == DIR_COMPUTER && !strlist_same(&ps->extra, &ps->p.extra_dns))
        return 1;
    return ui_principals_unsaved(&ps->groups);
}

/* A field of the sheet was typed in: says at once what is wrong with the value. */
static void
sheet_attr_changed(struct ui_dialog *d, struct ui_field *f)
{
    ui_dialog_set_message(d, NULL); /* "Saved." speaks of the draft before this change */
    if (f->id == F_P_DNS) {
        ui_field_check_dns(f, 0);
        return;
    }
    char *cause = NULL;
    const char *attribute = f->id == F_P_MAIL ? "mail" : f->id == F_P_UPN ? "upn" : "display";
    if (dir_check_attribute(attribute, f->text, &cause) != CC_OK)
        ui_field_set_error(f, cause ? cause : "This value is not valid");
    else
        ui_field_set_error(f, NULL);
    free(cause);
}

static void
extra_fill(struct ui_dialog *d)
{
    ui_dialog_set_message(d, NULL);
    struct principal_sheet *ps = d->ctx;
    struct ui_field *l = ui_dialog_field(d, F_P_EXTRA);
    ui_memsource_clear(l->rows);
    for (size_t i = 0; i < ps->extra.n; i++) {
        const char *row[] = {ps->extra.v[i]};
        ui_memsource_add(l->rows, (int64_t)i, row);
    }
    ui_list_refresh(&l->list);
    ui_dialog_field(d, F_P_EXTRA_REMOVE)->disabled = ps->extra.n == 0;
}

static void
extra_new_changed(struct ui_dialog *d, struct ui_field *f)
{
    (void)d;
    ui_field_check_dns(f, UI_DNS_EMPTY_OK);
}

static void
extra_add(struct ui_dialog *d, struct ui_field *b)
{
    (void)b;
    struct principal_sheet *ps = d->ctx;
    struct ui_field *f = ui_dialog_field(d, F_P_EXTRA_NEW);
    if (!ui_field_check_dns(f, 0))
        return; /* the field says why */
    if (strlist_find(&ps->extra, f->text, 1) < 0 &&
        (ps->p.dns == NULL || strcasecmp(ps->p.dns, f->text) != 0)) {
        if (strlist_add(&ps->extra, f->text) != CC_OK)
            ui_die("out of memory");
    }
    ui_field_set_text(f, "");
    ui_field_set_error(f, NULL);
    extra_fill(d);
}

static void
extra_remove(struct ui_dialog *d, struct ui_field *b)
{
    (void)b;
    struct principal_sheet *ps = d->ctx;
    struct ui_field *l = ui_dialog_field(d, F_P_EXTRA);
    size_t pos = ui_list_selected(&l->list);
    if (pos == UI_LIST_NONE)
        return;
    strlist_remove_at(&ps->extra, (size_t)l->list.src->row_id(l->list.ctx, pos));
    extra_fill(d);
    if (ps->extra.n == 0)
        ui_dialog_focus(d, ui_dialog_field(d, F_P_EXTRA_NEW));
}

/* Member Of changed: "Saved." speaks of the draft before this change. */
static void
groups_changed(struct ui_dialog *d)
{
    ui_dialog_set_message(d, NULL);
}

static const char *
group_label(enum dir_kind kind)
{
    (void)kind; /* the picker offers groups only */
    return "Security Group";
}

static int
sheet_validate(struct ui_dialog *d, char **why)
{
    struct principal_sheet *ps = d->ctx;
    if (ps->p.kind == DIR_COMPUTER && text_empty(ui_dialog_field(d, F_P_DNS)->text)) {
        if (why)
            *why = ui_xstrdup("Enter the computer's DNS name");
        return 0;
    }
    return 1;
}

/* Writes the draft in one transaction; 0, or -1 with the reason shown and nothing changed. */
static int
sheet_apply(struct ui_dialog *d)
{
    struct principal_sheet *ps = d->ctx;
    struct ui_app *app = d->layer.app;
    int groups_changed = ui_principals_unsaved(&ps->groups);
    struct ops_dir_attr attrs[NSHEET_ATTRS + 1];
    size_t nattrs = 0;
    for (size_t i = 0; i < NSHEET_ATTRS; i++) {
        struct ui_field *f = ui_dialog_field(d, sheet_attrs[i].field);
        if (f != NULL && strcmp(f->text, sheet_attr_value(&ps->p, sheet_attrs[i].attribute)))
            attrs[nattrs++] = (struct ops_dir_attr){sheet_attrs[i].attribute, f->text};
    }
    char *joined = NULL;
    if (ps->p.kind == DIR_COMPUTER && !strlist_same(&ps->extra, &ps->p.extra_dns)) {
        if ((joined = strlist_join(&ps->extra, ",")) == NULL)
            ui_die("out of memory");
        attrs[nattrs++] = (struct ops_dir_attr){"extra-dns", joined};
    }
    struct strlist leave = {0}, join = {0};
    ui_principals_removed(&ps->groups, &leave);
    ui_principals_added(&ps->groups, &join);
    struct ops_dir_update a = {
        .principal = ps->p.sam, .attrs = attrs, .nattrs = nattrs, .leave = &leave, .join = &join};
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_DIR_UPDATE, &a, NULL, &cause);
    free(joined);
    strlist_free(&leave);
    strlist_free(&join);
    if (rc != CC_OK) {
        ui_dialog_set_error(d, rc, cause);
        return -1;
    }
    /* the draft is now what the directory holds */
    struct ops_dir_ref ref = {.id = ps->p.id};
    struct dir_principal fresh;
    if (ops_call(app->cx, OP_DIR_GET, &ref, &fresh, NULL) == CC_OK) {
        dir_principal_free(&ps->p);
        ps->p = fresh;
    }
    ui_principals_saved(&ps->groups);
    ui_dialog_set_message(d, groups_changed && ps->p.kind == DIR_COMPUTER
                                 ? "Saved. The computer's new group memberships take effect "
                                   "when it restarts (Restart in its menu)."
                             : groups_changed ? "Saved. The new group memberships take effect "
                                                "the next time the user logs on."
                                              : NULL);
    return 0;
}

static void
sheet_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct principal_sheet *ps = d->ctx;
    if (role == UI_BUTTON_CANCEL) {
        ui_dialog_close(d);
        return;
    }
    int groups_changed = ui_principals_unsaved(&ps->groups);
    if (sheet_apply(d) != 0)
        return;
    ui_console_refresh(d->layer.app);
    if (role != UI_BUTTON_OK)
        return;
    ui_dialog_close(d);
    if (groups_changed && ps->p.kind == DIR_COMPUTER) {
        char *msg = ui_xasprintf("The group membership of %s changed. The change takes effect "
                                 "when %s restarts: use Restart in its menu.",
                                 ps->p.name, ps->p.name);
        ui_message(d->layer.app, "Active Directory Domain Services", msg);
        free(msg);
    }
}

static void
sheet_destroy(struct ui_dialog *d)
{
    struct principal_sheet *ps = d->ctx;
    dir_principal_free(&ps->p);
    strlist_free(&ps->extra);
    ui_principals_free(&ps->groups);
    free(ps);
}

/* F2: dir set for each attribute changed, then the Member Of changes. */
static char *
sheet_command(struct ui_dialog *d, char **why)
{
    struct principal_sheet *ps = d->ctx;
    const char *who = ps->p.sam;
    char *text = NULL;
    for (size_t i = 0; i < NSHEET_ATTRS; i++) {
        struct ui_field *f = ui_dialog_field(d, sheet_attrs[i].field);
        if (f != NULL && strcmp(f->text, sheet_attr_value(&ps->p, sheet_attrs[i].attribute)))
            ui_command_add(&text, "dir", "set", who, sheet_attrs[i].attribute, f->text,
                           (char *)NULL);
    }
    if (ps->p.kind == DIR_COMPUTER && !strlist_same(&ps->extra, &ps->p.extra_dns)) {
        char *joined = strlist_join(&ps->extra, ",");
        if (joined == NULL)
            ui_die("out of memory");
        ui_command_add(&text, "dir", "set", who, "extra-dns", joined, (char *)NULL);
        free(joined);
    }
    struct strlist leave = {0}, join = {0};
    ui_principals_removed(&ps->groups, &leave);
    ui_principals_added(&ps->groups, &join);
    for (size_t i = 0; i < leave.n; i++)
        ui_command_add(&text, "dir", "remove-member", leave.v[i], who, (char *)NULL);
    for (size_t i = 0; i < join.n; i++)
        ui_command_add(&text, "dir", "add-member", join.v[i], who, (char *)NULL);
    strlist_free(&leave);
    strlist_free(&join);
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
sheet_label(struct ui_page *pg, int y, const char *label, const char *value)
{
    char *line = ui_xasprintf("%-22s%s", label, value ? value : "");
    ui_page_label(pg, 0, y, 0, line);
    free(line);
}

static struct ui_field *
sheet_text(struct ui_page *pg, int y, const char *label, int id, const char *value)
{
    struct ui_field *f = ui_page_text(pg, 0, y, label, 22, 0, value ? value : "");
    f->id = id;
    f->changed = sheet_attr_changed;
    return f;
}

static void
principal_properties(struct ui_app *app, const struct dir_principal *p)
{
    struct principal_sheet *ps = ui_xcalloc(1, sizeof *ps);
    ps->groups.pick_title = "Select Groups";
    ps->groups.pick_kinds = 1u << DIR_GROUP;
    ps->groups.label = group_label;
    ps->groups.changed = groups_changed;
    char *cause = NULL;
    struct ops_dir_ref ref = {.id = p->id};
    struct ops_dir_list groups = {0};
    int rc = ops_call(app->cx, OP_DIR_GET, &ref, &ps->p, &cause);
    if (rc == CC_OK)
        rc = ops_call(app->cx, OP_DIR_MEMBER_OF, &ref, &groups, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Properties", rc, cause);
        free(cause);
        sheet_destroy(&(struct ui_dialog){.ctx = ps});
        return;
    }
    for (size_t i = 0; i < groups.n; i++)
        ui_principals_load(&ps->groups, groups.v[i].name, groups.v[i].kind);
    ops_dir_list_free(&groups);
    if (strlist_copy(&ps->extra, &ps->p.extra_dns) != CC_OK)
        ui_die("out of memory");
    const struct dir_principal *q = &ps->p;
    int computer = q->kind == DIR_COMPUTER;

    char *title = ui_xasprintf("%s Properties", q->name);
    struct ui_dialog *d = ui_dialog_new(app, title, 74, 20, UI_DIALOG_TABS, &sheet_ops, ps);
    free(title);
    struct ui_page *gen = ui_dialog_add_page(d, "General");
    sheet_label(gen, 0, "Name:", q->name);
    sheet_label(gen, 1, computer ? "Computer name:" : "User logon name:", q->sam);
    sheet_label(gen, 2, "SID:", q->sid);
    if (computer) {
        sheet_text(gen, 3, "DNS name:", F_P_DNS, q->dns);
        sheet_text(gen, 4, "User principal name:", F_P_UPN, q->upn);
        ui_page_label(gen, 0, 6, 0, "Other DNS names (type one, then Add):");
        struct ui_field *nf = ui_page_text(gen, 0, 7, "", 0, 46, "");
        nf->id = F_P_EXTRA_NEW;
        nf->changed = extra_new_changed;
        ui_page_button(gen, 48, 7, "Add", extra_add)->id = F_P_EXTRA_ADD;
        static const struct ui_column cols[] = {{"DNS name", 44}};
        ui_page_list(gen, 0, 8, 46, 5, cols, 1)->id = F_P_EXTRA;
        ui_page_button(gen, 48, 9, "Remove", extra_remove)->id = F_P_EXTRA_REMOVE;
    } else {
        sheet_text(gen, 3, "Display name:", F_P_DISPLAY, q->display);
        sheet_text(gen, 4, "E-mail:", F_P_MAIL, q->mail);
        sheet_text(gen, 5, "User principal name:", F_P_UPN, q->upn);
    }

    struct ui_page *mem = ui_dialog_add_page(d, "Member Of");
    ui_page_label(mem, 0, 0, 0, "Member of:");
    static const struct ui_column gcols[] = {{"Name", 34}, {"Type", 16}};
    ui_principals_place(&ps->groups, d, mem, 1, 8, gcols, F_P_GROUPS, F_P_GROUP_ADD,
                        F_P_GROUP_REMOVE);
    ui_page_label(mem, 0, 11, 0,
                  computer ? "Changes to a computer's group membership take effect when it "
                             "restarts."
                           : "Changes to a user's group membership take effect the next time "
                             "the user logs on.")
        ->h = 2;
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_add_button(d, "Apply", UI_BUTTON_APPLY, 2);
    if (computer)
        extra_fill(d);
    ui_dialog_show(d);
}

/* ---------------- Move... ---------------- */

enum { F_MOVE_LIST = 20 };

struct move {
    char *who;         /* the principal as the core names it (SERVER1$) */
    struct strlist ou; /* row id i: "" (the default container) or an OU */
};

static void
move_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct move *mv = d->ctx;
    struct ui_app *app = d->layer.app;
    if (role != UI_BUTTON_OK) {
        ui_dialog_close(d);
        return;
    }
    struct ui_field *l = ui_dialog_field(d, F_MOVE_LIST);
    size_t pos = ui_list_selected(&l->list);
    if (pos == UI_LIST_NONE)
        return;
    int64_t i = l->list.src->row_id(l->list.ctx, pos);
    char *cause = NULL;
    struct ops_dir_set a = {mv->who, "ou", mv->ou.v[i]};
    int rc = ops_call(app->cx, OP_DIR_SET, &a, NULL, &cause);
    if (rc != CC_OK) {
        ui_dialog_set_message(d, cause ? cause : cc_strerror(rc));
        free(cause);
        return;
    }
    ui_dialog_close(d);
    ui_console_refresh(app);
}

static void
move_destroy(struct ui_dialog *d)
{
    struct move *mv = d->ctx;
    free(mv->who);
    strlist_free(&mv->ou);
    free(mv);
}

/* F2: dir set P ou OU (an empty OU: back to the default container). */
static char *
move_command(struct ui_dialog *d, char **why)
{
    struct move *mv = d->ctx;
    struct ui_field *l = ui_dialog_field(d, F_MOVE_LIST);
    size_t pos = ui_list_selected(&l->list);
    if (pos == UI_LIST_NONE) {
        *why = ui_xstrdup("choose where to move it");
        return NULL;
    }
    int64_t i = l->list.src->row_id(l->list.ctx, pos);
    char *text = NULL;
    ui_command_add(&text, "dir", "set", mv->who, "ou", mv->ou.v[i], (char *)NULL);
    return text;
}

static const struct ui_dialog_ops move_ops = {
    .button = move_button,
    .destroy = move_destroy,
    .command = move_command,
};

/* Move: the default container of the principal's kind and every OU; the current one selected. */
static void
move_open(struct ui_app *app, const struct dir_principal *p)
{
    struct move *mv = ui_xcalloc(1, sizeof *mv);
    mv->who = ui_xstrdup(p->sam ? p->sam : p->name);
    struct strlist ous = {0};
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_DIR_OUS, NULL, &ous, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Move", rc, cause);
        free(cause);
        move_destroy(&(struct ui_dialog){.ctx = mv});
        return;
    }
    char *title = ui_xasprintf("Move %s", p->name);
    struct ui_dialog *d = ui_dialog_new(app, title, 64, 17, UI_DIALOG_PLAIN, &move_ops, mv);
    free(title);
    struct ui_page *pg = ui_dialog_add_page(d, NULL);
    ui_page_label(pg, 0, 0, 0, "Move object into container:");
    static const struct ui_column cols[] = {{"Container", 34}, {"Type", 20}};
    struct ui_field *l = ui_page_list(pg, 0, 1, 0, 10, cols, 2);
    l->id = F_MOVE_LIST;
    const char *here = p->ou ? p->ou : "";
    size_t sel = 0;
    for (size_t i = 0; i <= ous.n; i++) {
        const char *ou = i == 0 ? "" : ous.v[i - 1];
        if (strlist_add(&mv->ou, ou) != CC_OK)
            ui_die("out of memory");
        char *label = ui_xasprintf("%s/%s", app->domain,
                                   i > 0                     ? ou
                                   : p->kind == DIR_COMPUTER ? "Computers"
                                                             : "Users");
        const char *row[] = {label, i == 0 ? "Container" : "Organizational Unit"};
        ui_memsource_add(l->rows, (int64_t)i, row);
        free(label);
        if (strcasecmp(ou, here) == 0)
            sel = i;
    }
    strlist_free(&ous);
    ui_list_refresh(&l->list);
    ui_list_select(&l->list, sel);
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

/* ---------------- actions ---------------- */

/*
 * What the restart's autoenrollment pulse did, one sentence per action, or
 * why it did nothing (allocated). Names come from the database and are
 * drawn through the escaping text function by the message box.
 */
static char *
pulse_summary(const struct pulse_report *r)
{
    char *text = ui_xstrdup("Autoenrollment:");
    int acted = 0;
    const char *policy = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const struct pulse_item *it = &r->v[i];
        if (*it->template == '\0')
            policy = it->reason;
        if (!strcmp(it->action, "none") || !strcmp(it->action, "skipped"))
            continue;
        char *more =
            *it->serial
                ? ui_xasprintf("%s %s %s, serial %s.", text, it->action, it->template, it->serial)
                : ui_xasprintf("%s %s %s: %s.", text, it->action, it->template, it->reason);
        free(text);
        text = more;
        acted++;
    }
    if (acted == 0) {
        char *more =
            ui_xasprintf("%s nothing to do%s%s.", text, policy ? ": " : "", policy ? policy : "");
        free(text);
        text = more;
    }
    return text;
}

static void
container_act(struct ui_node *n, int has_row, int64_t row, int id)
{
    struct ui_app *app = n->app;
    struct container *c = n->data;
    switch (id) {
    case CMD_NEW_GROUP:
        new_object_open(app, DIR_GROUP, c->ou, c->kind);
        return;
    case CMD_NEW_USER:
        new_object_open(app, DIR_USER, c->ou, c->kind);
        return;
    case CMD_NEW_COMPUTER:
        new_object_open(app, DIR_COMPUTER, c->ou, c->kind);
        return;
    case CMD_NEW_OU:
        new_ou_open(app, n->parent);
        return;
    case UI_CMD_REFRESH:
        ui_console_refresh(app);
        return;
    default:
        break;
    }
    if (!has_row)
        return;
    struct ops_dir_ref ref = {.id = row};
    struct dir_principal p;
    memset(&p, 0, sizeof p);
    char *cause = NULL;
    if (ops_call(app->cx, OP_DIR_GET, &ref, &p, &cause) != CC_OK) {
        ui_show_error(app, "Active Directory Users and Computers", CC_ENOTFOUND, cause);
        free(cause);
        return;
    }
    if (id == UI_CMD_PROPERTIES) {
        if (p.kind == DIR_GROUP)
            group_properties(app, &p);
        else
            principal_properties(app, &p);
    } else if (id == CMD_MOVE && (p.kind == DIR_USER || p.kind == DIR_COMPUTER)) {
        move_open(app, &p);
    } else if (id == CMD_WHY && (p.kind == DIR_USER || p.kind == DIR_COMPUTER)) {
        ui_why_enroll_for_principal(app, &p);
    } else if (id == CMD_RESTART && p.kind == DIR_COMPUTER) {
        /* as on the command line: the token afresh, then the autoenrollment pulse */
        struct ops_pulse a = {.principal = p.name, .how = AE_START_RESTART};
        struct ops_pulse_result res;
        memset(&res, 0, sizeof res);
        int rc = ops_call(app->cx, OP_AUTOENROLL_RESTART, &a, &res, &cause);
        if (rc != CC_OK) {
            ui_show_error(app, "Restart", rc, cause);
        } else {
            char *cmd = NULL;
            ui_command_add(&cmd, "dir", "restart", p.sam ? p.sam : p.name, (char *)NULL);
            ui_record(app, "Restart", cmd);
            free(cmd);
            char *pulse = pulse_summary(&res.v[0].report);
            char *msg = ui_xasprintf("%s restarted. Its group memberships (the token it "
                                     "enrolls with) are now current.\n\n%s",
                                     p.name, pulse);
            ui_message(app, "Restart", msg);
            free(msg);
            free(pulse);
            ops_pulse_result_free(&res);
            ui_console_refresh(app);
        }
    } else if (id == UI_CMD_DELETE) {
        ui_message(app, "Delete", "Deleting directory objects is not supported.");
    }
    free(cause);
    dir_principal_free(&p);
}

static void
container_destroy(struct ui_node *n)
{
    struct container *c = n->data;
    free(c->ou);
    free(c);
}

static char *
container_title(struct ui_node *n)
{
    return ui_xasprintf("%s (%s)", n->label, n->app->domain);
}

static const struct ui_node_type user_type = {
    .name = "users",
    .cols = user_cols,
    .ncols = 4,
    .noun = "object", /* Users holds the groups made there too */
    .nouns = "objects",
    .load = container_load,
    .destroy = container_destroy,
    .menu = container_menu,
    .act = container_act,
    .title = container_title,
};
static const struct ui_node_type computer_type = {
    .name = "computers",
    .cols = computer_cols,
    .ncols = 3,
    .noun = "computer",
    .nouns = "computers",
    .load = container_load,
    .destroy = container_destroy,
    .menu = container_menu,
    .act = container_act,
    .title = container_title,
};
static const struct ui_node_type group_type = {
    .name = "groups",
    .cols = group_cols,
    .ncols = 3,
    .noun = "group",
    .nouns = "groups",
    .load = container_load,
    .destroy = container_destroy,
    .menu = container_menu,
    .act = container_act,
    .title = container_title,
};

static const struct ui_node_type ou_type = {
    .name = "ou",
    .cols = ou_cols,
    .ncols = 3,
    .noun = "object",
    .nouns = "objects",
    .load = container_load,
    .destroy = container_destroy,
    .menu = container_menu,
    .act = container_act,
    .title = container_title,
};

static struct ui_node *
add_container(struct ui_node *parent, const char *label, const struct ui_node_type *type,
              enum dir_kind kind)
{
    struct container *c = ui_xcalloc(1, sizeof *c);
    c->kind = kind;
    return ui_node_add(parent, label, type, c);
}

/* The domain node lists its containers and offers New. */
static size_t
domain_menu(struct ui_node *n, int has_row, int64_t row, const struct ui_menu_item **items)
{
    (void)n;
    (void)has_row;
    (void)row;
    *items = node_menu;
    return sizeof node_menu / sizeof node_menu[0];
}

static void
domain_act(struct ui_node *n, int has_row, int64_t row, int id)
{
    (void)has_row;
    (void)row;
    if (id == CMD_NEW_GROUP)
        new_object_open(n->app, DIR_GROUP, NULL, 0);
    else if (id == CMD_NEW_USER)
        new_object_open(n->app, DIR_USER, NULL, 0);
    else if (id == CMD_NEW_COMPUTER)
        new_object_open(n->app, DIR_COMPUTER, NULL, 0);
    else if (id == CMD_NEW_OU)
        new_ou_open(n->app, n);
    else if (id == UI_CMD_REFRESH) {
        domain_sync_ous(n);
        ui_console_refresh(n->app);
    }
}

static const struct ui_column domain_cols[] = {{"Name", 30}, {"Type", 20}};

static void
domain_load(struct ui_node *n)
{
    ui_memsource_clear(n->rows);
    for (size_t i = 0; i < n->nkids; i++) {
        const char *row[] = {n->kids[i]->label,
                             n->kids[i]->type == &ou_type ? "Organizational Unit" : "Container"};
        ui_memsource_add(n->rows, (int64_t)i, row);
    }
}

/*
 * Adds a node for each OU the tree does not show yet (OUs are never deleted,
 * so nodes are only added: a node the console shows stays valid).
 */
static void
domain_sync_ous(struct ui_node *dom)
{
    struct strlist ous;
    if (ops_call(dom->app->cx, OP_DIR_OUS, NULL, &ous, NULL) != CC_OK)
        return;
    for (size_t i = 0; i < ous.n; i++) {
        int shown = 0;
        for (size_t k = 0; k < dom->nkids && !shown; k++)
            shown = dom->kids[k]->type == &ou_type &&
                    strcasecmp(((struct container *)dom->kids[k]->data)->ou, ous.v[i]) == 0;
        if (shown)
            continue;
        struct container *c = ui_xcalloc(1, sizeof *c);
        c->ou = ui_xstrdup(ous.v[i]);
        ui_node_add(dom, ous.v[i], &ou_type, c);
        /* OUs by name after the default containers, as ADUC lists them */
        for (size_t k = dom->nkids - 1; k > 0 && dom->kids[k - 1]->type == &ou_type &&
                                        strcasecmp(dom->kids[k - 1]->label, ous.v[i]) > 0;
             k--) {
            struct ui_node *t = dom->kids[k];
            dom->kids[k] = dom->kids[k - 1];
            dom->kids[k - 1] = t;
        }
    }
    strlist_free(&ous);
}

static const struct ui_node_type domain_type = {
    .name = "domain",
    .cols = domain_cols,
    .ncols = 2,
    .noun = "container",
    .nouns = "containers",
    .load = domain_load,
    .menu = domain_menu,
    .act = domain_act,
    .keep_order = 1,
};

static void
aduc_build(struct ui_app *app, struct ui_node *root)
{
    struct ui_node *top =
        ui_node_add(root, "Active Directory Users and Computers", &ui_node_folder, NULL);
    struct ui_node *dom = ui_node_add(top, app->domain, &domain_type, NULL);
    add_container(dom, "Users", &user_type, DIR_USER);
    add_container(dom, "Computers", &computer_type, DIR_COMPUTER);
    add_container(dom, "Groups", &group_type, DIR_GROUP);
    domain_sync_ous(dom);
}

const struct ui_snapin ui_snapin_aduc = {"Active Directory Users and Computers", aduc_build};
