/*
 * The directory that template permissions name: one domain with its users,
 * computers, security groups (nested) and the built-in accounts and groups
 * AD creates. A principal's token is itself plus its transitive groups plus
 * Authenticated Users; a computer's token is taken when it restarts, as on
 * Windows, unless the store says otherwise.
 */
#ifndef CERTCON_DIRECTORY_H
#define CERTCON_DIRECTORY_H

#include <stddef.h>
#include <stdint.h>

struct cc_ctx;

#include "store.h"
#include "util.h"

enum dir_kind {
    DIR_USER = 1,
    DIR_COMPUTER = 2,
    DIR_GROUP = 3,
    DIR_WELLKNOWN = 4, /* Authenticated Users and other implicit groups */
};

/* Relative identifiers of the built-ins (S-1-5-21-domain-RID). */
enum {
    RID_ADMINISTRATOR = 500,
    RID_DOMAIN_ADMINS = 512,
    RID_DOMAIN_USERS = 513,
    RID_DOMAIN_COMPUTERS = 515,
    RID_DOMAIN_CONTROLLERS = 516,
    RID_ENTERPRISE_ADMINS = 519,
};

struct dir_principal {
    int64_t id;
    enum dir_kind kind;
    char *name;        /* cn: "Administrator", "SERVER1", "Domain Admins" */
    char *sam;         /* sAMAccountName: computers end in '$' */
    char *display;     /* displayName (users), may be NULL */
    char *upn;         /* userPrincipalName, may be NULL */
    char *mail;        /* mail, may be NULL */
    char *dns;         /* dNSHostName (computers), may be NULL */
    struct strlist extra_dns; /* further FQDNs a computer answers to */
    char *description;
    char *sid;         /* "S-1-5-21-…-1105" */
    char *guid;        /* objectGUID, 8-4-4-4-12 hex */
    char *ou;          /* organizational unit ("" for the default containers) */
    char *container;   /* a group in no OU: "" the Groups container, "Users" the Users one */
    int is_dc;
    int builtin;
};

struct dir_domain {
    char *dns;        /* contoso.com */
    char *netbios;    /* CONTOSO */
    char *sid;        /* S-1-5-21-a-b-c */
    char *forest_oid; /* 1.3.6.1.4.1.311.21.8.a.b.c.d.e.f */
};

void dir_principal_free(struct dir_principal *p);
void dir_domain_free(struct dir_domain *d);
const char *dir_kind_name(enum dir_kind kind);

/*
 * Creates the domain and its built-ins (Administrator, Domain Admins,
 * Enterprise Admins, Domain Users, Domain Computers, Domain Controllers,
 * Authenticated Users, ...). forest_oid and sid may be NULL for random ones.
 */
int dir_domain_create(const struct cc_ctx *cx, const char *dns, const char *netbios,
                      const char *domain_sid, const char *forest_oid, char **cause);
int dir_domain_get(struct store *st, struct dir_domain *out, char **cause);

/*
 * Finds a principal by the names AD accepts, case-insensitively:
 * "Administrator", "SERVER1", "SERVER1$", "CONTOSO\SERVER1$", a group's name,
 * a UPN or a SID. ENOTFOUND's cause lists the nearest names.
 */
int dir_lookup(struct store *st, const char *name, struct dir_principal *out, char **cause);
int dir_get(struct store *st, int64_t id, struct dir_principal *out, char **cause);
/* "CONTOSO\Administrator" style name for display; allocated. */
char *dir_qualified_name(struct store *st, const struct dir_principal *p);

/* Each needs the acting account to be in Domain Admins or Enterprise Admins. */
int dir_add_user(const struct cc_ctx *cx, const char *name, const char *upn, const char *mail,
                 const char *display, int64_t *id, char **cause);
/*
 * A user whose cn (the name lists and certificates show, as AD's New
 * Object - User makes it from the full name) differs from its logon name
 * (sAMAccountName). cn NULL or empty: the logon name.
 */
int dir_add_user_cn(const struct cc_ctx *cx, const char *cn, const char *name, const char *upn,
                    const char *mail, const char *display, int64_t *id, char **cause);
int dir_add_computer(const struct cc_ctx *cx, const char *name, const char *dns,
                     const struct strlist *extra_dns, int is_dc, int64_t *id, char **cause);
int dir_add_group(const struct cc_ctx *cx, const char *name, const char *description, int64_t *id,
                  char **cause);
int dir_add_member(const struct cc_ctx *cx, const char *group, const char *member, char **cause);
int dir_remove_member(const struct cc_ctx *cx, const char *group, const char *member, char **cause);
/*
 * Organizational units: one level below the domain, where group policy can
 * be linked. Domain controllers live in "Domain Controllers".
 */
int dir_add_ou(const struct cc_ctx *cx, const char *name, const char *description, char **cause);
int dir_list_ous(struct store *st, struct strlist *names, char **cause);
/* Whether an OU of that name exists; sets *canonical to its stored spelling (allocated). */
int dir_ou_exists(struct store *st, const char *name, char **canonical);
/*
 * Sets a user's or computer's attribute: "upn", "mail", "display", "dns",
 * "extra-dns", "description", "ou" (move to an OU; empty: back to the
 * default container), and a group's "container" ("Users" or "Groups": the
 * default container it shows in while in no OU).
 */
int dir_set_attribute(const struct cc_ctx *cx, const char *principal, const char *attribute,
                      const char *value, char **cause);

/*
 * Whether value is one the attribute takes (the checks dir_set_attribute
 * makes before it writes: a UPN or e-mail address, a DNS name, a list of
 * DNS names); CC_EINVAL with a sentence saying what is expected. An empty
 * value (clearing the attribute) is valid. Dialogs run it as a value is typed.
 */
int dir_check_attribute(const char *attribute, const char *value, char **cause);

/* All principals whose kind bit (1 << kind) is in kinds, ordered by name. */
int dir_list(struct store *st, unsigned kinds, struct dir_principal **out, size_t *n,
             char **cause);
void dir_list_free(struct dir_principal *list, size_t n);
/* Direct members of a group, and the groups a principal is directly in. */
int dir_members(struct store *st, int64_t group, struct dir_principal **out, size_t *n,
                char **cause);
int dir_member_of(struct store *st, int64_t principal, struct dir_principal **out, size_t *n,
                  char **cause);

/*
 * The token the principal acts with: its own id, every group it is in
 * transitively, and Authenticated Users. For a computer, when the store takes
 * tokens at restart, the token taken at its last restart. *ids is allocated.
 */
int dir_token(struct store *st, int64_t principal, int64_t **ids, size_t *n, char **cause);
/* The token membership would give now (ignores the restart snapshot). */
int dir_token_live(struct store *st, int64_t principal, int64_t **ids, size_t *n, char **cause);
/* Restarts a computer: its token is taken afresh. */
int dir_restart(const struct cc_ctx *cx, const char *computer, char **cause);
/* Whether the principal's token holds the group with that RID. */
int dir_token_has_rid(struct store *st, int64_t principal, int rid);
/* CC_OK when the actor is in Domain Admins or Enterprise Admins, else EACCES with a cause. */
int dir_require_admin(const struct cc_ctx *cx, const char *what, char **cause);

#endif
