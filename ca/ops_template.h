/*
 * Operations on templates: list and read them, duplicate, edit (one setting,
 * the ACL, or a whole draft from the property sheet), reenroll, delete,
 * import and export, add an object identifier for the policy lists, and
 * enable or disable them on the CA (Certificate Templates snap-in, the CA's
 * Certificate Templates node, `template`, `ca templates`, `ca enable`,
 * `ca disable`, `oid add`). Included by ops.h.
 *
 * Who may do what stays where the core decides it: a template's ACL
 * (Write to save, reenroll, delete) and Domain or Enterprise Admins to
 * create, import or delete, checked by the core functions these run, so
 * those operations name no CA right (ca_right 0); enabling a template on
 * the CA is the CA Administrator's, which ops_call checks.
 */
#ifndef CERTCON_OPS_TEMPLATE_H
#define CERTCON_OPS_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "lint.h"
#include "oids.h"
#include "template.h"
#include "util.h"

/*
 * template.list: every template by display name, with what the lists show
 * beside each; and which the CA issues.
 */
struct ops_template_list {
    struct template *v;
    size_t n;
    char **purposes;       /* v[i]'s intended purposes as display names; "" for none */
    int *enabled;          /* whether the CA issues v[i] */
    struct strlist ca_cns; /* the CA's templates to issue, by template name, as the CA keeps
                              them (a deleted template's name stays until disabled) */
};
void ops_template_list_free(struct ops_template_list *r);

/* template.get: one template, by display or template name, or by id when name is NULL */
struct ops_template_ref {
    const char *name;
    int64_t id;
    int settings; /* also fill the result's values */
};
struct ops_template_view {
    struct template t;
    char *purposes;   /* intended purposes as display names; "" for none */
    char **acl_names; /* t.acl.v[i]'s principal as DOMAIN\name, NULL when no longer known */
    char **values;    /* with settings: each template_settings() entry's value, in order */
    size_t nvalues;
};
void ops_template_view_free(struct ops_template_view *r);

/* template.duplicate: Duplicate Template in one step (the command line) */
struct ops_template_duplicate {
    const char *src;
    const char *display_name;
    enum template_compat compat;
};

/*
 * template.draft: the Properties of New Template dialog's draft: the first
 * free "Copy of SRC" duplicate of src, not stored (id 0). Refused at once
 * for someone who may not create templates, as Windows does.
 */
struct ops_template_draft {
    const char *src;
    enum template_compat compat;
};
struct ops_template_draft_result {
    struct template draft;
    char *src_cn; /* the template duplicated, by template name */
};
void ops_template_draft_result_free(struct ops_template_draft_result *r);

/*
 * template.create: stores a new draft (from template.draft) under the
 * template name its display name gives; the result is the template as
 * stored. duplicate_of names the source in the audit record.
 */
struct ops_template_create {
    const struct template *draft;
    const char *duplicate_of;
};

/*
 * template.save: saves an editor's draft made from base (the template as
 * the editor loaded it) beside others' saves since: ECONFLICT only when
 * someone else changed one of the same settings. The result is the
 * template as saved.
 */
struct ops_template_save {
    const struct template *base;
    const struct template *draft;
};

/* template.set: one setting by name, checked by the setting table, then saved */
struct ops_template_set {
    const char *name;
    const char *setting;
    const char *value;
};
struct ops_template_set_result {
    struct template t; /* as saved */
    char *value;       /* the setting as it now reads */
};
void ops_template_set_result_free(struct ops_template_set_result *r);

/* template.acl: permission changes applied in order, saved once */
enum ops_acl_kind { OPS_ACL_ALLOW, OPS_ACL_DENY, OPS_ACL_REMOVE };
struct ops_acl_change {
    enum ops_acl_kind kind;
    const char *spec; /* "PRINCIPAL:RIGHTS"; remove also takes "PRINCIPAL" (every right) */
};
struct ops_template_acl {
    const char *name;
    const struct ops_acl_change *v;
    size_t n; /* 0: nothing is saved; the result shows the ACL */
};

/* template.reenroll, template.delete, template.export: a template by name */
struct ops_template_name {
    const char *name;
};
/* template.export: libconfig text (the exact round trip of template.import) */
struct ops_template_text {
    char *text;
};

/* template.import: a template file as a new template; the result is the template stored */
struct ops_template_import {
    const char *path;
};

