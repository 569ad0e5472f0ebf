/*
 * Authorization: who the caller is, and whether they may do what they ask.
 *
 * One function, authz_check(), decides every request that needs a right:
 * the template ACLs, the CA's roles (CA Administrator, Certificate Manager,
 * Auditor, Backup Operator, enrollee), the domain administrators who change
 * the directory, and acting on behalf of another principal. Its refusals
 * say who lacked which right.
 *
 * Who the caller is comes from authz_resolve(). In a production database it
 * is the Unix user the kernel names (the service's peer, or the user running
 * certcon on a database it can read), mapped to a directory account by a
 * table only a CA Administrator edits; nothing else a caller sends changes
 * it. In a lab database trainees play every role with --as.
 */
#ifndef CERTCON_AUTHZ_H
#define CERTCON_AUTHZ_H

#include <stddef.h>
#include <stdint.h>

struct cc_ctx;

#include "directory.h"
#include "store.h"

struct template;

/* What a caller asks to do. */
enum authz_what {
    AUTHZ_CA,           /* a CA permission or role: rights holds CA_RIGHT_* bits */
    AUTHZ_TEMPLATE,     /* a template right: rights holds ACL_* bits, template is set */
    AUTHZ_DIRECTORY,    /* change the directory (Domain Admins, Enterprise Admins) */
    AUTHZ_REQUEST_FOR,  /* request a certificate for principal (template may be set) */
    AUTHZ_READ_STORE,   /* read principal's certificate stores */
    AUTHZ_EXPORT_KEY,   /* export principal's private key */
    AUTHZ_RUN_AS,       /* log principal on, or run its autoenrollment pulse */
    AUTHZ_READ_AUDIT,   /* read the audit log (Auditor or CA Administrator) */
};

struct authz_target {
    unsigned rights;                 /* AUTHZ_CA, AUTHZ_TEMPLATE */
    const struct template *template; /* AUTHZ_TEMPLATE, AUTHZ_REQUEST_FOR */
    int64_t principal;               /* the other principal of *_FOR, *_STORE, *_KEY, RUN_AS */
    const char *what;                /* "change the CA's settings": ends the refusal */
};

/*
 * CC_OK when the context's caller may do it, CC_EACCES with a sentence
 * naming the account and the missing right otherwise. Only the system
 * context (ctx_init_system: the database's own set-up, the service's
 * schedules) is not checked; no account id stands for it.
 */
int authz_check(const struct cc_ctx *cx, enum authz_what what, const struct authz_target *t,
                char **cause);

/*
 * Whether the context's caller requests for others as an enrollment agent on
 * t: it holds a valid Certificate Request Agent certificate and t's
 * issuance requirements ask for exactly that signature. The policy module
 * then counts the agent's authorization as the request's one signature.
 */
int authz_agent_for(const struct cc_ctx *cx, const struct template *t);

/*
 * Managing another account's certificates from a console (the Certificates
 * snap-in's "another user"): the caller's own stores always; in a lab
 * database any account's, as --as may play any account, and there the
 * operations run as that account (its token enrolls, the audit names it);
 * elsewhere only a CA Administrator's, who requests and reads stores for
 * others under its own name. Decides (CC_EACCES with the reason, recorded)
 * and fills *out with the context to manage principal's stores in: the
 * principal's own in a lab, a copy of the caller's otherwise. ctx_free it.
 * The caller's context is never changed.
 */
int authz_act_for(const struct cc_ctx *cx, int64_t principal, struct cc_ctx *out, char **cause);

/* How certcon was asked to pick the acting account. */
struct authz_caller {
    const char *unix_user;      /* the Unix user the kernel names */
    const char *as;             /* --as, or NULL */
    const char *config_account; /* certcon.conf's account for this user, or NULL */
    int role_check;             /* refuse an account holding two CA roles under role separation */
};

/*
 * Resolves the acting account of st for the caller into *out (a user or a
 * computer, never a group). In a lab database: --as, then certcon.conf,
 * then the account map, then the lab's default account. In a production
 * database: the account map only; --as is refused and *ignored_config is
 * set when certcon.conf named an account (the caller may tell the user).
 */
int authz_resolve(struct store *st, const struct authz_caller *c, struct dir_principal *out,
                  int *ignored_config, char **cause);

/* Whether st is a lab database (trainees play every role). */
int authz_is_lab(struct store *st);

/* The account map: Unix users and the directory accounts they act as. */
struct authz_mapping {
    char *unix_user;
    char *account; /* qualified: CONTOSO\alice */
};
/* Maps (or remaps) a Unix user; CA Administrator. */
int authz_map(const struct cc_ctx *cx, const char *unix_user, const char *principal, char **cause);
/* Removes a Unix user's mapping; CA Administrator. ENOTFOUND when it has none. */
int authz_unmap(const struct cc_ctx *cx, const char *unix_user, char **cause);
int authz_mappings(struct store *st, struct authz_mapping **out, size_t *n, char **cause);
void authz_mappings_free(struct authz_mapping *v, size_t n);
/* Writes a mapping without a rights check: init maps root and its own user. */
int authz_map_initial(struct store *st, const char *unix_user, int64_t principal, char **cause);

/* Role separation (AD CS RoleSeparationEnabled): no account may hold two CA roles. */
int authz_role_separation(struct store *st);
int authz_set_role_separation(struct store *st, int on, char **cause);

#endif
