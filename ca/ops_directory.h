/*
 * Operations on the directory, group policy and account mapping (Active Directory Users and
 * Computers, Group Policy Management, `dir`, `gpo`, `pulse`, `account`). Included
 * by ops.h.
 *
 * Who may change the directory and group policy (Domain Admins or Enterprise
 * Admins), restart or log on a principal and run its pulse (itself, or a CA
 * Administrator) is decided by the core functions these operations call,
 * after they have checked the values they were given: their ca_right is 0.
 * Reading needs no right, as it never has.
 */
#ifndef CERTCON_OPS_DIRECTORY_H
#define CERTCON_OPS_DIRECTORY_H

#include <stddef.h>
#include <stdint.h>

#include "authority.h"
#include "authz.h"
#include "autoenroll.h"
#include "directory.h"
#include "util.h"

/* ---- reading the directory ---- */

/* A principal: by id, or when id is 0 by any name dir_lookup takes. */
struct ops_dir_ref {
    int64_t id;
    const char *name;
};

/*
 * directory.list: the principals whose kind bit (1u << DIR_*) is in kinds,
 * by name; with qualified, each one's DOMAIN\name as permissions show it.
 */
struct ops_dir_list_args {
    unsigned kinds;
    int qualified;
};
/* A list of principals (directory.list, .members, .member-of). */
struct ops_dir_list {
    struct dir_principal *v;
    size_t n;
    char **qualified; /* directory.list with qualified: v[i] as CONTOSO\alice; else NULL */
};
void ops_dir_list_free(struct ops_dir_list *l);

/*
 * directory.show: a principal with what `dir show` tells of it. Each has_
 * flag says whether that part could be read (a part that could not is left
 * out, not an error); token and live are the groups of its token now and
 * after a restart, itself excepted, by name.
 */
struct ops_dir_show {
    struct dir_principal p;
    char *qualified; /* CONTOSO\alice */
    int has_member_of, has_members, has_token, has_live;
    struct ops_dir_list member_of, members, token, live;
};
void ops_dir_show_free(struct ops_dir_show *s);

/* ---- changing the directory ---- */

/*
 * directory.add-user, .add-computer, .add-group, .add-ou: one struct for
 * the four, each reading its fields. ou (not for an OU) creates the object
 * in that organizational unit, container ("Users", groups only) in that
 * default container: created and placed in one transaction, so a refused
 * placement leaves nothing behind. The result, when not NULL, is the new
 * principal's id (int64_t; not for an OU).
 */
struct ops_dir_add {
    const char *name;                /* logon name, computer name, group or OU name */
    const char *cn;                  /* user: the full name (NULL: the logon name) */
    const char *upn;                 /* user: NULL for name@domain */
    const char *mail;                /* user */
    const char *display;             /* user: NULL for the cn */
    const char *dns;                 /* computer: NULL for name.domain */
    const struct strlist *extra_dns; /* computer, may be NULL */
    int is_dc;                       /* computer */
    const char *description;         /* group, OU */
    const char *ou;                  /* place it in this OU, or NULL */
    const char *container;           /* group: "Users", or NULL */
};

/* directory.add-member, .remove-member */
struct ops_dir_member {
    const char *group;
    const char *member;
};

/* directory.set: one attribute (dir_set_attribute's names; an empty value clears it) */
struct ops_dir_set {
    const char *principal;
    const char *attribute;
    const char *value;
};

/* One attribute of a directory.update. */
struct ops_dir_attr {
    const char *attribute;
    const char *value;
};

/*
 * directory.update: what a Properties sheet's OK writes, in one
 * transaction, all or nothing: the attributes in order, then principal
 * leaves and joins groups (its Member Of), then, when principal is a group,
 * its members are removed and added (its Members). Lists may be NULL.
 */
struct ops_dir_update {
    const char *principal;
    const struct ops_dir_attr *attrs;
    size_t nattrs;
    const struct strlist *leave, *join; /* groups principal leaves, joins */
    const struct strlist *remove, *add; /* members of the group principal */
};

/* ---- group policy ---- */

/* gpo.create (linked to scope in the same transaction when scope is set), gpo.delete */
struct ops_gpo_name {
    const char *name;
    const char *scope; /* gpo.create, gpo.link, gpo.unlink; gpo.linked: the scope only */
};

