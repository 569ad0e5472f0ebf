/*
 * Access control on templates: Allow and Deny entries of Read, Write,
 * Enroll, Autoenroll and Full Control for directory principals, and the
 * effective rights of a token, with the entries that decided them. Deny
 * wins over Allow; Full Control carries every right.
 */
#ifndef CERTCON_ACL_H
#define CERTCON_ACL_H

#include <stddef.h>
#include <stdint.h>

enum acl_right {
    ACL_READ = 1 << 0,
    ACL_WRITE = 1 << 1,
    ACL_ENROLL = 1 << 2,
    ACL_AUTOENROLL = 1 << 3,
    ACL_FULL = 1 << 4,
};
#define ACL_RIGHT_COUNT 5
#define ACL_ALL (ACL_READ | ACL_WRITE | ACL_ENROLL | ACL_AUTOENROLL | ACL_FULL)

struct acl_entry {
    int64_t principal; /* directory id */
    char *name;        /* principal name for display, owned */
    unsigned allow;
    unsigned deny;
};

struct acl {
    struct acl_entry *v;
    size_t n;
};

struct acl_decision {
    unsigned rights; /* effective: Read..Autoenroll (Full Control when all granted) */
    /* for each right (index by bit position), the entry that granted or denied it */
    const struct acl_entry *granted_by[ACL_RIGHT_COUNT];
    const struct acl_entry *denied_by[ACL_RIGHT_COUNT];
};

void acl_free(struct acl *acl);
int acl_copy(struct acl *dst, const struct acl *src);
int acl_equal(const struct acl *a, const struct acl *b);
/* The entry of a principal, or NULL. */
struct acl_entry *acl_find(const struct acl *acl, int64_t principal);
/* Adds allow (and deny) bits to a principal's entry, creating it if needed. */
int acl_grant(struct acl *acl, int64_t principal, const char *name, unsigned allow,
              unsigned deny);
/* Clears bits from a principal's entry; with mask ACL_ALL the entry goes. */
int acl_revoke(struct acl *acl, int64_t principal, unsigned mask);
/* Replaces a principal's entry wholesale (allow 0, deny 0 removes it). */
int acl_set(struct acl *acl, int64_t principal, const char *name, unsigned allow, unsigned deny);

/* Effective rights of a token (principal ids). why may be NULL. */
unsigned acl_effective(const struct acl *acl, const int64_t *token, size_t ntoken,
                       struct acl_decision *why);

/* "Read,Enroll" -> mask; names are case-insensitive; "FullControl" or "Full Control". */
int acl_rights_parse(const char *s, unsigned *mask, char **cause);
/* mask -> "Read,Write,Enroll"; allocated; "" for none. */
char *acl_rights_format(unsigned mask);
/* Display name of one right bit ("Full Control", "Read", ...). */
const char *acl_right_name(unsigned bit);

#endif