/* oid.add: a named application or issuance policy under its object identifier */
struct ops_oid_add {
    const char *name;
    const char *oid;
    enum oid_kind kind;
};

/* oid.list: the policies of one kind, by name; with fresh, an unused OID for a new one */
struct ops_oid_kind {
    enum oid_kind kind;
    int fresh;
};
struct ops_oid_list {
    struct strlist names, oids;
    char *fresh; /* under the forest arc; NULL when not asked for or none could be made */
};
void ops_oid_list_free(struct ops_oid_list *r);

/*
 * template.enable, template.disable: the CA's Certificate Templates to
 * issue; several at once are all changed or none.
 */
struct ops_template_names {
    const char *const *names;
    size_t n;
};

/*
 * template.lint: the risky settings of one template (by name), of an
 * editor's draft, or of every template when both are NULL.
 */
struct ops_template_lint {
    const char *name;
    const struct template *draft;
};
struct ops_template_lint_result {
    struct template *v; /* the templates checked, by display name */
    size_t n;
    struct lint_finding **findings; /* v[i]'s findings */
    size_t *nfindings;
};
void ops_template_lint_result_free(struct ops_template_lint_result *r);

/*
 * The property sheet's draft, edited in memory: nothing here is saved
 * (template.create and template.save do that) and no right is asked, as
 * nothing is read but what parsing a value needs (policy names, superseded
 * templates) and nothing is written.
 *
 * template.draft-set: one setting of the draft, checked by the same
 * setting table as template.set; the draft changes only when the value is
 * taken, else a sentence naming the setting says why not.
 */
struct ops_draft_set {
    struct template *draft;
    const char *setting, *value;
};
/*
 * template.draft-get: a setting of a draft as the command line shows it
 * (result ops_template_text); template.draft-validate: the rules no one
 * setting can check (setting unused, no result).
 */
struct ops_draft_ref {
    const struct template *draft;
    const char *setting;
};
/* template.draft-acl: the draft's entry for a principal replaced; allow and deny 0 remove it. */
struct ops_draft_acl {
    struct template *draft;
    int64_t principal;
    const char *name; /* shown in the list until the template is saved */
    unsigned allow, deny;
};
/* oid.names: the display names of object identifiers, in order (result strlist). */
struct ops_oid_names {
    const struct strlist *oids;
};

enum {
    OP_TEMPLATE_LIST = OPS_TEMPLATE_BASE, /* no args, result ops_template_list */
    OP_TEMPLATE_GET,                      /* args ops_template_ref, result ops_template_view */
    OP_TEMPLATE_DUPLICATE,                /* args ops_template_duplicate, result template */
    OP_TEMPLATE_DRAFT,          /* args ops_template_draft, result ops_template_draft_result */
    OP_TEMPLATE_CREATE,         /* args ops_template_create, result template */
    OP_TEMPLATE_SAVE,           /* args ops_template_save, result template */
    OP_TEMPLATE_SET,            /* args ops_template_set, result ops_template_set_result */
    OP_TEMPLATE_ACL,            /* args ops_template_acl, result ops_template_view */
    OP_TEMPLATE_REENROLL,       /* args ops_template_name, result template (as now) */
    OP_TEMPLATE_DELETE,         /* args ops_template_name, no result */
    OP_TEMPLATE_EXPORT,         /* args ops_template_name, result ops_template_text */
    OP_TEMPLATE_IMPORT,         /* args ops_template_import, result template */
    OP_OID_ADD,                 /* args ops_oid_add, no result */
    OP_OID_LIST,                /* args ops_oid_kind, result ops_oid_list */
    OP_TEMPLATE_ENABLE,         /* args ops_template_names, no result */
    OP_TEMPLATE_DISABLE,        /* args ops_template_names, no result */
    OP_TEMPLATE_LINT,           /* args ops_template_lint, result ops_template_lint_result */
    OP_TEMPLATE_DRAFT_SET,      /* args ops_draft_set, no result */
    OP_TEMPLATE_DRAFT_GET,      /* args ops_draft_ref, result ops_template_text */
    OP_TEMPLATE_DRAFT_VALIDATE, /* args ops_draft_ref, no result */
    OP_TEMPLATE_DRAFT_ACL,      /* args ops_draft_acl, no result */
    OP_OID_NAMES,               /* args ops_oid_names, result strlist */
};

#endif