/* gpo.autoenroll: the Auto-Enrollment setting of the computer or user half */
struct ops_gpo_autoenroll {
    const char *name;
    int user;
    struct gpo_settings settings;
};

/* gpo.filter-add, gpo.filter-remove: one principal; gpo.filter-set: exactly these */
struct ops_gpo_filter {
    const char *name;
    const char *principal;
    const struct strlist *principals; /* gpo.filter-set; empty: Authenticated Users */
};

/* gpo.list, gpo.linked: GPOs (gpo.linked: those linked to args' scope, in link order) */
struct ops_gpo_list {
    struct gpo *v;
    size_t n;
};
void ops_gpo_list_free(struct ops_gpo_list *l);

/* ---- the account map (the CA's roles are ops_ca's) ---- */

/* account.map (principal set), account.unmap */
struct ops_account_map {
    const char *unix_user;
    const char *principal;
};

/* account.list */
struct ops_account_list {
    struct authz_mapping *v;
    size_t n;
};
void ops_account_list_free(struct ops_account_list *l);

/*
 * directory.whoami: who the caller is and where, as the console's title
 * says it. Each part is NULL when it cannot be read (the caller is no
 * account of the directory, the domain or the local computer is not set).
 */
struct ops_dir_whoami {
    char *qualified; /* the caller as CONTOSO\Administrator */
    char *domain;    /* the domain's DNS name: contoso.com */
    char *computer;  /* the computer "Local computer" means: CA1 */
};
void ops_dir_whoami_free(struct ops_dir_whoami *w);

enum {
    OP_DIR_LIST = OPS_DIRECTORY_BASE, /* args ops_dir_list_args, result ops_dir_list */
    OP_DIR_GET,                       /* args ops_dir_ref, result dir_principal */
    OP_DIR_SHOW,                      /* args ops_dir_ref, result ops_dir_show */
    OP_DIR_MEMBERS,                   /* args ops_dir_ref (a group), result ops_dir_list */
    OP_DIR_MEMBER_OF,                 /* args ops_dir_ref, result ops_dir_list */
    OP_DIR_OUS,                       /* no args, result strlist */
    OP_DIR_ADD_USER,                  /* args ops_dir_add, result int64_t or NULL */
    OP_DIR_ADD_COMPUTER,              /* args ops_dir_add, result int64_t or NULL */
    OP_DIR_ADD_GROUP,                 /* args ops_dir_add, result int64_t or NULL */
    OP_DIR_ADD_OU,                    /* args ops_dir_add, no result */
    OP_DIR_ADD_MEMBER,                /* args ops_dir_member, no result */
    OP_DIR_REMOVE_MEMBER,             /* args ops_dir_member, no result */
    OP_DIR_SET,                       /* args ops_dir_set, no result */
    OP_DIR_UPDATE,                    /* args ops_dir_update, no result */
    OP_GPO_LIST,                      /* no args, result ops_gpo_list */
    OP_GPO_LINKED,                    /* args ops_gpo_name (scope), result ops_gpo_list */
    OP_GPO_GET,                       /* args ops_gpo_name, result gpo */
    OP_GPO_CREATE,                    /* args ops_gpo_name, no result */
    OP_GPO_DELETE,                    /* args ops_gpo_name, no result */
    OP_GPO_LINK,                      /* args ops_gpo_name, no result */
    OP_GPO_UNLINK,                    /* args ops_gpo_name, no result */
    OP_GPO_AUTOENROLL,                /* args ops_gpo_autoenroll, no result */
    OP_GPO_FILTER_ADD,                /* args ops_gpo_filter, no result */
    OP_GPO_FILTER_REMOVE,             /* args ops_gpo_filter, no result */
    OP_GPO_FILTER_SET,                /* args ops_gpo_filter, no result */
    OP_ACCOUNT_MAP,                   /* args ops_account_map, no result */
    OP_ACCOUNT_UNMAP,                 /* args ops_account_map, no result */
    OP_ACCOUNT_LIST,                  /* no args, result ops_account_list */
    OP_DIR_WHOAMI,                    /* no args, result ops_dir_whoami */
};

#endif
